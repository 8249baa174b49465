import { type Kysely, SqliteAdapter, sql } from 'kysely';

import type { Database } from '../database.js';
import { insertTrigramRows, searchValueOf, trigramRowsOf } from '../queries/trigram-index.js';

// Details read per statement while the index is filled.
const BATCH = 1000;

/**
 * Creates the trigram index of values that `filter[value]` searches, the backlog of new details
 * whose trigrams are still to be written, and the lower-cased value that a search compares, and
 * fills the index and that value from the live details. A search had read every detail of the
 * firm, because a LIKE pattern that starts with a wildcard can use no B-tree index, and
 * PostgreSQL's pg_trgm cannot help under row-level security: the policy is applied before LIKE,
 * which is not leakproof. The primary key both finds a trigram's details and removes a detail's
 * rows. There is no foreign key, so that a write of many rows does not look each detail up again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const isSqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable('contact_detail_trigrams')
    .addColumn('firm_id', 'text', (column) => column.notNull())
    .addColumn('trigram', 'text', (column) => column.notNull())
    .addColumn('contact_detail_id', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('contact_detail_trigrams_primary_key', [
      'firm_id',
      'trigram',
      'contact_detail_id',
    ])
    // In SQLite the rows are then stored in the primary key's B-tree, not in a second copy.
    .$call((builder) => (isSqlite ? builder.modifyEnd(sql`without rowid`) : builder))
    .execute();
  await db.schema
    .createTable('contact_detail_trigram_backlog')
    .addColumn('firm_id', 'text', (column) => column.notNull())
    .addColumn('contact_detail_id', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('contact_detail_trigram_backlog_primary_key', [
      'firm_id',
      'contact_detail_id',
    ])
    .execute();

  // A search compares this, lower-cased by JavaScript as the search terms are, rather than the
  // database's lower(): PostgreSQL's folds one character at a time and by the locale, so it found
  // nothing for ΑΣ in ΑΣ@example.com, where JavaScript lower-cases the final Σ to ς.
  await db.schema.alterTable('contact_details').addColumn('search_value', 'text').execute();

  await fillTrigrams(db as Kysely<Database>);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('contact_details').dropColumn('search_value').execute();
  await db.schema.dropTable('contact_detail_trigram_backlog').execute();
  await db.schema.dropTable('contact_detail_trigrams').execute();
}

/** Records the trigrams and search value of every live detail, reading them in batches by id. */
async function fillTrigrams(db: Kysely<Database>): Promise<void> {
  let after = '';
  for (;;) {
    const details = await db
      .selectFrom('contact_details')
      .select(['id', 'firm_id', 'value'])
      .where('id', '>', after)
      .where('deleted_at', 'is', null)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    const last = details.at(-1);
    if (last === undefined) {
      return;
    }

    await insertTrigramRows(
      db,
      details.flatMap((detail) => trigramRowsOf(detail.firm_id, detail.id, detail.value)),
    );
    for (const detail of details) {
      await db
        .updateTable('contact_details')
        .set({ search_value: searchValueOf(detail.value) })
        .where('id', '=', detail.id)
        .execute();
    }
    after = last.id;
  }
}
