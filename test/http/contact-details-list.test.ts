import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { newId } from '../../src/ids.js';
import type { TestFirm } from '../helpers/fixtures.js';
import { type Credentials, type TestApp, createTestApp } from '../helpers/test-app.js';

interface Page {
  data: {
    uuid: string;
    name: string;
    value: string;
    accounts?: unknown[];
    primary_accounts?: unknown[];
  }[];
  links: { first: string; last: string; prev: string | null; next: string | null };
  meta: {
    current_page: number;
    from: number | null;
    last_page: number;
    links: { url: string | null; label: string; active: boolean }[];
    path: string;
    per_page: number;
    to: number | null;
    total: number;
  };
}

let t: TestApp;
let firm: TestFirm;
let ada: string;
let ben: string;
let cara: string;
let circle: string;
const ids: Record<string, string> = {};

before(async () => {
  t = await createTestApp();
  firm = await t.fixtures.firm();
  ada = await t.fixtures.client(firm, 'Ada', 'Jones');
  ben = await t.fixtures.client(firm, 'Ben', 'Jones');
  cara = await t.fixtures.client(firm, 'Cara', 'Patel');
  circle = newId();
  await t.storage.transaction({ firmId: firm.firmId }, ({ circles }) =>
    circles.create(
      {
        id: circle,
        firmId: firm.firmId,
        name: 'Jones Family',
        createdAt: t.clock.now().toISOString(),
      },
      [ada, ben],
    ),
  );
  const add = async (
    key: string,
    type: 'email' | 'phone_number',
    value: string,
    owners: string[],
    name: string,
  ) => {
    t.clock.advance(1000);
    ids[key] = await t.fixtures.detail(firm, type, value, owners, [], name);
  };
  await add('adaEmail', 'email', 'Ada.Jones@Example.com', [ada], 'Bravo');
  await add('landline', 'phone_number', '020 7946 0123', [ada, ben], 'Alpha');
  await add('benEmail', 'email', 'ben_jones@example.org', [ben], 'Delta');
  await add('caraPhone', 'phone_number', '0113 496 0123', [cara], 'Charlie');
  await add('caraEmail', 'email', 'cara%patel@example.net', [cara], 'Echo');
});

after(async () => {
  await t.close();
});

async function list(query: string, caller: Credentials = firm.owner): Promise<Page> {
  const response = await t.request(caller, {
    method: 'GET',
    url: `/api/v2/contact-details${query}`,
  });
  assert.equal(response.statusCode, 200, response.body);

  return response.json<Page>();
}

function uuidsOf(page: Page): string[] {
  return page.data.map((detail) => detail.uuid);
}

describe('GET /api/v2/contact-details', () => {
  test('lists the firm details oldest first, without owners unless included', async () => {
    const page = await list('');

    assert.deepEqual(uuidsOf(page), [
      ids.adaEmail,
      ids.landline,
      ids.benEmail,
      ids.caraPhone,
      ids.caraEmail,
    ]);
    assert.equal('accounts' in (page.data[0] ?? {}), false);
    assert.equal(page.meta.total, 5);
    assert.equal(page.meta.per_page, 15);
  });

  test('includes owners, primary owners, or both', async () => {
    const both = await list(
      '?include=accounts,primary_accounts&filter[uuid]=' + (ids.landline ?? ''),
    );
    const [landline] = both.data;
    assert.ok(landline);
    assert.equal(landline.accounts?.length, 2);
    assert.deepEqual(landline.primary_accounts, []);

    const owners = await list('?include=accounts');
    assert.equal('primary_accounts' in (owners.data[0] ?? {}), false);
  });

  test('filters by uuid, owner, circle and type', async () => {
    assert.deepEqual(
      uuidsOf(await list(`?filter[uuid]=${ids.benEmail ?? ''},${ids.caraEmail ?? ''}`)),
      [ids.benEmail, ids.caraEmail],
    );
    assert.deepEqual(uuidsOf(await list(`?filter[account_uuids]=${ben}`)), [
      ids.landline,
      ids.benEmail,
    ]);
    assert.deepEqual(uuidsOf(await list(`?filter[circle_uuids]=${circle}`)), [
      ids.adaEmail,
      ids.landline,
      ids.benEmail,
    ]);
    assert.deepEqual(uuidsOf(await list('?filter[type]=phone_number')), [
      ids.landline,
      ids.caraPhone,
    ]);
    assert.deepEqual(
      uuidsOf(await list(`?filter[type]=email&filter[account_uuids]=${ada},${cara}`)),
      [ids.adaEmail, ids.caraEmail],
    );
  });

  test('filter of one shape with new values', async () => {
    const ownedBy = async (query: string) => uuidsOf(await list(`?filter[account_uuids]=${query}`));

    assert.deepEqual(await ownedBy(ben), [ids.landline, ids.benEmail]);
    assert.deepEqual(await ownedBy(cara), [ids.caraPhone, ids.caraEmail]);
    assert.deepEqual(await ownedBy(`${cara}&per_page=1&page=2`), [ids.caraEmail]);
    assert.equal((await list(`?filter[account_uuids]=${ada}&per_page=1`)).meta.total, 2);
    assert.equal((await list(`?filter[account_uuids]=${ada},${cara}&per_page=1`)).meta.total, 4);
    assert.deepEqual(await ownedBy(`${ada},${cara}&filter[type]=phone_number`), [
      ids.landline,
      ids.caraPhone,
    ]);
    assert.deepEqual(await ownedBy(`${ben},${cara}&filter[type]=phone_number`), [
      ids.landline,
      ids.caraPhone,
    ]);
    assert.deepEqual(await ownedBy(`${ben},${cara}&filter[type]=email`), [
      ids.benEmail,
      ids.caraEmail,
    ]);
  });

  test('finds a phone number by any written form, and values by substring in any case', async () => {
    assert.deepEqual(uuidsOf(await list('?filter[value]=0044%2020%207946%200123')), [ids.landline]);
    assert.deepEqual(uuidsOf(await list('?filter[value]=020%207946')), [ids.landline]);
    assert.deepEqual(uuidsOf(await list('?filter[value]=ada.jones@EXAMPLE')), [ids.adaEmail]);
    assert.deepEqual(uuidsOf(await list('?filter[value]=4960123,cara')), [
      ids.caraPhone,
      ids.caraEmail,
    ]);
  });

  test('folds accented letters in a value search, as PostgreSQL does', async () => {
    const emile = await t.fixtures.detail(firm, 'email', 'Émile@example.com', [cara]);
    try {
      for (const term of ['émile', 'ÉMILE']) {
        assert.deepEqual(uuidsOf(await list(`?filter[value]=${encodeURIComponent(term)}`)), [
          emile,
        ]);
      }
    } finally {
      await t.request(firm.owner, { method: 'DELETE', url: `/api/v2/contact-details/${emile}` });
    }
  });

  test('treats % and _ in a value term as themselves', async () => {
    assert.deepEqual(uuidsOf(await list('?filter[value]=a%25p')), [ids.caraEmail]);
    assert.deepEqual(uuidsOf(await list('?filter[value]=n_j')), [ids.benEmail]);
  });

  test('sorts by each column both ways', async () => {
    assert.deepEqual(
      (await list('?sort=name')).data.map((detail) => detail.name),
      ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo'],
    );
    assert.deepEqual(
      (await list('?sort=-name')).data.map((detail) => detail.name),
      ['Echo', 'Delta', 'Charlie', 'Bravo', 'Alpha'],
    );
    assert.equal((await list('?sort=-created_at')).data[0]?.uuid, ids.caraEmail);
    assert.equal((await list('?sort=value')).data[0]?.value, '+441134960123');
  });

  test('pages without overlap, keeping the other parameters in the links', async () => {
    const first = await list('?per_page=2&filter[type]=email,phone_number');
    const second = await list('?per_page=2&page=2&filter[type]=email,phone_number');
    const third = await list('?per_page=2&page=3&filter[type]=email,phone_number');

    assert.deepEqual(
      [...uuidsOf(first), ...uuidsOf(second), ...uuidsOf(third)],
      Object.values(ids),
    );
    assert.deepEqual(
      { ...second.meta, links: undefined },
      {
        current_page: 2,
        from: 3,
        last_page: 3,
        links: undefined,
        path: 'http://localhost:80/api/v2/contact-details',
        per_page: 2,
        to: 4,
        total: 5,
      },
    );
    const url = new URL(second.links.next ?? '');
    assert.equal(url.searchParams.get('page'), '3');
    assert.equal(url.searchParams.get('per_page'), '2');
    assert.equal(url.searchParams.get('filter[type]'), 'email,phone_number');
    assert.equal(new URL(second.links.prev ?? '').searchParams.get('page'), '1');
    assert.equal(
      second.links.last,
      'http://localhost:80/api/v2/contact-details?per_page=2&filter%5Btype%5D=email%2Cphone_number&page=3',
    );
    assert.equal(
      (await list('?page=1')).links.first,
      'http://localhost:80/api/v2/contact-details?page=1',
    );
    assert.equal(third.links.next, null);
    assert.equal(first.links.prev, null);
    assert.deepEqual(
      second.meta.links.map((link) => [link.label, link.active]),
      [
        ['&laquo; Previous', false],
        ['1', false],
        ['2', true],
        ['3', false],
        ['Next &raquo;', false],
      ],
    );
  });

  test('answers an empty page past the last one', async () => {
    const page = await list('?page=9');

    assert.deepEqual(page.data, []);
    assert.equal(page.meta.from, null);
    assert.equal(page.meta.to, null);
    assert.equal(page.meta.last_page, 1);
    assert.equal(new URL(page.links.prev ?? '').searchParams.get('page'), '8');
    assert.equal(page.links.next, null);
  });

  test('rejects an unknown filter, include or sort with 400 naming the allowed ones', async () => {
    for (const [query, allowed] of [
      ['?filter[colour]=blue', 'uuid, account_uuids, circle_uuids, type, value'],
      ['?include=owners', 'accounts, primary_accounts'],
      ['?sort=colour', 'created_at, updated_at, name, value'],
      ['?filter[type]=fax', 'email, phone_number'],
    ] as const) {
      const response = await t.request(firm.owner, {
        method: 'GET',
        url: `/api/v2/contact-details${query}`,
      });
      assert.equal(response.statusCode, 400, query);
      assert.match(response.json<{ message: string }>().message, new RegExp(allowed), query);
    }
  });

  test('rejects a sort of two fields', async () => {
    for (const query of ['?sort=name,value', '?sort=name&sort=value']) {
      const response = await t.request(firm.owner, {
        method: 'GET',
        url: `/api/v2/contact-details${query}`,
      });

      assert.equal(response.statusCode, 400, query);
      assert.equal(
        response.json<{ message: string }>().message,
        'Requested sort `name,value` names more than one field; sort by one of ' +
          '`created_at, updated_at, name, value`, optionally prefixed with - for descending order.',
        query,
      );
    }
  });

  test('rejects per_page and page out of range with 422', async () => {
    for (const query of [
      '?per_page=0',
      '?per_page=501',
      '?per_page=ten',
      '?page=0',
      '?page=-1',
      '?page=1.5',
    ]) {
      const response = await t.request(firm.owner, {
        method: 'GET',
        url: `/api/v2/contact-details${query}`,
      });
      assert.equal(response.statusCode, 422, query);
      const field = query.slice(1).split('=')[0] ?? '';
      assert.deepEqual(Object.keys(response.json<{ errors: object }>().errors), [field]);
    }
  });

  test('rejects per_page given twice', async () => {
    const response = await t.request(firm.owner, {
      method: 'GET',
      url: '/api/v2/contact-details?per_page=1&per_page=2',
    });

    assert.equal(response.statusCode, 422);
    assert.deepEqual(response.json<{ errors: object }>().errors, {
      per_page: ['The per_page field must be given once, not 2 times.'],
    });
  });

  test('shows a client caller only its own details', async () => {
    const portal = await t.fixtures.member(firm, { type: 'client', accountId: ben });

    assert.deepEqual(uuidsOf(await list('', portal)), [ids.landline, ids.benEmail]);
    assert.deepEqual(uuidsOf(await list(`?filter[account_uuids]=${ada}`, portal)), [ids.landline]);
  });

  test('shows nothing of another firm, whatever the filters name', async () => {
    const other = await t.fixtures.firm('Other Firm');
    const filters = [
      '',
      `?filter[account_uuids]=${ada}`,
      `?filter[circle_uuids]=${circle}`,
      `?filter[uuid]=${Object.values(ids).join(',')}`,
      '?filter[value]=example',
    ];
    for (const query of filters) {
      const page = await list(query, other.owner);
      assert.deepEqual(page.data, [], query);
      assert.equal(page.meta.total, 0, query);
    }
  });

  test('refuses an external caller with 403', async () => {
    const external = await t.fixtures.member(firm, { type: 'external' });
    const response = await t.request(external, { method: 'GET', url: '/api/v2/contact-details' });

    assert.equal(response.statusCode, 403);
  });
});

describe('page links behind a proxy', () => {
  const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'crm.example' };

  // Injected requests come from 127.0.0.1, so only the first app trusts their proxy headers.
  for (const [trustedProxies, first] of [
    ['127.0.0.1', 'https://crm.example/api/v2/contact-details?page=1'],
    ['10.0.0.1', 'http://localhost:80/api/v2/contact-details?page=1'],
    ['', 'http://localhost:80/api/v2/contact-details?page=1'],
  ] as const) {
    test(`links with trusted proxies "${trustedProxies}"`, async () => {
      const proxied = await createTestApp({ trustedProxies });
      try {
        const owner = (await proxied.fixtures.firm()).owner;

        const response = await proxied.request(owner, {
          method: 'GET',
          url: '/api/v2/contact-details',
          headers: forwarded,
        });

        assert.equal(response.statusCode, 200);
        assert.equal(response.json<Page>().links.first, first);
        assert.equal(response.json<Page>().meta.path, first.replace('?page=1', ''));
      } finally {
        await proxied.close();
      }
    });
  }
});
