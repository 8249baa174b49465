import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { hashPassword } from '../../src/auth/password.js';
import type { TestFirm } from '../helpers/fixtures.js';
import { type TestApp, createTestApp } from '../helpers/test-app.js';

let t: TestApp;
let firm: TestFirm;
const PASSWORD = 'correct horse battery staple';

before(async () => {
  t = await createTestApp();
  firm = await t.fixtures.firm('Harbour Wealth');
  const passwordHash = await hashPassword(PASSWORD);
  await t.storage.transaction({}, ({ auth }) =>
    auth.setPasswordHash(firm.owner.userId, passwordHash, t.clock.now().toISOString()),
  );
});

after(async () => {
  await t.close();
});

function bearer(token: string) {
  return { authorization: `Bearer ${token}` };
}

describe('GET /api/v1/logins', () => {
  test("lists the token user's logins with account and firm, without an acting account", async () => {
    const response = await t.request(undefined, {
      method: 'GET',
      url: '/api/v1/logins',
      headers: bearer(firm.owner.token),
    });

    assert.equal(response.statusCode, 200);
    const [login] = response.json<{
      data: { has_write_permission: boolean; account: Record<string, unknown> }[];
    }>().data;
    assert.ok(login);
    assert.equal(login.has_write_permission, true);
    assert.deepEqual(login.account, {
      uuid: firm.owner.accountId,
      type: 'employee',
      role: 'owner',
      name: 'Olive Owner',
      firm: { uuid: firm.firmId, name: 'Harbour Wealth' },
    });
  });

  test('needs a token', async () => {
    const response = await t.request(undefined, { method: 'GET', url: '/api/v1/logins' });

    assert.equal(response.statusCode, 401);
  });
});

describe('POST /api/v1/personal-access-tokens', () => {
  function issue(payload: object, token = firm.owner.token) {
    return t.request(undefined, {
      method: 'POST',
      url: '/api/v1/personal-access-tokens',
      headers: bearer(token),
      payload,
    });
  }

  test('issues a token that works, expiring in a year, once the password matches', async () => {
    const response = await issue({ name: 'Integration', password: PASSWORD });

    assert.equal(response.statusCode, 201);
    const body = response.json<{
      token: string;
      name: string;
      expires_at: string;
      account_uuid: null;
    }>();
    assert.equal(body.name, 'Integration');
    assert.equal(body.account_uuid, null);
    assert.equal(body.expires_at, '2027-06-08T16:08:03+01:00');
    const stored = await t.db.selectFrom('personal_access_tokens').select('token_hash').execute();
    assert.equal(
      stored.some((row) => row.token_hash.includes(body.token)),
      false,
      'only a hash is stored',
    );

    const used = await t.request(undefined, {
      method: 'GET',
      url: '/api/v1/logins',
      headers: bearer(body.token),
    });
    assert.equal(used.statusCode, 200);
  });

  test('restricts a token to one account of the user', async () => {
    const response = await issue({
      name: 'Scoped',
      password: PASSWORD,
      account_uuid: firm.owner.accountId,
    });

    assert.equal(response.statusCode, 201);
    assert.equal(response.json<{ account_uuid: string }>().account_uuid, firm.owner.accountId);
  });

  test('rejects a wrong password, and an account without a login, with 422', async () => {
    const wrong = await issue({ name: 'X', password: 'wrong' });
    assert.equal(wrong.statusCode, 422);
    assert.deepEqual(wrong.json<{ errors: unknown }>().errors, {
      password: ['The password is incorrect.'],
    });

    const client = await t.fixtures.client(firm);
    const unknown = await issue({ name: 'X', password: PASSWORD, account_uuid: client });
    assert.equal(unknown.statusCode, 422);
    assert.deepEqual(Object.keys(unknown.json<{ errors: object }>().errors), ['account_uuid']);
  });

  test('tells a user without a password how to set one', async () => {
    const member = await t.fixtures.member(firm);
    const response = await issue({ name: 'X', password: 'anything' }, member.token);

    assert.equal(response.statusCode, 422);
    assert.match(response.json<{ message: string }>().message, /contactd password/);
  });

  test('rejects a blank name as missing', async () => {
    const response = await issue({ name: '   ', password: PASSWORD });

    assert.equal(response.statusCode, 422);
    assert.deepEqual(response.json<{ errors: unknown }>().errors, {
      name: ['The name field is required.'],
    });
  });

  test('pauses password checks after five failures, with Retry-After', async () => {
    const member = await t.fixtures.member(firm);
    const memberHash = await hashPassword(PASSWORD);
    await t.storage.transaction({}, ({ auth }) =>
      auth.setPasswordHash(member.userId, memberHash, t.clock.now().toISOString()),
    );
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      statuses.push((await issue({ name: 'X', password: 'wrong' }, member.token)).statusCode);
    }

    const paused = await issue({ name: 'X', password: PASSWORD }, member.token);
    assert.deepEqual(statuses, [422, 422, 422, 422, 422]);
    assert.equal(paused.statusCode, 429);
    assert.equal(paused.headers['retry-after'], '900');

    t.clock.advance(15 * 60 * 1000);
    const later = await issue({ name: 'X', password: PASSWORD }, member.token);
    assert.equal(later.statusCode, 201);
  });

  test('keeps tokens, passwords and contact values out of the logs', async () => {
    t.logs.length = 0;
    const issued = await issue({ name: 'Logged', password: PASSWORD });
    const newToken = issued.json<{ token: string }>().token;
    await issue({ name: 'Wrong', password: 'not the password at all' });
    const client = await t.fixtures.client(firm, 'Lou', 'Logged');
    await t.request(firm.owner, {
      method: 'POST',
      url: '/api/v2/contact-details',
      payload: {
        type: 'email',
        name: 'x',
        value: 'lou.logged@example.com',
        account_uuids: [client],
      },
    });
    await t.request(firm.owner, {
      method: 'GET',
      url: '/api/v2/contact-details?filter[value]=07400%20123456,lou.logged@example.com',
    });
    await t.request(firm.owner, {
      method: 'POST',
      url: '/api/v2/contact-details',
      payload: { type: 'phone_number', name: 'x', value: '+44751488454', account_uuids: [client] },
    });

    const logged = JSON.stringify(t.logs);
    assert.ok(t.logs.length >= 5);
    for (const secret of [
      firm.owner.token,
      newToken,
      PASSWORD,
      'not the password at all',
      'lou.logged@example.com',
      '07400',
      '751488454',
    ]) {
      assert.equal(logged.includes(secret), false, `the logs contain ${secret.slice(0, 12)}`);
    }
  });

  test('lets a restricted token issue only tokens restricted the same way', async () => {
    const scoped = await issue({
      name: 'Scoped',
      password: PASSWORD,
      account_uuid: firm.owner.accountId,
    });
    const token = scoped.json<{ token: string }>().token;

    const inherited = await issue({ name: 'Child', password: PASSWORD }, token);
    assert.equal(inherited.statusCode, 201);
    assert.equal(inherited.json<{ account_uuid: string }>().account_uuid, firm.owner.accountId);
  });
});
