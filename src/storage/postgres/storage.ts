import { createKyselyStorage } from '../kysely-storage.js';
import type { Storage } from '../storage.js';
import { type PostgresOptions, openPostgresDatabase } from './connection.js';
import { isRetryable, isTimeout, isUniqueViolation } from './errors.js';
import { postgresRowLocks } from './locks.js';
import { enterScope, rowLevelSecurity } from './row-level-security.js';

/** Opens a Storage on the PostgreSQL database `url` names. */
export async function createPostgresStorage(
  url: string,
  options: PostgresOptions,
): Promise<Storage> {
  const { db } = await openPostgresDatabase(url, options);

  return createKyselyStorage({
    dialect: 'postgres',
    db,
    isUniqueViolation,
    isRetryable,
    isTimeout,
    locks: postgresRowLocks,
    enterScope,
    migrations: { '0002-row-level-security': rowLevelSecurity },
  });
}
