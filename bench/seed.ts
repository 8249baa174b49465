import { type Kysely, sql } from 'kysely';

import { provisionFirm } from '../src/firms/provisioning.js';
import { newId } from '../src/ids.js';
import type { Database } from '../src/storage/database.js';
import {
  insertTrigramRows,
  searchValueOf,
  trigramRowsOf,
} from '../src/storage/queries/trigram-index.js';
import type { Storage } from '../src/storage/storage.js';

/** The ids and token of a seeded database that the load uses. */
export interface BenchFirm {
  token: string;
  accountId: string;
  /** A client that owns an email and a phone number. */
  clientId: string;
  /** That client's phone number, which the PUT scenario rewrites. */
  phoneId: string;
  phoneValues: [string, string];
  /** A part of one client's email address that no other value holds, for a value search. */
  searchTerm: string;
}

const BATCH = 1000;

/**
 * Seeds one firm with `size` contact details in bulk: half as many clients, each with an email and
 * a phone number, both primary. Rows go in straight through the table types, in batches inside one
 * transaction, because a million details through the API would take hours.
 */
export async function seedBenchFirm(
  storage: Storage,
  db: Kysely<Database>,
  size: number,
): Promise<BenchFirm> {
  const now = new Date('2026-06-08T15:08:03.000Z');
  const firm = await provisionFirm(
    storage,
    {
      firmName: 'Bench Wealth',
      ownerEmail: 'bench@bench.example',
      ownerFirstName: 'Bea',
      ownerLastName: 'Bench',
    },
    now,
  );
  const clients = Math.ceil(size / 2);
  let first: { clientId: string; phoneId: string } | undefined;
  await db.transaction().execute(async (trx) => {
    for (let start = 0; start < clients; start += BATCH) {
      const accounts = [];
      const details = [];
      const owners = [];
      for (let index = start; index < Math.min(clients, start + BATCH); index += 1) {
        const at = new Date(now.getTime() + index * 1000).toISOString();
        const clientId = newId();
        const email = `client${String(index)}@bench.example`;
        const phone = `+44203${String(index).padStart(7, '0')}`;
        const emailId = newId();
        const phoneId = newId();
        first ??= { clientId, phoneId };
        accounts.push({
          id: clientId,
          firm_id: firm.firmId,
          type: 'client',
          role: 'individual',
          first_name: 'Client',
          last_name: String(index),
          name: `Client ${String(index)}`,
          primary_email: email,
          primary_phone_number: phone,
          photo_url: null,
          inactive_at: null,
          created_at: at,
          updated_at: at,
        });
        for (const [id, type, value] of [
          [emailId, 'email', email],
          [phoneId, 'phone_number', phone],
        ] as const) {
          details.push({
            id,
            firm_id: firm.firmId,
            type,
            name: type === 'email' ? 'Email' : 'Phone',
            value,
            value_key: value,
            search_value: searchValueOf(value),
            extension: null,
            created_at: at,
            updated_at: at,
            deleted_at: null,
          });
          owners.push({
            firm_id: firm.firmId,
            contact_detail_id: id,
            account_id: clientId,
            type,
            is_primary: 1 as const,
            created_at: at,
          });
        }
      }

      await trx.insertInto('accounts').values(accounts).execute();
      await trx.insertInto('contact_details').values(details).execute();
      await trx.insertInto('contact_detail_owners').values(owners).execute();
      await insertTrigramRows(
        trx,
        details.flatMap((detail) => trigramRowsOf(detail.firm_id, detail.id, detail.value)),
      );
    }
  });
  if (first === undefined) {
    throw new Error('the bench firm needs at least one client');
  }

  await sql`insert into contact_detail_counts (firm_id, type, live)
    select firm_id, type, count(*) from contact_details where firm_id = ${firm.firmId}
    and deleted_at is null group by firm_id, type`.execute(db);

  // A database in use has table statistics; one just filled in bulk has none until it is analysed.
  await sql`analyze`.execute(db);

  return {
    token: firm.token,
    accountId: firm.accountId,
    clientId: first.clientId,
    phoneId: first.phoneId,
    phoneValues: ['+442030000000', '+442030000001'],
    searchTerm: `client${String(Math.floor(clients / 2) + 1)}@`,
  };
}
