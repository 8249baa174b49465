import { createKyselyStorage } from '../kysely-storage.js';
import type { Storage } from '../storage.js';
import { openSqliteDatabase } from './connection.js';
import { isUniqueViolation } from './errors.js';

// Kysely runs every query of SQLite on one connection, one transaction at a time, so a
// transaction already holds the whole database and needs no row locks.
const NO_LOCKS = {
  holdWholeDatabase: true,
  accounts: () => Promise.resolve(),
  contactDetail: () => Promise.resolve(),
};

/** Opens a Storage on the SQLite file at `path`. */
export function createSqliteStorage(path: string): Storage {
  return createKyselyStorage({
    dialect: 'sqlite',
    db: openSqliteDatabase(path),
    isUniqueViolation,
    isRetryable: () => false,
    locks: () => NO_LOCKS,
    batchesTrigrams: true,
  });
}
