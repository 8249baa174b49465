import { createSqliteStorage } from './sqlite/storage.js';
import type { Storage } from './storage.js';

/**
 * Opens the database a `DATABASE_URL` names: `sqlite:PATH`, `file:PATH` or a plain file path select
 * the embedded SQLite database.
 */
export function openStorage(databaseUrl: string): Storage {
  return createSqliteStorage(sqlitePathOf(databaseUrl));
}

/** Returns the file path a SQLite database URL names; throws for a URL of another database. */
export function sqlitePathOf(databaseUrl: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(databaseUrl)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme.length === 1) {
    // No scheme, or a Windows drive letter: a plain path.
    return databaseUrl;
  }

  if (scheme === 'sqlite' || scheme === 'file') {
    return databaseUrl.slice(scheme.length + 1).replace(/^\/\/(?=\/)/, '');
  }

  throw new Error(
    `DATABASE_URL names a "${scheme}" database, which contactd cannot open; ` +
      'use sqlite:PATH or a file path',
  );
}
