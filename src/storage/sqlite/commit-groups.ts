import { CompiledQuery, type Kysely } from 'kysely';

import type { Database } from '../database.js';
import {
  executeSynchronously,
  stopSynchronousExecution,
} from '../queries/synchronous-execution.js';
import type { SqliteConnection } from './connection.js';

/** The transaction that the requests of one turn of the event loop share, until it commits. */
interface CommitGroup {
  committed: Promise<void>;
  commit: () => void;
  fail: (error: unknown) => void;
}

/** An error of the transactions whose shared transaction the database rolled back. */
export class CommitGroupLostError extends Error {
  constructor() {
    super('SQLite rolled back the transaction that this one shared with others');
  }
}

/**
 * Runs transactions on one SQLite connection so that those begun in the same turn of the event
 * loop share one commit. With `synchronous = FULL`, every commit waits for the disk to flush the
 * log, about 0.25 ms on the disk the bench ran on and longer on slower disks. During that wait
 * the event loop is blocked, because better-sqlite3 is synchronous.
 *
 * Each transaction runs in a savepoint of the shared one: its changes are released into the
 * shared transaction when its work resolves, and rolled back alone when it throws. The shared
 * transaction commits at the end of the turn, once every request of the turn has run, and each
 * transaction resolves only after that commit. So a request is acknowledged only once its
 * changes are on disk, and a failed commit fails every transaction of the group.
 *
 * A transaction reads the changes of those before it in the group, which commit or fail with
 * it. Reads outside transactions must use another connection, or they would read changes that
 * are not yet committed.
 */
export function groupCommits({
  db,
  connection,
  execute,
}: SqliteConnection): <T>(work: (transaction: Kysely<Database>) => Promise<T>) => Promise<T> {
  let open: CommitGroup | undefined;
  // Every call is made with Kysely's lock on the connection taken, so the statement runs at once.
  const run = (statement: string) => execute(CompiledQuery.raw(statement));
  // A function, not the property, because every statement can change it.
  const inTransaction = () => connection.inTransaction;

  const commitNow = (group: CommitGroup) => {
    if (open !== group) {
      // A transaction of a later turn found this group's transaction gone and failed it.
      return;
    }

    open = undefined;
    if (!inTransaction()) {
      group.fail(new CommitGroupLostError());

      return;
    }

    try {
      run('commit');
      group.commit();
    } catch (error) {
      if (inTransaction()) {
        run('rollback');
      }
      group.fail(error);
    }
  };
  // The commit waits for Kysely's lock, which the transaction running now may hold.
  const commit = (group: CommitGroup) =>
    db.connection().execute(() => {
      commitNow(group);

      return Promise.resolve();
    });

  // Fails the open group with `error`, and rolls back any transaction left on the connection.
  const endOpenGroup = (error: unknown) => {
    open?.fail(error);
    open = undefined;
    if (inTransaction()) {
      run('rollback');
    }
  };

  const join = (): CommitGroup => {
    if (open !== undefined && inTransaction()) {
      return open;
    }

    // SQLite rolls back a whole transaction on some errors, such as a full disk, so an open group
    // without a transaction has lost its changes and must fail. A transaction without a group is
    // left by a rollback that failed after a failed commit.
    endOpenGroup(new CommitGroupLostError());
    // IMMEDIATE takes the write lock at once, so that another process writing the file makes
    // this wait up to the busy timeout instead of failing halfway through.
    run('begin immediate');
    const group = newCommitGroup();
    open = group;
    setImmediate(() => {
      // A connection closed before the commit fails the group instead of the process.
      commit(group).catch(group.fail);
    });

    return group;
  };

  return async (work) => {
    const outcome = await db.connection().execute(async (transaction) => {
      const group = join();
      run('savepoint request');
      // The work's queries skip Kysely's promises while this transaction has the connection.
      executeSynchronously(transaction, execute);
      try {
        const value = await work(transaction);
        run('release request');

        return { group, value };
      } catch (error) {
        try {
          if (inTransaction()) {
            run('rollback to request');
            run('release request');
          }
        } catch (rollbackError) {
          // The failed work's changes would otherwise commit with the group.
          endOpenGroup(rollbackError);
        }

        return { group, error };
      } finally {
        stopSynchronousExecution(transaction);
      }
    });
    if ('error' in outcome) {
      // A failed transaction changed nothing, but it also waits for the shared commit. So its
      // response, like any other, comes once the transaction it ran in has ended.
      await outcome.group.committed.catch(() => undefined);
      throw outcome.error;
    }

    await outcome.group.committed;

    return outcome.value;
  };
}

function newCommitGroup(): CommitGroup {
  let commit = () => {};
  let fail: (error: unknown) => void = () => {};
  const committed = new Promise<void>((resolve, reject) => {
    commit = resolve;
    fail = reject;
  });
  // A group whose every transaction failed has no one waiting on its commit.
  committed.catch(() => undefined);

  return { committed, commit, fail };
}
