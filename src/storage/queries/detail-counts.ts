import type { Kysely } from 'kysely';

import type { Database } from '../database.js';
import { isIn } from './conditions.js';

/**
 * Counts the firm's live contact details, of `types` when given, from the counts that every
 * create and delete keeps, without reading the details.
 */
export async function countLiveDetails(
  db: Kysely<Database>,
  firmId: string,
  types?: readonly string[],
): Promise<number> {
  let query = db
    .selectFrom('contact_detail_counts')
    .select((eb) => eb.fn.sum<number | string | null>('live').as('total'))
    .where('firm_id', '=', firmId);
  if (types !== undefined) {
    query = query.where(isIn('type', types));
  }

  return Number((await query.executeTakeFirst())?.total ?? 0);
}
