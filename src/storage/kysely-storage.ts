import { type Kysely, sql } from 'kysely';

import type { Database } from './database.js';
import { migrateToLatest } from './migrations/index.js';
import { AccountQueries } from './queries/accounts.js';
import { AuthQueries } from './queries/auth.js';
import { CircleQueries } from './queries/circles.js';
import { ContactDetailQueries } from './queries/contact-details.js';
import { FirmQueries } from './queries/firms.js';
import { type Repositories, type Storage, StorageConflictError } from './storage.js';

/** What a dialect folder supplies: the connection and how its driver reports a unique violation. */
export interface DialectBinding {
  dialect: Storage['dialect'];
  db: Kysely<Database>;
  isUniqueViolation(error: unknown): boolean;
}

/** Builds a Storage from one dialect's connection; the queries themselves are dialect-neutral. */
export function createKyselyStorage(binding: DialectBinding): Storage {
  const { db } = binding;

  return {
    dialect: binding.dialect,
    repositories: createRepositories(db),
    async transaction(work) {
      try {
        return await db
          .transaction()
          .execute((transaction) => work(createRepositories(transaction)));
      } catch (error) {
        if (binding.isUniqueViolation(error)) {
          throw new StorageConflictError({ cause: error });
        }

        throw error;
      }
    },
    migrate: () => migrateToLatest(db),
    async ping() {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

function createRepositories(db: Kysely<Database>): Repositories {
  return {
    accounts: new AccountQueries(db),
    auth: new AuthQueries(db),
    circles: new CircleQueries(db),
    contactDetails: new ContactDetailQueries(db),
    firms: new FirmQueries(db),
  };
}
