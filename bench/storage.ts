import type { Kysely } from 'kysely';

import type { Database } from '../src/storage/database.js';
import {
  openPostgresDatabase,
  DEFAULT_POSTGRES_OPTIONS,
} from '../src/storage/postgres/connection.js';
import { createPostgresStorage } from '../src/storage/postgres/storage.js';
import { isPostgresUrl, sqlitePathOf } from '../src/storage/open-storage.js';
import { openSqliteDatabase } from '../src/storage/sqlite/connection.js';
import { createSqliteStorage } from '../src/storage/sqlite/storage.js';
import type { Storage } from '../src/storage/storage.js';

/** Opens the app's storage on `url`, with a second connection for bulk writes past the repositories. */
export async function createKyselyStorageFor(
  url: string,
): Promise<{ storage: Storage; db: Kysely<Database>; close: () => Promise<void> }> {
  if (isPostgresUrl(url)) {
    const storage = await createPostgresStorage(url, DEFAULT_POSTGRES_OPTIONS);
    const { db } = await openPostgresDatabase(url, DEFAULT_POSTGRES_OPTIONS);

    return {
      storage,
      db,
      close: async () => {
        await db.destroy();
        await storage.close();
      },
    };
  }

  const path = sqlitePathOf(url);
  const storage = createSqliteStorage(path);
  const db = openSqliteDatabase(path);

  return {
    storage,
    db,
    close: async () => {
      await db.destroy();
      await storage.close();
    },
  };
}
