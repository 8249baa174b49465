import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';

import type { Kysely } from 'kysely';

import type { Database } from '../../src/storage/database.js';
import { executeCompiled, rowsOf } from '../../src/storage/queries/synchronous-execution.js';
import type { SqliteConnection } from '../../src/storage/sqlite/connection.js';
import {
  type CommitGroupDatabase,
  openCommitGroupDatabase,
} from '../helpers/commit-group-database.js';
import { TEST_DIALECT } from '../helpers/databases.js';

const AT = '2026-01-01T00:00:00.000Z';

describe('SQLite queries that skip Kysely', { skip: TEST_DIALECT !== 'sqlite' }, () => {
  let database: CommitGroupDatabase;
  let writer: SqliteConnection;
  let reader: Kysely<Database>;
  let run: CommitGroupDatabase['run'];

  before(async () => {
    database = await openCommitGroupDatabase('contactd-synchronous-');
    ({ writer, reader, run } = database);
  });

  after(async () => {
    await database.close();
  });

  const insertFirm = (db: Kysely<Database>, id: string) =>
    db.insertInto('firms').values({ id, name: id, created_at: AT, updated_at: AT }).compile();

  const selectFirm = (db: Kysely<Database>, id: string) =>
    db.selectFrom('firms').select('id').where('id', '=', id);

  // Reads the writer's own connection, so it reads what its open transaction has written.
  const writtenOnConnection = (id: string) =>
    writer.connection.prepare('select id from firms where id = ?').get(id) !== undefined;

  test('reader runs while Kysely holds connection', async () => {
    await run((db) => executeCompiled(db, insertFirm(db, 'read-while-held')));
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let acquired = () => {};
    const holding = new Promise<void>((resolve) => {
      acquired = resolve;
    });
    const heldConnection = reader.connection().execute(() => {
      acquired();

      return released;
    });
    await holding;

    try {
      const rows = await Promise.race([
        rowsOf(reader, selectFirm(reader, 'read-while-held')),
        sleep(2000).then(() => 'still waiting for the connection'),
      ]);

      assert.deepEqual(rows, [{ id: 'read-while-held' }]);
    } finally {
      release();
      await heldConnection;
    }
  });

  // Kysely runs a transaction's queries one after another, each once the one before has
  // settled, so a second query waits even though SQLite would run it at once.
  const secondWrittenAtOnce = async (db: Kysely<Database>, ids: [string, string]) => {
    const first = executeCompiled(db, insertFirm(db, ids[0]));
    const second = executeCompiled(db, insertFirm(db, ids[1]));
    const written = writtenOnConnection(ids[1]);
    await Promise.all([first, second]);

    return written;
  };

  test('transaction runs statements without waiting', async () => {
    let writtenAtOnce = false;

    await run(async (db) => {
      writtenAtOnce = await secondWrittenAtOnce(db, ['at-once-a', 'at-once-b']);
    });

    assert.equal(writtenAtOnce, true);
  });

  test('ended transaction uses Kysely again', async () => {
    let ended: Kysely<Database> | undefined;
    await run((db) => {
      ended = db;

      return Promise.resolve();
    });
    assert.ok(ended !== undefined);

    const writtenAtOnce = await secondWrittenAtOnce(ended, ['after-end-a', 'after-end-b']);

    assert.equal(writtenAtOnce, false);
    assert.equal(writtenOnConnection('after-end-b'), true);
  });

  test('result matches Kysely result', async () => {
    const viaKysely = await writer.db.executeQuery(insertFirm(writer.db, 'through-kysely'));
    const direct = await run((db) => executeCompiled(db, insertFirm(db, 'direct')));

    assert.deepEqual(Object.keys(direct).sort(), Object.keys(viaKysely).sort());
    assert.equal(direct.numAffectedRows, 1n);
    assert.equal(typeof direct.insertId, 'bigint');
    assert.deepEqual(direct.rows, []);
    assert.deepEqual(
      await rowsOf(reader, selectFirm(reader, 'direct')),
      (await writer.db.executeQuery(selectFirm(writer.db, 'direct').compile())).rows,
    );
  });
});
