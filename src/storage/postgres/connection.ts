import { setTimeout as sleep } from 'node:timers/promises';

import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';

import type { Database } from '../database.js';
import { prepareStatementsOf } from './prepared-statements.js';

/** Settings of contactd's connections to PostgreSQL. */
export interface PostgresOptions {
  /** Connections each process keeps open at most. */
  poolSize: number;
  /** Milliseconds after which the server cancels a statement. */
  statementTimeoutMs: number;
  /** Seconds to keep trying to connect at start-up, while the server comes up. */
  connectTimeoutS: number;
}

export const DEFAULT_POSTGRES_OPTIONS: PostgresOptions = {
  poolSize: 10,
  statementTimeoutMs: 5000,
  connectTimeoutS: 30,
};

/** An open pool, with the Kysely instance over it. */
export interface PostgresConnection {
  db: Kysely<Database>;
  pool: pg.Pool;
}

/**
 * Opens a pool on the database `url` names, waiting up to `connectTimeoutS` for the server to
 * accept a connection, so that contactd and its database can start together.
 */
export async function openPostgresDatabase(
  url: string,
  options: PostgresOptions,
): Promise<PostgresConnection> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize,
    ...(options.statementTimeoutMs === 0 ? {} : { statement_timeout: options.statementTimeoutMs }),
    application_name: 'contactd',
  });
  // An idle connection that the server drops must not bring the process down.
  pool.on('error', () => undefined);
  prepareStatementsOf(pool);
  await waitForServer(pool, options.connectTimeoutS);

  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), pool };
}

async function waitForServer(pool: pg.Pool, timeoutS: number): Promise<void> {
  const deadline = Date.now() + timeoutS * 1000;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const client = await pool.connect();
      client.release();

      return;
    } catch (error) {
      // A server that reports "no such database" is up, and waiting will not create the database.
      if (sqlStateOf(error) === INVALID_CATALOG_NAME) {
        await pool.end();
        throw new Error(
          `${describe(error)}; create it first, for example with createdb, then start contactd`,
          { cause: error },
        );
      }

      if (Date.now() >= deadline) {
        await pool.end();
        throw new Error(
          `PostgreSQL did not accept a connection within ${timeoutS} s: ${describe(error)}`,
          { cause: error },
        );
      }

      process.stderr.write(`contactd: waiting for PostgreSQL (${describe(error)})\n`);
      await sleep(Math.min(2000, 100 * 2 ** attempt));
    }
  }
}

const INVALID_CATALOG_NAME = '3D000';

function sqlStateOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
