import type { AccountRole, AccountType } from '../accounts/account.js';

/** A stored personal access token, found by the hash of its plain text. */
export interface TokenRecord {
  id: string;
  userId: string;
  tokenHash: string;
  /** When set, the token may act only as this account. */
  accountId: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** A user's active login to an account, with what the account is. */
export interface LoginRecord {
  id: string;
  userId: string;
  accountId: string;
  firmId: string;
  accountType: AccountType;
  accountRole: AccountRole;
  hasWritePermission: boolean;
  hasDeletePermission: boolean;
}

/** A login with the names of its account and firm, as `GET /api/v1/logins` shows it. */
export interface LoginView extends LoginRecord {
  accountName: string;
  firmName: string;
  createdAt: string;
  updatedAt: string;
}

export interface NewUser {
  id: string;
  email: string;
  name: string;
  passwordHash: string | null;
  createdAt: string;
}

export interface NewLogin {
  id: string;
  firmId: string;
  userId: string;
  accountId: string;
  hasWritePermission: boolean;
  hasDeletePermission: boolean;
  createdAt: string;
}

export interface NewToken {
  id: string;
  userId: string;
  name: string;
  tokenHash: string;
  accountId: string | null;
  expiresAt: string | null;
  createdAt: string;
}

/** Storage of users, logins and personal access tokens. */
export interface AuthRepository {
  findTokenByHash(tokenHash: string): Promise<TokenRecord | undefined>;

  /** Returns the user's login to the account unless it is missing or deactivated. */
  findActiveLogin(userId: string, accountId: string): Promise<LoginRecord | undefined>;

  /** Returns the user's active logins, oldest first. */
  listActiveLogins(userId: string): Promise<LoginRecord[]>;

  /** Returns the user's active logins with their account and firm names, oldest first. */
  listLoginViews(userId: string): Promise<LoginView[]>;

  findUserIdByEmail(email: string): Promise<string | undefined>;

  /** Returns the user's password hash, or null when the user has no password. */
  findPasswordHash(userId: string): Promise<string | null>;

  setPasswordHash(userId: string, passwordHash: string, now: string): Promise<void>;

  createUser(user: NewUser): Promise<void>;

  createLogin(login: NewLogin): Promise<void>;

  createToken(token: NewToken): Promise<void>;
}
