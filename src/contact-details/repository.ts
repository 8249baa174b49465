import type { Account } from '../accounts/account.js';
import type { ContactDetail, ContactDetailType, Owner } from './contact-detail.js';

/** A detail of the same type and value that an account already owns. */
export interface OwnedDuplicate {
  accountId: string;
  contactDetailId: string;
}

export const SORT_COLUMNS = ['created_at', 'updated_at', 'name', 'value'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];

/** One term of a value search: any of its forms may match. */
export interface ValueSearchTerm {
  /** Each matched case-insensitively anywhere in the stored value. */
  substrings: readonly string[];
  /** Matched against the whole value key, such as the E.164 form of a phone number. */
  exactKey?: string | undefined;
}

/**
 * Which details a list shows. Each filter that is present narrows the list; the values inside one
 * filter are alternatives.
 */
export interface ContactDetailFilter {
  ids?: readonly string[] | undefined;
  /** Details owned by any of these accounts. */
  ownerIds?: readonly string[] | undefined;
  /** Details owned by any account in any of these circles. */
  circleIds?: readonly string[] | undefined;
  types?: readonly ContactDetailType[] | undefined;
  values?: readonly ValueSearchTerm[] | undefined;
  /** Only the details this account owns, whatever the other filters match. */
  visibleTo?: string | undefined;
}

export interface ContactDetailPage {
  filter: ContactDetailFilter;
  sort: SortColumn;
  descending: boolean;
  limit: number;
  offset: number;
}

/** The new content of a detail. */
export interface ContactDetailChanges {
  name: string;
  value: string;
  valueKey: string;
  extension: string | null;
  updatedAt: string;
}

/**
 * Storage of contact details and their owner links. Every method takes the firm, so a query
 * cannot reach another tenant; deleted details are invisible to all of them.
 */
export interface ContactDetailRepository {
  create(detail: ContactDetail, valueKey: string): Promise<void>;

  findById(firmId: string, id: string): Promise<ContactDetail | undefined>;

  /** Returns one page of the firm's details, ordered with `id` as the tie-break. */
  list(firmId: string, page: ContactDetailPage): Promise<ContactDetail[]>;

  /** Counts the firm's details that `filter` lets through. */
  count(firmId: string, filter: ContactDetailFilter): Promise<number>;

  /** Marks the detail deleted at `deletedAt` and clears every primary flag it holds. */
  markDeleted(firmId: string, id: string, deletedAt: string): Promise<void>;

  /** Returns the owners of each of `contactDetailIds`, keyed by detail id. */
  listOwners(firmId: string, contactDetailIds: readonly string[]): Promise<Map<string, Owner[]>>;

  /** Returns the owners of each of `contactDetailIds`, as listOwners does, with their accounts. */
  listOwnersWithAccounts(
    firmId: string,
    contactDetailIds: readonly string[],
  ): Promise<{ owners: Map<string, Owner[]>; accounts: Map<string, Account> }>;

  /** Finds details other than `excludeId` with this type and value key owned by `accountIds`. */
  findOwnedDuplicates(
    firmId: string,
    type: ContactDetailType,
    valueKey: string,
    accountIds: readonly string[],
    excludeId: string,
  ): Promise<OwnedDuplicate[]>;

  /** Writes `changes` over `detail`, the detail as it was read before them. */
  update(detail: ContactDetail, changes: ContactDetailChanges): Promise<void>;

  /** Moves `updated_at` of the given details to `updatedAt`. */
  touch(firmId: string, ids: readonly string[], updatedAt: string): Promise<void>;

  addOwners(
    firmId: string,
    contactDetailId: string,
    type: ContactDetailType,
    owners: readonly Owner[],
    createdAt: string,
  ): Promise<void>;

  removeOwners(
    firmId: string,
    contactDetailId: string,
    accountIds: readonly string[],
  ): Promise<void>;

  setPrimaryFlag(
    firmId: string,
    contactDetailId: string,
    accountIds: readonly string[],
    isPrimary: boolean,
  ): Promise<void>;

  /**
   * Clears the primary flag that `accountIds` hold on details of `type` other than
   * `exceptContactDetailId`; returns the ids of the details that lost a flag.
   */
  demotePrimaries(
    firmId: string,
    type: ContactDetailType,
    accountIds: readonly string[],
    exceptContactDetailId: string,
  ): Promise<string[]>;
}
