import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { snapshotDatabase } from '../helpers/database-checks.js';
import type { TestFirm } from '../helpers/fixtures.js';
import { type Credentials, type TestApp, createTestApp } from '../helpers/test-app.js';

type CallerName =
  'reader' | 'writer' | 'deleter' | 'ownClient' | 'otherClient' | 'external' | 'otherFirm';

interface Targets {
  firm: TestFirm;
  client: string;
  detail: string;
}

interface Route {
  name: string;
  /** Builds the request; runs once for each caller, so that a write never meets another's result. */
  request: (
    targets: Targets,
  ) => Promise<{ method: 'GET' | 'POST' | 'PUT' | 'DELETE'; url: string; payload?: object }>;
  expected: Record<CallerName, number>;
}

let t: TestApp;
let targets: Targets;
let callers: Record<CallerName, Credentials>;
let otherFirmName: string;

before(async () => {
  t = await createTestApp();
  const firm = await t.fixtures.firm('Alpha Advisers');
  const client = await t.fixtures.client(firm, 'Ada', 'Alpha');
  const neighbour = await t.fixtures.client(firm, 'Ned', 'Alpha');
  targets = {
    firm,
    client,
    detail: await t.fixtures.detail(firm, 'email', 'ada@alpha.example', [client], [client]),
  };
  otherFirmName = 'Beta Wealth';
  const other = await t.fixtures.firm(otherFirmName);
  callers = {
    reader: await t.fixtures.member(firm),
    writer: await t.fixtures.member(firm, { write: true }),
    deleter: await t.fixtures.member(firm, { delete: true }),
    ownClient: await t.fixtures.member(firm, {
      type: 'client',
      accountId: client,
      write: true,
      delete: true,
    }),
    otherClient: await t.fixtures.member(firm, {
      type: 'client',
      accountId: neighbour,
      write: true,
      delete: true,
    }),
    external: await t.fixtures.member(firm, { type: 'external', write: true, delete: true }),
    otherFirm: await t.fixtures.member(other, { write: true, delete: true }),
  };
});

after(async () => {
  await t.close();
});

/** Creates a detail for routes that change or delete it, so each caller meets the same state. */
// Counts the details made for the routes that change one, so that no two share a number. The
// client's second detail with one number would be rejected as a duplicate.
let freshDetails = 0;

async function freshDetail(): Promise<string> {
  const { firm, client } = targets;
  freshDetails += 1;

  return t.fixtures.detail(firm, 'phone_number', `020 7946 ${String(1000 + freshDetails)}`, [
    client,
  ]);
}

const ROUTES: Route[] = [
  {
    name: 'GET /api/v2/contact-details/:uuid',
    request: (x) => Promise.resolve({ method: 'GET', url: `/api/v2/contact-details/${x.detail}` }),
    expected: {
      reader: 200,
      writer: 200,
      deleter: 200,
      ownClient: 200,
      otherClient: 404,
      external: 403,
      otherFirm: 404,
    },
  },
  {
    name: 'PUT /api/v2/contact-details/:uuid',
    request: async (x) => ({
      method: 'PUT',
      url: `/api/v2/contact-details/${await freshDetail()}`,
      payload: { name: 'Changed', value: '020 7946 0001', account_uuids: [x.client] },
    }),
    expected: {
      reader: 403,
      writer: 200,
      deleter: 403,
      ownClient: 403,
      otherClient: 403,
      external: 403,
      otherFirm: 404,
    },
  },
  {
    name: 'DELETE /api/v2/contact-details/:uuid',
    request: async () => ({
      method: 'DELETE',
      url: `/api/v2/contact-details/${await freshDetail()}`,
    }),
    expected: {
      reader: 403,
      writer: 403,
      deleter: 204,
      ownClient: 403,
      otherClient: 403,
      external: 403,
      otherFirm: 404,
    },
  },
  {
    name: 'POST /api/v2/contact-details',
    request: (x) =>
      Promise.resolve({
        method: 'POST',
        url: '/api/v2/contact-details',
        payload: {
          type: 'email',
          name: 'New',
          value: `${String(Math.random()).slice(2)}@alpha.example`,
          account_uuids: [x.client],
        },
      }),
    expected: {
      reader: 403,
      writer: 201,
      deleter: 403,
      ownClient: 403,
      otherClient: 403,
      external: 403,
      otherFirm: 422,
    },
  },
  {
    name: 'GET /api/v2/contact-details',
    request: (x) =>
      Promise.resolve({
        method: 'GET',
        url: `/api/v2/contact-details?filter[account_uuids]=${x.client}`,
      }),
    expected: {
      reader: 200,
      writer: 200,
      deleter: 200,
      ownClient: 200,
      otherClient: 200,
      external: 403,
      otherFirm: 200,
    },
  },
  {
    name: 'GET /api/v1/account/:uuid',
    request: (x) => Promise.resolve({ method: 'GET', url: `/api/v1/account/${x.client}` }),
    expected: {
      reader: 200,
      writer: 200,
      deleter: 200,
      ownClient: 200,
      otherClient: 404,
      external: 403,
      otherFirm: 404,
    },
  },
  {
    name: 'GET /api/v1/account',
    request: () => Promise.resolve({ method: 'GET', url: '/api/v1/account' }),
    expected: {
      reader: 200,
      writer: 200,
      deleter: 200,
      ownClient: 200,
      otherClient: 200,
      external: 403,
      otherFirm: 200,
    },
  },
  {
    name: 'PUT /api/v1/account/:uuid',
    request: (x) =>
      Promise.resolve({
        method: 'PUT',
        url: `/api/v1/account/${x.client}`,
        payload: { role: 'individual', first_name: 'Ada', last_name: 'Alpha' },
      }),
    expected: {
      reader: 403,
      writer: 200,
      deleter: 403,
      ownClient: 403,
      otherClient: 403,
      external: 403,
      otherFirm: 404,
    },
  },
  {
    name: 'POST /api/v1/account',
    request: () =>
      Promise.resolve({
        method: 'POST',
        url: '/api/v1/account',
        payload: { role: 'business', name: 'Acme Ltd' },
      }),
    expected: {
      reader: 403,
      writer: 201,
      deleter: 403,
      ownClient: 403,
      otherClient: 403,
      external: 403,
      otherFirm: 201,
    },
  },
  {
    name: 'GET /api/v1/circles',
    request: () => Promise.resolve({ method: 'GET', url: '/api/v1/circles' }),
    expected: {
      reader: 200,
      writer: 200,
      deleter: 200,
      ownClient: 403,
      otherClient: 403,
      external: 403,
      otherFirm: 200,
    },
  },
  {
    name: 'POST /api/v1/circles',
    request: (x) =>
      Promise.resolve({
        method: 'POST',
        url: '/api/v1/circles',
        payload: { name: 'Household', account_uuids: [x.client] },
      }),
    expected: {
      reader: 403,
      writer: 201,
      deleter: 403,
      ownClient: 403,
      otherClient: 403,
      external: 403,
      otherFirm: 422,
    },
  },
];

describe('permission matrix', () => {
  for (const route of ROUTES) {
    for (const callerName of Object.keys(route.expected) as CallerName[]) {
      const expected = route.expected[callerName];
      test(`${route.name} as ${callerName} answers ${expected}`, async () => {
        const request = await route.request(targets);
        const before = await snapshotDatabase(t.db);
        const response = await t.request(callers[callerName], request);

        assert.equal(response.statusCode, expected, response.body);
        if (expected >= 400) {
          assert.equal(await snapshotDatabase(t.db), before, 'a refused request changes nothing');
          assert.equal(typeof response.json<{ message: unknown }>().message, 'string');
        }

        if (callerName === 'otherFirm') {
          // The response may echo what the caller sent, such as an id in an error message.
          const sent = JSON.stringify(request);
          const secrets = [targets.client, targets.detail, 'Alpha', 'ada@alpha.example'];
          for (const secret of secrets.filter((value) => !sent.includes(value))) {
            assert.equal(response.body.includes(secret), false, `the answer leaks ${secret}`);
          }
        }
      });
    }
  }
});

describe('the list as another firm sees it', () => {
  test('is empty, whatever it names', async () => {
    const response = await t.request(callers.otherFirm, {
      method: 'GET',
      url: `/api/v2/contact-details?filter[uuid]=${targets.detail}`,
    });

    assert.equal(response.json<{ meta: { total: number } }>().meta.total, 0);
    assert.equal(otherFirmName, 'Beta Wealth');
  });
});
