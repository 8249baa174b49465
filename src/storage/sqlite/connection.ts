import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';

import type { Database } from '../database.js';
import { type DialectStatement, DEFAULT_READ_CACHE_ROWS, ReadCache } from './read-cache.js';

/** The settings of a SQLite database beyond its path. */
export interface SqliteOptions {
  /** The maximum rows in the read cache (see ReadCache), or 0 for no cache. */
  readCacheRows: number;
}

export const DEFAULT_SQLITE_OPTIONS: SqliteOptions = { readCacheRows: DEFAULT_READ_CACHE_ROWS };

/** A Kysely instance over one SQLite connection, and the connection itself. */
export interface SqliteConnection {
  db: Kysely<Database>;
  connection: SqliteDatabase.Database;
}

/** Opens the SQLite file at `path` as openSqliteConnection does, and returns its Kysely. */
export function openSqliteDatabase(path: string): Kysely<Database> {
  return openSqliteConnection(path).db;
}

/**
 * Opens the SQLite file at `path`, creating it and its folder when missing. WAL lets reads go on
 * during a write; `synchronous = FULL` makes every acknowledged commit survive a power cut as well as
 * a crash of the process.
 */
export function openSqliteConnection(path: string): SqliteConnection {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true });
  }

  const connection = new SqliteDatabase(path);
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = FULL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  // Without table statistics, SQLite reads a firm's whole index to find a few rows by id, so it
  // gathers them now and every hour, as its documentation advises for long-lived connections.
  connection.pragma('optimize = 0x10002');
  setInterval(
    () => {
      try {
        connection.pragma('optimize');
      } catch {
        // Statistics are advice to the planner. When another process holds the write lock, or the
        // disk is full, the old ones serve until the next hour.
      }
    },
    60 * 60 * 1000,
  ).unref();

  return {
    db: new Kysely<Database>({
      dialect: new SqliteDialect({ database: withStatementCache(connection) }),
    }),
    connection,
  };
}

/**
 * Opens a read-only connection to the SQLite file at `path`, which another connection has opened
 * and migrated. In WAL mode it reads the last commit, never a write still in progress. Its reads
 * are cached until the database changes (see ReadCache).
 */
export function openSqliteReader(
  path: string,
  readCacheRows = DEFAULT_SQLITE_OPTIONS.readCacheRows,
): Kysely<Database> {
  const connection = new SqliteDatabase(path, { readonly: true, fileMustExist: true });
  connection.pragma('busy_timeout = 5000');
  const cache = readCacheRows === 0 ? undefined : new ReadCache(connection, readCacheRows);

  return new Kysely<Database>({
    dialect: new SqliteDialect({
      database: withStatementCache(connection, (statement) => cache?.wrap(statement) ?? statement),
    }),
  });
}

// Distinct statements kept prepared; the queries of the app are far fewer than this.
const MAX_CACHED_STATEMENTS = 1000;

/**
 * Wraps the connection so that each SQL text is prepared once and reused. Kysely prepares every
 * query anew, which took an eighth of the time of a read. Reuse is safe because Kysely runs one
 * query at a time on the connection and reads each result whole before the next.
 */
function withStatementCache(
  connection: SqliteDatabase.Database,
  wrap: (statement: SqliteDatabase.Statement) => DialectStatement = (statement) => statement,
): SqliteDialectDatabase {
  const statements = new Map<string, DialectStatement>();

  return {
    close: () => connection.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        if (statements.size >= MAX_CACHED_STATEMENTS) {
          statements.clear();
        }

        statement = wrap(connection.prepare(sql));
        statements.set(sql, statement);
      }

      return statement;
    },
  };
}

type SqliteDialectDatabase = NonNullable<
  ConstructorParameters<typeof SqliteDialect>[0]
>['database'];
