import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { snapshotDatabase } from '../helpers/database-checks.js';
import type { TestFirm } from '../helpers/fixtures.js';
import { type Credentials, type TestApp, createTestApp } from '../helpers/test-app.js';

interface AccountBody {
  uuid: string;
  type: string;
  role: string;
  first_name: string | null;
  last_name: string | null;
  name: string;
  updated_at: string;
}

let t: TestApp;
let firm: TestFirm;

before(async () => {
  t = await createTestApp();
  firm = await t.fixtures.firm();
});

after(async () => {
  await t.close();
});

function send(
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  payload?: object,
  caller: Credentials = firm.owner,
) {
  return t.request(caller, { method, url, ...(payload === undefined ? {} : { payload }) });
}

describe('POST /api/v1/account', () => {
  test('creates an individual client named by first and last name', async () => {
    const response = await send('POST', '/api/v1/account', {
      type: 'client',
      role: 'individual',
      first_name: ' Ada ',
      last_name: 'Jones',
    });

    assert.equal(response.statusCode, 201);
    const body = response.json<AccountBody>();
    assert.equal(body.type, 'client');
    assert.equal(body.first_name, 'Ada');
    assert.equal(body.name, 'Ada Jones');
  });

  test('creates a trust named by name alone', async () => {
    const response = await send('POST', '/api/v1/account', {
      role: 'trust',
      name: 'Jones Family Trust',
    });

    assert.equal(response.statusCode, 201);
    assert.deepEqual(
      [response.json<AccountBody>().first_name, response.json<AccountBody>().name],
      [null, 'Jones Family Trust'],
    );
  });

  test('says which names a role needs, and changes nothing', async () => {
    const before = await snapshotDatabase(t.db);
    const person = await send('POST', '/api/v1/account', { role: 'joint', first_name: 'Ada' });
    assert.equal(person.statusCode, 422);
    assert.deepEqual(Object.keys(person.json<{ errors: object }>().errors), ['last_name']);

    const business = await send('POST', '/api/v1/account', { role: 'business' });
    assert.equal(business.statusCode, 422);
    assert.deepEqual(Object.keys(business.json<{ errors: object }>().errors), ['name']);
    assert.equal(await snapshotDatabase(t.db), before);
  });

  test('rejects a full name over 255 characters', async () => {
    const response = await send('POST', '/api/v1/account', {
      role: 'individual',
      first_name: 'f'.repeat(200),
      last_name: 'l'.repeat(200),
    });

    assert.equal(response.statusCode, 422);
    assert.deepEqual(Object.keys(response.json<{ errors: object }>().errors), ['name']);
  });

  test('measures a name after trimming it', async () => {
    const response = await send('POST', '/api/v1/account', {
      role: 'business',
      name: ` ${'p'.repeat(255)} `,
    });

    assert.equal(response.statusCode, 201);
    assert.equal(response.json<AccountBody>().name, 'p'.repeat(255));
  });

  test('rejects an employee type and an unknown role', async () => {
    const response = await send('POST', '/api/v1/account', {
      type: 'employee',
      role: 'admin',
      name: 'X',
    });

    assert.equal(response.statusCode, 422);
    const errors = response.json<{ errors: Record<string, string[]> }>().errors;
    assert.match(errors.type?.[0] ?? '', /client/);
    assert.match(errors.role?.[0] ?? '', /individual, joint, trust, business/);
  });

  test('needs an employee with write permission', async () => {
    const reader = await t.fixtures.member(firm);
    const response = await send('POST', '/api/v1/account', { role: 'individual' }, reader);

    assert.equal(response.statusCode, 403);
  });
});

describe('GET /api/v1/account', () => {
  test('lists with filters, sorting and pages', async () => {
    const other = await t.fixtures.firm('Listing Firm');
    await t.fixtures.client(other, 'Zed', 'Adams');
    await t.fixtures.client(other, 'Amy', 'Brown');
    await t.fixtures.client(other, null as unknown as string, null as unknown as string, 'trust');

    const clients = await send(
      'GET',
      '/api/v1/account?filter[type]=client&sort=-first_name&per_page=2',
      undefined,
      other.owner,
    );
    assert.equal(clients.statusCode, 200);
    const page = clients.json<{
      data: AccountBody[];
      meta: { total: number; last_page: number };
    }>();
    assert.deepEqual(
      page.data.map((account) => account.first_name),
      ['Zed', 'Amy'],
    );
    assert.equal(page.meta.total, 3);
    assert.equal(page.meta.last_page, 2);

    const trusts = await send('GET', '/api/v1/account?filter[role]=trust', undefined, other.owner);
    assert.equal(trusts.json<{ data: unknown[] }>().data.length, 1);

    const employees = await send(
      'GET',
      '/api/v1/account?filter[type]=employee',
      undefined,
      other.owner,
    );
    assert.deepEqual(
      employees.json<{ data: AccountBody[] }>().data.map((account) => account.uuid),
      [other.owner.accountId],
    );
  });

  test('rejects an unknown filter or sort with 400', async () => {
    assert.equal((await send('GET', '/api/v1/account?filter[email]=x')).statusCode, 400);
    assert.equal((await send('GET', '/api/v1/account?sort=email')).statusCode, 400);
    assert.equal((await send('GET', '/api/v1/account?filter[type]=robot')).statusCode, 400);
  });

  test('shows a client only its own account, and an external nothing', async () => {
    const ada = await t.fixtures.client(firm, 'Ada', 'Self');
    const portal = await t.fixtures.member(firm, { type: 'client', accountId: ada });
    const list = await send('GET', '/api/v1/account', undefined, portal);
    assert.deepEqual(
      list.json<{ data: AccountBody[] }>().data.map((account) => account.uuid),
      [ada],
    );
    assert.equal(
      (await send('GET', `/api/v1/account/${firm.owner.accountId}`, undefined, portal)).statusCode,
      404,
    );

    const external = await t.fixtures.member(firm, { type: 'external' });
    assert.equal((await send('GET', '/api/v1/account', undefined, external)).statusCode, 403);
  });
});

describe('GET and PUT /api/v1/account/:uuid', () => {
  test('shows and changes a client, moving updated_at only on a change', async () => {
    const id = await t.fixtures.client(firm, 'Ben', 'Jones');
    const shown = await send('GET', `/api/v1/account/${id}`);
    assert.equal(shown.json<AccountBody>().name, 'Ben Jones');

    t.clock.advance(60_000);
    const same = await send('PUT', `/api/v1/account/${id}`, {
      role: 'individual',
      first_name: 'Ben',
      last_name: 'Jones',
    });
    assert.equal(same.json<AccountBody>().updated_at, shown.json<AccountBody>().updated_at);

    const changed = await send('PUT', `/api/v1/account/${id}`, {
      role: 'joint',
      first_name: 'Benjamin',
      last_name: 'Jones',
    });
    assert.equal(changed.statusCode, 200);
    assert.equal(changed.json<AccountBody>().name, 'Benjamin Jones');
    assert.equal(changed.json<AccountBody>().role, 'joint');
    assert.notEqual(changed.json<AccountBody>().updated_at, shown.json<AccountBody>().updated_at);
  });

  test('does not change an employee account', async () => {
    const response = await send('PUT', `/api/v1/account/${firm.owner.accountId}`, {
      role: 'individual',
      first_name: 'A',
      last_name: 'B',
    });

    assert.equal(response.statusCode, 422);
    assert.deepEqual(Object.keys(response.json<{ errors: object }>().errors), ['type']);
  });

  test("answers 404 for another firm's account and a malformed id", async () => {
    const other = await t.fixtures.firm('Other Firm');
    const outsider = await t.fixtures.client(other, 'Olga', 'Outsider');

    assert.equal((await send('GET', `/api/v1/account/${outsider}`)).statusCode, 404);
    assert.equal(
      (
        await send('PUT', `/api/v1/account/${outsider}`, {
          role: 'individual',
          first_name: 'A',
          last_name: 'B',
        })
      ).statusCode,
      404,
    );
    assert.equal((await send('GET', '/api/v1/account/nope')).statusCode, 404);
  });
});
