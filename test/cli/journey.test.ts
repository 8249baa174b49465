import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { type ServerProcess, startServer, stopServer } from '../helpers/server-process.js';

let folder: string;
let server: ServerProcess;
let token: string;

before(async () => {
  folder = mkdtempSync(join(tmpdir(), 'contactd-journey-'));
  server = await startServer(`sqlite:${join(folder, 'contactd.sqlite')}`);
  token = /Bearer (contactd_\S+)"/.exec(server.output)?.[1] ?? '';
});

after(async () => {
  await stopServer(server);
  rmSync(folder, { recursive: true, force: true });
});

interface Answer<Body> {
  status: number;
  body: Body;
}

/** Sends one request over the socket, as the newcomer's client would. */
async function call<Body>(
  method: string,
  path: string,
  options: { account?: string; body?: unknown } = {},
): Promise<Answer<Body>> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(options.account === undefined ? {} : { 'x-plannr-account-uuid': options.account }),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();

  return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as Body };
}

interface Detail {
  uuid: string;
  value: string;
  accounts: { uuid: string; primary_phone_number: string | null }[];
  primary_accounts: { uuid: string }[];
}

describe('a newcomer on a freshly seeded server', () => {
  test('goes from the token to a shared, primary phone number and back', async () => {
    const logins = await call<{ data: { account: { uuid: string; type: string } }[] }>(
      'GET',
      '/api/v1/logins',
    );
    assert.equal(logins.status, 200);
    const account = logins.body.data.find((login) => login.account.type === 'employee')?.account
      .uuid;
    assert.ok(account !== undefined);

    const created = await call<{ uuid: string; name: string }>('POST', '/api/v1/account', {
      account,
      body: { type: 'client', role: 'individual', first_name: 'Nia', last_name: 'Newcomer' },
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.name, 'Nia Newcomer');
    const nia = created.body.uuid;

    const partner = await call<{ uuid: string }>('POST', '/api/v1/account', {
      account,
      body: { role: 'individual', first_name: 'Sam', last_name: 'Newcomer' },
    });
    assert.equal(partner.status, 201);
    const sam = partner.body.uuid;

    const email = await call<Detail>('POST', '/api/v2/contact-details', {
      account,
      body: {
        type: 'email',
        name: 'Personal',
        value: 'nia@example.com',
        account_uuids: [nia],
        is_primary: true,
      },
    });
    assert.equal(email.status, 201);
    assert.deepEqual(
      email.body.primary_accounts.map((owner) => owner.uuid),
      [nia],
    );

    const phone = await call<Detail>('POST', '/api/v2/contact-details', {
      account,
      body: { type: 'phone_number', name: 'Home', value: '020 7946 0777', account_uuids: [nia] },
    });
    assert.equal(phone.status, 201);
    assert.equal(phone.body.value, '+442079460777');

    const shared = await call<Detail>('PUT', `/api/v2/contact-details/${phone.body.uuid}`, {
      account,
      body: { name: 'Home', value: '+442079460777', account_uuids: [nia, sam] },
    });
    assert.equal(shared.status, 200);
    assert.equal(shared.body.accounts.length, 2);

    const listed = await call<{ data: Detail[]; meta: { total: number } }>(
      'GET',
      `/api/v2/contact-details?filter[account_uuids]=${nia},${sam}&include=accounts,primary_accounts`,
      { account },
    );
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.data.map((detail) => detail.uuid),
      [email.body.uuid, phone.body.uuid],
    );
    assert.equal(listed.body.meta.total, 2);
    assert.ok(listed.body.data.every((detail) => Array.isArray(detail.accounts)));

    const primary = await call<Detail>('PUT', `/api/v2/contact-details/${phone.body.uuid}`, {
      account,
      body: {
        name: 'Home',
        value: '020 7946 0777',
        account_uuids: [nia, sam],
        primary_account_uuids: [sam],
      },
    });
    assert.equal(primary.status, 200);
    assert.deepEqual(
      primary.body.primary_accounts.map((owner) => owner.uuid),
      [sam],
    );
    const samSummary = primary.body.accounts.find((owner) => owner.uuid === sam);
    assert.equal(samSummary?.primary_phone_number, '+442079460777');

    const removed = await call<undefined>('DELETE', `/api/v2/contact-details/${email.body.uuid}`, {
      account,
    });
    assert.equal(removed.status, 204);
    assert.equal(removed.body, undefined);
    const gone = await call<{ message: string }>(
      'GET',
      `/api/v2/contact-details/${email.body.uuid}`,
      {
        account,
      },
    );
    assert.deepEqual(gone, { status: 404, body: { message: 'Contact detail not found.' } });
  });

  test('finds every route on /docs', async () => {
    const page = await fetch(`${server.baseUrl}/docs/`);
    assert.equal(page.status, 200);
    const document = (await (await fetch(`${server.baseUrl}/openapi.json`)).json()) as {
      paths: Record<string, object>;
    };

    assert.deepEqual(Object.keys(document.paths).sort(), [
      '/api/v1/account',
      '/api/v1/account/{uuid}',
      '/api/v1/circles',
      '/api/v1/logins',
      '/api/v1/personal-access-tokens',
      '/api/v2/contact-details',
      '/api/v2/contact-details/{uuid}',
      '/health',
    ]);
  });
});
