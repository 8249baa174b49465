import { sql } from 'kysely';

import { createKyselyStorage } from '../kysely-storage.js';
import type { Storage } from '../storage.js';
import { type PostgresOptions, openPostgresDatabase } from './connection.js';
import { isRetryable, isTimeout, isUniqueViolation } from './errors.js';
import { postgresRowLocks } from './locks.js';
import {
  beginInScope,
  enterScope,
  laterTableRowLevelSecurity,
  rowLevelSecurity,
  tenantRoleFor,
} from './row-level-security.js';

/** Opens a Storage on the PostgreSQL database `url` names. */
export async function createPostgresStorage(
  url: string,
  options: PostgresOptions,
): Promise<Storage> {
  const { db } = await openPostgresDatabase(url, options);
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(db);
  const role = tenantRoleFor(rows[0]?.name ?? 'contactd');

  return createKyselyStorage({
    dialect: 'postgres',
    db,
    isUniqueViolation,
    isRetryable,
    isTimeout,
    locks: postgresRowLocks,
    enterScope: (connection, scope) => enterScope(connection, role, scope),
    beginInScope: (connection, scope) => beginInScope(connection, role, scope),
    migrations: {
      '0002-row-level-security': rowLevelSecurity(role),
      '0004-row-level-security-of-counts': laterTableRowLevelSecurity(role, [
        'contact_detail_counts',
      ]),
      '0007-row-level-security-of-trigrams': laterTableRowLevelSecurity(role, [
        'contact_detail_trigrams',
        'contact_detail_trigram_backlog',
      ]),
    },
  });
}
