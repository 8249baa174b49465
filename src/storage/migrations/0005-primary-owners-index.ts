import { type Kysely, sql } from 'kysely';

/**
 * Indexes the primary owner links of each firm's accounts. Finding an account's primaries, as
 * every write does to demote them or to copy their values onto the account, read every link of
 * the account through the firm and account index, so a client with thousands of details made
 * each write to it slower; this index holds at most one row per account and type.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('contact_detail_owners_firm_primary_index')
    .on('contact_detail_owners')
    .columns(['firm_id', 'account_id', 'type'])
    .where(sql.ref('is_primary'), '=', 1)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('contact_detail_owners_firm_primary_index').execute();
}
