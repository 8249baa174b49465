import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Kysely } from 'kysely';

import type { Database } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrations/index.js';
import { groupCommits } from '../../src/storage/sqlite/commit-groups.js';
import {
  openSqliteConnection,
  openSqliteReader,
  type SqliteConnection,
} from '../../src/storage/sqlite/connection.js';

/** A migrated SQLite file in a folder of its own, with a writer, a reader and commit groups. */
export interface CommitGroupDatabase {
  writer: SqliteConnection;
  reader: Kysely<Database>;
  run: ReturnType<typeof groupCommits>;
  close(): Promise<void>;
}

/** Creates a SQLite file in a new temporary folder whose name starts with `prefix`. */
export async function openCommitGroupDatabase(prefix: string): Promise<CommitGroupDatabase> {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  const path = join(folder, 'database.sqlite');
  const writer = openSqliteConnection(path);
  await migrateToLatest(writer.db);
  const reader = openSqliteReader(path);

  return {
    writer,
    reader,
    run: groupCommits(writer),
    async close() {
      await reader.destroy();
      await writer.db.destroy();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
