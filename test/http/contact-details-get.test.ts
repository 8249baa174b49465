import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { TestFirm } from '../helpers/fixtures.js';
import { type TestApp, createTestApp } from '../helpers/test-app.js';

let t: TestApp;
let firm: TestFirm;
let ada: string;
let ben: string;
let adaEmail: string;

before(async () => {
  t = await createTestApp();
  firm = await t.fixtures.firm();
  ada = await t.fixtures.client(firm, 'Ada', 'Jones');
  ben = await t.fixtures.client(firm, 'Ben', 'Jones');
  adaEmail = await t.fixtures.detail(firm, 'email', 'ada@example.com', [ada], [ada], 'Personal');
});

after(async () => {
  await t.close();
});

describe('GET /api/v2/contact-details/:uuid', () => {
  test('returns the detail with its owners to an employee without write permission', async () => {
    const reader = await t.fixtures.member(firm);
    const response = await t.request(reader, {
      method: 'GET',
      url: `/api/v2/contact-details/${adaEmail}`,
    });

    assert.equal(response.statusCode, 200);
    const body = response.json<Record<string, unknown>>();
    assert.equal(body.uuid, adaEmail);
    assert.equal(body.name, 'Personal');
    assert.equal(body.value, 'ada@example.com');
    assert.equal(body.created_at, '2026-06-08T16:08:03+01:00');
    assert.equal((body.accounts as unknown[]).length, 1);
    assert.equal((body.primary_accounts as unknown[]).length, 1);
  });

  test('shows a client portal caller its own detail and hides the others', async () => {
    const portal = await t.fixtures.member(firm, { type: 'client', accountId: ada });
    const benEmail = await t.fixtures.detail(firm, 'email', 'ben@example.com', [ben]);

    const own = await t.request(portal, {
      method: 'GET',
      url: `/api/v2/contact-details/${adaEmail}`,
    });
    assert.equal(own.statusCode, 200);
    const others = await t.request(portal, {
      method: 'GET',
      url: `/api/v2/contact-details/${benEmail}`,
    });
    assert.equal(others.statusCode, 404);
  });

  test('refuses an external caller with 403', async () => {
    const external = await t.fixtures.member(firm, { type: 'external' });
    const response = await t.request(external, {
      method: 'GET',
      url: `/api/v2/contact-details/${adaEmail}`,
    });

    assert.equal(response.statusCode, 403);
  });

  test('answers 404 for a malformed or unknown UUID', async () => {
    for (const id of ['not-a-uuid', '00000000-0000-4000-8000-000000000000']) {
      const response = await t.request(firm.owner, {
        method: 'GET',
        url: `/api/v2/contact-details/${id}`,
      });
      assert.equal(response.statusCode, 404);
      assert.deepEqual(response.json(), { message: 'Contact detail not found.' });
    }
  });

  test('reads the path UUID in any case', async () => {
    const response = await t.request(firm.owner, {
      method: 'GET',
      url: `/api/v2/contact-details/${adaEmail.toUpperCase()}`,
    });

    assert.equal(response.statusCode, 200);
  });
});
