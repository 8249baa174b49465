import { createKyselyStorage } from '../kysely-storage.js';
import type { Storage } from '../storage.js';
import { openSqliteDatabase } from './connection.js';
import { isUniqueViolation } from './errors.js';

/** Opens a Storage on the SQLite file at `path`. */
export function createSqliteStorage(path: string): Storage {
  return createKyselyStorage({
    dialect: 'sqlite',
    db: openSqliteDatabase(path),
    isUniqueViolation,
  });
}
