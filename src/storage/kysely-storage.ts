import { setTimeout as sleep } from 'node:timers/promises';

import { type Kysely, type Migration, sql } from 'kysely';

import type { Database } from './database.js';
import { migrateToLatest } from './migrations/index.js';
import { AccountQueries } from './queries/accounts.js';
import { AuthQueries } from './queries/auth.js';
import { CircleQueries } from './queries/circles.js';
import { ContactDetailQueries } from './queries/contact-details.js';
import { FirmQueries } from './queries/firms.js';
import {
  ConcurrentChangeError,
  type Repositories,
  type RowLocks,
  type Scope,
  type Storage,
  StorageConflictError,
  StorageTimeoutError,
} from './storage.js';

/** The parts a dialect folder supplies: the connection and what its database does differently. */
export interface DialectBinding {
  dialect: Storage['dialect'];
  db: Kysely<Database>;
  isUniqueViolation: (error: unknown) => boolean;
  /** Tells whether the database cancelled a statement for running past its timeout. */
  isTimeout?: (error: unknown) => boolean;
  /** Tells whether the database aborted a transaction that may succeed when run again. */
  isRetryable: (error: unknown) => boolean;
  /** Row locks over a transaction's connection. */
  locks: (db: Kysely<Database>) => RowLocks;
  /**
   * Applies the scope to a transaction, before its first query; without it, the scope is only
   * what the queries filter by.
   */
  enterScope?: (db: Kysely<Database>, scope: Scope) => Promise<void>;
  /**
   * Begins a transaction on `db`, one connection, and applies the scope, in one round trip where
   * it can. Without it, a transaction begins on its own and `enterScope` follows.
   */
  beginInScope?: (db: Kysely<Database>, scope: Scope) => Promise<void>;
  /**
   * Puts new contact details in a backlog and writes their trigrams in batches. Only for a
   * database whose transactions run one at a time.
   */
  batchesTrigrams?: boolean;
  /**
   * Runs the work of a transaction, with its own BEGIN and COMMIT, in place of a transaction of
   * `db` that begins and commits alone.
   */
  runTransaction?: <T>(work: (connection: Kysely<Database>) => Promise<T>) => Promise<T>;
  /** The connection of reads outside transactions, when it is not `db`. */
  readDb?: Kysely<Database>;
  /** Migrations of this dialect alone, run after the shared ones of the same name order. */
  migrations?: Record<string, Migration>;
  close?: () => Promise<void>;
}

const MAX_ATTEMPTS = 5;

/** Builds a Storage from one dialect's connection; the queries themselves are dialect-neutral. */
export function createKyselyStorage(binding: DialectBinding): Storage {
  const { db, enterScope } = binding;
  const repositoriesOf = (connection: Kysely<Database>) =>
    createRepositories(
      connection,
      binding.locks(connection),
      (scope) => (enterScope === undefined ? Promise.resolve() : enterScope(connection, scope)),
      binding.batchesTrigrams ?? false,
    );
  const unscoped = repositoriesOf(binding.readDb ?? db);

  const transaction = async <T>(
    scope: Scope,
    work: (repositories: Repositories) => Promise<T>,
  ): Promise<T> => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await runInTransaction(binding, scope, (connection) =>
          work(repositoriesOf(connection)),
        );
      } catch (error) {
        const retryable = error instanceof ConcurrentChangeError || binding.isRetryable(error);
        if (retryable && attempt < MAX_ATTEMPTS) {
          // A short random pause lets the transaction that won go first.
          await sleep(Math.random() * 10 * attempt);
          continue;
        }

        if (binding.isUniqueViolation(error)) {
          throw new StorageConflictError({ cause: error });
        }

        if (binding.isTimeout?.(error) === true) {
          throw new StorageTimeoutError({ cause: error });
        }

        throw error;
      }
    }
  };

  return {
    dialect: binding.dialect,
    read: (scope, work) => (enterScope === undefined ? work(unscoped) : transaction(scope, work)),
    transaction,
    migrate: () => migrateToLatest(db, binding.migrations),
    async ping() {
      // Reading a table, not only `select 1`, finds a database file that has become unreadable.
      await sql`select id from firms limit 1`.execute(db);
      if (binding.readDb !== undefined) {
        await sql`select id from firms limit 1`.execute(binding.readDb);
      }
    },
    async close() {
      // The reader goes first, so that the last connection to close can tidy the database's files.
      await binding.readDb?.destroy();
      await db.destroy();
      await binding.close?.();
    },
  };
}

/**
 * Runs `work` in a transaction within `scope`, in one round trip fewer where the dialect can begin
 * and scope a transaction at once.
 */
async function runInTransaction<T>(
  binding: DialectBinding,
  scope: Scope,
  work: (connection: Kysely<Database>) => Promise<T>,
): Promise<T> {
  const { db, enterScope, beginInScope, runTransaction } = binding;
  if (runTransaction !== undefined) {
    return runTransaction(async (connection) => {
      await enterScope?.(connection, scope);

      return work(connection);
    });
  }

  if (beginInScope === undefined) {
    return db.transaction().execute(async (connection) => {
      await enterScope?.(connection, scope);

      return work(connection);
    });
  }

  return db.connection().execute(async (connection) => {
    let result: T;
    try {
      await beginInScope(connection, scope);
      result = await work(connection);
    } catch (error) {
      // A failed rollback, as on a broken connection, must not hide the error of the work.
      await sql`rollback`.execute(connection).catch(() => undefined);
      throw error;
    }

    await sql`commit`.execute(connection);

    return result;
  });
}

function createRepositories(
  db: Kysely<Database>,
  locks: RowLocks,
  rescope: Repositories['rescope'],
  batchesTrigrams: boolean,
): Repositories {
  return {
    rescope,
    accounts: new AccountQueries(db),
    auth: new AuthQueries(db),
    circles: new CircleQueries(db),
    contactDetails: new ContactDetailQueries(db, batchesTrigrams),
    firms: new FirmQueries(db),
    locks,
  };
}
