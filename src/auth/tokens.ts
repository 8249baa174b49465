import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Marks contactd's personal access tokens, so that secret scanners and people can recognise one. */
export const TOKEN_PREFIX = 'contactd_';

/** A new token: the plain text, shown to its owner once, and the hash that is stored. */
export interface GeneratedToken {
  plainText: string;
  hash: string;
}

/** Generates a personal access token with 256 random bits. */
export function generateToken(): GeneratedToken {
  const plainText = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;

  return { plainText, hash: hashToken(plainText) };
}

/**
 * Hashes a plain token with SHA-256. A fast hash is enough here because the token carries 256
 * random bits, unlike a password; it also lets the token be found by an index lookup.
 */
export function hashToken(plainText: string): string {
  return createHash('sha256').update(plainText, 'utf8').digest('hex');
}

/** Compares two hex hashes in constant time. */
export function hashesMatch(left: string, right: string): boolean {
  const leftBytes = Buffer.from(left, 'hex');
  const rightBytes = Buffer.from(right, 'hex');

  return leftBytes.length === rightBytes.length && timingSafeEqual(leftBytes, rightBytes);
}
