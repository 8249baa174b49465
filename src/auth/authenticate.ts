import { BadRequestError, ForbiddenError, UnauthenticatedError } from '../errors.js';
import { isUuid } from '../ids.js';
import type { AuthRepository } from './repository.js';
import type { AuthenticatedUser, Caller } from './caller.js';
import { hashToken, hashesMatch } from './tokens.js';

/** The header that names the acting account. */
export const ACCOUNT_HEADER = 'x-plannr-account-uuid';

// Longer than any token contactd issues; a longer header is rejected before it is hashed.
const MAX_TOKEN_LENGTH = 512;

/**
 * Reads the bearer token of an `Authorization` header and returns its SHA-256 hash, the form in
 * which tokens are stored. A missing or malformed header gets UnauthenticatedError.
 */
export function bearerTokenHash(authorization: string | undefined): string {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
  const plainText = match?.[1];
  if (plainText === undefined || plainText.length > MAX_TOKEN_LENGTH) {
    throw new UnauthenticatedError();
  }

  return hashToken(plainText);
}

/**
 * Finds the user of the token with hash `tokenHash`. An unknown, expired or revoked token gets
 * UnauthenticatedError, with one message for all, so that a caller cannot distinguish them.
 */
export async function authenticateToken(
  auth: AuthRepository,
  tokenHash: string,
  now: Date,
): Promise<AuthenticatedUser> {
  const token = await auth.findTokenByHash(tokenHash);
  if (
    token === undefined ||
    !hashesMatch(token.tokenHash, tokenHash) ||
    token.revokedAt !== null ||
    // An expiry that cannot be read is NaN and counts as passed, so a damaged row grants nothing.
    !(tokenExpiryOf(token.expiresAt) > now.getTime())
  ) {
    throw new UnauthenticatedError();
  }

  return {
    userId: token.userId,
    tokenId: token.id,
    tokenExpiresAt: token.expiresAt,
    restrictedToAccountId: token.accountId,
  };
}

/**
 * Returns the time in milliseconds at which a token with the stored `expiresAt` expires: infinity
 * when it never does, and NaN when the stored value cannot be read.
 */
export function tokenExpiryOf(expiresAt: string | null): number {
  return expiresAt === null ? Number.POSITIVE_INFINITY : Date.parse(expiresAt);
}

/**
 * Returns the account UUID that an `X-PLANNR-ACCOUNT-UUID` header names, trimmed and in lower
 * case, or undefined when the header is missing, repeated or not a UUID.
 */
export function accountIdOf(accountHeader: string | string[] | undefined): string | undefined {
  if (typeof accountHeader !== 'string') {
    return undefined;
  }

  const accountId = accountHeader.trim();

  return isUuid(accountId) ? accountId.toLowerCase() : undefined;
}

/**
 * Resolves the acting account named by the `X-PLANNR-ACCOUNT-UUID` header. A missing or malformed
 * header is a BadRequestError; an account the user has no active login for, whether or not it
 * exists, or one the token is not allowed to act as, is a ForbiddenError.
 */
export async function resolveCaller(
  auth: AuthRepository,
  user: AuthenticatedUser,
  accountHeader: string | string[] | undefined,
): Promise<Caller> {
  if (accountHeader === undefined || accountHeader === '') {
    throw new BadRequestError(
      'The X-PLANNR-ACCOUNT-UUID header is required: set it to the UUID of the account you act as, ' +
        'which GET /api/v1/logins lists.',
    );
  }

  const normalizedId = accountIdOf(accountHeader);
  if (normalizedId === undefined) {
    throw new BadRequestError(
      'The X-PLANNR-ACCOUNT-UUID header must be a single account UUID, such as ' +
        '1c3f5e0a-8d2b-4f67-9a41-2b7d6c9e0f13.',
    );
  }

  if (user.restrictedToAccountId !== null && user.restrictedToAccountId !== normalizedId) {
    throw new ForbiddenError();
  }

  const login = await auth.findActiveLogin(user.userId, normalizedId);
  if (login === undefined) {
    throw new ForbiddenError();
  }

  return {
    userId: user.userId,
    tokenId: user.tokenId,
    accountId: login.accountId,
    accountType: login.accountType,
    accountRole: login.accountRole,
    firmId: login.firmId,
    hasWritePermission: login.hasWritePermission,
    hasDeletePermission: login.hasDeletePermission,
  };
}
