import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { type Kysely, sql } from 'kysely';

import { type BenchFirm, seedBenchFirm } from '../../bench/seed.js';
import * as trigramMigration from '../../src/storage/migrations/0006-contact-detail-trigrams.js';
import {
  laterTableRowLevelSecurity,
  tenantRoleFor,
} from '../../src/storage/postgres/row-level-security.js';
import { assertInvariants } from '../helpers/database-checks.js';
import { TEST_DIALECT } from '../helpers/databases.js';
import type { TestFirm } from '../helpers/fixtures.js';
import { type TestApp, createTestApp } from '../helpers/test-app.js';

interface Page {
  data: { uuid: string; value: string }[];
  meta: { total: number };
}

let t: TestApp;
let firm: TestFirm;
let otherFirm: TestFirm;
let client: string;
// Stored value of each detail of the firm, by id.
const values = new Map<string, string>();

const EMAILS = [
  'ada.jones@example.com',
  'Ben.Jones@Example.org',
  'cara%patel@example.net',
  'dan_o@jonesfamily.co.uk',
  'Émile.Zola@example.fr',
  'ÖZIL@EXAMPLE.DE',
  'zoë@example.com',
  'ab@ex.io',
  'jo@ex.io',
  'ones.and.twos@example.com',
  'ΑΣ@example.com',
  'İnci@example.com',
];
const PHONES = ['020 7946 0123', '0113 496 0123', '07400 123456', '+1 202 555 0143'];

// Terms that read as neither a phone number nor an email, so a substring match is their whole
// meaning, and the reference below can compute the expected details.
const SUBSTRING_TERMS = [
  'jones',
  'JONES',
  'ones',
  'ones.',
  'xample.',
  'example.com',
  'zola',
  'ÉMILE',
  'émi',
  'özil',
  'Zoë',
  'oë@',
  'ë',
  'o',
  'ab',
  'x.i',
  '%pa',
  '_o',
  '7946',
  '4960123',
  '0143',
  '4474001',
  'nothing-like-this',
  'qqq',
  // JavaScript lower-cases a final Σ to ς and İ to i with a combining dot; PostgreSQL's lower()
  // would give σ and i, and find nothing for the first two.
  'ΑΣ',
  'ας',
  'ασ',
  'İnci',
  'İ',
  'inci',
  // É written as E and a combining acute accent.
  'E\u0301mile',
];

before(async () => {
  t = await createTestApp();
  firm = await t.fixtures.firm();
  otherFirm = await t.fixtures.firm('Other Firm');
  client = await t.fixtures.client(firm, 'Ada', 'Jones');
  const otherClient = await t.fixtures.client(otherFirm, 'Ada', 'Jones');
  for (const email of EMAILS) {
    await remember(await t.fixtures.detail(firm, 'email', email, [client]));
    await t.fixtures.detail(otherFirm, 'email', email, [otherClient]);
  }

  for (const phone of PHONES) {
    await remember(await t.fixtures.detail(firm, 'phone_number', phone, [client]));
  }
});

after(async () => {
  await t.close();
});

async function remember(id: string): Promise<void> {
  const page = await search(undefined, `&filter[uuid]=${id}`);
  values.set(id, page.data[0]?.value ?? '');
}

async function search(term: string | undefined, extra = ''): Promise<Page> {
  const filter = term === undefined ? '' : `&filter[value]=${encodeURIComponent(term)}`;
  const response = await t.request(firm.owner, {
    method: 'GET',
    url: `/api/v2/contact-details?per_page=500${filter}${extra}`,
  });
  assert.equal(response.statusCode, 200, response.body);

  return response.json<Page>();
}

/** Lists the firm's details whose value contains one of `terms`, composed and lower-cased. */
function expectedIds(terms: readonly string[]): string[] {
  const loweredTerms = terms.map((term) => term.normalize('NFC').toLowerCase());

  return [...values]
    .filter(([, value]) => loweredTerms.some((term) => value.toLowerCase().includes(term)))
    .map(([id]) => id)
    .sort();
}

async function foundIds(term: string): Promise<string[]> {
  const page = await search(term);
  assert.equal(page.meta.total, page.data.length, `total of ${term}`);

  return page.data.map((detail) => detail.uuid).sort();
}

describe('filter[value] through the trigram index', () => {
  test('finds what a full comparison finds', async () => {
    for (const term of SUBSTRING_TERMS) {
      assert.deepEqual(await foundIds(term), expectedIds([term]), `term ${term}`);
    }
  });

  test('finds what a full comparison finds for several terms', async () => {
    const pairs = [
      ['zola', 'özil'],
      ['ab', 'jones'],
      ['qqq', '7946'],
      ['ë', 'nothing-like-this'],
    ];
    for (const pair of pairs) {
      assert.deepEqual(await foundIds(pair.join(',')), expectedIds(pair), `terms ${pair.join()}`);
    }
  });

  test('rejects more than ten terms', async () => {
    const terms = Array.from({ length: 11 }, (_, index) => `term${String(index)}`).join(',');
    const response = await t.request(firm.owner, {
      method: 'GET',
      url: `/api/v2/contact-details?filter[value]=${terms}`,
    });

    assert.equal(response.statusCode, 400);
    assert.match(
      response.json<{ message: string }>().message,
      /^filter\[value\] names 11 values; the maximum is 10, because each one is a separate search/,
    );
  });

  test('matches nothing for empty terms', async () => {
    assert.deepEqual(await foundIds(''), []);
    assert.deepEqual(await foundIds(','), []);
  });

  test('finds a phone number by its written form', async () => {
    const [landline] = await foundIds('+44 (0)20 7946 0123');

    assert.equal(landline === undefined ? undefined : values.get(landline), '+442079460123');
  });

  test('follows a value that PUT changes', async () => {
    const id = await t.fixtures.detail(firm, 'email', 'before.change@example.com', [client]);
    const response = await t.request(firm.owner, {
      method: 'PUT',
      url: `/api/v2/contact-details/${id}`,
      payload: { name: 'Work', value: 'after.change@example.com', account_uuids: [client] },
    });
    assert.equal(response.statusCode, 200, response.body);
    values.set(id, 'after.change@example.com');

    assert.deepEqual(await foundIds('before.ch'), []);
    assert.deepEqual(await foundIds('after.ch'), [id]);
    await assertInvariants(t.db);
  });

  test('drops a deleted detail from the index', async () => {
    const id = await t.fixtures.detail(firm, 'email', 'soon.gone@example.com', [client]);
    assert.deepEqual(await foundIds('soon.gone'), [id]);
    const response = await t.request(firm.owner, {
      method: 'DELETE',
      url: `/api/v2/contact-details/${id}`,
    });
    assert.equal(response.statusCode, 204, response.body);

    assert.deepEqual(await foundIds('soon.gone'), []);
    const rows = await t.db
      .selectFrom('contact_detail_trigrams')
      .select('trigram')
      .where('contact_detail_id', '=', id)
      .execute();
    assert.deepEqual(rows, []);
    await assertInvariants(t.db);
  });

  test('keeps each firm to its own details', async () => {
    const found = await foundIds('example');

    assert.equal(found.length > 0, true);
    assert.equal(
      found.every((id) => values.has(id)),
      true,
    );
  });

  test('finds details before and after their trigrams are batched', async () => {
    const batchFirm = await t.fixtures.firm('Batch Firm');
    const owner = await t.fixtures.client(batchFirm, 'Bo', 'Batch');
    const ids: string[] = [];
    for (let index = 0; index < 70; index += 1) {
      ids.push(
        await t.fixtures.detail(batchFirm, 'email', `batch${String(index)}@example.com`, [owner]),
      );
    }

    const first = ids[0] ?? '';
    const last = ids.at(-1) ?? '';
    const change = await t.request(batchFirm.owner, {
      method: 'PUT',
      url: `/api/v2/contact-details/${last}`,
      payload: { name: 'Work', value: 'renamed.last@example.com', account_uuids: [owner] },
    });
    assert.equal(change.statusCode, 200, change.body);
    const removal = await t.request(batchFirm.owner, {
      method: 'DELETE',
      url: `/api/v2/contact-details/${ids.at(-2) ?? ''}`,
    });
    assert.equal(removal.statusCode, 204, removal.body);
    const search = async (term: string) => {
      const response = await t.request(batchFirm.owner, {
        method: 'GET',
        url: `/api/v2/contact-details?per_page=500&filter[value]=${encodeURIComponent(term)}`,
      });
      assert.equal(response.statusCode, 200, response.body);

      return response.json<Page>().data.map((detail) => detail.uuid);
    };

    assert.deepEqual(await search('batch0@'), [first]);
    assert.deepEqual(await search('renamed.last'), [last]);
    assert.deepEqual(await search('batch69@'), []);
    assert.deepEqual(await search('batch68@'), []);
    assert.equal((await search('batch')).length, 68);
    const backlog = await t.db
      .selectFrom('contact_detail_trigram_backlog')
      .select('contact_detail_id')
      .where('firm_id', '=', batchFirm.firmId)
      .execute();
    assert.equal(backlog.length < 64, true, `${String(backlog.length)} details in the backlog`);
    await assertInvariants(t.db);
  });

  test('fills the index from details written before it', async () => {
    await trigramMigration.down(t.db as Kysely<unknown>);
    await trigramMigration.up(t.db as Kysely<unknown>);
    if (TEST_DIALECT === 'postgres') {
      const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(t.db);
      const role = tenantRoleFor(rows[0]?.name ?? '');
      await laterTableRowLevelSecurity(role, [
        'contact_detail_trigrams',
        'contact_detail_trigram_backlog',
      ]).up(t.db);
    }

    await assertInvariants(t.db);
    assert.deepEqual(await foundIds('zola'), expectedIds(['zola']));
  });
});

describe('filter[value] in a firm of 12 thousand details', () => {
  let bench: BenchFirm;
  let benchValues: { id: string; value: string }[];

  before(async () => {
    bench = await seedBenchFirm(t.storage, t.db, 12_000);
    const owner = await t.db
      .selectFrom('accounts')
      .select('firm_id')
      .where('id', '=', bench.accountId)
      .executeTakeFirstOrThrow();
    benchValues = await t.db
      .selectFrom('contact_details')
      .select(['id', 'value'])
      .where('firm_id', '=', owner.firm_id)
      .where('deleted_at', 'is', null)
      .execute();
  });

  async function count(term: string): Promise<number> {
    const response = await t.request(bench, {
      method: 'GET',
      url: `/api/v2/contact-details?per_page=1&filter[value]=${encodeURIComponent(term)}`,
    });
    assert.equal(response.statusCode, 200, response.body);

    return response.json<Page>().meta.total;
  }

  // Every email contains client and bench, so the first terms read the whole firm. The trigram
  // nt1 is in client1, client10 to client19 and so on, 1,111 details, and 60 emails end in 21@.
  for (const term of ['bench.example', 'client1', 'client4321@', '4321', '+44203000', 'nt1']) {
    test(`counts ${term} as a full comparison does`, async () => {
      const expected = benchValues.filter((detail) => detail.value.includes(term)).length;

      assert.equal(await count(term), expected);
    });
  }
});
