import type { Clock } from '../time.js';
import { tokenExpiryOf } from './authenticate.js';
import type { AuthenticatedUser, Caller } from './caller.js';

/** Whom a token and an acting account resolved to. */
export interface ResolvedCaller {
  user: AuthenticatedUser;
  caller: Caller;
}

interface Entry extends ResolvedCaller {
  storedAt: number;
  expiresAt: number;
}

// Distinct token and account pairs kept at most. A full cache drops its expired entries, and
// then every entry if it is still full.
const MAX_ENTRIES = 10_000;

/**
 * Keeps each caller that a token and an acting account resolved to for `ttlMs`, so that a
 * client's run of requests reads its token and login once, not on every request. A token revoked
 * in the database, or a login deactivated there, is still trusted for up to `ttlMs`. A token past
 * its expiry is never served, and a rejected token or account is never kept. A `ttlMs` of 0 keeps
 * nothing.
 */
export class CallerCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: Clock,
  ) {}

  get(tokenHash: string, accountId: string): ResolvedCaller | undefined {
    const key = keyOf(tokenHash, accountId);
    const entry = this.entries.get(key);
    if (entry === undefined) {
      return undefined;
    }

    if (!isLive(entry, this.clock().getTime())) {
      this.entries.delete(key);

      return undefined;
    }

    return entry;
  }

  set(tokenHash: string, accountId: string, resolved: ResolvedCaller): void {
    const now = this.clock().getTime();
    const tokenExpiry = tokenExpiryOf(resolved.user.tokenExpiresAt);
    if (this.ttlMs === 0 || Number.isNaN(tokenExpiry)) {
      return;
    }

    if (this.entries.size >= MAX_ENTRIES) {
      this.dropExpired(now);
    }

    this.entries.set(keyOf(tokenHash, accountId), {
      ...resolved,
      storedAt: now,
      expiresAt: Math.min(now + this.ttlMs, tokenExpiry),
    });
  }

  private dropExpired(now: number): void {
    for (const [key, entry] of this.entries) {
      if (!isLive(entry, now)) {
        this.entries.delete(key);
      }
    }

    if (this.entries.size >= MAX_ENTRIES) {
      this.entries.clear();
    }
  }
}

/** Tells whether `entry` may still be served at `now`; a clock that went back also ends it. */
function isLive(entry: Entry, now: number): boolean {
  return now < entry.expiresAt && now >= entry.storedAt;
}

function keyOf(tokenHash: string, accountId: string): string {
  return `${tokenHash} ${accountId}`;
}
