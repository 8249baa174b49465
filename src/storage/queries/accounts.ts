import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type Selectable,
  type SqlBool,
  sql,
} from 'kysely';

import type {
  Account,
  AccountRole,
  AccountType,
  ExternalReference,
} from '../../accounts/account.js';
import type {
  AccountChanges,
  AccountFilter,
  AccountPage,
  AccountRepository,
} from '../../accounts/repository.js';
import type { AccountTable, Database } from '../database.js';
import { compiledQuery } from './compiled-query.js';
import { isIn } from './conditions.js';

const findAccounts = compiledQuery((db, firmId: string, ids: readonly string[]) =>
  db.selectFrom('accounts').selectAll().where('firm_id', '=', firmId).where('id', 'in', ids),
);

type StoredValue = string | null;

// The primary values each account keeps in its own row, beside the live primary details of its
// owner links: one row for each primary detail, or one without a detail when it has none.
const findPrimaryValues = compiledQuery((db, firmId: string, accountIds: readonly string[]) =>
  db
    .selectFrom('accounts')
    .leftJoin('contact_detail_owners as owner', (join) =>
      join
        .onRef('owner.firm_id', '=', 'accounts.firm_id')
        .onRef('owner.account_id', '=', 'accounts.id')
        // A literal, not a parameter, lets a prepared plan use the partial index of primaries.
        .on('owner.is_primary', '=', sql.lit(1)),
    )
    .leftJoin('contact_details as detail', (join) =>
      join.onRef('detail.id', '=', 'owner.contact_detail_id').on('detail.deleted_at', 'is', null),
    )
    .select([
      'accounts.id',
      'accounts.primary_email',
      'accounts.primary_phone_number',
      'detail.type',
      'detail.value',
    ])
    .where('accounts.firm_id', '=', firmId)
    .where('accounts.id', 'in', accountIds),
);

const keepPrimaryValues = compiledQuery(
  (db, firmId: string, id: string, email: string | null, phone: string | null, updatedAt: string) =>
    db
      .updateTable('accounts')
      .set({ primary_email: email, primary_phone_number: phone, updated_at: updatedAt })
      .where('firm_id', '=', firmId)
      .where('id', '=', id),
);

/** AccountRepository over any Kysely dialect. */
export class AccountQueries implements AccountRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async findByIds(firmId: string, ids: readonly string[]): Promise<Account[]> {
    if (ids.length === 0) {
      return [];
    }

    const { rows } = await findAccounts(this.db, firmId, ids);

    return rows.map(toAccount);
  }

  async list(firmId: string, page: AccountPage): Promise<Account[]> {
    const direction = page.descending ? 'desc' : 'asc';
    const rows = await this.db
      .selectFrom('accounts')
      .selectAll()
      .where((eb) => matchesFilter(eb, firmId, page.filter))
      // First and last names are null for trusts and businesses; they sort last both ways, on
      // every database, where SQLite and PostgreSQL would each put them at a different end.
      .orderBy(page.sort, (order) => (page.descending ? order.desc() : order.asc()).nullsLast())
      .orderBy('id', direction)
      .limit(page.limit)
      .offset(page.offset)
      .execute();

    return rows.map(toAccount);
  }

  async count(firmId: string, filter: AccountFilter): Promise<number> {
    const row = await this.db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where((eb) => matchesFilter(eb, firmId, filter))
      .executeTakeFirstOrThrow();

    return Number(row.count);
  }

  async update(firmId: string, id: string, changes: AccountChanges): Promise<void> {
    await this.db
      .updateTable('accounts')
      .set({
        role: changes.role,
        first_name: changes.firstName,
        last_name: changes.lastName,
        name: changes.name,
        updated_at: changes.updatedAt,
      })
      .where('firm_id', '=', firmId)
      .where('id', '=', id)
      .execute();
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

    const { rows } = await findPrimaryValues(this.db, firmId, accountIds);
    const accounts = new Map<
      string,
      { kept: (typeof rows)[number]; email: StoredValue; phone: StoredValue }
    >();
    for (const row of rows) {
      const account = accounts.get(row.id) ?? { kept: row, email: null, phone: null };
      if (row.type === 'email') {
        account.email = row.value;
      } else if (row.type === 'phone_number') {
        account.phone = row.value;
      }
      accounts.set(row.id, account);
    }

    for (const [id, { kept, email, phone }] of accounts) {
      if (email === kept.primary_email && phone === kept.primary_phone_number) {
        continue;
      }

      await keepPrimaryValues(this.db, firmId, id, email, phone, now);
    }
  }
}

/** Maps a row of `accounts` to an Account. */
export function toAccount(row: Selectable<AccountTable>): Account {
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

function matchesFilter(
  eb: ExpressionBuilder<Database, 'accounts'>,
  firmId: string,
  filter: AccountFilter,
): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [eb('accounts.firm_id', '=', firmId)];
  if (filter.ids !== undefined) {
    conditions.push(isIn('accounts.id', filter.ids));
  }

  if (filter.types !== undefined) {
    conditions.push(isIn('accounts.type', filter.types));
  }

  if (filter.roles !== undefined) {
    conditions.push(isIn('accounts.role', filter.roles));
  }

  if (filter.visibleTo !== undefined) {
    conditions.push(eb('accounts.id', '=', filter.visibleTo));
  }

  return eb.and(conditions);
}
