import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { assertInvariants } from '../helpers/database-checks.js';
import type { TestFirm } from '../helpers/fixtures.js';
import { type TestApp, createTestApp } from '../helpers/test-app.js';

let t: TestApp;
let firm: TestFirm;

before(async () => {
  t = await createTestApp({ rateLimit: { max: 0, windowMs: 60_000 } });
  firm = await t.fixtures.firm();
});

after(async () => {
  await t.close();
});

describe('concurrent writes', () => {
  test('50 requests making different details primary for one client leave one primary', async () => {
    const ada = await t.fixtures.client(firm, 'Ada', 'Jones');
    const ben = await t.fixtures.client(firm, 'Ben', 'Jones');
    const details: string[] = [];
    for (let index = 0; index < 50; index += 1) {
      const owners = index % 2 === 0 ? [ada] : [ada, ben];
      details.push(
        await t.fixtures.detail(firm, 'phone_number', `020 7946 ${String(1000 + index)}`, owners),
      );
    }

    const responses = await Promise.all(
      details.map((id, index) =>
        t.request(firm.owner, {
          method: 'PUT',
          url: `/api/v2/contact-details/${id}`,
          payload: {
            name: `Line ${String(index)}`,
            value: `020 7946 ${String(1000 + index)}`,
            account_uuids: index % 2 === 0 ? [ada] : [ada, ben],
            primary_account_uuids: index % 2 === 0 ? [ada] : [ada, ben],
          },
        }),
      ),
    );

    assert.deepEqual(
      responses.map((response) => response.statusCode),
      details.map(() => 200),
    );
    await assertInvariants(t.db);
    const primaries = await t.db
      .selectFrom('contact_detail_owners')
      .select(['account_id'])
      .where('is_primary', '=', 1)
      .where('type', '=', 'phone_number')
      .execute();
    assert.equal(primaries.filter((row) => row.account_id === ada).length, 1);
    assert.equal(primaries.filter((row) => row.account_id === ben).length, 1);
  });

  test('requests racing over a few details of one client all succeed, without deadlock', async () => {
    const dan = await t.fixtures.client(firm, 'Dan', 'Smith');
    const details = [
      await t.fixtures.detail(firm, 'phone_number', '0113 496 0001', [dan]),
      await t.fixtures.detail(firm, 'phone_number', '0113 496 0002', [dan]),
      await t.fixtures.detail(firm, 'phone_number', '0113 496 0003', [dan]),
    ];
    for (let round = 0; round < 4; round += 1) {
      const responses = await Promise.all(
        Array.from({ length: 24 }, (_, index) => {
          const id = details[index % details.length] ?? '';

          return t.request(firm.owner, {
            method: 'PUT',
            url: `/api/v2/contact-details/${id}`,
            payload: {
              name: `Round ${String(round)}`,
              value: `0113 496 000${String((index % details.length) + 1)}`,
              account_uuids: [dan],
              primary_account_uuids: [dan],
            },
          });
        }),
      );

      assert.deepEqual(
        responses.map((response) => response.statusCode),
        responses.map(() => 200),
        responses.find((response) => response.statusCode !== 200)?.body,
      );
    }

    await assertInvariants(t.db);
  });

  test('parallel creations of one value for one client leave a single detail', async () => {
    const cara = await t.fixtures.client(firm, 'Cara', 'Patel');
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.request(firm.owner, {
          method: 'POST',
          url: '/api/v2/contact-details',
          payload: {
            type: 'email',
            name: 'Personal',
            value: 'cara@example.com',
            account_uuids: [cara],
            is_primary: true,
          },
        }),
      ),
    );

    const statuses = responses.map((response) => response.statusCode).sort();
    assert.equal(statuses.filter((status) => status === 201).length, 1);
    assert.equal(statuses.filter((status) => status === 422).length, 19);
    await assertInvariants(t.db);
  });
});
