import type { Kysely } from 'kysely';

import type { Database } from '../database.js';
import { compiledQuery } from './compiled-query.js';
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
  const { rows } = await (types === undefined
    ? sumLiveDetails(db, firmId)
    : sumLiveDetailsOfTypes(db, firmId, types));

  return Number(rows[0]?.total ?? 0);
}

const liveDetailsOfFirm = (db: Kysely<Database>, firmId: string) =>
  db
    .selectFrom('contact_detail_counts')
    .select((eb) => eb.fn.sum<number | string | null>('live').as('total'))
    .where('firm_id', '=', firmId);

const sumLiveDetails = compiledQuery(liveDetailsOfFirm);

const sumLiveDetailsOfTypes = compiledQuery((db, firmId: string, types: readonly string[]) =>
  liveDetailsOfFirm(db, firmId).where(isIn('type', types)),
);
