import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { sql } from 'kysely';

import { newId } from '../../src/ids.js';
import {
  compiledQuery,
  keptTemplateCost,
  MAX_KEPT_TEMPLATE_COST,
} from '../../src/storage/queries/compiled-query.js';
import { isIn } from '../../src/storage/queries/conditions.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';

// Queries over `firms`, which needs no other row: single values, lists of ids and a constant.
const firmsNamed = compiledQuery((db, ids: readonly string[], name: string) =>
  db
    .selectFrom('firms')
    .select(['id', 'name'])
    .where('id', 'in', ids)
    .where('name', '=', name)
    .orderBy('id'),
);

const renameFirm = compiledQuery((db, id: string, name: string) =>
  db.updateTable('firms').set({ name }).where('id', '=', id).returning(['id', 'name']),
);

const firmsAbove = compiledQuery((db, ids: readonly string[], limit: number) =>
  db
    .selectFrom('firms')
    .select('id')
    .where(isIn('id', ids))
    // A constant of the query's own stays in place among the arguments.
    .where(sql.val(1), '=', 1)
    .orderBy('id')
    .limit(limit),
);

describe('compiled queries', () => {
  let database: TestDatabase;
  const ids = [newId(), newId(), newId()].sort();

  before(async () => {
    database = await createTestDatabase();
    await database.inspector
      .insertInto('firms')
      .values(
        ids.map((id, index) => ({
          id,
          name: index === 2 ? 'Other' : 'Shared',
          created_at: '2026-01-01T00:00:00.000Z',
          updated_at: '2026-01-01T00:00:00.000Z',
        })),
      )
      .execute();
  });

  after(async () => {
    await database.drop();
  });

  test('new arguments on each run', async () => {
    const db = database.inspector;

    const first = await firmsNamed(db, ids, 'Shared');
    const second = await firmsNamed(db, ids, 'Other');
    const third = await firmsNamed(db, [ids[2] ?? ''], 'Other');

    assert.deepEqual(
      first.rows.map((row) => row.id),
      ids.slice(0, 2),
    );
    assert.deepEqual(
      second.rows.map((row) => row.id),
      ids.slice(2),
    );
    assert.deepEqual(
      third.rows.map((row) => row.id),
      ids.slice(2),
    );
  });

  test('list arguments of each length', async () => {
    const db = database.inspector;

    for (let length = 0; length <= ids.length; length += 1) {
      const { rows } = await firmsAbove(db, ids.slice(0, length), 2);

      assert.deepEqual(
        rows.map((row) => row.id),
        ids.slice(0, Math.min(length, 2)),
      );
    }
  });

  test('a write with returned rows', async () => {
    const db = database.inspector;
    const [id = ''] = ids;

    const { rows } = await renameFirm(db, id, 'Renamed');
    await renameFirm(db, id, 'Shared');

    assert.deepEqual(rows, [{ id, name: 'Renamed' }]);
    const stored = await db.selectFrom('firms').select('name').where('id', '=', id).execute();
    assert.deepEqual(stored, [{ name: 'Shared' }]);
  });

  test('templates of every query stay within budget', async () => {
    const db = database.inspector;
    // Three queries of 64 list lengths of about 600 ids each cost more than the budget.
    const queries = [1, 2, 3].map(() =>
      compiledQuery((db, ids: readonly string[]) =>
        db.selectFrom('firms').select('id').where(isIn('id', ids)).orderBy('id'),
      ),
    );
    let dropped = false;

    for (const query of queries) {
      for (let length = 600; length < 664; length += 1) {
        const before = keptTemplateCost();
        const requestedIds = [
          ...ids.slice(0, 2),
          ...Array.from({ length: length - 2 }, () => newId()),
        ];
        const { rows } = await query(db, requestedIds);

        assert.deepEqual(
          rows.map((row) => row.id),
          ids.slice(0, 2),
        );
        assert.ok(keptTemplateCost() <= MAX_KEPT_TEMPLATE_COST);
        dropped ||= keptTemplateCost() < before;
      }
    }

    assert.equal(dropped, true);
  });

  test('build changing an argument', async () => {
    const quoted = compiledQuery((db, name: string) =>
      db.selectFrom('firms').select('id').where('name', 'like', `%${name}%`),
    );

    await assert.rejects(quoted(database.inspector, 'Shared'), /changed an argument/);
  });

  test('build leaving an argument out', async () => {
    // The query uses the name only when it is empty, so the stand-in for it goes unused.
    const unused = compiledQuery((db, name: string) =>
      db
        .selectFrom('firms')
        .select('id')
        .$if(name === '', (query) => query.where('name', '=', name)),
    );

    await assert.rejects(unused(database.inspector, 'Shared'), /left out 1 of its arguments/);
  });
});
