import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';

import { snapshotDatabase } from '../helpers/database-checks.js';
import type { TestFirm } from '../helpers/fixtures.js';
import { type TestApp, createTestApp } from '../helpers/test-app.js';

let t: TestApp;
let firm: TestFirm;
let ada: string;
let ben: string;
let landline: string;

before(async () => {
  t = await createTestApp();
  firm = await t.fixtures.firm();
  ada = await t.fixtures.client(firm, 'Ada', 'Jones');
  ben = await t.fixtures.client(firm, 'Ben', 'Jones');
  await t.fixtures.detail(firm, 'email', 'ben@example.com', [ben], [ben]);
  landline = await t.fixtures.detail(firm, 'phone_number', '020 7946 0123', [ada, ben], [ben]);
});

after(async () => {
  await t.close();
});

function putRaw(payload: string) {
  return t.request(firm.owner, {
    method: 'PUT',
    url: `/api/v2/contact-details/${landline}`,
    headers: { 'content-type': 'application/json' },
    payload,
  });
}

describe('bodies', () => {
  test('rejects a lone surrogate anywhere in the body with 400, changing nothing', async () => {
    const before = await snapshotDatabase(t.db);
    const response = await putRaw(
      `{"name":"a\\ud800b","value":"020 7946 0123","account_uuids":["${ada}"]}`,
    );

    assert.equal(response.statusCode, 400);
    assert.match(response.json<{ message: string }>().message, /body\.name.*lone surrogate/);
    assert.equal(await snapshotDatabase(t.db), before);
  });

  test('rejects a NUL character in any string with 400', async () => {
    const response = await putRaw(
      `{"name":"a\\u0000b","value":"020 7946 0123","account_uuids":["${ada}"]}`,
    );

    assert.equal(response.statusCode, 400);
    assert.match(response.json<{ message: string }>().message, /body\.name.*NUL/);
  });

  test('names a __proto__ key as the reason, not the JSON syntax', async () => {
    const response = await putRaw(`{"name":"x","__proto__":{"polluted":true}}`);

    assert.equal(response.statusCode, 400);
    assert.match(response.json<{ message: string }>().message, /__proto__/);
  });

  test('quotes the parser for broken JSON', async () => {
    const response = await putRaw('{"name": tru}');

    assert.equal(response.statusCode, 400);
    assert.match(
      response.json<{ message: string }>().message,
      /^The request body is not valid JSON: ./,
    );
  });

  test('answers a body of 250 thousand bad items with one short message for the array', async () => {
    const items = new Array(250_000).fill(0);
    const response = await putRaw(
      JSON.stringify({ name: 'x', value: 'x', account_uuids: items, primary_account_uuids: items }),
    );

    assert.equal(response.statusCode, 422);
    assert.ok(response.body.length < 2000, `${response.body.length} bytes`);
    assert.deepEqual(Object.keys(response.json<{ errors: object }>().errors).sort(), [
      'account_uuids',
      'primary_account_uuids',
    ]);
  });

  test('caps the fields a 422 names', async () => {
    const items = new Array(90).fill(0);
    const response = await putRaw(JSON.stringify({ name: 'x', value: 'x', account_uuids: items }));

    assert.equal(response.statusCode, 422);
    assert.equal(Object.keys(response.json<{ errors: object }>().errors).length, 50);
  });

  test('takes only the canonical UUID form in account_uuids', async () => {
    const response = await putRaw(
      JSON.stringify({ name: 'x', value: '020 7946 0123', account_uuids: [`urn:uuid:${ada}`] }),
    );

    assert.equal(response.statusCode, 422);
    assert.deepEqual(response.json<{ errors: unknown }>().errors, {
      'account_uuids.0': [
        'The account_uuids.0 field must be a valid UUID, such as 1c3f5e0a-8d2b-4f67-9a41-2b7d6c9e0f13.',
      ],
    });
  });
});

describe('paths and query strings', () => {
  test('answers 404 in JSON, with a request id, for an undecodable or overlong path id', async () => {
    for (const id of ['%FF', 'a'.repeat(101)]) {
      const response = await t.request(firm.owner, {
        method: 'GET',
        url: `/api/v2/contact-details/${id}`,
      });

      assert.equal(response.statusCode, 404, id);
      assert.equal(typeof response.json<{ message: string }>().message, 'string');
      assert.match(String(response.headers['x-request-id']), /.+/);
    }
  });

  test('rejects a filter key with a typo instead of ignoring it', async () => {
    const response = await t.request(firm.owner, {
      method: 'GET',
      url: `/api/v2/contact-details?filter%5Baccount_uuids=${ada}`,
    });

    assert.equal(response.statusCode, 400);
  });

  test('rejects a control character in a filter term', async () => {
    const response = await t.request(firm.owner, {
      method: 'GET',
      url: '/api/v2/contact-details?filter[value]=%00a',
    });

    assert.equal(response.statusCode, 400);
    assert.match(response.json<{ message: string }>().message, /control character/);
  });
});

describe('a client caller', () => {
  test('sees a shared detail with itself as the only owner shown', async () => {
    const portal = await t.fixtures.member(firm, { type: 'client', accountId: ada });
    const single = await t.request(portal, {
      method: 'GET',
      url: `/api/v2/contact-details/${landline}`,
    });
    const listed = await t.request(portal, {
      method: 'GET',
      url: '/api/v2/contact-details?include=accounts,primary_accounts',
    });

    assert.equal(single.statusCode, 200);
    const detail = single.json<{ accounts: { uuid: string }[]; primary_accounts: unknown[] }>();
    assert.deepEqual(
      detail.accounts.map((account) => account.uuid),
      [ada],
    );
    assert.deepEqual(detail.primary_accounts, []);
    assert.doesNotMatch(single.body + listed.body, /ben@example\.com/);
  });
});

describe('request ids', () => {
  test('are not copied from a header that looks like a token', async () => {
    const response = await t.request(firm.owner, {
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': firm.owner.token.slice(0, 60) },
    });

    assert.notEqual(response.headers['x-request-id'], firm.owner.token.slice(0, 60));
  });
});

describe('HTTP that cannot be parsed', () => {
  test('gets a JSON 400 and a closed connection', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    assert.ok(typeof address === 'object');
    assert.ok(address !== null);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(address.port, '127.0.0.1', () => {
        socket.write('THIS IS NOT HTTP\r\n\r\n');
      });
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
      socket.on('end', () => {
        resolve(received);
      });
      socket.on('error', reject);
    });

    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.match(answer, /"message":"Bad Request: the HTTP request is malformed\."/);
  });
});
