import { type Kysely, sql } from 'kysely';

import type { Database } from '../database.js';
import type { RowLocks } from '../storage.js';
import { isIn } from '../queries/conditions.js';

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

      await sql`select id from accounts where firm_id = ${firmId} and ${isIn('id', ids)}
        order by id for update`.execute(db);
    },
    async contactDetail(firmId, id) {
      await sql`select id from contact_details where firm_id = ${firmId} and id = ${id}
        for update`.execute(db);
    },
  };
}
