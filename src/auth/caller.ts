import type { AccountRole, AccountType } from '../accounts/account.js';

/** The principal of a request: the token's user, acting as one account of one firm. */
export interface Caller {
  userId: string;
  tokenId: string;
  /** The acting account, named by the `X-PLANNR-ACCOUNT-UUID` header. */
  accountId: string;
  accountType: AccountType;
  accountRole: AccountRole;
  /** The tenant of the request: every read and write is confined to it. */
  firmId: string;
  hasWritePermission: boolean;
  hasDeletePermission: boolean;
}

/** The token's user, before an acting account is chosen. */
export interface AuthenticatedUser {
  userId: string;
  tokenId: string;
  /** When the token stops working, as a stored timestamp; never when null. */
  tokenExpiresAt: string | null;
  /** When set, the token may act only as this account. */
  restrictedToAccountId: string | null;
}
