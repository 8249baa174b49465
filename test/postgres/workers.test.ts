import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';

import { type TestDatabase, createTestDatabase } from '../helpers/databases.js';
import { type ServerProcess, startServer, stopServer } from '../helpers/server-process.js';

const redisUrl = process.env.CONTACTD_TEST_REDIS_URL ?? '';
// Redis is not started by the suite: without it the test is skipped, except under CI.
const skip =
  redisUrl === '' && process.env.CI !== 'true' ? 'CONTACTD_TEST_REDIS_URL is not set' : false;

let database: TestDatabase;
let server: ServerProcess;

before(async () => {
  if (skip !== false) {
    return;
  }

  database = await createTestDatabase();
  // The first server migrates and seeds; its workers then share port, database and counters.
  server = await startServer(database.url, ['--workers', '2', '--rate-limit', '5'], {
    REDIS_URL: redisUrl,
    LOG_LEVEL: 'info',
  });
});

after(async () => {
  if (skip !== false) {
    return;
  }

  await stopServer(server);
  await database.drop();
});

/** Sends GET on a connection of its own, so that the cluster may hand it to either worker. */
function getOnNewConnection(path: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, server.baseUrl);
    const outgoing = request(
      url,
      { agent: false, headers: { authorization: `Bearer ${token}`, connection: 'close' } },
      (response) => {
        response.resume();
        response.once('end', () => {
          resolve(response.statusCode ?? 0);
        });
      },
    );
    outgoing.once('error', reject);
    outgoing.end();
  });
}

describe('two worker processes on PostgreSQL', { skip }, () => {
  test('share one rate limit through Redis', async () => {
    const token = /Bearer (contactd_\S+)"/.exec(server.output)?.[1] ?? '';
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 10; attempt += 1) {
      statuses.push(await getOnNewConnection('/api/v1/logins', token));
    }

    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429, 429, 429, 429]);
    const workers = new Set(
      server
        .logs()
        .split('\n')
        .filter((line) => line.includes('"request completed"'))
        .map((line) => (JSON.parse(line) as { pid: number }).pid),
    );
    assert.equal(workers.size, 2, 'both workers served requests');
  });
});
