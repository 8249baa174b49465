import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { loadServerConfig } from '../../src/config.js';
import { sqlitePathOf } from '../../src/storage/open-storage.js';

describe('loadServerConfig', () => {
  test('takes a flag over its variable, and a variable over the default', () => {
    const config = loadServerConfig({ port: '9000' }, { PORT: '7000', HOST: '0.0.0.0' });

    assert.equal(config.port, 9000);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.databaseUrl, 'sqlite:data/contactd.sqlite');
    assert.equal(config.timeZone, 'Europe/London');
  });

  test('names the bad setting', () => {
    assert.throws(() => loadServerConfig({}, { PORT: '70000' }), /PORT/);
    assert.throws(() => loadServerConfig({}, { LOG_LEVEL: 'loud' }), /LOG_LEVEL/);
    assert.throws(() => loadServerConfig({}, { TIME_ZONE: 'Mars/Olympus' }), /TIME_ZONE/);
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
