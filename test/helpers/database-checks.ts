import assert from 'node:assert/strict';

import { type Kysely, sql } from 'kysely';

import type { Database } from '../../src/storage/database.js';
import { searchValueOf, trigramsOfValue } from '../../src/storage/queries/trigram-index.js';
import { TEST_DIALECT } from './databases.js';

const TABLES = [
  'firms',
  'users',
  'accounts',
  'logins',
  'personal_access_tokens',
  'circles',
  'circle_members',
  'contact_details',
  'contact_detail_owners',
  'contact_detail_counts',
  'contact_detail_trigrams',
  'contact_detail_trigram_backlog',
] as const;

/** Reads every row of every table, in a stable order, for comparing the database before and after. */
export async function snapshotDatabase(db: Kysely<Database>): Promise<string> {
  const tables: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
    tables[table] = rows.rows.map((row) => JSON.stringify(row)).sort();
  }

  return JSON.stringify(tables);
}

/** Checks the invariants that every write must keep, against the stored rows. */
export async function assertInvariants(db: Kysely<Database>): Promise<void> {
  const doublePrimaries = await db
    .selectFrom('contact_detail_owners as owner')
    .innerJoin('contact_details as detail', 'detail.id', 'owner.contact_detail_id')
    .select(['owner.account_id', 'owner.type'])
    .where('owner.is_primary', '=', 1)
    .where('detail.deleted_at', 'is', null)
    .groupBy(['owner.account_id', 'owner.type'])
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  assert.deepEqual(doublePrimaries, [], 'an account has two primary details of one type');

  const mismatchedTypes = await db
    .selectFrom('contact_detail_owners as owner')
    .innerJoin('contact_details as detail', 'detail.id', 'owner.contact_detail_id')
    .innerJoin('accounts as account', 'account.id', 'owner.account_id')
    .select(['owner.contact_detail_id', 'owner.account_id'])
    .where((eb) =>
      eb.or([
        eb('owner.type', '!=', eb.ref('detail.type')),
        eb('owner.firm_id', '!=', eb.ref('detail.firm_id')),
        eb('account.firm_id', '!=', eb.ref('detail.firm_id')),
        eb('account.type', '!=', 'client'),
      ]),
    )
    .execute();
  assert.deepEqual(mismatchedTypes, [], 'an owner link disagrees with its detail or account');

  const counted = await sql<{ firm_id: string; type: string; live: number | string }>`
    select firm_id, type, count(*) as live from contact_details where deleted_at is null
    group by firm_id, type`.execute(db);
  const kept = await db.selectFrom('contact_detail_counts').selectAll().execute();
  for (const row of counted.rows) {
    const count = kept.find((item) => item.firm_id === row.firm_id && item.type === row.type);
    assert.equal(count?.live ?? 0, Number(row.live), `kept count of ${row.type}`);
  }

  const live = await db
    .selectFrom('contact_details')
    .select(['id', 'firm_id', 'value', 'search_value'])
    .where('deleted_at', 'is', null)
    .execute();
  for (const detail of live) {
    assert.equal(detail.search_value, searchValueOf(detail.value), `search value of ${detail.id}`);
  }

  const backlog = new Set(
    (await db.selectFrom('contact_detail_trigram_backlog').selectAll().execute()).map(
      (row) => row.contact_detail_id,
    ),
  );
  const liveIds = new Set(live.map((detail) => detail.id));
  assert.deepEqual(
    [...backlog].filter((id) => !liveIds.has(id)),
    [],
    'the trigram backlog holds only live details',
  );
  const rowOf = (firmId: string, trigram: string, id: string) => `${firmId} ${trigram} ${id}`;
  const expectedTrigrams = live
    .filter((detail) => !backlog.has(detail.id))
    .flatMap((detail) =>
      trigramsOfValue(detail.value).map((trigram) => rowOf(detail.firm_id, trigram, detail.id)),
    )
    .sort();
  const allowedForBacklog = new Set(
    live
      .filter((detail) => backlog.has(detail.id))
      .flatMap((detail) =>
        trigramsOfValue(detail.value).map((trigram) => rowOf(detail.firm_id, trigram, detail.id)),
      ),
  );
  const stored = (await db.selectFrom('contact_detail_trigrams').selectAll().execute()).map(
    (row) => ({
      text: rowOf(row.firm_id, row.trigram, row.contact_detail_id),
      inBacklog: backlog.has(row.contact_detail_id),
    }),
  );
  assert.deepEqual(
    stored
      .filter((row) => !row.inBacklog)
      .map((row) => row.text)
      .sort(),
    expectedTrigrams,
    'trigram index of live values',
  );
  assert.deepEqual(
    stored.filter((row) => row.inBacklog && !allowedForBacklog.has(row.text)),
    [],
    'a detail in the trigram backlog has only trigrams of its value',
  );

  const primaries = await db
    .selectFrom('contact_detail_owners as owner')
    .innerJoin('contact_details as detail', 'detail.id', 'owner.contact_detail_id')
    .select(['owner.account_id', 'detail.type', 'detail.value'])
    .where('owner.is_primary', '=', 1)
    .where('detail.deleted_at', 'is', null)
    .execute();
  const accounts = await db
    .selectFrom('accounts')
    .select(['id', 'primary_email', 'primary_phone_number'])
    .execute();
  for (const account of accounts) {
    const valueOf = (type: string) =>
      primaries.find((row) => row.account_id === account.id && row.type === type)?.value ?? null;
    assert.equal(account.primary_email, valueOf('email'), `primary_email of ${account.id}`);
    assert.equal(
      account.primary_phone_number,
      valueOf('phone_number'),
      `primary_phone_number of ${account.id}`,
    );
  }
}

/**
 * Makes every update that sets a contact detail's name to `boom` fail inside the database, after
 * the statements before it in the same transaction have run; returns a function that removes it.
 */
export async function failUpdatesNamedBoom(db: Kysely<Database>): Promise<() => Promise<void>> {
  if (TEST_DIALECT === 'postgres') {
    await sql`create function fail_on_boom() returns trigger language plpgsql as $$
      begin
        if new.name = 'boom' then raise exception 'injected failure'; end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger fail_on_boom before update of name on contact_details
      for each row execute function fail_on_boom()`.execute(db);

    return async () => {
      await sql`drop trigger fail_on_boom on contact_details`.execute(db);
      await sql`drop function fail_on_boom`.execute(db);
    };
  }

  await sql`create trigger fail_on_boom before update of name on contact_details
    when new.name = 'boom' begin select raise(abort, 'injected failure'); end`.execute(db);

  return async () => {
    await sql`drop trigger fail_on_boom`.execute(db);
  };
}
