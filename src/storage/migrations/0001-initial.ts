import { type Kysely, sql } from 'kysely';

/**
 * Creates the whole schema. Every tenant-owned table carries `firm_id`, and every index that a
 * tenant's query walks starts with it, so one firm's rows never have to be read to find another's.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('firms')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('email', 'text', (column) => column.notNull().unique())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .execute();

  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('firm_id', 'text', (column) => column.notNull().references('firms.id'))
    .addColumn('type', 'text', (column) =>
      column.notNull().check(sqlIn('type', ['client', 'employee', 'external'])),
    )
    .addColumn('role', 'text', (column) => column.notNull())
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('primary_email', 'text')
    .addColumn('primary_phone_number', 'text')
    .addColumn('photo_url', 'text')
    .addColumn('external_references', 'text', (column) => column.notNull().defaultTo('[]'))
    .addColumn('inactive_at', 'text')
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .execute();
  for (const column of ['created_at', 'updated_at', 'first_name', 'last_name', 'name']) {
    await db.schema
      .createIndex(`accounts_firm_${column}_index`)
      .on('accounts')
      .columns(['firm_id', column, 'id'])
      .execute();
  }

  await db.schema
    .createTable('logins')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('firm_id', 'text', (column) => column.notNull().references('firms.id'))
    .addColumn('user_id', 'text', (column) => column.notNull().references('users.id'))
    .addColumn('account_id', 'text', (column) => column.notNull().references('accounts.id'))
    .addColumn('has_write_permission', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('has_delete_permission', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('deactivated_at', 'text')
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .addUniqueConstraint('logins_user_account_unique', ['user_id', 'account_id'])
    .execute();
  await db.schema
    .createIndex('logins_firm_account_index')
    .on('logins')
    .columns(['firm_id', 'account_id'])
    .execute();

  await db.schema
    .createTable('personal_access_tokens')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('user_id', 'text', (column) => column.notNull().references('users.id'))
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('token_hash', 'text', (column) => column.notNull().unique())
    .addColumn('account_id', 'text', (column) => column.references('accounts.id'))
    .addColumn('expires_at', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('last_used_at', 'text')
    .addColumn('created_at', 'text', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('personal_access_tokens_user_index')
    .on('personal_access_tokens')
    .column('user_id')
    .execute();

  await db.schema
    .createTable('circles')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('firm_id', 'text', (column) => column.notNull().references('firms.id'))
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('circles_firm_index')
    .on('circles')
    .columns(['firm_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('circle_members')
    .addColumn('firm_id', 'text', (column) => column.notNull().references('firms.id'))
    .addColumn('circle_id', 'text', (column) => column.notNull().references('circles.id'))
    .addColumn('account_id', 'text', (column) => column.notNull().references('accounts.id'))
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('circle_members_primary_key', ['circle_id', 'account_id'])
    .execute();
  await db.schema
    .createIndex('circle_members_firm_account_index')
    .on('circle_members')
    .columns(['firm_id', 'account_id'])
    .execute();

  await db.schema
    .createTable('contact_details')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('firm_id', 'text', (column) => column.notNull().references('firms.id'))
    .addColumn('type', 'text', (column) =>
      column.notNull().check(sqlIn('type', ['email', 'phone_number'])),
    )
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('value', 'text', (column) => column.notNull())
    .addColumn('value_key', 'text', (column) => column.notNull())
    .addColumn('extension', 'text')
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .addColumn('deleted_at', 'text')
    .execute();
  // One index for each sort of the list, so that a page is read in order instead of sorted. They
  // hold only the details that are not deleted, which is what every read asks for, so that a
  // count reads the index alone and never the rows.
  for (const column of ['created_at', 'updated_at', 'name', 'value']) {
    await db.schema
      .createIndex(`contact_details_firm_${column}_index`)
      .on('contact_details')
      .columns(['firm_id', column, 'id'])
      .where(sql.ref('deleted_at'), 'is', null)
      .execute();
  }

  await db.schema
    .createIndex('contact_details_firm_value_key_index')
    .on('contact_details')
    .columns(['firm_id', 'type', 'value_key'])
    .where(sql.ref('deleted_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('contact_detail_owners')
    .addColumn('firm_id', 'text', (column) => column.notNull().references('firms.id'))
    .addColumn('contact_detail_id', 'text', (column) =>
      column.notNull().references('contact_details.id'),
    )
    .addColumn('account_id', 'text', (column) => column.notNull().references('accounts.id'))
    .addColumn('type', 'text', (column) => column.notNull())
    .addColumn('is_primary', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('contact_detail_owners_primary_key', [
      'contact_detail_id',
      'account_id',
    ])
    .execute();
  await db.schema
    .createIndex('contact_detail_owners_firm_account_index')
    .on('contact_detail_owners')
    .columns(['firm_id', 'account_id', 'type', 'contact_detail_id'])
    .execute();
  // The rule "at most one primary detail per account and type" lives in the database as well as in
  // the service, so that no code path, concurrent request or manual edit can break it.
  await db.schema
    .createIndex('contact_detail_owners_one_primary_index')
    .on('contact_detail_owners')
    .columns(['account_id', 'type'])
    .unique()
    .where(sql.ref('is_primary'), '=', 1)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'contact_detail_owners',
    'contact_details',
    'circle_members',
    'circles',
    'personal_access_tokens',
    'logins',
    'accounts',
    'users',
    'firms',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}

function sqlIn(column: string, values: readonly string[]) {
  return sql`${sql.ref(column)} in (${sql.join(values.map((value) => sql.lit(value)))})`;
}
