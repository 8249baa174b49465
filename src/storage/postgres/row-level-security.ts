import { type Kysely, type Migration, sql } from 'kysely';

import type { Database } from '../database.js';
import type { Scope } from '../storage.js';

/** Tables whose every row belongs to one firm; each has a policy keyed on the firm. */
const TENANT_TABLES = [
  'accounts',
  'circles',
  'circle_members',
  'contact_details',
  'contact_detail_owners',
  'logins',
] as const;

/**
 * Tables that authentication reads before a firm is known: a token is found by its hash and a
 * user by its email, so they carry no firm and have no policy. The tenant role may read and write
 * them, and nothing else outside the tenant tables.
 */
const SHARED_TABLES = ['firms', 'users', 'personal_access_tokens'] as const;

/**
 * Names the role that scoped transactions run as. Roles belong to the whole PostgreSQL server, so
 * each database gets one of its own: a member of one deployment's role gains nothing in another's.
 */
export function tenantRoleFor(database: string): string {
  const suffix = database.toLowerCase().replace(/[^a-z0-9_]/g, '_');

  return `contactd_tenant_${suffix}`.slice(0, 63);
}

/**
 * Sets the scope of a transaction: the tenant role, and the firm and user its policies compare
 * rows with. `set_config(..., true)` lasts until the transaction ends, like `SET LOCAL`.
 */
export async function enterScope(db: Kysely<Database>, role: string, scope: Scope): Promise<void> {
  await sql`select set_config('role', ${role}, true),
    set_config('contactd.firm_id', ${scope.firmId ?? ''}, true),
    set_config('contactd.user_id', ${scope.userId ?? ''}, true)`.execute(db);
}

/** Tenant tables that shared migrations after the first one created. */
type LaterTenantTable =
  'contact_detail_counts' | 'contact_detail_trigrams' | 'contact_detail_trigram_backlog';

// Characters of a role name and of the ids of a scope that may be written into SQL as they are.
const PLAIN_TEXT = /^[A-Za-z0-9_-]*$/;

/**
 * Begins a transaction and sets its scope in one query, a round trip fewer than `begin` followed
 * by enterScope. A query of several statements takes no parameters, so the values are written
 * into its text, which is done only for plain values: a role name of this module and UUIDs. Any
 * other value is sent as a parameter, in a second round trip.
 */
export async function beginInScope(
  db: Kysely<Database>,
  role: string,
  scope: Scope,
): Promise<void> {
  const values = [role, scope.firmId ?? '', scope.userId ?? ''];
  if (!values.every((value) => PLAIN_TEXT.test(value))) {
    await sql`begin`.execute(db);
    await enterScope(db, role, scope);

    return;
  }

  const [roleName, firmId, userId] = values;
  await sql
    .raw(
      `begin; select set_config('role', '${roleName ?? ''}', true), ` +
        `set_config('contactd.firm_id', '${firmId ?? ''}', true), ` +
        `set_config('contactd.user_id', '${userId ?? ''}', true)`,
    )
    .execute(db);
}

/**
 * Confines tables that a later shared migration created to the firm of each row, as the tenant
 * tables of the first migration are.
 */
export function laterTableRowLevelSecurity(
  role: string,
  tables: readonly LaterTenantTable[],
): Migration {
  const roleName = sql.id(role);

  return {
    async up(db) {
      for (const table of tables) {
        const tableName = sql.table(table);
        await sql`grant select, insert, update, delete on ${tableName} to ${roleName}`.execute(db);
        await sql`alter table ${tableName} enable row level security`.execute(db);
        await sql`create policy tenant_isolation on ${tableName}
          using (firm_id = current_setting('contactd.firm_id', true))
          with check (firm_id = current_setting('contactd.firm_id', true))`.execute(db);
      }
    },
    async down(db) {
      for (const table of tables) {
        const tableName = sql.table(table);
        await sql`drop policy tenant_isolation on ${tableName}`.execute(db);
        await sql`alter table ${tableName} disable row level security`.execute(db);
      }
    },
  };
}

/**
 * Creates the tenant role of this database and the policies: a row of a tenant table is visible,
 * and writable, only within the scope of its firm. An account and a login are also visible to
 * the user of the login, because a user looks up its own logins before it has chosen a firm.
 * The user that runs it needs CREATEROLE, or must be a superuser, the first time.
 */
export function rowLevelSecurity(role: string): Migration {
  const roleName = sql.id(role);

  return {
    async up(db) {
      await sql`do $$ begin
        if not exists (select from pg_roles where rolname = ${sql.lit(role)}) then
          create role ${roleName} nologin;
        end if;
      end $$`.execute(db);
      await sql`grant ${roleName} to current_user`.execute(db);
      await sql`grant usage on schema public to ${roleName}`.execute(db);
      for (const table of [...TENANT_TABLES, ...SHARED_TABLES]) {
        await sql`grant select, insert, update, delete on ${sql.table(table)} to ${roleName}`.execute(
          db,
        );
      }

      for (const table of TENANT_TABLES) {
        await sql`alter table ${sql.table(table)} enable row level security`.execute(db);
        await sql`create policy tenant_isolation on ${sql.table(table)}
          using (firm_id = current_setting('contactd.firm_id', true))
          with check (firm_id = current_setting('contactd.firm_id', true))`.execute(db);
      }

      await sql`create policy own_logins on logins for select
        using (user_id = current_setting('contactd.user_id', true))`.execute(db);
      await sql`create policy own_login_accounts on accounts for select using (id in (
        select account_id from logins
        where user_id = current_setting('contactd.user_id', true) and deactivated_at is null))`.execute(
        db,
      );
    },
    async down(db) {
      await sql`drop policy own_login_accounts on accounts`.execute(db);
      await sql`drop policy own_logins on logins`.execute(db);
      for (const table of TENANT_TABLES) {
        await sql`drop policy tenant_isolation on ${sql.table(table)}`.execute(db);
        await sql`alter table ${sql.table(table)} disable row level security`.execute(db);
      }
    },
  };
}
