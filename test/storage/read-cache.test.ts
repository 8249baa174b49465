import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import SqliteDatabase from 'better-sqlite3';
import type { Kysely } from 'kysely';

import type { Database } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrations/index.js';
import { openSqliteDatabase, openSqliteReader } from '../../src/storage/sqlite/connection.js';
import { ReadCache } from '../../src/storage/sqlite/read-cache.js';
import type { TestFirm } from '../helpers/fixtures.js';
import { TEST_DIALECT } from '../helpers/databases.js';
import { type TestApp, createTestApp } from '../helpers/test-app.js';

describe('SQLite read cache', { skip: TEST_DIALECT !== 'sqlite' }, () => {
  let folder: string;
  let path: string;
  let writer: SqliteDatabase.Database;
  let reader: SqliteDatabase.Database;

  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'contactd-read-cache-'));
    path = join(folder, 'cache.sqlite');
    writer = new SqliteDatabase(path);
    writer.pragma('journal_mode = WAL');
    writer.exec('create table notes (id text primary key, body text, size integer)');
    writer.exec(
      `insert into notes values ('a', 'first', 1), ('b', 'second', 2), ('ab', 'third', 3)`,
    );
    reader = new SqliteDatabase(path, { readonly: true });
  });

  after(() => {
    reader.close();
    writer.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const byId = (cache: ReadCache) =>
    cache.wrap(reader.prepare('select id, body from notes where id = ?'));

  test('repeated read returns cached rows', () => {
    const read = byId(new ReadCache(reader));

    const first = read.all(['a']);
    assert.deepEqual(first, [{ id: 'a', body: 'first' }]);
    assert.equal(read.all(['a']), first);
    assert.notEqual(read.all(['b']), first);
  });

  test('commit by another connection clears it', () => {
    const read = byId(new ReadCache(reader));
    const before = read.all(['a']);

    writer.prepare('update notes set body = ? where id = ?').run('changed', 'a');

    assert.deepEqual(read.all(['a']), [{ id: 'a', body: 'changed' }]);
    assert.notEqual(read.all(['a']), before);
  });

  test('commit by another process clears it', () => {
    const read = byId(new ReadCache(reader));
    read.all(['b']);

    const script = `new (require('better-sqlite3'))(process.argv[1]).prepare("update notes set body = 'by another process' where id = 'b'").run()`;
    execFileSync(process.execPath, ['-e', script, path]);

    assert.deepEqual(read.all(['b']), [{ id: 'b', body: 'by another process' }]);
  });

  test('uncommitted change keeps it', () => {
    const read = byId(new ReadCache(reader));
    const before = read.all(['ab']);

    writer.exec(`begin; update notes set body = 'pending' where id = 'ab'`);
    assert.equal(read.all(['ab']), before);
    writer.exec('commit');

    assert.deepEqual(read.all(['ab']), [{ id: 'ab', body: 'pending' }]);
  });

  test('joined parameter texts stay apart', () => {
    const read = new ReadCache(reader).wrap(
      reader.prepare('select id from notes where id in (?, ?) order by id'),
    );

    assert.deepEqual(read.all(['a', 'b']), [{ id: 'a' }, { id: 'b' }]);
    assert.deepEqual(read.all(['ab', '']), [{ id: 'ab' }]);
  });

  test('number and digit string stay apart', () => {
    const read = new ReadCache(reader).wrap(reader.prepare('select typeof(?) as kind'));

    assert.deepEqual(read.all([1]), [{ kind: 'real' }]);
    assert.deepEqual(read.all(['1']), [{ kind: 'text' }]);
    assert.deepEqual(read.all([null]), [{ kind: 'null' }]);
  });

  test('cached rows are frozen', () => {
    const read = byId(new ReadCache(reader));
    const rows = read.all(['b']) as { body: string }[];

    assert.throws(() => {
      (rows[0] as { body: string }).body = 'edited';
    }, TypeError);
    assert.throws(() => rows.push({ body: 'extra' }), TypeError);
    assert.deepEqual(read.all(['b']), [{ id: 'b', body: 'by another process' }]);
  });

  test('full budget evicts oldest read', () => {
    // A read counts as one row as well as its rows, so a note takes 2 of the budget and a miss 1.
    const cache = new ReadCache(reader, 20);
    const read = byId(cache);
    const first = read.all(['a']);
    for (let index = 0; index < 18; index += 1) {
      assert.deepEqual(read.all([`missing ${String(index)}`]), []);
    }
    assert.equal(read.all(['a']), first);
    assert.equal(cache.used, 20);

    read.all(['one more missing']);

    assert.equal(cache.used, 19);
    assert.notEqual(read.all(['a']), first);
  });

  test('read over a tenth of budget is not cached', () => {
    const read = new ReadCache(reader, 20).wrap(reader.prepare('select id from notes'));

    const first = read.all([]);
    assert.equal(first.length, 3);
    assert.notEqual(read.all([]), first);
  });

  test('long parameters count against budget', () => {
    const cache = new ReadCache(reader, 40);
    const read = byId(cache);

    read.all(['x'.repeat(3000)]);
    assert.equal(cache.used, 3);

    const first = read.all(['y'.repeat(5000)]);
    assert.notEqual(read.all(['y'.repeat(5000)]), first);
    assert.equal(cache.used, 3);
  });

  test('unkeyable parameter bypasses it', () => {
    const read = new ReadCache(reader).wrap(reader.prepare('select length(?) as size'));

    const first = read.all([Buffer.from('abc')]);
    assert.deepEqual(first, [{ size: 3 }]);
    assert.notEqual(read.all([Buffer.from('abc')]), first);
  });
});

describe('SQLite reader connection', { skip: TEST_DIALECT !== 'sqlite' }, () => {
  let folder: string;
  let path: string;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'contactd-reader-'));
    path = join(folder, 'reader.sqlite');
    const writer = openSqliteDatabase(path);
    await migrateToLatest(writer);
    const at = '2026-01-01T00:00:00.000Z';
    await writer
      .insertInto('firms')
      .values({ id: 'reader-firm', name: 'Reader', created_at: at, updated_at: at })
      .execute();
    await writer.destroy();
  });

  after(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  // Only the rows of a cached read are frozen.
  const firstRowFrozen = async (reader: Kysely<Database>) => {
    try {
      const rows = await reader.selectFrom('firms').selectAll().execute();

      return Object.isFrozen(rows[0]);
    } finally {
      await reader.destroy();
    }
  };

  test('caches its reads by default', async () => {
    assert.equal(await firstRowFrozen(openSqliteReader(path)), true);
  });

  test('read cache of 0 rows caches none', async () => {
    assert.equal(await firstRowFrozen(openSqliteReader(path, 0)), false);
  });
});

describe(
  'reads of the app through the SQLite read cache',
  { skip: TEST_DIALECT !== 'sqlite' },
  () => {
    let t: TestApp;
    let firm: TestFirm;
    let client: string;
    let email: string;

    before(async () => {
      t = await createTestApp();
      firm = await t.fixtures.firm();
      client = await t.fixtures.client(firm, 'Ada', 'Jones');
      email = await t.fixtures.detail(firm, 'email', 'ada@example.com', [client], [client]);
    });

    after(async () => {
      await t.close();
    });

    const valueOf = async () => {
      const response = await t.request(firm.owner, {
        method: 'GET',
        url: `/api/v2/contact-details/${email}`,
      });
      assert.equal(response.statusCode, 200);

      return response.json<{ value: string }>().value;
    };

    test('GET after outside change reads it', async () => {
      assert.equal(await valueOf(), 'ada@example.com');

      await t.db
        .updateTable('contact_details')
        .set({ value: 'ada@elsewhere.example' })
        .where('id', '=', email)
        .execute();

      assert.equal(await valueOf(), 'ada@elsewhere.example');
    });

    test('GET after PUT reads the change', async () => {
      const put = await t.request(firm.owner, {
        method: 'PUT',
        url: `/api/v2/contact-details/${email}`,
        payload: { name: 'Home', value: 'ada@home.example', account_uuids: [client] },
      });
      assert.equal(put.statusCode, 200);

      assert.equal(await valueOf(), 'ada@home.example');
    });
  },
);
