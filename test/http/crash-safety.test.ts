import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { sql } from 'kysely';

import { assertInvariants } from '../helpers/database-checks.js';
import { TEST_DIALECT, type TestDatabase, createTestDatabase } from '../helpers/databases.js';
import { type ServerProcess, startServer } from '../helpers/server-process.js';

const CRASHES = 10;

let database: TestDatabase;

before(async () => {
  database = await createTestDatabase();
});

after(async () => {
  await database.drop();
});

interface Credentials {
  token: string;
  account: string;
  client: string;
}

function credentialsOf(output: string): Credentials {
  const token = /Bearer (contactd_\S+)"/.exec(output)?.[1];
  const account = /X-PLANNR-ACCOUNT-UUID: (\S+)"/.exec(output)?.[1];
  const client = /"account_uuids":\["([^"]+)"\]/.exec(output)?.[1];
  assert.ok(token !== undefined && account !== undefined && client !== undefined, output);

  return { token, account, client };
}

/** Creates emails one after another until the server dies; returns those it acknowledged. */
async function writeUntilKilled(
  server: ServerProcess,
  credentials: Credentials,
  run: number,
): Promise<Map<string, string>> {
  const acknowledged = new Map<string, string>();
  for (let index = 0; ; index += 1) {
    const value = `crash${String(run)}.${String(index)}@example.com`;
    try {
      const response = await fetch(`${server.baseUrl}/api/v2/contact-details`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${credentials.token}`,
          'x-plannr-account-uuid': credentials.account,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          type: 'email',
          name: `Run ${String(run)}`,
          value,
          account_uuids: [credentials.client],
          is_primary: index % 3 === 0,
        }),
      });
      if (response.status === 201) {
        acknowledged.set(((await response.json()) as { uuid: string }).uuid, value);
      } else {
        assert.fail(`status ${String(response.status)}: ${await response.text()}`);
      }
    } catch (error) {
      if (error instanceof assert.AssertionError) {
        throw error;
      }

      // The connection died with the server: everything acknowledged so far is known.
      return acknowledged;
    }
  }
}

describe(`crash safety on ${TEST_DIALECT}`, () => {
  test(`keeps every acknowledged write through ${String(CRASHES)} SIGKILLs`, async (context) => {
    const acknowledged = new Map<string, string>();
    let credentials: Credentials | undefined;
    for (let run = 0; run < CRASHES; run += 1) {
      const server = await startServer(database.url);
      credentials ??= credentialsOf(server.output);
      const exited = new Promise((resolve) => server.process.once('exit', resolve));
      const writes = writeUntilKilled(server, credentials, run);
      await sleep(150 + Math.random() * 450);
      server.process.kill('SIGKILL');
      await exited;
      for (const [id, value] of await writes) {
        acknowledged.set(id, value);
      }
    }

    assert.ok(acknowledged.size > CRASHES, `only ${String(acknowledged.size)} writes were made`);
    const stored = await database.inspector
      .selectFrom('contact_details')
      .select(['id', 'value'])
      .where('value', 'like', 'crash%')
      .execute();
    const storedValues = new Map(stored.map((row) => [row.id, row.value]));
    for (const [id, value] of acknowledged) {
      assert.equal(storedValues.get(id), value, `acknowledged write ${id} is stored`);
    }

    const orphans = await database.inspector
      .selectFrom('contact_details')
      .select('id')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('contact_detail_owners')
              .select('account_id')
              .whereRef('contact_detail_owners.contact_detail_id', '=', 'contact_details.id'),
          ),
        ),
      )
      .execute();
    assert.deepEqual(orphans, [], 'no detail was stored without its owner');
    await assertInvariants(database.inspector);
    if (TEST_DIALECT === 'sqlite') {
      const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(
        database.inspector,
      );
      assert.deepEqual(check.rows, [{ integrity_check: 'ok' }]);
    }

    context.diagnostic(
      `crash safety: ${String(CRASHES)} crashes, ${String(acknowledged.size)} acknowledged writes verified`,
    );
  });
});
