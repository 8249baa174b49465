import type { Kysely } from 'kysely';

import type { Database } from '../database.js';
import type { RowLocks } from '../storage.js';
import { compiledQuery } from '../queries/compiled-query.js';

/**
 * Row locks with `SELECT ... FOR UPDATE`, held until the transaction ends. Accounts are locked in
 * the order of their ids, so that two writes over the same accounts queue instead of deadlocking.
 */
export function postgresRowLocks(db: Kysely<Database>): RowLocks {
  return {
    holdWholeDatabase: false,
    async accounts(firmId, accountIds) {
      const ids = [...new Set(accountIds)].sort();
      if (ids.length === 0) {
        return;
      }

      await lockAccounts(db, firmId, ids);
    },
    async contactDetail(firmId, id) {
      await lockContactDetail(db, firmId, id);
    },
  };
}

const lockAccounts = compiledQuery((db, firmId: string, ids: readonly string[]) =>
  db
    .selectFrom('accounts')
    .select('id')
    .where('firm_id', '=', firmId)
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate(),
);

const lockContactDetail = compiledQuery((db, firmId: string, id: string) =>
  db
    .selectFrom('contact_details')
    .select('id')
    .where('firm_id', '=', firmId)
    .where('id', '=', id)
    .forUpdate(),
);
