import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';

import type {
  ContactDetail,
  ContactDetailType,
  Owner,
} from '../../contact-details/contact-detail.js';
import type {
  ContactDetailChanges,
  ContactDetailFilter,
  ContactDetailPage,
  ContactDetailRepository,
  OwnedDuplicate,
  ValueSearchTerm,
} from '../../contact-details/repository.js';
import type { Account } from '../../accounts/account.js';
import type { ContactDetailTable, Database } from '../database.js';
import { toAccount } from './accounts.js';
import { isIn } from './conditions.js';
import { compiledQuery } from './compiled-query.js';
import { executeCompiled, rowsOf } from './synchronous-execution.js';
import { countLiveDetails } from './detail-counts.js';
import {
  addToTrigramBacklog,
  addTrigrams,
  removeFromTrigramIndex,
  replaceTrigrams,
  searchValueOf,
  trigramsOfValue,
} from './trigram-index.js';
import { valueSearchCondition } from './value-search.js';

const DETAIL_COLUMNS = [
  'id',
  'firm_id',
  'type',
  'name',
  'value',
  'extension',
  'created_at',
  'updated_at',
] as const;

const findDetail = compiledQuery((db, firmId: string, id: string) =>
  db
    .selectFrom('contact_details')
    .select(DETAIL_COLUMNS)
    .where('firm_id', '=', firmId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null),
);

// The owner links of `contactDetailIds`, in the order they were made.
const ownerLinksOf = (db: Kysely<Database>, firmId: string, contactDetailIds: readonly string[]) =>
  db
    .selectFrom('contact_detail_owners as owner')
    .where('owner.firm_id', '=', firmId)
    .where('owner.contact_detail_id', 'in', contactDetailIds)
    .orderBy('owner.created_at')
    .orderBy('owner.account_id');

const findOwners = compiledQuery((db, firmId: string, contactDetailIds: readonly string[]) =>
  ownerLinksOf(db, firmId, contactDetailIds).select([
    'owner.contact_detail_id',
    'owner.account_id',
    'owner.is_primary',
  ]),
);

const findOwnersWithAccounts = compiledQuery(
  (db, firmId: string, contactDetailIds: readonly string[]) =>
    ownerLinksOf(db, firmId, contactDetailIds)
      .innerJoin('accounts', (join) =>
        join
          .onRef('accounts.id', '=', 'owner.account_id')
          .onRef('accounts.firm_id', '=', 'owner.firm_id'),
      )
      .selectAll('accounts')
      .select(['owner.contact_detail_id', 'owner.is_primary']),
);

const insertDetail = compiledQuery(
  (
    db,
    id: string,
    firmId: string,
    type: string,
    name: string,
    value: string,
    valueKey: string,
    searchValue: string,
    extension: string | null,
    createdAt: string,
    updatedAt: string,
  ) =>
    db.insertInto('contact_details').values({
      id,
      firm_id: firmId,
      type,
      name,
      value,
      value_key: valueKey,
      search_value: searchValue,
      extension,
      created_at: createdAt,
      updated_at: updatedAt,
      deleted_at: null,
    }),
);

const countNewDetail = compiledQuery((db, firmId: string, type: string) =>
  db
    .insertInto('contact_detail_counts')
    .values({ firm_id: firmId, type, live: 1 })
    .onConflict((conflict) =>
      conflict
        .columns(['firm_id', 'type'])
        .doUpdateSet((eb) => ({ live: eb('contact_detail_counts.live', '+', 1) })),
    ),
);

const countDeletedDetail = compiledQuery((db, firmId: string, type: string) =>
  db
    .updateTable('contact_detail_counts')
    .set((eb) => ({ live: eb('live', '-', 1) }))
    .where('firm_id', '=', firmId)
    .where('type', '=', type),
);

const releaseAllOwners = compiledQuery((db, firmId: string, id: string) =>
  db
    .updateTable('contact_detail_owners')
    .set({ is_primary: 0 })
    .where('firm_id', '=', firmId)
    .where('contact_detail_id', '=', id),
);

const markDetailDeleted = compiledQuery((db, firmId: string, id: string, deletedAt: string) =>
  db
    .updateTable('contact_details')
    .set({ deleted_at: deletedAt, updated_at: deletedAt })
    .where('firm_id', '=', firmId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .returning(['type', 'value']),
);

const findDuplicates = compiledQuery(
  (
    db,
    firmId: string,
    type: string,
    valueKey: string,
    accountIds: readonly string[],
    excludeId: string,
  ) =>
    db
      .selectFrom('contact_details as detail')
      .innerJoin('contact_detail_owners as owner', 'owner.contact_detail_id', 'detail.id')
      .select(['owner.account_id', 'detail.id'])
      .where('detail.firm_id', '=', firmId)
      .where('detail.type', '=', type)
      .where('detail.value_key', '=', valueKey)
      .where('detail.deleted_at', 'is', null)
      .where('detail.id', '!=', excludeId)
      .where('owner.account_id', 'in', accountIds),
);

const updateDetail = compiledQuery(
  (
    db,
    firmId: string,
    id: string,
    name: string,
    value: string,
    valueKey: string,
    searchValue: string,
    extension: string | null,
    updatedAt: string,
  ) =>
    db
      .updateTable('contact_details')
      .set({
        name,
        value,
        value_key: valueKey,
        search_value: searchValue,
        extension,
        updated_at: updatedAt,
      })
      .where('firm_id', '=', firmId)
      .where('id', '=', id),
);

const touchDetails = compiledQuery(
  (db, firmId: string, ids: readonly string[], updatedAt: string) =>
    db
      .updateTable('contact_details')
      .set({ updated_at: updatedAt })
      .where('firm_id', '=', firmId)
      .where('id', 'in', ids),
);

const deleteOwners = compiledQuery(
  (db, firmId: string, contactDetailId: string, accountIds: readonly string[]) =>
    db
      .deleteFrom('contact_detail_owners')
      .where('firm_id', '=', firmId)
      .where('contact_detail_id', '=', contactDetailId)
      .where('account_id', 'in', accountIds),
);

const setOwnersPrimary = compiledQuery(
  (db, isPrimary: 0 | 1, firmId: string, contactDetailId: string, accountIds: readonly string[]) =>
    db
      .updateTable('contact_detail_owners')
      .set({ is_primary: isPrimary })
      .where('firm_id', '=', firmId)
      .where('contact_detail_id', '=', contactDetailId)
      .where('account_id', 'in', accountIds),
);

const findOtherPrimaries = compiledQuery(
  (
    db,
    firmId: string,
    type: string,
    accountIds: readonly string[],
    exceptContactDetailId: string,
  ) =>
    db
      .selectFrom('contact_detail_owners')
      .select('contact_detail_id')
      .where((eb) => isOtherPrimary(eb, firmId, type, accountIds, exceptContactDetailId)),
);

const demoteOtherPrimaries = compiledQuery(
  (
    db,
    firmId: string,
    type: string,
    accountIds: readonly string[],
    exceptContactDetailId: string,
  ) =>
    db
      .updateTable('contact_detail_owners')
      .set({ is_primary: 0 })
      .where((eb) => isOtherPrimary(eb, firmId, type, accountIds, exceptContactDetailId)),
);

/** Tells whether an owner link is a primary of one type of `accountIds`, on another detail. */
function isOtherPrimary(
  eb: ExpressionBuilder<Database, 'contact_detail_owners'>,
  firmId: string,
  type: string,
  accountIds: readonly string[],
  exceptContactDetailId: string,
): Expression<SqlBool> {
  return eb.and([
    eb('firm_id', '=', firmId),
    eb('type', '=', type),
    eb('account_id', 'in', accountIds),
    // A literal, not a parameter, lets a prepared plan use the partial index of primaries.
    eb('is_primary', '=', sql.lit(1)),
    eb('contact_detail_id', '!=', exceptContactDetailId),
  ]);
}

/** ContactDetailRepository over any Kysely dialect. */
export class ContactDetailQueries implements ContactDetailRepository {
  private readonly valueConditions = new WeakMap<
    readonly ValueSearchTerm[],
    Promise<Expression<SqlBool> | undefined>
  >();

  /**
   * @param batchesTrigrams puts new details in the trigram backlog instead of writing their
   *   trigrams at once. Only a database whose transactions run one at a time may set it.
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly batchesTrigrams = false,
  ) {}

  async create(detail: ContactDetail, valueKey: string): Promise<void> {
    await insertDetail(
      this.db,
      detail.id,
      detail.firmId,
      detail.type,
      detail.name,
      detail.value,
      valueKey,
      searchValueOf(detail.value),
      detail.extension,
      detail.createdAt,
      detail.updatedAt,
    );
    if (this.batchesTrigrams) {
      await addToTrigramBacklog(this.db, detail.firmId, detail.id);
    } else {
      await addTrigrams(this.db, detail.firmId, detail.id, trigramsOfValue(detail.value));
    }
    await countNewDetail(this.db, detail.firmId, detail.type);
  }

  async findById(firmId: string, id: string): Promise<ContactDetail | undefined> {
    const [row] = (await findDetail(this.db, firmId, id)).rows;

    return row && toContactDetail(row);
  }

  async list(firmId: string, page: ContactDetailPage): Promise<ContactDetail[]> {
    const direction = page.descending ? 'desc' : 'asc';
    if (page.filter.values === undefined) {
      const { names, lists } = filterListsOf(page.filter);
      const { rows } = await pageQueryFor(names, page.sort, direction)(
        this.db,
        firmId,
        page.limit,
        page.offset,
        ...lists,
      );

      return rows.map(toContactDetail);
    }

    const candidates = await this.valueCandidatesOf(firmId, page.filter);
    const rows = await rowsOf(
      this.db,
      this.db
        .selectFrom('contact_details')
        .select(DETAIL_COLUMNS)
        .where((eb) => matchesFilter(eb, firmId, page.filter, candidates))
        .orderBy(page.sort, direction)
        .orderBy('id', direction)
        .limit(page.limit)
        .offset(page.offset),
    );

    return rows.map(toContactDetail);
  }

  async count(firmId: string, filter: ContactDetailFilter): Promise<number> {
    const { types } = filter;
    const filtersBeyondType = [
      filter.ids,
      filter.ownerIds,
      filter.circleIds,
      filter.values,
      filter.visibleTo,
    ];
    if (filtersBeyondType.every((value) => value === undefined)) {
      // With no filter but the type, the kept counts give the total without reading the details.
      return countLiveDetails(this.db, firmId, types);
    }

    if (filter.values === undefined) {
      const { names, lists } = filterListsOf(filter);
      const [row] = (await countQueryFor(names)(this.db, firmId, ...lists)).rows;

      return Number(row?.count ?? 0);
    }

    const candidates = await this.valueCandidatesOf(firmId, filter);
    const [row] = await rowsOf(
      this.db,
      this.db
        .selectFrom('contact_details')
        .select((eb) => eb.fn.countAll<number | string>().as('count'))
        .where((eb) => matchesFilter(eb, firmId, filter, candidates)),
    );

    return Number(row?.count ?? 0);
  }

  /**
   * Narrows a value search to its candidates once per filter, because a page and its total
   * search alike.
   */
  private valueCandidatesOf(
    firmId: string,
    filter: ContactDetailFilter,
  ): Promise<Expression<SqlBool> | undefined> {
    const { values } = filter;
    if (values === undefined) {
      return Promise.resolve(undefined);
    }

    let condition = this.valueConditions.get(values);
    if (condition === undefined) {
      condition = valueSearchCondition(this.db, firmId, values);
      this.valueConditions.set(values, condition);
    }

    return condition;
  }

  async markDeleted(firmId: string, id: string, deletedAt: string): Promise<void> {
    await releaseAllOwners(this.db, firmId, id);
    const [deleted] = (await markDetailDeleted(this.db, firmId, id, deletedAt)).rows;
    if (deleted !== undefined) {
      await removeFromTrigramIndex(this.db, firmId, id, deleted.value);
      await countDeletedDetail(this.db, firmId, deleted.type);
    }
  }

  async listOwners(firmId: string, contactDetailIds: readonly string[]) {
    const owners = new Map<string, Owner[]>(contactDetailIds.map((id) => [id, []]));
    if (contactDetailIds.length === 0) {
      return owners;
    }

    const { rows } = await findOwners(this.db, firmId, contactDetailIds);
    for (const row of rows) {
      owners.get(row.contact_detail_id)?.push({
        accountId: row.account_id,
        isPrimary: row.is_primary === 1,
      });
    }

    return owners;
  }

  async listOwnersWithAccounts(firmId: string, contactDetailIds: readonly string[]) {
    const owners = new Map<string, Owner[]>(contactDetailIds.map((id) => [id, []]));
    const accounts = new Map<string, Account>();
    if (contactDetailIds.length === 0) {
      return { owners, accounts };
    }

    const { rows } = await findOwnersWithAccounts(this.db, firmId, contactDetailIds);
    for (const row of rows) {
      owners
        .get(row.contact_detail_id)
        ?.push({ accountId: row.id, isPrimary: row.is_primary === 1 });
      if (!accounts.has(row.id)) {
        accounts.set(row.id, toAccount(row));
      }
    }

    return { owners, accounts };
  }

  async findOwnedDuplicates(
    firmId: string,
    type: ContactDetailType,
    valueKey: string,
    accountIds: readonly string[],
    excludeId: string,
  ): Promise<OwnedDuplicate[]> {
    if (accountIds.length === 0) {
      return [];
    }

    const { rows } = await findDuplicates(this.db, firmId, type, valueKey, accountIds, excludeId);

    return rows.map((row) => ({ accountId: row.account_id, contactDetailId: row.id }));
  }

  async update(detail: ContactDetail, changes: ContactDetailChanges): Promise<void> {
    const { firmId, id } = detail;
    await updateDetail(
      this.db,
      firmId,
      id,
      changes.name,
      changes.value,
      changes.valueKey,
      searchValueOf(changes.value),
      changes.extension,
      changes.updatedAt,
    );
    if (changes.value !== detail.value) {
      await replaceTrigrams(this.db, firmId, id, detail.value, changes.value);
    }
  }

  async touch(firmId: string, ids: readonly string[], updatedAt: string): Promise<void> {
    if (ids.length === 0) {
      return;
    }

    await touchDetails(this.db, firmId, ids, updatedAt);
  }

  async addOwners(
    firmId: string,
    contactDetailId: string,
    type: ContactDetailType,
    owners: readonly Owner[],
    createdAt: string,
  ): Promise<void> {
    if (owners.length === 0) {
      return;
    }

    const insert = this.db.insertInto('contact_detail_owners').values(
      owners.map((owner) => ({
        firm_id: firmId,
        contact_detail_id: contactDetailId,
        account_id: owner.accountId,
        type,
        is_primary: owner.isPrimary ? (1 as const) : (0 as const),
        created_at: createdAt,
      })),
    );
    await executeCompiled(this.db, insert.compile());
  }

  async removeOwners(firmId: string, contactDetailId: string, accountIds: readonly string[]) {
    if (accountIds.length === 0) {
      return;
    }

    await deleteOwners(this.db, firmId, contactDetailId, accountIds);
  }

  async setPrimaryFlag(
    firmId: string,
    contactDetailId: string,
    accountIds: readonly string[],
    isPrimary: boolean,
  ): Promise<void> {
    if (accountIds.length === 0) {
      return;
    }

    await setOwnersPrimary(this.db, isPrimary ? 1 : 0, firmId, contactDetailId, accountIds);
  }

  async demotePrimaries(
    firmId: string,
    type: ContactDetailType,
    accountIds: readonly string[],
    exceptContactDetailId: string,
  ): Promise<string[]> {
    if (accountIds.length === 0) {
      return [];
    }

    const { rows: demoted } = await findOtherPrimaries(
      this.db,
      firmId,
      type,
      accountIds,
      exceptContactDetailId,
    );
    if (demoted.length === 0) {
      return [];
    }

    await demoteOtherPrimaries(this.db, firmId, type, accountIds, exceptContactDetailId);

    return [...new Set(demoted.map((row) => row.contact_detail_id))];
  }
}

type DetailRow = Pick<ContactDetailTable, (typeof DETAIL_COLUMNS)[number]>;

function toContactDetail(row: DetailRow): ContactDetail {
  return {
    id: row.id,
    firmId: row.firm_id,
    type: row.type as ContactDetailType,
    name: row.name,
    value: row.value,
    extension: row.extension,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

// The filters that are lists of values, with `visibleTo` as a list of one, in the order that a
// compiled page query takes them.
const FILTER_LISTS = ['ids', 'types', 'ownerIds', 'circleIds', 'visibleTo'] as const;

type FilterListName = (typeof FILTER_LISTS)[number];

/** Returns the names of the lists that `filter` has, and their values in the same order. */
function filterListsOf(filter: ContactDetailFilter): {
  names: FilterListName[];
  lists: (readonly string[])[];
} {
  const names: FilterListName[] = [];
  const lists: (readonly string[])[] = [];
  for (const name of FILTER_LISTS) {
    const value = filter[name];
    if (value !== undefined) {
      names.push(name);
      lists.push(typeof value === 'string' ? [value] : value);
    }
  }

  return { names, lists };
}

/** Builds the filter whose lists filterListsOf returned as `names` and `lists`. */
function filterOfLists(
  names: readonly FilterListName[],
  lists: readonly (readonly string[])[],
): ContactDetailFilter {
  const filter: { -readonly [Name in FilterListName]?: unknown } = {};
  names.forEach((name, index) => {
    const list = lists[index] ?? [];
    filter[name] = name === 'visibleTo' ? list[0] : list;
  });

  return filter as ContactDetailFilter;
}

/** Compiles the query of a page that has the filters `names`, sorted by `sort`. */
function compilePageQuery(
  names: readonly FilterListName[],
  sort: ContactDetailPage['sort'],
  direction: 'asc' | 'desc',
) {
  return compiledQuery(
    (db, firmId: string, limit: number, offset: number, ...lists: (readonly string[])[]) =>
      db
        .selectFrom('contact_details')
        .select(DETAIL_COLUMNS)
        .where((eb) => matchesFilter(eb, firmId, filterOfLists(names, lists), undefined))
        .orderBy(sort, direction)
        .orderBy('id', direction)
        .limit(limit)
        .offset(offset),
  );
}

/** Compiles the query that counts the details that have the filters `names`. */
function compileCountQuery(names: readonly FilterListName[]) {
  return compiledQuery((db, firmId: string, ...lists: (readonly string[])[]) =>
    db
      .selectFrom('contact_details')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where((eb) => matchesFilter(eb, firmId, filterOfLists(names, lists), undefined)),
  );
}

// One compiled query for each set of filters, sort and direction that a list without a value
// search has: at most 256 pages and 32 counts.
const pageQueries = new Map<string, ReturnType<typeof compilePageQuery>>();
const countQueries = new Map<string, ReturnType<typeof compileCountQuery>>();

/** Returns the compiled query of a page with the filters `names`, sorted by `sort`. */
function pageQueryFor(
  names: readonly FilterListName[],
  sort: ContactDetailPage['sort'],
  direction: 'asc' | 'desc',
) {
  return getOrCreate(pageQueries, `${names.join(',')} ${sort} ${direction}`, () =>
    compilePageQuery(names, sort, direction),
  );
}

/** Returns the compiled query that counts the details with the filters `names`. */
function countQueryFor(names: readonly FilterListName[]) {
  return getOrCreate(countQueries, names.join(','), () => compileCountQuery(names));
}

/** Returns the value of `key` in `values`, creating it with `make` on first use. */
function getOrCreate<Value>(values: Map<string, Value>, key: string, make: () => Value): Value {
  let value = values.get(key);
  if (value === undefined) {
    value = make();
    values.set(key, value);
  }

  return value;
}

/**
 * Builds the condition that a detail row of the firm is visible and passes every filter given.
 * `valueCandidates`, when the filter searches values, narrows the rows the search compares.
 */
function matchesFilter(
  eb: ExpressionBuilder<Database, 'contact_details'>,
  firmId: string,
  filter: ContactDetailFilter,
  valueCandidates: Expression<SqlBool> | undefined,
): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [
    eb('contact_details.firm_id', '=', firmId),
    eb('contact_details.deleted_at', 'is', null),
  ];
  // Owner and circle filters drive the query from the owner links, so that a few owners among a
  // million details cost a few index lookups, not a scan of the firm.
  const ownedByAny = (accountIds: readonly string[]) =>
    eb(
      'contact_details.id',
      'in',
      eb
        .selectFrom('contact_detail_owners')
        .select('contact_detail_owners.contact_detail_id')
        .where('contact_detail_owners.firm_id', '=', firmId)
        .where(isIn('contact_detail_owners.account_id', accountIds)),
    );

  if (filter.ids !== undefined) {
    conditions.push(isIn('contact_details.id', filter.ids));
  }

  if (filter.types !== undefined) {
    conditions.push(isIn('contact_details.type', filter.types));
  }

  if (filter.ownerIds !== undefined) {
    conditions.push(ownedByAny(filter.ownerIds));
  }

  if (filter.visibleTo !== undefined) {
    conditions.push(ownedByAny([filter.visibleTo]));
  }

  if (filter.circleIds !== undefined) {
    conditions.push(
      eb(
        'contact_details.id',
        'in',
        eb
          .selectFrom('contact_detail_owners')
          .innerJoin(
            'circle_members',
            'circle_members.account_id',
            'contact_detail_owners.account_id',
          )
          .select('contact_detail_owners.contact_detail_id')
          .where('contact_detail_owners.firm_id', '=', firmId)
          .where('circle_members.firm_id', '=', firmId)
          .where(isIn('circle_members.circle_id', filter.circleIds)),
      ),
    );
  }

  if (valueCandidates !== undefined) {
    conditions.push(valueCandidates);
  }

  if (filter.values !== undefined) {
    conditions.push(
      eb.or(
        filter.values.flatMap((term) => [
          ...term.substrings.map(
            (substring) =>
              sql<SqlBool>`${sql.ref('contact_details.search_value')} like ${likePattern(substring)} escape '\\'`,
          ),
          ...(term.exactKey === undefined
            ? []
            : [eb('contact_details.value_key', '=', term.exactKey)]),
        ]),
      ),
    );
  }

  return eb.and(conditions);
}

/** Builds a LIKE pattern that finds `text` in a search value, with its wildcards escaped. */
function likePattern(text: string): string {
  return `%${searchValueOf(text).replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
