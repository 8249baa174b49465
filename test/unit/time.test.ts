import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { formatTimestamp, isTimeZone } from '../../src/time.js';

describe('formatTimestamp', () => {
  test('writes British Summer Time as +01:00 and winter as +00:00', () => {
    assert.equal(
      formatTimestamp('2026-06-08T15:08:03.999Z', 'Europe/London'),
      '2026-06-08T16:08:03+01:00',
    );
    assert.equal(
      formatTimestamp('2026-01-08T15:08:03.000Z', 'Europe/London'),
      '2026-01-08T15:08:03+00:00',
    );
  });

  test('follows the change of the clocks to the second', () => {
    // British Summer Time began at 01:00 UTC on 29 March 2026.
    assert.equal(
      formatTimestamp('2026-03-29T00:59:59.000Z', 'Europe/London'),
      '2026-03-29T00:59:59+00:00',
    );
    assert.equal(
      formatTimestamp('2026-03-29T01:00:00.000Z', 'Europe/London'),
      '2026-03-29T02:00:00+01:00',
    );
  });

  test('writes offsets behind UTC and of half hours', () => {
    assert.equal(
      formatTimestamp('2026-01-08T15:08:03.000Z', 'America/New_York'),
      '2026-01-08T10:08:03-05:00',
    );
    assert.equal(
      formatTimestamp('2026-01-08T15:08:03.000Z', 'Asia/Kolkata'),
      '2026-01-08T20:38:03+05:30',
    );
  });

  test('writes midnight as 00, not 24', () => {
    assert.equal(formatTimestamp('2026-01-08T00:00:00.000Z', 'UTC'), '2026-01-08T00:00:00+00:00');
  });
});

describe('isTimeZone', () => {
  test('accepts IANA names and rejects others', () => {
    assert.equal(isTimeZone('Europe/London'), true);
    assert.equal(isTimeZone('Mars/Olympus'), false);
  });
});
