import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';

import * as initial from './0001-initial.js';
import * as contactDetailCounts from './0003-contact-detail-counts.js';
import * as primaryOwnersIndex from './0005-primary-owners-index.js';
import * as contactDetailTrigrams from './0006-contact-detail-trigrams.js';

/** Every migration, in order. Listed here rather than read from disk so that a build runs the same. */
const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0003-contact-detail-counts': contactDetailCounts,
  '0005-primary-owners-index': primaryOwnersIndex,
  '0006-contact-detail-trigrams': contactDetailTrigrams,
};

/**
 * Applies every migration not yet applied, the shared ones and those of the dialect, in the order
 * of their names; returns the names of those it applied.
 */
export async function migrateToLatest<Schema>(
  db: Kysely<Schema>,
  dialectMigrations: Record<string, Migration> = {},
): Promise<string[]> {
  const provider: MigrationProvider = {
    getMigrations: () => Promise.resolve({ ...migrations, ...dialectMigrations }),
  };
  const migrator = new Migrator({ db, provider });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    throw error instanceof Error ? error : new Error('a migration failed', { cause: error });
  }

  return results
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}
