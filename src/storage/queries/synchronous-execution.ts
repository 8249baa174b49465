import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';

import type { Database } from '../database.js';

/** Runs one compiled query to its end before returning, as better-sqlite3 does. */
export type SynchronousExecutor = (query: CompiledQuery) => QueryResult<unknown>;

const executors = new WeakMap<Kysely<Database>, SynchronousExecutor>();

/**
 * Lets queries on `db` run through `executor` instead of Kysely's executor, until
 * `stopSynchronousExecution`. Only for a connection that nothing else uses meanwhile: a
 * read-only SQLite connection, whose statements each read one commit, or a SQLite transaction
 * while its work runs.
 */
export function executeSynchronously(db: Kysely<Database>, executor: SynchronousExecutor): void {
  executors.set(db, executor);
}

/** Sends the queries on `db` through Kysely's executor again. */
export function stopSynchronousExecution(db: Kysely<Database>): void {
  executors.delete(db);
}

/** Runs `query` on `db`, synchronously where `db` allows it and through Kysely otherwise. */
export async function executeCompiled<Row>(
  db: Kysely<Database>,
  query: CompiledQuery<Row>,
): Promise<QueryResult<Row>> {
  const executor = executors.get(db);

  return executor === undefined
    ? await db.executeQuery(query)
    : (executor(query) as QueryResult<Row>);
}

/** Runs a built query on `db` as executeCompiled does, and returns its rows. */
export async function rowsOf<Row>(db: Kysely<Database>, query: Compilable<Row>): Promise<Row[]> {
  return (await executeCompiled(db, query.compile())).rows;
}
