import { type Kysely, sql } from 'kysely';

/**
 * Keeps a count of each firm's live contact details by type, so that the `total` of an
 * unfiltered list, or one filtered by type alone, is read from one row instead of counting
 * every detail of the firm. Existing details are counted once here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('contact_detail_counts')
    .addColumn('firm_id', 'text', (column) => column.notNull().references('firms.id'))
    .addColumn('type', 'text', (column) => column.notNull())
    .addColumn('live', 'integer', (column) => column.notNull())
    .addPrimaryKeyConstraint('contact_detail_counts_primary_key', ['firm_id', 'type'])
    .execute();
  await sql`insert into contact_detail_counts (firm_id, type, live)
    select firm_id, type, count(*) from contact_details where deleted_at is null
    group by firm_id, type`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('contact_detail_counts').execute();
}
