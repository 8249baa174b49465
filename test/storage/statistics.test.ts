import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import SqliteDatabase from 'better-sqlite3';

import { openSqliteConnection, refreshStatistics } from '../../src/storage/sqlite/connection.js';
import { TEST_DIALECT } from '../helpers/databases.js';

describe('SQLite statistics', { skip: TEST_DIALECT !== 'sqlite' }, () => {
  let folder: string;
  let path: string;

  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'contactd-statistics-'));
    path = join(folder, 'statistics.sqlite');
    const setup = new SqliteDatabase(path);
    setup.pragma('journal_mode = WAL');
    setup.exec('create table notes (id integer primary key, owner text not null)');
    setup.exec('create index notes_owner_index on notes (owner)');
    const insert = setup.prepare('insert into notes (owner) values (?)');
    setup.transaction(() => {
      for (let index = 0; index < 2000; index += 1) {
        insert.run(`owner ${String(index % 40)}`);
      }
    })();
    setup.close();
  });

  after(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  const countRows = (table: string) => {
    const connection = new SqliteDatabase(path, { readonly: true });
    try {
      return (connection.prepare(`select count(*) as rows from ${table}`).get() as { rows: number })
        .rows;
    } finally {
      connection.close();
    }
  };

  const analyze = () => {
    const connection = new SqliteDatabase(path);
    connection.exec('analyze');
    connection.close();
  };

  test('opening keeps row counts and drops histograms', () => {
    analyze();
    assert.ok(countRows('sqlite_stat4') > 0);

    openSqliteConnection(path).connection.close();

    assert.ok(countRows('sqlite_stat1') > 0);
    assert.equal(countRows('sqlite_stat4'), 0);
  });

  test('refresh drops histograms that ANALYZE wrote', () => {
    analyze();

    refreshStatistics(path);

    assert.ok(countRows('sqlite_stat1') > 0);
    assert.equal(countRows('sqlite_stat4'), 0);
  });

  test('refresh updates stale row counts', () => {
    const connection = new SqliteDatabase(path);
    // The first number of an index's sqlite_stat1 entry is the row count that ANALYZE found.
    const rowCount = () =>
      Number(
        (
          connection
            .prepare("select stat from sqlite_stat1 where idx = 'notes_owner_index'")
            .get() as { stat: string }
        ).stat.split(' ')[0],
      );
    try {
      connection.exec('analyze');
      const before = rowCount();
      const insert = connection.prepare('insert into notes (owner) values (?)');
      connection.transaction(() => {
        for (let index = 0; index < 100_000; index += 1) {
          insert.run(`owner ${String(index % 40)}`);
        }
      })();

      refreshStatistics(path);

      assert.ok(rowCount() > before * 10);
    } finally {
      connection.close();
    }
  });

  test('opening for a command leaves them alone', () => {
    analyze();
    const version = () => {
      const connection = new SqliteDatabase(path, { readonly: true });
      try {
        return connection.pragma('schema_version', { simple: true }) as number;
      } finally {
        connection.close();
      }
    };
    const before = version();

    openSqliteConnection(path, false).connection.close();

    assert.equal(version(), before);
    assert.ok(countRows('sqlite_stat4') > 0);
    refreshStatistics(path);
  });

  test('refresh makes open connections reload', () => {
    const open = new SqliteDatabase(path, { readonly: true });
    try {
      const version = () => open.pragma('schema_version', { simple: true }) as number;
      const before = version();

      refreshStatistics(path);

      assert.ok(version() > before);
      assert.deepEqual(
        open.prepare("select name from sqlite_schema where name like 'contactd_%'").all(),
        [],
      );
    } finally {
      open.close();
    }
  });
});
