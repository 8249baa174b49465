import type { Kysely, Selectable } from 'kysely';

import type {
  Account,
  AccountRole,
  AccountType,
  ExternalReference,
} from '../../accounts/account.js';
import type { AccountRepository } from '../../accounts/repository.js';
import type { AccountTable, Database } from '../database.js';

/** AccountRepository over any Kysely dialect. */
export class AccountQueries implements AccountRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async findByIds(firmId: string, ids: readonly string[]): Promise<Account[]> {
    if (ids.length === 0) {
      return [];
    }

    const rows = await this.db
      .selectFrom('accounts')
      .selectAll()
      .where('firm_id', '=', firmId)
      .where('id', 'in', ids)
      .execute();

    return rows.map(toAccount);
  }

  async create(account: Parameters<AccountRepository['create']>[0]): Promise<void> {
    await this.db
      .insertInto('accounts')
      .values({
        id: account.id,
        firm_id: account.firmId,
        type: account.type,
        role: account.role,
        first_name: account.firstName,
        last_name: account.lastName,
        name: account.name,
        primary_email: null,
        primary_phone_number: null,
        photo_url: null,
        inactive_at: null,
        created_at: account.createdAt,
        updated_at: account.createdAt,
      })
      .execute();
  }

  async refreshPrimaryValues(firmId: string, accountIds: readonly string[], now: string) {
    if (accountIds.length === 0) {
      return;
    }

    const primaries = await this.db
      .selectFrom('contact_detail_owners as owner')
      .innerJoin('contact_details as detail', 'detail.id', 'owner.contact_detail_id')
      .select(['owner.account_id', 'detail.type', 'detail.value'])
      .where('owner.firm_id', '=', firmId)
      .where('owner.account_id', 'in', accountIds)
      .where('owner.is_primary', '=', 1)
      .where('detail.deleted_at', 'is', null)
      .execute();
    const accounts = await this.db
      .selectFrom('accounts')
      .select(['id', 'primary_email', 'primary_phone_number'])
      .where('firm_id', '=', firmId)
      .where('id', 'in', accountIds)
      .execute();

    for (const account of accounts) {
      const ofAccount = primaries.filter((primary) => primary.account_id === account.id);
      const email = ofAccount.find((primary) => primary.type === 'email')?.value ?? null;
      const phone = ofAccount.find((primary) => primary.type === 'phone_number')?.value ?? null;
      if (email === account.primary_email && phone === account.primary_phone_number) {
        continue;
      }

      await this.db
        .updateTable('accounts')
        .set({ primary_email: email, primary_phone_number: phone, updated_at: now })
        .where('firm_id', '=', firmId)
        .where('id', '=', account.id)
        .execute();
    }
  }
}

function toAccount(row: Selectable<AccountTable>): Account {
  return {
    id: row.id,
    firmId: row.firm_id,
    type: row.type as AccountType,
    role: row.role as AccountRole,
    firstName: row.first_name,
    lastName: row.last_name,
    name: row.name,
    primaryEmail: row.primary_email,
    primaryPhoneNumber: row.primary_phone_number,
    photoUrl: row.photo_url,
    externalReferences: JSON.parse(row.external_references) as ExternalReference[],
    inactiveAt: row.inactive_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
