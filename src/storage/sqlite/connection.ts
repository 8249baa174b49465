import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';

import type { Database } from '../database.js';

/**
 * Opens the SQLite file at `path`, creating it and its folder when missing. WAL lets reads go on
 * during a write; `synchronous = FULL` makes every acknowledged commit survive a power cut as well as
 * a crash of the process.
 */
export function openSqliteDatabase(path: string): Kysely<Database> {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true });
  }

  const connection = new SqliteDatabase(path);
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = FULL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');

  return new Kysely<Database>({ dialect: new SqliteDialect({ database: connection }) });
}
