import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import fc from 'fast-check';

import { snapshotDatabase } from '../helpers/database-checks.js';
import type { TestFirm } from '../helpers/fixtures.js';
import { type TestApp, createTestApp } from '../helpers/test-app.js';

const RUNS = 2000;

let t: TestApp;
let firm: TestFirm;
let client: string;
let detail: string;
let sent = 0;

before(async () => {
  t = await createTestApp({ rateLimit: { max: 0, windowMs: 60_000 } });
  firm = await t.fixtures.firm();
  client = await t.fixtures.client(firm);
  detail = await t.fixtures.detail(firm, 'phone_number', '020 7946 0123', [client], [client]);
});

after(async () => {
  await t.close();
});

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Every route, with the ids of real rows, so that a request reaches the checks past the lookup. */
const routes = (): [Method, string][] => [
  ['GET', '/api/v2/contact-details'],
  ['POST', '/api/v2/contact-details'],
  ['GET', `/api/v2/contact-details/${detail}`],
  ['PUT', `/api/v2/contact-details/${detail}`],
  // DELETE takes no body, so it gets an id that does not exist, and the detail stays.
  ['DELETE', '/api/v2/contact-details/00000000-0000-4000-8000-000000000000'],
  ['GET', '/api/v1/logins'],
  ['GET', '/api/v1/account'],
  ['POST', '/api/v1/account'],
  ['GET', `/api/v1/account/${client}`],
  ['PUT', `/api/v1/account/${client}`],
  ['GET', '/api/v1/circles'],
  ['POST', '/api/v1/circles'],
  ['POST', '/api/v1/personal-access-tokens'],
];

const hostileKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'name',
  'value',
  'type',
);
const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\u0000', '\ud800', '%00', '😀'.repeat(300), 'a'.repeat(5000), '+44751488454'),
);
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    hostileString,
    fc.uuid(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(hostileKey, fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** A body that mixes the real field names with wrong types and hostile text, or raw bytes. */
const body = fc.oneof(
  json.map((value) => ({ payload: JSON.stringify(value) })),
  fc
    .record(
      {
        type: json,
        name: json,
        value: json,
        account_uuids: fc.oneof(
          json,
          fc.array(fc.oneof(fc.uuid(), hostileString), { maxLength: 3 }),
        ),
        primary_account_uuids: json,
        role: json,
        password: json,
      },
      { requiredKeys: [] },
    )
    .map((value) => ({ payload: JSON.stringify(value) })),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ payload: Buffer.from(bytes) })),
  fc.constantFrom(
    { payload: '{"a":'.repeat(40) + '1' + '}'.repeat(40) },
    { payload: '{"__proto__":{"admin":true},"name":"x"}' },
    { payload: '{"constructor":{"prototype":{"admin":true}}}' },
  ),
);
const query = fc.array(
  fc.tuple(
    fc.oneof(
      fc.constantFrom(
        'filter[value]',
        'filter[type]',
        'filter[uuid]',
        'include',
        'sort',
        'page',
        'per_page',
      ),
      fc.string({ maxLength: 12 }),
    ),
    hostileString,
  ),
  { maxLength: 4 },
);
const headers = fc.record(
  {
    'content-type': fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/x-www-form-urlencoded',
      'APPLICATION/JSON',
    ),
    'x-plannr-account-uuid': fc.oneof(fc.constant('own'), fc.uuid(), hostileString),
    'x-request-id': hostileString,
  },
  { requiredKeys: ['content-type', 'x-plannr-account-uuid'] },
);

describe('fuzzing every route', () => {
  test(`answers ${String(RUNS)} generated requests without a 5xx, rejections changing nothing`, async (context) => {
    let state = await snapshotDatabase(t.db);
    let accepted = 0;
    const route = fc.constantFrom(...routes());

    await fc.assert(
      fc.asyncProperty(route, body, query, headers, async ([method, path], input, pairs, extra) => {
        const search = new URLSearchParams(
          pairs.map(([key, value]): [string, string] => [key, value.replace(/\0/g, '')]),
        );
        const account =
          extra['x-plannr-account-uuid'] === 'own'
            ? firm.owner.accountId
            : extra['x-plannr-account-uuid'];
        const response = await t.request(undefined, {
          method,
          url: `${path}?${search.toString()}`,
          headers: {
            authorization: `Bearer ${firm.owner.token}`,
            'content-type': extra['content-type'],
            'x-plannr-account-uuid': account.replace(/[^\t\x20-\x7e]/g, ''),
            ...(extra['x-request-id'] === undefined
              ? {}
              : { 'x-request-id': extra['x-request-id'].replace(/[^\t\x20-\x7e]/g, '') }),
          },
          ...(method === 'GET' || method === 'DELETE' ? {} : { payload: input.payload }),
        });
        sent += 1;

        assert.ok(
          response.statusCode < 500,
          `${method} ${path}: ${String(response.statusCode)} ${response.body}`,
        );
        if (response.statusCode >= 400) {
          assert.equal(typeof response.json<{ message: unknown }>().message, 'string');
          // A rejected request changes nothing; a generated request that happens to be valid may.
          if (method !== 'GET') {
            assert.equal(await snapshotDatabase(t.db), state, `${method} ${path} changed rows`);
          }
        } else if (method !== 'GET') {
          accepted += 1;
          state = await snapshotDatabase(t.db);
        }
      }),
      { numRuns: RUNS },
    );

    context.diagnostic(
      `fuzzing: ${String(sent)} requests sent, ${String(accepted)} valid writes accepted, ` +
        'every rejection left the database unchanged',
    );
  });
});
