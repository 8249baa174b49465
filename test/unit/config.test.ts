import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { loadServerConfig } from '../../src/config.js';
import { redactDatabaseUrl, sqlitePathOf } from '../../src/storage/open-storage.js';

describe('loadServerConfig', () => {
  test('takes a flag over its variable, and a variable over the default', () => {
    const config = loadServerConfig({ port: '9000' }, { PORT: '7000', HOST: '0.0.0.0' });

    assert.equal(config.port, 9000);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.databaseUrl, 'sqlite:data/contactd.sqlite');
    assert.equal(config.timeZone, 'Europe/London');
    assert.equal(config.callerCacheMs, 1000);
    assert.equal(loadServerConfig({}, { CALLER_CACHE_MS: '0' }).callerCacheMs, 0);
  });

  test('reads the SQLite read cache rows', () => {
    assert.equal(loadServerConfig({}, {}).sqlite.readCacheRows, 20_000);
    assert.equal(loadServerConfig({ readCache: '0' }, {}).sqlite.readCacheRows, 0);
    assert.equal(loadServerConfig({}, { SQLITE_READ_CACHE_ROWS: '500' }).sqlite.readCacheRows, 500);
  });

  test('reads the trusted proxies', () => {
    assert.equal(loadServerConfig({}, {}).trustedProxies, '');
    assert.equal(
      loadServerConfig({}, { TRUSTED_PROXIES: '10.0.0.1, 192.168.0.0/16,::1,loopback' })
        .trustedProxies,
      '10.0.0.1,192.168.0.0/16,::1,loopback',
    );
    assert.equal(loadServerConfig({ trustedProxies: 'fd00::/8' }, {}).trustedProxies, 'fd00::/8');
  });

  test('rejects a trusted proxy that is no address', () => {
    for (const entry of [
      'proxy.example',
      '10.0.0.1/33',
      '10.0.0.0/0',
      '::1/129',
      '10.0.0.0/8/1',
      '',
    ]) {
      assert.throws(
        () => loadServerConfig({}, { TRUSTED_PROXIES: `127.0.0.1,${entry}` }),
        {
          message:
            'TRUSTED_PROXIES (--trusted-proxies) must be comma-separated IP addresses, CIDR ' +
            `ranges or loopback, linklocal, uniquelocal, not "${entry}"`,
        },
        entry,
      );
    }
  });

  test('reads the PostgreSQL, worker and Redis settings', () => {
    const config = loadServerConfig(
      { workers: '3' },
      {
        DATABASE_URL: 'postgres://contactd@127.0.0.1:5432/contactd',
        REDIS_URL: 'redis://127.0.0.1:6379',
        DATABASE_POOL_SIZE: '4',
      },
    );

    assert.equal(config.workers, 3);
    assert.equal(config.redisUrl, 'redis://127.0.0.1:6379');
    assert.deepEqual(config.postgres, {
      poolSize: 4,
      statementTimeoutMs: 5000,
      connectTimeoutS: 30,
    });
  });

  test('keeps several workers off SQLite', () => {
    assert.throws(
      () => loadServerConfig({ workers: '2' }, {}),
      /WORKERS above 1 needs a PostgreSQL/,
    );
  });

  test('names the bad setting', () => {
    assert.throws(() => loadServerConfig({}, { PORT: '70000' }), /PORT/);
    assert.throws(() => loadServerConfig({}, { LOG_LEVEL: 'loud' }), /LOG_LEVEL/);
    assert.throws(() => loadServerConfig({}, { TIME_ZONE: 'Mars/Olympus' }), /TIME_ZONE/);
    assert.throws(() => loadServerConfig({}, { REDIS_URL: 'localhost:6379' }), /REDIS_URL/);
    assert.throws(() => loadServerConfig({}, { DATABASE_POOL_SIZE: '0' }), /DATABASE_POOL_SIZE/);
    assert.throws(() => loadServerConfig({}, { CALLER_CACHE_MS: '-1' }), /CALLER_CACHE_MS/);
    assert.throws(
      () => loadServerConfig({}, { SQLITE_READ_CACHE_ROWS: 'lots' }),
      /SQLITE_READ_CACHE_ROWS \(--read-cache\) must be a whole number of rows/,
    );
  });
});

describe('redactDatabaseUrl', () => {
  test('hides the password of a PostgreSQL URL and leaves a SQLite path alone', () => {
    assert.equal(
      redactDatabaseUrl('postgres://contactd:s3cret@db.example:5432/contactd'),
      'postgres://contactd:***@db.example:5432/contactd',
    );
    assert.equal(redactDatabaseUrl('sqlite:data/contactd.sqlite'), 'sqlite:data/contactd.sqlite');
  });
});

describe('sqlitePathOf', () => {
  test('reads sqlite: and file: URLs and plain paths', () => {
    assert.equal(sqlitePathOf('sqlite:data/contactd.sqlite'), 'data/contactd.sqlite');
    assert.equal(sqlitePathOf('sqlite:///var/lib/contactd.sqlite'), '/var/lib/contactd.sqlite');
    assert.equal(sqlitePathOf('file:/tmp/x.sqlite'), '/tmp/x.sqlite');
    assert.equal(sqlitePathOf('./x.sqlite'), './x.sqlite');
  });

  test('rejects another database with a message that says what works', () => {
    assert.throws(() => sqlitePathOf('mysql://localhost/db'), /sqlite:PATH/);
  });
});
