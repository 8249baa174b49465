import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { TestFirm } from '../helpers/fixtures.js';
import { type TestApp, createTestApp } from '../helpers/test-app.js';

let t: TestApp;
let firm: TestFirm;

before(async () => {
  t = await createTestApp();
  firm = await t.fixtures.firm();
});

after(async () => {
  await t.close();
});

describe('/api/v1/circles', () => {
  test('creates a household and lists it with its members', async () => {
    const ada = await t.fixtures.client(firm, 'Ada', 'Jones');
    const ben = await t.fixtures.client(firm, 'Ben', 'Jones');
    const created = await t.request(firm.owner, {
      method: 'POST',
      url: '/api/v1/circles',
      payload: { name: 'Jones Family', account_uuids: [ada, ben, ada.toUpperCase()] },
    });

    assert.equal(created.statusCode, 201);
    const circle = created.json<{ uuid: string; name: string; accounts: { uuid: string }[] }>();
    assert.equal(circle.name, 'Jones Family');
    assert.deepEqual(
      circle.accounts.map((account) => account.uuid),
      [ada, ben],
    );

    const listed = await t.request(firm.owner, { method: 'GET', url: '/api/v1/circles' });
    assert.equal(listed.statusCode, 200);
    const page = listed.json<{ data: { uuid: string }[]; meta: { total: number } }>();
    assert.deepEqual(
      page.data.map((item) => item.uuid),
      [circle.uuid],
    );

    const details = await t.request(firm.owner, {
      method: 'GET',
      url: `/api/v2/contact-details?filter[circle_uuids]=${circle.uuid}`,
    });
    assert.equal(details.statusCode, 200);
  });

  test('rejects members that are not clients of the firm, and an empty name', async () => {
    const other = await t.fixtures.firm('Other Firm');
    const outsider = await t.fixtures.client(other, 'Olga', 'Outsider');
    const response = await t.request(firm.owner, {
      method: 'POST',
      url: '/api/v1/circles',
      payload: { name: 'Household', account_uuids: [outsider, firm.owner.accountId] },
    });

    assert.equal(response.statusCode, 422);
    assert.deepEqual(Object.keys(response.json<{ errors: object }>().errors).sort(), [
      'account_uuids.0',
      'account_uuids.1',
    ]);

    const blank = await t.request(firm.owner, {
      method: 'POST',
      url: '/api/v1/circles',
      payload: { name: ' ' },
    });
    assert.deepEqual(blank.json<{ errors: unknown }>().errors, {
      name: ['The name field is required.'],
    });
  });

  test('rejects filters and sorts, which the list does not have', async () => {
    for (const query of ['?filter[name]=x', '?sort=name']) {
      const response = await t.request(firm.owner, {
        method: 'GET',
        url: `/api/v1/circles${query}`,
      });
      assert.equal(response.statusCode, 400, query);
    }
  });

  test('is for employees, and creating needs write permission', async () => {
    const client = await t.fixtures.client(firm, 'Cara', 'Patel');
    const portal = await t.fixtures.member(firm, { type: 'client', accountId: client });
    const reader = await t.fixtures.member(firm);

    assert.equal(
      (await t.request(portal, { method: 'GET', url: '/api/v1/circles' })).statusCode,
      403,
    );
    assert.equal(
      (await t.request(reader, { method: 'GET', url: '/api/v1/circles' })).statusCode,
      200,
    );
    const created = await t.request(reader, {
      method: 'POST',
      url: '/api/v1/circles',
      payload: { name: 'X' },
    });
    assert.equal(created.statusCode, 403);
  });
});
