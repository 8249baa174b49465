import { DEFAULT_POSTGRES_OPTIONS, type PostgresOptions } from './postgres/connection.js';
import { createPostgresStorage } from './postgres/storage.js';
import { DEFAULT_SQLITE_OPTIONS, type SqliteOptions } from './sqlite/connection.js';
import { createSqliteStorage } from './sqlite/storage.js';
import type { Storage } from './storage.js';

/**
 * Opens the database a `DATABASE_URL` names: `postgres://` or `postgresql://` select PostgreSQL;
 * `sqlite:PATH`, `file:PATH` or a plain file path select the embedded SQLite database.
 */
export async function openStorage(
  databaseUrl: string,
  postgres: PostgresOptions = DEFAULT_POSTGRES_OPTIONS,
  sqlite: SqliteOptions = DEFAULT_SQLITE_OPTIONS,
): Promise<Storage> {
  if (isPostgresUrl(databaseUrl)) {
    return createPostgresStorage(databaseUrl, postgres);
  }

  return createSqliteStorage(sqlitePathOf(databaseUrl), sqlite);
}

/** Writes a database URL for people to read, with any password replaced by `***`. */
export function redactDatabaseUrl(databaseUrl: string): string {
  if (!isPostgresUrl(databaseUrl)) {
    return databaseUrl;
  }

  const url = new URL(databaseUrl);
  if (url.password !== '') {
    url.password = '***';
  }

  return url.toString();
}

/** Tells whether a database URL names PostgreSQL. */
export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//i.test(databaseUrl);
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
      'use postgres://..., sqlite:PATH or a file path',
  );
}
