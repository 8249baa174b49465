import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keyLength: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

// OWASP's minimum for scrypt: N = 2^17, r = 8, p = 1, which takes 128 MiB of memory.
const COST = { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 };
const KEY_LENGTH = 32;

export const MIN_PASSWORD_LENGTH = 8;

/** Throws an Error naming the rule when a new password is too short to set. */
export function assertPasswordStrength(password: string): void {
  if (Array.from(password).length < MIN_PASSWORD_LENGTH) {
    throw new Error(`a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  }
}

/** Hashes a password with scrypt and a random salt, as `scrypt$N$r$p$salt$key` in base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password.normalize('NFC'), salt, KEY_LENGTH, COST);

  return [
    'scrypt',
    COST.N,
    COST.r,
    COST.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

// Each scrypt check takes 128 MiB and a thread of libuv's pool, which file and DNS work share:
// running at most two at once bounds both, and queues the rest.
const MAX_CONCURRENT_CHECKS = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function withCheckSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_CHECKS) {
    await new Promise<void>((resolve) => waiting.push(resolve));
  }

  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

/** Tells whether `password` matches a hash made by hashPassword; false for a malformed hash. */
export function verifyPassword(password: string, stored: string): Promise<boolean> {
  return withCheckSlot(() => comparePassword(password, stored));
}

async function comparePassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || key === undefined) {
    return false;
  }

  const expected = Buffer.from(key, 'base64url');
  const actual = await scryptAsync(
    password.normalize('NFC'),
    Buffer.from(salt, 'base64url'),
    expected.length,
    {
      N: Number(n),
      r: Number(r),
      p: Number(p),
      maxmem: COST.maxmem,
    },
  );

  return timingSafeEqual(actual, expected);
}
