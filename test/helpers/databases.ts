import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';

import type { Database } from '../../src/storage/database.js';
import { DEFAULT_POSTGRES_OPTIONS } from '../../src/storage/postgres/connection.js';
import { tenantRoleFor } from '../../src/storage/postgres/row-level-security.js';
import { createPostgresStorage } from '../../src/storage/postgres/storage.js';
import { openSqliteDatabase } from '../../src/storage/sqlite/connection.js';
import { createSqliteStorage } from '../../src/storage/sqlite/storage.js';
import type { Storage } from '../../src/storage/storage.js';

/** The database the tests run against: `CONTACTD_TEST_DATABASE`, SQLite unless it is postgres. */
export const TEST_DIALECT: Storage['dialect'] =
  process.env.CONTACTD_TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';

/** A database of a test's own, with the app's storage on it and a second connection to look. */
export interface TestDatabase {
  storage: Storage;
  /** Reads rows as they are stored, past any row-level security. */
  inspector: Kysely<Database>;
  /** The URL `contactd serve` would be given for this database. */
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates an empty, migrated database: a SQLite file in a new temporary folder, or a new
 * database on the PostgreSQL server of `CONTACTD_TEST_POSTGRES_URL`.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (TEST_DIALECT === 'postgres') {
    return createPostgresTestDatabase();
  }

  const folder = mkdtempSync(join(tmpdir(), 'contactd-test-'));
  const path = join(folder, 'contactd.sqlite');
  const storage = createSqliteStorage(path);
  await storage.migrate();
  const inspector = openSqliteDatabase(path);

  return {
    storage,
    inspector,
    url: `sqlite:${path}`,
    async drop() {
      await inspector.destroy();
      await storage.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Returns the URL of the PostgreSQL server the tests use; throws when none is configured. */
export function testPostgresUrl(): string {
  const url = process.env.CONTACTD_TEST_POSTGRES_URL;
  if (url === undefined || url === '') {
    throw new Error('CONTACTD_TEST_POSTGRES_URL is not set; run the suite with npm test');
  }

  return url;
}

async function createPostgresTestDatabase(): Promise<TestDatabase> {
  const server = testPostgresUrl();
  const name = `contactd_test_${randomBytes(6).toString('hex')}`;
  await administer(server, `create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const storage = await createPostgresStorage(url.toString(), DEFAULT_POSTGRES_OPTIONS);
  await storage.migrate();
  const inspector = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool: new pg.Pool({ connectionString: url.toString(), max: 2 }),
    }),
  });

  return {
    storage,
    inspector,
    url: url.toString(),
    async drop() {
      await inspector.destroy();
      await storage.close();
      await administer(server, `drop database if exists ${name} with (force)`);
      // Roles outlive databases; the tenant role of this one goes with it.
      await administer(server, `drop role if exists ${tenantRoleFor(name)}`);
    },
  };
}

async function administer(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
