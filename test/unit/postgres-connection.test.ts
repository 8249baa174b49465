import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { openPostgresDatabase } from '../../src/storage/postgres/connection.js';

describe('openPostgresDatabase', () => {
  test('retries until its timeout, then names the cause', async () => {
    const started = Date.now();
    await assert.rejects(
      // Port 1 on loopback has no server, so every attempt is refused at once.
      openPostgresDatabase('postgres://contactd@127.0.0.1:1/contactd', {
        poolSize: 1,
        statementTimeoutMs: 1000,
        connectTimeoutS: 1,
      }),
      /PostgreSQL did not accept a connection within 1 s: .*ECONNREFUSED/,
    );
    assert.ok(Date.now() - started >= 1000, 'it kept trying for the whole timeout');
  });
});
