import type { Account, NewAccount } from './account.js';

/** Storage of accounts. Every read takes the firm, so a query cannot reach another tenant. */
export interface AccountRepository {
  /** Returns the firm's accounts among `ids`, in no particular order; unknown ids are left out. */
  findByIds(firmId: string, ids: readonly string[]): Promise<Account[]>;

  create(account: NewAccount): Promise<void>;

  /**
   * Sets each account's `primary_email` and `primary_phone_number` to the values of its current
   * primary details, moving `updated_at` to `now` on the accounts whose values changed.
   */
  refreshPrimaryValues(firmId: string, accountIds: readonly string[], now: string): Promise<void>;
}
