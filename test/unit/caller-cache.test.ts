import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { CallerCache, type ResolvedCaller } from '../../src/auth/caller-cache.js';

function resolvedCaller(accountId: string, tokenExpiresAt: string | null = null): ResolvedCaller {
  return {
    user: { userId: 'user', tokenId: 'token', tokenExpiresAt, restrictedToAccountId: null },
    caller: {
      userId: 'user',
      tokenId: 'token',
      accountId,
      accountType: 'employee',
      accountRole: 'owner',
      firmId: 'firm',
      hasWritePermission: true,
      hasDeletePermission: true,
    },
  };
}

describe('CallerCache', () => {
  test('entry past its time', () => {
    let now = 0;
    const cache = new CallerCache(1000, () => new Date(now));
    cache.set('hash', 'account', resolvedCaller('account'));

    now = 999;
    assert.equal(cache.get('hash', 'account')?.caller.accountId, 'account');
    now = 1000;
    assert.equal(cache.get('hash', 'account'), undefined);
  });

  test('token expiring before the time ends', () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const cache = new CallerCache(60_000, () => new Date(now));
    cache.set('hash', 'account', resolvedCaller('account', '2026-01-01T00:00:01Z'));

    now += 1000;
    assert.equal(cache.get('hash', 'account'), undefined);
  });

  test('token with an unreadable expiry', () => {
    const cache = new CallerCache(60_000, () => new Date(0));
    cache.set('hash', 'account', resolvedCaller('account', 'never'));

    assert.equal(cache.get('hash', 'account'), undefined);
  });

  test('time of 0', () => {
    const cache = new CallerCache(0, () => new Date(0));
    cache.set('hash', 'account', resolvedCaller('account'));

    assert.equal(cache.get('hash', 'account'), undefined);
  });

  test('full cache with expired entries', () => {
    let now = 0;
    const cache = new CallerCache(1000, () => new Date(now));
    for (let index = 0; index < 9_999; index += 1) {
      cache.set(`old-${String(index)}`, 'account', resolvedCaller('account'));
    }

    now = 1500;
    cache.set('kept', 'account', resolvedCaller('kept'));
    cache.set('added', 'account', resolvedCaller('added'));

    assert.equal(cache.get('kept', 'account')?.caller.accountId, 'kept');
    assert.equal(cache.get('added', 'account')?.caller.accountId, 'added');
    assert.equal(cache.get('old-0', 'account'), undefined);
  });
});
