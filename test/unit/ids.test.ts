import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { isUuid, newId } from '../../src/ids.js';

describe('newId', () => {
  test('makes version 7 UUIDs that sort by time', () => {
    const earlier = newId(Date.parse('2026-01-01T00:00:00Z'));
    const later = newId(Date.parse('2026-01-01T00:00:00.001Z'));

    assert.match(earlier, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(earlier < later);
  });

  test('makes ids that sort in creation order within one millisecond', () => {
    const instant = Date.parse('2027-01-01T00:00:00Z');
    const ids = Array.from({ length: 5000 }, () => newId(instant));

    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
  });
});

describe('isUuid', () => {
  test('accepts the canonical form in any case and nothing else', () => {
    assert.equal(isUuid('1C3F5E0A-8D2B-4F67-9A41-2B7D6C9E0F13'), true);
    assert.equal(isUuid('urn:uuid:1c3f5e0a-8d2b-4f67-9a41-2b7d6c9e0f13'), false);
    assert.equal(isUuid('1c3f5e0a8d2b4f679a412b7d6c9e0f13'), false);
  });
});
