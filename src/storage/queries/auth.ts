import type { Kysely } from 'kysely';

import type { AccountRole, AccountType } from '../../accounts/account.js';
import type {
  AuthRepository,
  LoginRecord,
  LoginView,
  NewLogin,
  NewToken,
  NewUser,
  TokenRecord,
} from '../../auth/repository.js';
import type { Database } from '../database.js';

/** AuthRepository over any Kysely dialect. */
export class AuthQueries implements AuthRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async findTokenByHash(tokenHash: string): Promise<TokenRecord | undefined> {
    const row = await this.db
      .selectFrom('personal_access_tokens')
      .select(['id', 'user_id', 'token_hash', 'account_id', 'expires_at', 'revoked_at'])
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();

    return (
      row && {
        id: row.id,
        userId: row.user_id,
        tokenHash: row.token_hash,
        accountId: row.account_id,
        expiresAt: row.expires_at,
        revokedAt: row.revoked_at,
      }
    );
  }

  async findActiveLogin(userId: string, accountId: string): Promise<LoginRecord | undefined> {
    const rows = await this.selectActiveLogins(userId)
      .where('login.account_id', '=', accountId)
      .execute();

    return rows.map(toLoginRecord)[0];
  }

  async listActiveLogins(userId: string): Promise<LoginRecord[]> {
    const rows = await this.selectActiveLogins(userId)
      .orderBy('login.created_at')
      .orderBy('login.id')
      .execute();

    return rows.map(toLoginRecord);
  }

  async listLoginViews(userId: string): Promise<LoginView[]> {
    const rows = await this.selectActiveLogins(userId)
      .innerJoin('firms as firm', 'firm.id', 'login.firm_id')
      .select([
        'account.name as account_name',
        'firm.name as firm_name',
        'login.created_at',
        'login.updated_at',
      ])
      .orderBy('login.created_at')
      .orderBy('login.id')
      .execute();

    return rows.map((row) => ({
      ...toLoginRecord(row),
      accountName: row.account_name,
      firmName: row.firm_name,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }));
  }

  async findPasswordHash(userId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', userId)
      .executeTakeFirst();

    return row?.password_hash ?? null;
  }

  async setPasswordHash(userId: string, passwordHash: string, now: string): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: now })
      .where('id', '=', userId)
      .execute();
  }

  async findUserIdByEmail(email: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', email.toLowerCase())
      .executeTakeFirst();

    return row?.id;
  }

  async createUser(user: NewUser): Promise<void> {
    await this.db
      .insertInto('users')
      .values({
        id: user.id,
        email: user.email.toLowerCase(),
        name: user.name,
        password_hash: user.passwordHash,
        created_at: user.createdAt,
        updated_at: user.createdAt,
      })
      .execute();
  }

  async createLogin(login: NewLogin): Promise<void> {
    await this.db
      .insertInto('logins')
      .values({
        id: login.id,
        firm_id: login.firmId,
        user_id: login.userId,
        account_id: login.accountId,
        has_write_permission: login.hasWritePermission ? 1 : 0,
        has_delete_permission: login.hasDeletePermission ? 1 : 0,
        deactivated_at: null,
        created_at: login.createdAt,
        updated_at: login.createdAt,
      })
      .execute();
  }

  async createToken(token: NewToken): Promise<void> {
    await this.db
      .insertInto('personal_access_tokens')
      .values({
        id: token.id,
        user_id: token.userId,
        name: token.name,
        token_hash: token.tokenHash,
        account_id: token.accountId,
        expires_at: token.expiresAt,
        revoked_at: null,
        last_used_at: null,
        created_at: token.createdAt,
      })
      .execute();
  }

  private selectActiveLogins(userId: string) {
    return this.db
      .selectFrom('logins as login')
      .innerJoin('accounts as account', 'account.id', 'login.account_id')
      .select([
        'login.id',
        'login.user_id',
        'login.account_id',
        'login.firm_id',
        'login.has_write_permission',
        'login.has_delete_permission',
        'account.type',
        'account.role',
      ])
      .where('login.user_id', '=', userId)
      .where('login.deactivated_at', 'is', null);
  }
}

interface LoginRow {
  id: string;
  user_id: string;
  account_id: string;
  firm_id: string;
  has_write_permission: number;
  has_delete_permission: number;
  type: string;
  role: string;
}

function toLoginRecord(row: LoginRow): LoginRecord {
  return {
    id: row.id,
    userId: row.user_id,
    accountId: row.account_id,
    firmId: row.firm_id,
    accountType: row.type as AccountType,
    accountRole: row.role as AccountRole,
    hasWritePermission: row.has_write_permission === 1,
    hasDeletePermission: row.has_delete_permission === 1,
  };
}
