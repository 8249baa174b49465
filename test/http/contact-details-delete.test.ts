import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { assertInvariants, snapshotDatabase } from '../helpers/database-checks.js';
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

function remove(id: string, caller = firm.owner) {
  return t.request(caller, { method: 'DELETE', url: `/api/v2/contact-details/${id}` });
}

describe('DELETE /api/v2/contact-details/:uuid', () => {
  test('answers 204, hides the detail and releases the primaries it held', async () => {
    const ada = await t.fixtures.client(firm, 'Ada', 'Jones');
    const email = await t.fixtures.detail(firm, 'email', 'ada@example.com', [ada], [ada]);
    const phone = await t.fixtures.detail(firm, 'phone_number', '020 7946 0123', [ada], [ada]);

    const response = await remove(email);
    assert.equal(response.statusCode, 204);
    assert.equal(response.body, '');

    const read = await t.request(firm.owner, {
      method: 'GET',
      url: `/api/v2/contact-details/${email}`,
    });
    assert.equal(read.statusCode, 404);
    const listed = await t.request(firm.owner, {
      method: 'GET',
      url: `/api/v2/contact-details?filter[account_uuids]=${ada}`,
    });
    assert.deepEqual(
      listed.json<{ data: { uuid: string }[] }>().data.map((detail) => detail.uuid),
      [phone],
    );
    const account = await t.db
      .selectFrom('accounts')
      .select(['primary_email', 'primary_phone_number'])
      .where('id', '=', ada)
      .executeTakeFirstOrThrow();
    assert.deepEqual(account, { primary_email: null, primary_phone_number: '+442079460123' });

    const row = await t.db
      .selectFrom('contact_details')
      .select(['deleted_at', 'value'])
      .where('id', '=', email)
      .executeTakeFirstOrThrow();
    assert.equal(
      row.deleted_at,
      t.clock.now().toISOString(),
      'the row is kept for the audit trail',
    );
    assert.equal(row.value, 'ada@example.com');
    await assertInvariants(t.db);

    assert.equal((await remove(email)).statusCode, 404, 'a second delete finds nothing');
  });

  test('accepts a JSON content type with no body', async () => {
    const dan = await t.fixtures.client(firm, 'Dan', 'Smith');
    const email = await t.fixtures.detail(firm, 'email', 'dan@example.com', [dan]);
    const response = await t.request(firm.owner, {
      method: 'DELETE',
      url: `/api/v2/contact-details/${email}`,
      headers: { 'content-type': 'application/json' },
    });

    assert.equal(response.statusCode, 204);
  });

  test('frees the value for the same owner to add again, as primary', async () => {
    const ben = await t.fixtures.client(firm, 'Ben', 'Jones');
    const first = await t.fixtures.detail(firm, 'email', 'ben@example.com', [ben], [ben]);
    assert.equal((await remove(first)).statusCode, 204);

    await t.fixtures.detail(firm, 'email', 'ben@example.com', [ben], [ben]);
    await assertInvariants(t.db);
  });

  test('needs delete permission, and leaves everything as it was without it', async () => {
    const cara = await t.fixtures.client(firm, 'Cara', 'Patel');
    const email = await t.fixtures.detail(firm, 'email', 'cara@example.com', [cara], [cara]);
    const writer = await t.fixtures.member(firm, { write: true, delete: false });
    const portal = await t.fixtures.member(firm, { type: 'client', accountId: cara, delete: true });
    const external = await t.fixtures.member(firm, { type: 'external', delete: true });
    const before = await snapshotDatabase(t.db);

    for (const caller of [writer, portal, external]) {
      assert.equal((await remove(email, caller)).statusCode, 403);
    }
    assert.equal(await snapshotDatabase(t.db), before);

    const deleter = await t.fixtures.member(firm, { delete: true });
    assert.equal((await remove(email, deleter)).statusCode, 204);
  });

  test("answers 404 for another firm's detail and keeps it", async () => {
    const dora = await t.fixtures.client(firm, 'Dora', 'Lee');
    const email = await t.fixtures.detail(firm, 'email', 'dora@example.com', [dora]);
    const other = await t.fixtures.firm('Other Firm');
    const before = await snapshotDatabase(t.db);

    assert.equal((await remove(email, other.owner)).statusCode, 404);
    assert.equal(await snapshotDatabase(t.db), before);
  });
});
