import { type Kysely, type Migration, sql } from 'kysely';

import type { Database } from '../database.js';
import type { Scope } from '../storage.js';

/** The role every scoped transaction runs as, so that row-level security applies to it. */
export const TENANT_ROLE = 'contactd_tenant';

const TENANT_TABLES = [
  'accounts',
  'circles',
  'circle_members',
  'contact_details',
  'contact_detail_owners',
] as const;

/**
 * Sets the scope of a transaction: the tenant role, and the firm and user its policies compare
 * rows with. `set_config(..., true)` lasts until the transaction ends, like `SET LOCAL`.
 */
export async function enterScope(db: Kysely<Database>, scope: Scope): Promise<void> {
  await sql`select set_config('role', ${TENANT_ROLE}, true),
    set_config('contactd.firm_id', ${scope.firmId ?? ''}, true),
    set_config('contactd.user_id', ${scope.userId ?? ''}, true)`.execute(db);
}

/**
 * Creates the tenant role and the policies: a row of a tenant table is visible only within the
 * scope of its firm. An account is also visible to a user that has a login to it, because a user
 * looks up its own logins before it has chosen a firm.
 */
export const rowLevelSecurity: Migration = {
  async up(db) {
    await sql`do $$ begin
      if not exists (select from pg_roles where rolname = ${sql.lit(TENANT_ROLE)}) then
        create role ${sql.raw(TENANT_ROLE)} nologin;
      end if;
    end $$`.execute(db);
    await sql`grant ${sql.raw(TENANT_ROLE)} to current_user`.execute(db);
    await sql`grant usage on schema public to ${sql.raw(TENANT_ROLE)}`.execute(db);
    await sql`grant select, insert, update, delete on all tables in schema public
      to ${sql.raw(TENANT_ROLE)}`.execute(db);
    await sql`alter default privileges in schema public
      grant select, insert, update, delete on tables to ${sql.raw(TENANT_ROLE)}`.execute(db);

    for (const table of TENANT_TABLES) {
      await sql`alter table ${sql.table(table)} enable row level security`.execute(db);
      await sql`create policy tenant_isolation on ${sql.table(table)}
        using (firm_id = current_setting('contactd.firm_id', true))
        with check (firm_id = current_setting('contactd.firm_id', true))`.execute(db);
    }

    await sql`create policy own_logins on accounts for select using (id in (
      select account_id from logins
      where user_id = current_setting('contactd.user_id', true) and deactivated_at is null))`.execute(
      db,
    );
  },
  async down(db) {
    await sql`drop policy own_logins on accounts`.execute(db);
    for (const table of TENANT_TABLES) {
      await sql`drop policy tenant_isolation on ${sql.table(table)}`.execute(db);
      await sql`alter table ${sql.table(table)} disable row level security`.execute(db);
    }
  },
};
