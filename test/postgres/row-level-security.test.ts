import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import pg from 'pg';

import type { TestFirm } from '../helpers/fixtures.js';
import { tenantRoleFor } from '../../src/storage/postgres/row-level-security.js';
import { type TestApp, createTestApp } from '../helpers/test-app.js';

let t: TestApp;
let alpha: TestFirm;
let beta: TestFirm;
let client: pg.Client;

before(async () => {
  t = await createTestApp();
  alpha = await t.fixtures.firm('Alpha');
  beta = await t.fixtures.firm('Beta');
  for (const firm of [alpha, beta]) {
    const owner = await t.fixtures.client(firm, 'Ada', firm === alpha ? 'Alpha' : 'Beta');
    await t.fixtures.detail(firm, 'email', `ada@${firm === alpha ? 'alpha' : 'beta'}.example`, [
      owner,
    ]);
  }

  client = new pg.Client({ connectionString: t.databaseUrl });
  await client.connect();
});

after(async () => {
  await client.end();
  await t.close();
});

/** Runs `statement` in a transaction scoped the way contactd scopes one, then rolls it back. */
async function inScope(firmId: string, statement: string, values: unknown[] = []) {
  await client.query('begin');
  try {
    await client.query(
      "select set_config('role', $2, true), set_config('contactd.firm_id', $1, true)",
      [firmId, tenantRoleFor(new URL(t.databaseUrl).pathname.slice(1))],
    );

    return await client.query<Record<string, unknown>>(statement, values);
  } finally {
    await client.query('rollback');
  }
}

describe('row-level security', () => {
  test('keeps the tenant role away from the migration tables', async () => {
    await assert.rejects(
      inScope(alpha.firmId, 'select * from kysely_migration'),
      /permission denied/,
    );
  });

  test('hides other firms from a query that forgot its firm filter', async () => {
    for (const table of ['contact_details', 'contact_detail_owners', 'accounts', 'logins']) {
      const rows = await inScope(alpha.firmId, `select distinct firm_id from ${table}`);
      assert.deepEqual(
        rows.rows.map((row) => row.firm_id),
        [alpha.firmId],
        table,
      );
    }
  });

  test('shows nothing to a transaction with no firm', async () => {
    const rows = await inScope('', 'select count(*)::int as count from contact_details');

    assert.deepEqual(rows.rows, [{ count: 0 }]);
  });

  test("rejects a write into another firm's rows", async () => {
    await assert.rejects(
      inScope(
        alpha.firmId,
        `insert into accounts (id, firm_id, type, role, name, created_at, updated_at)
         values ('00000000-0000-4000-8000-000000000001', $1, 'client', 'individual', 'Intruder', 'x', 'x')`,
        [beta.firmId],
      ),
      /row-level security/,
    );
    const updated = await inScope(
      beta.firmId,
      "update contact_details set name = 'x' where firm_id = $1",
      [alpha.firmId],
    );
    assert.equal(updated.rowCount, 0);
  });
});
