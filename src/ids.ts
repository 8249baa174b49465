import { randomBytes } from 'node:crypto';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Tells whether `text` is a UUID in its canonical 8-4-4-4-12 hexadecimal form, in any case. */
export function isUuid(text: string): boolean {
  return UUID_PATTERN.test(text);
}

// Random bytes are drawn from the system a few kilobytes at a time rather than 16 at a time,
// because one call per id took a twentieth of the time of a read.
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let poolOffset = 0;

function randomBytesFromPool(size: number): Buffer {
  if (poolOffset + size > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }

  const bytes = Buffer.from(pool.subarray(poolOffset, poolOffset + size));
  poolOffset += size;

  return bytes;
}

let lastMilliseconds = 0;
let sequence = 0;

/**
 * Generates a UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, a 12-bit sequence, then
 * random bits. Ids made later in this process sort later, even within one millisecond, so new rows
 * land at the end of an index and ties on a timestamp break in creation order.
 */
export function newId(now: number = Date.now()): string {
  if (now > lastMilliseconds) {
    lastMilliseconds = now;
    // A random start leaves room for thousands of ids in the same millisecond.
    sequence = randomBytesFromPool(1)[0] ?? 0;
  } else {
    sequence += 1;
    if (sequence > 0xfff) {
      lastMilliseconds += 1;
      sequence = 0;
    }
  }

  const bytes = randomBytesFromPool(16);
  bytes.writeUIntBE(lastMilliseconds, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString('hex');

  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20),
  ].join('-');
}
