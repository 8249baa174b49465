import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';

import type { ValueSearchTerm } from '../../contact-details/repository.js';
import type { Database } from '../database.js';
import { PLANNED_EACH_RUN } from '../plan-hints.js';
import { isIn } from './conditions.js';
import { countLiveDetails } from './detail-counts.js';
import { UNINDEXED_VALUE, isAscii } from './trigram-index.js';
import { executeCompiled } from './synchronous-execution.js';

// A substring is looked up by this many of its trigrams at most, the rarest first: beyond three,
// each further lookup removes fewer candidates than it costs.
const TRIGRAMS_PER_SUBSTRING = 3;
// Trigrams of one substring whose postings are counted, spread along it.
const PROBED_PER_SUBSTRING = 8;
// Postings read per trigram to rank the trigrams by rarity.
const PROBE_LIMIT = 1000;
// A search reads the whole firm instead when more than this share of the firm's details contain
// some substring's rarest trigram. Following a posting to its detail cost 6 to 11 times as much
// as comparing one detail in a full read, measured over HTTP on SQLite at 1 million details.
const MAX_SHARE_OF_FIRM = 0.1;

// Candidates up to this many are read out and listed in the query by id, so that the database
// looks each one up by its key. PostgreSQL, given the search as a subquery, estimated its rows
// from average trigrams, and chose to read the whole firm even for a trigram no detail held.
const MAX_LISTED_CANDIDATES = 2048;

/**
 * Builds a condition on contact_details that is true for every detail that may match a value
 * search. It returns undefined when the whole firm must be read instead, because some term has no
 * run of three ASCII characters or is so common that a full read costs less. The condition is
 * true for some details that do not match, so the caller still applies the search's own condition.
 *
 * The postings of each trigram are read first, within bounds, so that each substring is looked up
 * by its rarest trigrams whatever statistics the database keeps.
 */
export async function valueSearchCondition(
  db: Kysely<Database>,
  firmId: string,
  terms: readonly ValueSearchTerm[],
): Promise<Expression<SqlBool> | undefined> {
  const substrings = terms.flatMap((term) => term.substrings.map(searchTrigramsOf));
  // With no terms, the search's own condition matches nothing and reads nothing.
  if (substrings.length === 0 || substrings.some((trigrams) => trigrams.length === 0)) {
    return undefined;
  }

  const probes = await probePostings(db, firmId, [...new Set(substrings.flat())]);
  const lookups = substrings.map((trigrams) =>
    [...trigrams].sort((left, right) => compareRarity(probes.get(left), probes.get(right))),
  );
  const common = lookups.flatMap(([rarest]) =>
    rarest !== undefined && (probes.get(rarest)?.postings ?? 0) >= PROBE_LIMIT ? [rarest] : [],
  );
  if (common.length > 0 && (await holdsShareOfFirm(db, firmId, common))) {
    return undefined;
  }

  const exactKeys = terms.flatMap((term) => (term.exactKey === undefined ? [] : [term.exactKey]));
  const parts: RawBuilder<unknown>[] = [
    ...lookups.map((trigrams) => detailsWithAll(firmId, trigrams.slice(0, TRIGRAMS_PER_SUBSTRING))),
    detailsWithAll(firmId, [UNINDEXED_VALUE]),
    sql`select contact_detail_id from contact_detail_trigram_backlog where firm_id = ${firmId}`,
  ];
  if (exactKeys.length > 0) {
    parts.push(sql`select id as contact_detail_id from contact_details where firm_id = ${firmId}
      and type in ('email', 'phone_number') and value_key in (${sql.join(exactKeys)})
      and deleted_at is null`);
  }

  // The rarest trigrams differ from one search to the next, so PostgreSQL must plan each search
  // with its values rather than reuse a plan made for others.
  const candidates = sql`${sql.join(parts, sql` union `)} ${sql.raw(PLANNED_EACH_RUN)}`;
  const { rows } = await executeCompiled(
    db,
    sql<{ contact_detail_id: string }>`select contact_detail_id
      from (${candidates}) as candidates
      limit ${sql.lit(MAX_LISTED_CANDIDATES + 1)}`.compile(db),
  );
  if (rows.length > MAX_LISTED_CANDIDATES) {
    return sql<SqlBool>`${sql.ref('contact_details.id')} in (${candidates})`;
  }

  return isIn('contact_details.id', padToPowerOfTwo(rows.map((row) => row.contact_detail_id)));
}

/**
 * Repeats the last id until the count is a power of two, so that lists of ids of many lengths
 * share a few SQL texts, and each database keeps a few prepared statements for them.
 */
function padToPowerOfTwo(ids: string[]): string[] {
  const last = ids.at(-1);
  if (last === undefined) {
    return ids;
  }

  const length = 2 ** Math.ceil(Math.log2(ids.length));

  return [...ids, ...Array<string>(length - ids.length).fill(last)];
}

/** The first PROBE_LIMIT postings of a trigram, in the order of detail ids. */
interface Probe {
  postings: number;
  /** The last detail id among them. */
  lastId: string | null;
}

/**
 * Orders trigrams rarest first. Fewer postings is rarer, and among trigrams that reached the
 * limit, the one whose postings reach further into the ids is sparser. Ids begin with their
 * creation time, so this assumes that a trigram is as common among old details as among new ones.
 * Where that is false, the search reads more postings than it needs, but finds the same details.
 */
function compareRarity(left: Probe | undefined, right: Probe | undefined): number {
  const difference = (left?.postings ?? 0) - (right?.postings ?? 0);
  if (difference !== 0) {
    return difference;
  }

  const leftId = left?.lastId ?? '';
  const rightId = right?.lastId ?? '';
  if (leftId === rightId) {
    return 0;
  }

  return leftId > rightId ? -1 : 1;
}

/** Reads the first PROBE_LIMIT postings of each trigram in the firm, in one query. */
async function probePostings(
  db: Kysely<Database>,
  firmId: string,
  trigrams: readonly string[],
): Promise<Map<string, Probe>> {
  const probes = trigrams.map(
    (trigram) => sql`select cast(${trigram} as text) as trigram, count(*) as postings,
      max(contact_detail_id) as last_id from (
        select contact_detail_id from contact_detail_trigrams
        where firm_id = ${firmId} and trigram = ${trigram}
        order by contact_detail_id limit ${sql.lit(PROBE_LIMIT)}) as probe`,
  );
  const { rows } = await executeCompiled(
    db,
    sql<{
      trigram: string;
      postings: number | string;
      last_id: string | null;
    }>`${sql.join(probes, sql` union all `)}`.compile(db),
  );

  return new Map(
    rows.map((row) => [row.trigram, { postings: Number(row.postings), lastId: row.last_id }]),
  );
}

/** Tells whether more than MAX_SHARE_OF_FIRM of the firm's details contain any of `trigrams`. */
async function holdsShareOfFirm(
  db: Kysely<Database>,
  firmId: string,
  trigrams: readonly string[],
): Promise<boolean> {
  const threshold = Math.ceil((await countLiveDetails(db, firmId)) * MAX_SHARE_OF_FIRM);
  if (threshold <= PROBE_LIMIT) {
    return true;
  }

  const counts = trigrams.map(
    (trigram) => sql`select (select count(*) from (
      select 1 from contact_detail_trigrams where firm_id = ${firmId} and trigram = ${trigram}
      limit ${threshold}) as postings) as postings`,
  );
  const { rows } = await executeCompiled(
    db,
    sql<{ postings: number | string }>`${sql.join(counts, sql` union all `)}`.compile(db),
  );

  return rows.some((count) => Number(count.postings) >= threshold);
}

/**
 * Lists the trigrams to look a substring up by: its runs of three characters, lower-cased, that
 * are all ASCII, at most PROBED_PER_SUBSTRING of them spread along it. Runs with another
 * character are left out, because every search reads the details whose value contains one.
 */
function searchTrigramsOf(substring: string): string[] {
  const lowered = substring.toLowerCase();
  const trigrams = new Set<string>();
  // Runs of three UTF-16 code units that are all ASCII are runs of three characters.
  for (let start = 0; start + 3 <= lowered.length; start += 1) {
    const trigram = lowered.slice(start, start + 3);
    if (isAscii(trigram)) {
      trigrams.add(trigram);
    }
  }

  const all = [...trigrams];
  if (all.length <= PROBED_PER_SUBSTRING) {
    return all;
  }

  const step = (all.length - 1) / (PROBED_PER_SUBSTRING - 1);

  return Array.from(
    { length: PROBED_PER_SUBSTRING },
    (_, index) => all[Math.round(index * step)] ?? '',
  );
}

/**
 * Selects the ids of the firm's details that hold every one of `trigrams`, reading the postings of
 * the first and checking each id against the others. SQLite keeps the order of a cross join, so
 * the rarest trigram, which comes first, drives the lookup there; PostgreSQL orders the join by
 * its own statistics.
 */
function detailsWithAll(firmId: string, trigrams: readonly string[]): RawBuilder<unknown> {
  const tables = trigrams.map(
    (_, index) => sql`contact_detail_trigrams as ${sql.id(`t${String(index)}`)}`,
  );
  const conditions = trigrams.flatMap((trigram, index) => {
    const table = `t${String(index)}`;
    const own = [
      sql`${sql.ref(`${table}.firm_id`)} = ${firmId}`,
      sql`${sql.ref(`${table}.trigram`)} = ${trigram}`,
    ];

    return index === 0
      ? own
      : [
          ...own,
          sql`${sql.ref(`${table}.contact_detail_id`)} = ${sql.ref('t0.contact_detail_id')}`,
        ];
  });

  return sql`select t0.contact_detail_id from ${sql.join(tables, sql` cross join `)}
    where ${sql.join(conditions, sql` and `)}`;
}
