import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { type Kysely, sql } from 'kysely';

import type { Database } from '../../src/storage/database.js';
import { CommitGroupLostError } from '../../src/storage/sqlite/commit-groups.js';
import type { SqliteConnection } from '../../src/storage/sqlite/connection.js';
import { createSqliteStorage } from '../../src/storage/sqlite/storage.js';
import {
  type CommitGroupDatabase,
  openCommitGroupDatabase,
} from '../helpers/commit-group-database.js';
import { TEST_DIALECT } from '../helpers/databases.js';

const AT = '2026-01-01T00:00:00.000Z';

describe('SQLite commit groups', { skip: TEST_DIALECT !== 'sqlite' }, () => {
  let database: CommitGroupDatabase;
  let writer: SqliteConnection;
  let reader: Kysely<Database>;
  let run: CommitGroupDatabase['run'];

  before(async () => {
    database = await openCommitGroupDatabase('contactd-commit-groups-');
    ({ writer, reader, run } = database);
  });

  after(async () => {
    await database.close();
  });

  const insertFirm = (db: Kysely<Database>, id: string) =>
    db.insertInto('firms').values({ id, name: id, created_at: AT, updated_at: AT }).execute();

  const storedFirms = async (db: Kysely<Database>, ids: string[]) =>
    (await db.selectFrom('firms').select('id').where('id', 'in', ids).orderBy('id').execute()).map(
      (row) => row.id,
    );

  test('transactions of one turn share a commit', async () => {
    let seenByReader: string[] = [];
    let seenBySecond: string[] = [];

    await Promise.all([
      run((db) => insertFirm(db, 'shared-a')),
      run(async (db) => {
        await insertFirm(db, 'shared-b');
        seenBySecond = await storedFirms(db, ['shared-a', 'shared-b']);
        seenByReader = await storedFirms(reader, ['shared-a', 'shared-b']);
      }),
    ]);

    assert.deepEqual(seenBySecond, ['shared-a', 'shared-b']);
    assert.deepEqual(seenByReader, []);
    assert.deepEqual(await storedFirms(reader, ['shared-a', 'shared-b']), ['shared-a', 'shared-b']);
  });

  test('failed transaction rolls back alone', async () => {
    const results = await Promise.allSettled([
      run((db) => insertFirm(db, 'kept-a')),
      run(async (db) => {
        await insertFirm(db, 'dropped');
        throw new Error('work failed');
      }),
      run((db) => insertFirm(db, 'kept-b')),
    ]);

    assert.deepEqual(
      results.map((result) => result.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.deepEqual(await storedFirms(reader, ['dropped', 'kept-a', 'kept-b']), [
      'kept-a',
      'kept-b',
    ]);
  });

  test('resolved only once committed', async () => {
    await run((db) => insertFirm(db, 'durable'));

    assert.equal(writer.connection.inTransaction, false);
    assert.deepEqual(await storedFirms(reader, ['durable']), ['durable']);
  });

  test('group whose transaction the database ended', async () => {
    const results = await Promise.allSettled([
      run((db) => insertFirm(db, 'lost')),
      // A rollback outside the savepoints ends the shared transaction, as SQLite does itself on
      // a full disk.
      run(async (db) => {
        await sql`rollback`.execute(db);
      }),
      run((db) => insertFirm(db, 'after-loss')),
    ]);

    assert.equal(results[0].status, 'rejected');
    assert.ok(results[0].reason instanceof CommitGroupLostError);
    assert.equal(results[1].status, 'rejected');
    assert.equal(results[2].status, 'fulfilled');
    assert.deepEqual(await storedFirms(reader, ['after-loss', 'lost']), ['after-loss']);
  });

  test('savepoint that cannot roll back', async () => {
    const results = await Promise.allSettled([
      run((db) => insertFirm(db, 'before-broken')),
      // Releasing its own savepoint leaves nothing to roll back to, so the whole group must go.
      run(async (db) => {
        await insertFirm(db, 'broken');
        await sql`release request`.execute(db);
        throw new Error('work failed');
      }),
    ]);

    assert.equal(results[0].status, 'rejected');
    assert.equal(results[1].status, 'rejected');
    assert.equal(writer.connection.inTransaction, false);
    assert.deepEqual(await storedFirms(reader, ['before-broken', 'broken']), []);
    await run((db) => insertFirm(db, 'after-broken'));
    assert.deepEqual(await storedFirms(reader, ['after-broken']), ['after-broken']);
  });

  test('commit that fails', async () => {
    const results = await Promise.allSettled([
      run((db) => insertFirm(db, 'uncommitted')),
      // A deferred foreign key is checked only at the commit, which it makes fail.
      run(async (db) => {
        await sql`pragma defer_foreign_keys = on`.execute(db);
        await db
          .insertInto('circles')
          .values({
            id: 'orphan',
            firm_id: 'missing',
            name: 'Orphan',
            created_at: AT,
            updated_at: AT,
          })
          .execute();
      }),
    ]);

    assert.equal(results[0].status, 'rejected');
    assert.equal(results[1].status, 'rejected');
    assert.equal(writer.connection.inTransaction, false);
    assert.deepEqual(await storedFirms(reader, ['uncommitted']), []);
  });
});

describe('SQLite temporary database', { skip: TEST_DIALECT !== 'sqlite' }, () => {
  test('reads and writes on one connection', async () => {
    const storage = createSqliteStorage('');
    try {
      await storage.migrate();
      await storage.transaction({}, async ({ firms }) => {
        await firms.create({ id: 'temporary', name: 'Temporary', createdAt: AT });
      });
      const count = await storage.read({}, ({ firms }) => firms.count());

      assert.equal(count, 1);
    } finally {
      await storage.close();
    }
  });
});
