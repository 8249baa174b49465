import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { snapshotDatabase } from '../helpers/database-checks.js';
import type { TestFirm } from '../helpers/fixtures.js';
import { type TestApp, createTestApp } from '../helpers/test-app.js';

let t: TestApp;
let firm: TestFirm;
let detail: string;
let client: string;

before(async () => {
  t = await createTestApp();
  firm = await t.fixtures.firm();
  client = await t.fixtures.client(firm);
  detail = await t.fixtures.detail(firm, 'email', 'ada@example.com', [client], [client]);
});

after(async () => {
  await t.close();
});

function putDetail(headers: Record<string, string>) {
  return t.request(undefined, {
    method: 'PUT',
    url: `/api/v2/contact-details/${detail}`,
    headers,
    payload: { name: 'Changed', value: 'ada@example.com', account_uuids: [client] },
  });
}

function bearer(token: string, accountId: string = firm.owner.accountId) {
  return { authorization: `Bearer ${token}`, 'x-plannr-account-uuid': accountId };
}

describe('authentication', () => {
  test('a missing token gets 401 Unauthenticated.', async () => {
    const response = await putDetail({ 'x-plannr-account-uuid': firm.owner.accountId });

    assert.equal(response.statusCode, 401);
    assert.deepEqual(response.json(), { message: 'Unauthenticated.' });
  });

  test('an unknown token, or one in another scheme, gets 401', async () => {
    for (const authorization of ['Bearer contactd_nope', `Basic ${firm.owner.token}`, 'Bearer']) {
      const response = await putDetail({
        authorization,
        'x-plannr-account-uuid': firm.owner.accountId,
      });
      assert.equal(response.statusCode, 401, authorization);
    }
  });

  test('an expired token gets 401', async () => {
    const member = await t.fixtures.member(firm, { write: true });
    t.clock.advance(366 * 24 * 3600 * 1000);
    try {
      const response = await putDetail(bearer(member.token, member.accountId));
      assert.equal(response.statusCode, 401);
    } finally {
      t.clock.advance(-366 * 24 * 3600 * 1000);
    }
  });

  test('a revoked token gets 401', async () => {
    const member = await t.fixtures.member(firm, { write: true });
    await t.db
      .updateTable('personal_access_tokens')
      .set({ revoked_at: t.clock.now().toISOString() })
      .where('user_id', '=', member.userId)
      .execute();

    const response = await putDetail(bearer(member.token, member.accountId));
    assert.equal(response.statusCode, 401);
  });

  test('a missing or malformed acting account header gets 400 naming the header', async () => {
    for (const header of [undefined, 'not-a-uuid']) {
      const response = await putDetail({
        authorization: `Bearer ${firm.owner.token}`,
        ...(header === undefined ? {} : { 'x-plannr-account-uuid': header }),
      });
      assert.equal(response.statusCode, 400);
      assert.match(response.json<{ message: string }>().message, /X-PLANNR-ACCOUNT-UUID/);
    }
  });

  test('an account the user has no login for gets 403, whether it exists or not', async () => {
    for (const accountId of [client, '00000000-0000-4000-8000-000000000000']) {
      const response = await putDetail(bearer(firm.owner.token, accountId));
      assert.equal(response.statusCode, 403);
      assert.deepEqual(response.json(), { message: 'This action is unauthorized.' });
    }
  });

  test('a deactivated login gets 403', async () => {
    const member = await t.fixtures.member(firm, { write: true });
    await t.db
      .updateTable('logins')
      .set({ deactivated_at: t.clock.now().toISOString() })
      .where('user_id', '=', member.userId)
      .execute();

    const response = await putDetail(bearer(member.token, member.accountId));
    assert.equal(response.statusCode, 403);
  });

  test('a token restricted to one account cannot act as another of its user', async () => {
    const member = await t.fixtures.member(firm, { write: true, restrictToken: true });
    const secondAccount = await t.fixtures.member(firm, { write: true });
    await t.db
      .updateTable('logins')
      .set({ user_id: member.userId })
      .where('user_id', '=', secondAccount.userId)
      .execute();

    const own = await putDetail(bearer(member.token, member.accountId));
    assert.equal(own.statusCode, 200);
    const other = await putDetail(bearer(member.token, secondAccount.accountId));
    assert.equal(other.statusCode, 403);
  });

  test('the acting account header is read in any case of its hex digits', async () => {
    const response = await putDetail(bearer(firm.owner.token, firm.owner.accountId.toUpperCase()));

    assert.equal(response.statusCode, 200);
  });
});

describe('trusting a resolved caller for a while', () => {
  const revokeTokensOf = (userId: string) =>
    t.db
      .updateTable('personal_access_tokens')
      .set({ revoked_at: t.clock.now().toISOString() })
      .where('user_id', '=', userId)
      .execute();

  test('token revoked after use', async () => {
    const member = await t.fixtures.member(firm, { write: true });
    assert.equal((await putDetail(bearer(member.token, member.accountId))).statusCode, 200);
    await revokeTokensOf(member.userId);

    t.clock.advance(1000);
    const response = await putDetail(bearer(member.token, member.accountId));
    assert.equal(response.statusCode, 401);
  });

  test('login deactivated after use', async () => {
    const member = await t.fixtures.member(firm, { write: true });
    assert.equal((await putDetail(bearer(member.token, member.accountId))).statusCode, 200);
    await t.db
      .updateTable('logins')
      .set({ deactivated_at: t.clock.now().toISOString() })
      .where('user_id', '=', member.userId)
      .execute();

    t.clock.advance(1000);
    const response = await putDetail(bearer(member.token, member.accountId));
    assert.equal(response.statusCode, 403);
  });

  test('revocation with CALLER_CACHE_MS 0', async () => {
    const uncached = await createTestApp({ callerCacheMs: 0 });
    try {
      const otherFirm = await uncached.fixtures.firm();
      const request = () =>
        uncached.request(otherFirm.owner, { method: 'GET', url: '/api/v2/contact-details' });
      assert.equal((await request()).statusCode, 200);
      await uncached.db
        .updateTable('personal_access_tokens')
        .set({ revoked_at: uncached.clock.now().toISOString() })
        .where('user_id', '=', otherFirm.owner.userId)
        .execute();

      assert.equal((await request()).statusCode, 401);
    } finally {
      await uncached.close();
    }
  });

  test('token at its expiry', async () => {
    const trusting = await createTestApp({ callerCacheMs: 10 * 366 * 24 * 3600 * 1000 });
    try {
      const otherFirm = await trusting.fixtures.firm();
      const request = () =>
        trusting.request(otherFirm.owner, { method: 'GET', url: '/api/v2/contact-details' });
      assert.equal((await request()).statusCode, 200);

      trusting.clock.advance(366 * 24 * 3600 * 1000);
      assert.equal((await request()).statusCode, 401);
    } finally {
      await trusting.close();
    }
  });

  test('token with an unreadable expiry', async () => {
    const member = await t.fixtures.member(firm, { write: true });
    await t.db
      .updateTable('personal_access_tokens')
      .set({ expires_at: 'never' })
      .where('user_id', '=', member.userId)
      .execute();

    const response = await putDetail(bearer(member.token, member.accountId));
    assert.equal(response.statusCode, 401);
  });

  test('acting account in another spelling', async () => {
    const member = await t.fixtures.member(firm, { write: true });
    assert.equal((await putDetail(bearer(member.token, member.accountId))).statusCode, 200);
    await revokeTokensOf(member.userId);
    const spelling = ` ${member.accountId.toUpperCase()}\u00a0`;

    // One entry serves every spelling of the account, so spellings cannot fill the cache.
    const trusted = await putDetail(bearer(member.token, spelling));
    assert.equal(trusted.statusCode, 200);
    t.clock.advance(1000);
    const rejected = await putDetail(bearer(member.token, spelling));
    assert.equal(rejected.statusCode, 401);
  });

  test('clock moving back', async () => {
    const member = await t.fixtures.member(firm, { write: true });
    assert.equal((await putDetail(bearer(member.token, member.accountId))).statusCode, 200);
    await revokeTokensOf(member.userId);

    t.clock.advance(-1);
    try {
      const response = await putDetail(bearer(member.token, member.accountId));
      assert.equal(response.statusCode, 401);
    } finally {
      t.clock.advance(1);
    }
  });
});

describe('permissions on PUT', () => {
  test('an employee without write permission, a client and an external get 403', async () => {
    const readOnly = await t.fixtures.member(firm, { write: false, delete: true });
    const portal = await t.fixtures.member(firm, {
      type: 'client',
      accountId: client,
      write: true,
    });
    const external = await t.fixtures.member(firm, { type: 'external', write: true });
    const before = await snapshotDatabase(t.db);

    for (const caller of [readOnly, portal, external]) {
      const response = await putDetail(bearer(caller.token, caller.accountId));
      assert.equal(response.statusCode, 403);
    }
    assert.equal(await snapshotDatabase(t.db), before);
  });

  test('a caller who may not write gets 403 even for a body that breaks the rules', async () => {
    const readOnly = await t.fixtures.member(firm);
    const response = await t.request(readOnly, {
      method: 'PUT',
      url: `/api/v2/contact-details/${detail}`,
      payload: {},
    });

    assert.equal(response.statusCode, 403);
  });

  test('an employee with write permission may update', async () => {
    const writer = await t.fixtures.member(firm, { write: true });

    const response = await putDetail(bearer(writer.token, writer.accountId));
    assert.equal(response.statusCode, 200);
  });
});

describe('tenancy', () => {
  test("another firm's detail is 404 to read and to write, and stays as it was", async () => {
    const other = await t.fixtures.firm('Other Firm');
    const before = await snapshotDatabase(t.db);

    const write = await putDetail(bearer(other.owner.token, other.owner.accountId));
    assert.equal(write.statusCode, 404);
    assert.deepEqual(write.json(), { message: 'Contact detail not found.' });
    const read = await t.request(other.owner, {
      method: 'GET',
      url: `/api/v2/contact-details/${detail}`,
    });
    assert.equal(read.statusCode, 404);
    assert.equal(await snapshotDatabase(t.db), before);
  });
});

describe('logs', () => {
  test('write one line for a rejected request, naming the fields but not the values', async () => {
    t.logs.length = 0;
    await t.request(firm.owner, {
      method: 'PUT',
      url: `/api/v2/contact-details/${detail}`,
      headers: { 'x-request-id': 'rejected-1' },
      payload: { name: 'Changed', value: 'ada.@example.com', account_uuids: [client] },
    });

    const lines = t.logs.filter((line) => line.reqId === 'rejected-1');
    const [line] = lines;
    assert.equal(lines.length, 1);
    assert.ok(line);
    assert.deepEqual(line.rejection, { code: 'validation_failed', fields: ['value'] });
    assert.equal(line.statusCode, 422);
    assert.doesNotMatch(JSON.stringify(t.logs), /ada\.@example/);
  });

  test('carry a request id on every line and never the token', async () => {
    t.logs.length = 0;
    await putDetail({ ...bearer(firm.owner.token), 'x-request-id': 'trace-123' });

    assert.ok(t.logs.length > 0);
    for (const line of t.logs) {
      assert.equal(line.reqId, 'trace-123');
      assert.equal(line.firmId, firm.firmId);
    }
    assert.doesNotMatch(JSON.stringify(t.logs), new RegExp(firm.owner.token));
    assert.doesNotMatch(JSON.stringify(t.logs), /ada@example\.com/);
  });
});
