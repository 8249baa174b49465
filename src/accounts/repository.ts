import type { Account, AccountRole, AccountType, NewAccount } from './account.js';

export const ACCOUNT_SORT_COLUMNS = [
  'created_at',
  'updated_at',
  'first_name',
  'last_name',
  'name',
] as const;
export type AccountSortColumn = (typeof ACCOUNT_SORT_COLUMNS)[number];

/** The accounts a list shows. Each filter that is present narrows it. */
export interface AccountFilter {
  ids?: readonly string[] | undefined;
  types?: readonly AccountType[] | undefined;
  roles?: readonly AccountRole[] | undefined;
  /** Only this account, whatever the other filters match. */
  visibleTo?: string | undefined;
}

export interface AccountPage {
  filter: AccountFilter;
  sort: AccountSortColumn;
  descending: boolean;
  limit: number;
  offset: number;
}

/** The new names and role of an account. */
export interface AccountChanges {
  role: AccountRole;
  firstName: string | null;
  lastName: string | null;
  name: string;
  updatedAt: string;
}

/** Storage of accounts. Every read takes the firm, so a query cannot reach another tenant. */
export interface AccountRepository {
  /** Returns the firm's accounts among `ids`, in no particular order; unknown ids are left out. */
  findByIds(firmId: string, ids: readonly string[]): Promise<Account[]>;

  /** Returns one page of the firm's accounts, ordered with `id` as the tie-break. */
  list(firmId: string, page: AccountPage): Promise<Account[]>;

  count(firmId: string, filter: AccountFilter): Promise<number>;

  create(account: NewAccount): Promise<void>;

  update(firmId: string, id: string, changes: AccountChanges): Promise<void>;

  /**
   * Sets each account's `primary_email` and `primary_phone_number` to the values of its current
   * primary details, moving `updated_at` to `now` on the accounts whose values changed.
   */
  refreshPrimaryValues(firmId: string, accountIds: readonly string[], now: string): Promise<void>;
}
