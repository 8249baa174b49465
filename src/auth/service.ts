import { FieldErrorCollector, TooManyRequestsError, ValidationError } from '../errors.js';
import { issueToken } from '../firms/provisioning.js';
import type { Storage } from '../storage/storage.js';
import { type Clock, formatTimestamp } from '../time.js';
import type { AuthenticatedUser } from './caller.js';
import { verifyPassword } from './password.js';
import type { CreateTokenBody, LoginList, TokenResource } from './schemas.js';

// A user may get its password wrong this many times in a window before its checks pause.
const MAX_FAILED_PASSWORDS = 5;
const FAILED_PASSWORD_WINDOW_MS = 15 * 60 * 1000;

/** The use cases of the token's user, which need no acting account. */
export class UserService {
  /** Failed password checks of each user in the current window, kept in this process. */
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly timeZone: string,
  ) {}

  /**
   * Lists the user's active logins, each with its account and firm: how a client finds the value
   * for `X-PLANNR-ACCOUNT-UUID`. A token restricted to one account lists only that login.
   */
  async listLogins(user: AuthenticatedUser): Promise<LoginList> {
    const logins = await this.storage.read({ userId: user.userId }, ({ auth }) =>
      auth.listLoginViews(user.userId),
    );
    const visible = logins.filter(
      (login) =>
        user.restrictedToAccountId === null || login.accountId === user.restrictedToAccountId,
    );

    return {
      data: visible.map((login) => ({
        uuid: login.id,
        created_at: formatTimestamp(login.createdAt, this.timeZone),
        updated_at: formatTimestamp(login.updatedAt, this.timeZone),
        has_write_permission: login.hasWritePermission,
        has_delete_permission: login.hasDeletePermission,
        account: {
          uuid: login.accountId,
          type: login.accountType,
          role: login.accountRole,
          name: login.accountName,
          firm: { uuid: login.firmId, name: login.firmName },
        },
      })),
    };
  }

  /**
   * Rejects a password check with 429 while the user has failed too often lately, so that a stolen
   * token cannot guess its user's password at the speed of the rate limit.
   */
  private assertPasswordChecksAllowed(userId: string): void {
    const failure = this.failures.get(userId);
    if (failure === undefined) {
      return;
    }

    const elapsed = this.clock().getTime() - failure.since;
    if (elapsed >= FAILED_PASSWORD_WINDOW_MS) {
      this.failures.delete(userId);

      return;
    }

    if (failure.count >= MAX_FAILED_PASSWORDS) {
      throw new TooManyRequestsError(Math.ceil((FAILED_PASSWORD_WINDOW_MS - elapsed) / 1000));
    }
  }

  private recordFailure(userId: string): void {
    const failure = this.failures.get(userId);
    if (failure === undefined) {
      this.failures.set(userId, { count: 1, since: this.clock().getTime() });
    } else {
      failure.count += 1;
    }
  }

  /**
   * Issues a new token for the user once the password confirms the user's identity. A token restricted to
   * one account can issue only tokens restricted to that account.
   */
  async createToken(user: AuthenticatedUser, body: CreateTokenBody): Promise<TokenResource> {
    this.assertPasswordChecksAllowed(user.userId);
    const errors = new FieldErrorCollector();
    const passwordHash = await this.storage.read({}, ({ auth }) =>
      auth.findPasswordHash(user.userId),
    );
    if (passwordHash === null) {
      errors.add(
        'password',
        'This user has no password, so it cannot issue tokens here; set one with ' +
          '`contactd password --email ...` or issue a token with `contactd token`.',
      );
    } else if (!(await verifyPassword(body.password, passwordHash))) {
      this.recordFailure(user.userId);
      errors.add('password', 'The password is incorrect.');
    }

    errors.throwIfAny();
    const accountId = body.account_uuid?.toLowerCase() ?? user.restrictedToAccountId;
    if (user.restrictedToAccountId !== null && accountId !== user.restrictedToAccountId) {
      throw ValidationError.of(
        'account_uuid',
        'This token is restricted to one account, so it can only issue tokens for that account.',
      );
    }

    const login =
      accountId === null
        ? undefined
        : await this.storage.read({ userId: user.userId }, ({ auth }) =>
            auth.findActiveLogin(user.userId, accountId),
          );
    if (accountId !== null && login === undefined) {
      throw ValidationError.of(
        'account_uuid',
        `The selected account_uuid is invalid: you have no active login to account ${accountId}.`,
      );
    }

    const now = this.clock();
    const name = body.name.trim() === '' ? 'token' : body.name.trim();
    const token = await this.storage.transaction({ userId: user.userId }, (repositories) =>
      issueToken(repositories, user.userId, name, now, accountId),
    );

    return {
      name,
      token: token.plainText,
      account_uuid: accountId,
      created_at: formatTimestamp(now.toISOString(), this.timeZone),
      expires_at: formatTimestamp(token.expiresAt, this.timeZone),
    };
  }
}
