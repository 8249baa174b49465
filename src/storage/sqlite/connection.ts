import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';

import type { Database } from '../database.js';
import {
  executeSynchronously,
  type SynchronousExecutor,
} from '../queries/synchronous-execution.js';
import { type DialectStatement, DEFAULT_READ_CACHE_ROWS, ReadCache } from './read-cache.js';

/** The settings of a SQLite database beyond its path. */
export interface SqliteOptions {
  /** The maximum rows in the read cache (see ReadCache), or 0 for no cache. */
  readCacheRows: number;
  /**
   * Whether the writing connection gathers the planner's statistics at start and every hour.
   * A short command leaves this to the server, so that it never holds the write lock for them.
   */
  refreshesStatistics: boolean;
}

export const DEFAULT_SQLITE_OPTIONS: SqliteOptions = {
  readCacheRows: DEFAULT_READ_CACHE_ROWS,
  refreshesStatistics: true,
};

/**
 * Tells whether `path` names a database that exists only on the connection that opens it: one in
 * memory, or the temporary one that SQLite makes for an empty path.
 */
export function isPrivateToConnection(path: string): boolean {
  return path === ':memory:' || path === '';
}

/** A Kysely instance over one SQLite connection, and the connection itself. */
export interface SqliteConnection {
  db: Kysely<Database>;
  connection: SqliteDatabase.Database;
  /** Runs a query on the connection at once, for a transaction that has it (see groupCommits). */
  execute: SynchronousExecutor;
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
export function openSqliteConnection(
  path: string,
  refreshesStatistics = DEFAULT_SQLITE_OPTIONS.refreshesStatistics,
): SqliteConnection {
  const refreshes = refreshesStatistics && !isPrivateToConnection(path);
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true });
  }

  // Without table statistics, SQLite reads a firm's whole index to find a few rows by id, so they
  // are gathered now and every hour, as SQLite's documentation advises for long-lived connections.
  // A database in memory starts empty and lives for one run, so it goes without.
  if (refreshes) {
    refreshStatistics(path);
  }

  const connection = new SqliteDatabase(path);
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = FULL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  if (refreshes) {
    const timer = setInterval(() => {
      if (!connection.open) {
        clearInterval(timer);

        return;
      }

      try {
        refreshStatistics(path);
      } catch {
        // Statistics are advice to the planner. When another process holds the write lock, or the
        // disk is full, the old ones serve until the next hour.
      }
    }, STATISTICS_REFRESH_MS).unref();
  }

  const database = withStatementCache(connection);

  return {
    db: new Kysely<Database>({ dialect: new SqliteDialect({ database }) }),
    connection,
    execute: synchronousExecutorOf(database),
  };
}

const STATISTICS_REFRESH_MS = 60 * 60 * 1000;

// PRAGMA optimize's mask. It runs ANALYZE on the tables whose statistics are missing or out of
// date (0x2), looking at every table and not only those this connection has read (0x10000). It
// sets analysis_limit, so that a large table is sampled rather than read whole (0x10).
const OPTIMIZE_MASK = '0x10012';

/**
 * Runs `PRAGMA optimize` on the SQLite file at `path` through a short-lived connection, and then
 * deletes the histograms that ANALYZE writes to sqlite_stat4, keeping the row counts of
 * sqlite_stat1. better-sqlite3 builds SQLite with STAT4. A statement that compares a parameter
 * with an indexed column, prepared while histograms are loaded, is compiled again every time it
 * runs, for as long as it is kept. In a loop, a detail's owners with their accounts took 55 µs a
 * read that way and 15 µs without, and PUT spent 15 % of its time compiling.
 *
 * The same transaction creates and drops a table, which makes every open connection load the new
 * statistics before its next statement.
 */
export function refreshStatistics(path: string): void {
  const connection = new SqliteDatabase(path);
  try {
    connection.pragma('busy_timeout = 5000');
    connection
      .transaction(() => {
        connection.pragma(`optimize = ${OPTIMIZE_MASK}`);
        const histograms = connection
          .prepare("select 1 from sqlite_schema where type = 'table' and name = 'sqlite_stat4'")
          .get();
        if (histograms !== undefined) {
          connection.exec('delete from sqlite_stat4');
        }

        connection.exec('create table contactd_statistics_reload (id integer)');
        connection.exec('drop table contactd_statistics_reload');
      })
      .immediate();
  } finally {
    connection.close();
  }
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

  const database = withStatementCache(
    connection,
    (statement) => cache?.wrap(statement) ?? statement,
  );
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  // Each statement of the reader is a read of its own, so one may run while Kysely waits to
  // start another.
  executeSynchronously(db, synchronousExecutorOf(database));

  return db;
}

/** Runs a query as Kysely's SQLite connection does, returning its result rather than a promise. */
function synchronousExecutorOf(database: StatementCache): SynchronousExecutor {
  return ({ sql, parameters }) => {
    const statement = database.prepare(sql);
    if (statement.reader) {
      return { rows: statement.all(parameters) };
    }

    const { changes, lastInsertRowid } = statement.run(parameters);

    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  };
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
): StatementCache {
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

/** A connection as Kysely's SQLite dialect calls it, whose statements are prepared once. */
interface StatementCache {
  close(): void;
  prepare(sql: string): DialectStatement;
}
