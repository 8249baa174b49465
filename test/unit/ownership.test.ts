import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { planOwnership } from '../../src/contact-details/ownership.js';

const ada = { accountId: 'ada', isPrimary: true };
const ben = { accountId: 'ben', isPrimary: false };

describe('planOwnership', () => {
  test('changes nothing when the request repeats the current state', () => {
    const plan = planOwnership([ada, ben], ['ada', 'ben'], ['ada']);

    assert.equal(plan.changed, false);
    assert.deepEqual(plan.owners, [ada, ben]);
  });

  test('keeps the current flags without a primary list', () => {
    const plan = planOwnership([ada, ben], ['ben', 'ada', 'cara'], undefined);

    assert.deepEqual(plan.owners, [ben, ada, { accountId: 'cara', isPrimary: false }]);
    assert.deepEqual(plan.added, [{ accountId: 'cara', isPrimary: false }]);
    assert.deepEqual(plan.newlyPrimary, []);
  });

  test('sets exactly the listed primaries, even none', () => {
    const swapped = planOwnership([ada, ben], ['ada', 'ben'], ['ben']);
    assert.deepEqual(swapped.promoted, ['ben']);
    assert.deepEqual(swapped.demoted, ['ada']);
    assert.deepEqual(swapped.newlyPrimary, ['ben']);

    const none = planOwnership([ada, ben], ['ada', 'ben'], []);
    assert.deepEqual(none.demoted, ['ada']);
    assert.equal(none.changed, true);
  });

  test('removes owners that are not listed, whatever their flags', () => {
    const plan = planOwnership([ada, ben], ['ben'], undefined);

    assert.deepEqual(plan.removed, ['ada']);
    assert.deepEqual(plan.demoted, []);
    assert.deepEqual(plan.owners, [ben]);
  });

  test('counts a new primary owner as newly primary', () => {
    const plan = planOwnership([], ['ada', 'ben'], ['ben']);

    assert.deepEqual(plan.added, [
      { accountId: 'ada', isPrimary: false },
      { accountId: 'ben', isPrimary: true },
    ]);
    assert.deepEqual(plan.newlyPrimary, ['ben']);
  });
});
