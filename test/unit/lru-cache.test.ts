import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { LruCache } from '../../src/values/lru-cache.js';

describe('LruCache', () => {
  test('returns what was set', () => {
    const cache = new LruCache<number>(2);
    cache.set('a', 1);

    assert.equal(cache.get('a'), 1);
    assert.equal(cache.get('b'), undefined);
  });

  test('evicts the least recently used', () => {
    const cache = new LruCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');

    cache.set('c', 3);

    assert.equal(cache.get('a'), 1);
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('c'), 3);
  });

  test('replacing a key evicts nothing', () => {
    const cache = new LruCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);

    cache.set('a', 10);

    assert.equal(cache.get('a'), 10);
    assert.equal(cache.get('b'), 2);
  });
});
