import { randomBytes } from 'node:crypto';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Tells whether `text` is a UUID in its canonical 8-4-4-4-12 hexadecimal form, in any case. */
export function isUuid(text: string): boolean {
  return UUID_PATTERN.test(text);
}

/**
 * Generates a UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids made
 * later sort later, so new rows land at the end of an index instead of at random places in it.
 */
export function newId(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString('hex');

  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
