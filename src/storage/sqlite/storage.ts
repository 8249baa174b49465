import { createKyselyStorage, type DialectBinding } from '../kysely-storage.js';
import type { Storage } from '../storage.js';
import { groupCommits } from './commit-groups.js';
import {
  DEFAULT_SQLITE_OPTIONS,
  isPrivateToConnection,
  openSqliteConnection,
  openSqliteReader,
  type SqliteOptions,
} from './connection.js';
import { isUniqueViolation } from './errors.js';

// Kysely runs every query of SQLite on one connection, one transaction at a time, so a
// transaction already holds the whole database and needs no row locks.
const NO_LOCKS = {
  holdWholeDatabase: true,
  accounts: () => Promise.resolve(),
  contactDetail: () => Promise.resolve(),
};

/**
 * Opens a Storage on the SQLite file at `path`. Transactions share commits (see groupCommits),
 * and reads outside them go through a read-only connection of their own.
 */
export function createSqliteStorage(
  path: string,
  options: SqliteOptions = DEFAULT_SQLITE_OPTIONS,
): Storage {
  const writer = openSqliteConnection(path, options.refreshesStatistics);
  const { db } = writer;
  const binding: DialectBinding = {
    dialect: 'sqlite',
    db,
    isUniqueViolation,
    isRetryable: () => false,
    locks: () => NO_LOCKS,
    batchesTrigrams: true,
  };
  if (isPrivateToConnection(path)) {
    // An in-memory or temporary database exists only on its own connection, which reads must
    // share, so its transactions commit one at a time.
    return createKyselyStorage(binding);
  }

  return createKyselyStorage({
    ...binding,
    runTransaction: groupCommits(writer),
    readDb: openSqliteReader(path, options.readCacheRows),
  });
}
