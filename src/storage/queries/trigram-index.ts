import type { Kysely } from 'kysely';

import type { ContactDetailTrigramTable, Database } from '../database.js';
import { compiledQuery } from './compiled-query.js';
import { executeCompiled } from './synchronous-execution.js';

/**
 * The trigram recorded for a value that contains a character outside ASCII, because the index
 * records runs of ASCII characters only. Every search reads such a detail and compares its
 * search value in full. Real trigrams have three characters, so none equals it.
 */
export const UNINDEXED_VALUE = '';

/**
 * Lists the trigrams recorded for a stored value: each run of three characters of the value,
 * lower-cased, once. A value shorter than three characters has none, and a value with a
 * character outside ASCII has only UNINDEXED_VALUE.
 */
export function trigramsOfValue(value: string): string[] {
  if (!isAscii(value)) {
    return [UNINDEXED_VALUE];
  }

  const lowered = searchValueOf(value);
  const trigrams = new Set<string>();
  for (let start = 0; start + 3 <= lowered.length; start += 1) {
    trigrams.add(lowered.slice(start, start + 3));
  }

  return [...trigrams];
}

/** Returns the form of a value that a search compares its terms with, lower-cased as they are. */
export function searchValueOf(value: string): string {
  return value.toLowerCase();
}

/** Lists the rows of the trigram index for one detail's value. */
export function trigramRowsOf(
  firmId: string,
  contactDetailId: string,
  value: string,
): ContactDetailTrigramTable[] {
  return trigramsOfValue(value).map((trigram) => ({
    firm_id: firmId,
    trigram,
    contact_detail_id: contactDetailId,
  }));
}

// Rows per statement, well within SQLite's limit of bound parameters.
const INSERT_BATCH = 1000;

/**
 * Inserts rows of the trigram index, a batch per statement. With `skipExisting`, a row already
 * there is left alone instead of failing the statement.
 */
export async function insertTrigramRows(
  db: Kysely<Database>,
  rows: readonly ContactDetailTrigramTable[],
  skipExisting = false,
): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_BATCH) {
    const insert = db
      .insertInto('contact_detail_trigrams')
      .values(rows.slice(start, start + INSERT_BATCH));
    const statement = skipExisting ? insert.onConflict((conflict) => conflict.doNothing()) : insert;
    await executeCompiled(db, statement.compile());
  }
}

/**
 * Records the trigrams of a detail's value, so that a search finds it without reading the whole
 * firm.
 */
export async function addTrigrams(
  db: Kysely<Database>,
  firmId: string,
  contactDetailId: string,
  trigrams: readonly string[],
): Promise<void> {
  if (trigrams.length === 0) {
    return;
  }

  // One statement suffices: a value has at most 254 characters, so fewer than INSERT_BATCH
  // trigrams.
  await insertTrigramsOfDetail(db, firmId, contactDetailId, trigrams);
}

const insertTrigramsOfDetail = compiledQuery(
  (db, firmId: string, contactDetailId: string, trigrams: readonly string[]) =>
    db.insertInto('contact_detail_trigrams').values(
      trigrams.map((trigram) => ({
        firm_id: firmId,
        trigram,
        contact_detail_id: contactDetailId,
      })),
    ),
);

// Details a firm's backlog collects before the create that adds the last writes all their trigrams.
// NOTE: at 1 million details that create most likely sets POST's p99 on SQLite, about twice the
// figure at 10 thousand. A larger batch would move it past the p99.
const BACKLOG_BATCH = 64;

/**
 * Puts a new detail in the firm's trigram backlog, and writes the trigrams of the whole backlog
 * once it contains BACKLOG_BATCH details. On SQLite, each commit writes every page it changed to
 * the write-ahead log, and the trigrams of one value lie on some twenty pages, so writing them
 * with the detail made POST 2.5 times slower. Written for many details at once, most
 * trigrams share pages. Only a database whose transactions run one at a time may use this,
 * because a batch reads values that a concurrent transaction could be changing.
 */
export async function addToTrigramBacklog(
  db: Kysely<Database>,
  firmId: string,
  contactDetailId: string,
): Promise<void> {
  await insertIntoBacklog(db, firmId, contactDetailId);
  const { rows: backlog } = await findBacklog(db, firmId);
  if (backlog.length < BACKLOG_BATCH) {
    return;
  }

  // A value that changed while in the backlog already has the trigrams its change added.
  await insertTrigramRows(
    db,
    backlog.flatMap((detail) => trigramRowsOf(firmId, detail.id, detail.value)),
    true,
  );

  await deleteFromBacklog(
    db,
    firmId,
    backlog.map((detail) => detail.id),
  );
}

const insertIntoBacklog = compiledQuery((db, firmId: string, contactDetailId: string) =>
  db
    .insertInto('contact_detail_trigram_backlog')
    .values({ firm_id: firmId, contact_detail_id: contactDetailId }),
);

const findBacklog = compiledQuery((db, firmId: string) =>
  db
    .selectFrom('contact_detail_trigram_backlog as backlog')
    .innerJoin('contact_details as detail', 'detail.id', 'backlog.contact_detail_id')
    .select(['detail.id', 'detail.value'])
    .where('backlog.firm_id', '=', firmId)
    .limit(BACKLOG_BATCH),
);

const deleteFromBacklog = compiledQuery((db, firmId: string, contactDetailIds: readonly string[]) =>
  db
    .deleteFrom('contact_detail_trigram_backlog')
    .where('firm_id', '=', firmId)
    .where('contact_detail_id', 'in', contactDetailIds),
);

/** Takes a deleted detail out of the trigram index and its backlog. */
export async function removeFromTrigramIndex(
  db: Kysely<Database>,
  firmId: string,
  contactDetailId: string,
  value: string,
): Promise<void> {
  await removeTrigrams(db, firmId, contactDetailId, trigramsOfValue(value));
  await deleteFromBacklog(db, firmId, [contactDetailId]);
}

export async function removeTrigrams(
  db: Kysely<Database>,
  firmId: string,
  contactDetailId: string,
  trigrams: readonly string[],
): Promise<void> {
  if (trigrams.length === 0) {
    return;
  }

  await deleteTrigramsOfDetail(db, firmId, trigrams, contactDetailId);
}

const deleteTrigramsOfDetail = compiledQuery(
  (db, firmId: string, trigrams: readonly string[], contactDetailId: string) =>
    db
      .deleteFrom('contact_detail_trigrams')
      .where('firm_id', '=', firmId)
      .where('trigram', 'in', trigrams)
      .where('contact_detail_id', '=', contactDetailId),
);

/** Replaces the trigrams of `previousValue` with those of `value`, writing only the difference. */
export async function replaceTrigrams(
  db: Kysely<Database>,
  firmId: string,
  contactDetailId: string,
  previousValue: string,
  value: string,
): Promise<void> {
  const before = new Set(trigramsOfValue(previousValue));
  const after = new Set(trigramsOfValue(value));
  const removed = [...before].filter((trigram) => !after.has(trigram));
  const added = [...after].filter((trigram) => !before.has(trigram));
  await removeTrigrams(db, firmId, contactDetailId, removed);
  await addTrigrams(db, firmId, contactDetailId, added);
}

/** Tells whether every character of `text` is ASCII. */
export function isAscii(text: string): boolean {
  return /^\p{ASCII}*$/u.test(text);
}
