import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { sql } from 'kysely';

import {
  DEFAULT_POSTGRES_OPTIONS,
  type PostgresConnection,
  openPostgresDatabase,
} from '../../src/storage/postgres/connection.js';
import { testPostgresUrl } from '../helpers/databases.js';
import { createTestApp } from '../helpers/test-app.js';

let connection: PostgresConnection;

before(async () => {
  connection = await openPostgresDatabase(testPostgresUrl(), {
    ...DEFAULT_POSTGRES_OPTIONS,
    poolSize: 1,
  });
});

after(async () => {
  await connection.db.destroy();
});

/** Lists the texts of the statements that the pool's one connection has prepared. */
async function preparedTexts(): Promise<string[]> {
  const { rows } = await sql<{
    statement: string;
  }>`select statement from pg_prepared_statements`.execute(connection.db);

  return rows.map((row) => row.statement);
}

describe('prepared statements', () => {
  test('query with values run twice', async () => {
    const query = (value: number) =>
      sql<{ doubled: number }>`select ${value}::int * 2 as doubled`.execute(connection.db);

    const first = await query(2);
    const second = await query(21);

    assert.deepEqual(first.rows, [{ doubled: 4 }]);
    assert.deepEqual(second.rows, [{ doubled: 42 }]);
    const prepared = (await preparedTexts()).filter((text) => text.includes('* 2 as doubled'));
    assert.equal(prepared.length, 1);
  });

  test('query without values', async () => {
    await sql`select 7 as seven`.execute(connection.db);

    assert.ok((await preparedTexts()).every((text) => !text.includes('7 as seven')));
  });

  test('more than 256 distinct texts', async () => {
    for (let width = 1; width <= 300; width += 1) {
      const values = Array.from({ length: width }, (_, index) => index);
      const sum = sql.join(
        values.map((value) => sql`${value}::int`),
        sql` + `,
      );
      const { rows } = await sql<{ total: number }>`select ${sum} as total`.execute(connection.db);
      assert.equal(rows[0]?.total, (width * (width - 1)) / 2);
    }

    assert.ok((await preparedTexts()).length <= 256);
  });

  test('table changed under a running app', async () => {
    const t = await createTestApp();
    try {
      const firm = await t.fixtures.firm();
      const client = await t.fixtures.client(firm);
      const detail = await t.fixtures.detail(firm, 'email', 'ada@example.com', [client]);
      const read = () =>
        t.request(firm.owner, { method: 'GET', url: `/api/v2/contact-details/${detail}` });
      // Every connection of the pool prepares the statements of a read.
      for (let round = 0; round < 20; round += 1) {
        assert.equal((await read()).statusCode, 200);
      }

      await sql`alter table accounts add column nickname text`.execute(t.db);

      for (let round = 0; round < 20; round += 1) {
        const response = await read();
        assert.equal(response.statusCode, 200);
        assert.equal(response.json<{ accounts: unknown[] }>().accounts.length, 1);
      }
    } finally {
      await t.close();
    }
  });
});
