import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { assertInvariants, snapshotDatabase } from '../helpers/database-checks.js';
import type { TestFirm } from '../helpers/fixtures.js';
import { type TestApp, createTestApp } from '../helpers/test-app.js';

/** An input from a public bug report, with the answer contactd must give. */
interface ValueCase {
  id: string;
  type: 'email' | 'phone_number';
  input: unknown;
  accept: boolean;
  error_field?: string;
  value?: string;
  country?: string;
  formatted?: string;
  extension?: string;
}

const cases = (
  JSON.parse(readFileSync(new URL('../fixtures/public-cases.json', import.meta.url), 'utf8')) as {
    values: ValueCase[];
  }
).values;

interface Resource {
  value: string;
  phone_number_meta?: { country: string; formatted: string; extension: string | null };
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

function assertAnswer(testCase: ValueCase, statusCode: number, body: unknown): void {
  if (!testCase.accept) {
    assert.equal(statusCode, 422, JSON.stringify(body));
    const errors = (body as { errors: Record<string, string[]> }).errors;
    assert.deepEqual(Object.keys(errors), [testCase.error_field]);
    assert.ok((errors[testCase.error_field ?? '']?.[0]?.length ?? 0) > 20, 'the message explains');

    return;
  }

  assert.ok(statusCode === 200 || statusCode === 201, JSON.stringify(body));
  const resource = body as Resource;
  assert.equal(resource.value, testCase.value);
  if (testCase.type === 'phone_number') {
    const meta = resource.phone_number_meta;
    assert.ok(meta);
    assert.equal(meta.country, testCase.country ?? meta.country);
    assert.equal(meta.formatted, testCase.formatted ?? meta.formatted);
    assert.equal(meta.extension, testCase.extension ?? null);
    if (testCase.extension !== undefined) {
      assert.match(meta.formatted, new RegExp(testCase.extension), 'formatted keeps the extension');
    }
  }
}

describe('public cases of phone numbers and emails', () => {
  for (const testCase of cases) {
    test(`POST ${testCase.id}`, async () => {
      const client = await t.fixtures.client(firm);
      const before = await snapshotDatabase(t.db);
      const response = await t.request(firm.owner, {
        method: 'POST',
        url: '/api/v2/contact-details',
        payload: {
          type: testCase.type,
          name: testCase.id,
          value: testCase.input,
          account_uuids: [client],
        },
      });

      assertAnswer(testCase, response.statusCode, response.json());
      if (!testCase.accept) {
        assert.equal(await snapshotDatabase(t.db), before);
      }
    });

    test(`PUT ${testCase.id}`, async () => {
      const client = await t.fixtures.client(firm);
      const existing = testCase.type === 'email' ? 'before@example.com' : '020 7946 0999';
      const id = await t.fixtures.detail(firm, testCase.type, existing, [client], [client]);
      const before = await snapshotDatabase(t.db);
      const response = await t.request(firm.owner, {
        method: 'PUT',
        url: `/api/v2/contact-details/${id}`,
        payload: { name: testCase.id, value: testCase.input, account_uuids: [client] },
      });

      assertAnswer(testCase, response.statusCode, response.json());
      if (testCase.accept) {
        const account = await t.db
          .selectFrom('accounts')
          .select(['primary_email', 'primary_phone_number'])
          .where('id', '=', client)
          .executeTakeFirstOrThrow();
        const primary =
          testCase.type === 'email' ? account.primary_email : account.primary_phone_number;
        assert.equal(primary, testCase.value, 'the account copy follows the new value');
        await assertInvariants(t.db);
      } else {
        assert.equal(await snapshotDatabase(t.db), before);
      }
    });
  }
});

describe('the same number in another form', () => {
  test('is a duplicate for an owner that has it already', async () => {
    const client = await t.fixtures.client(firm);
    await t.fixtures.detail(firm, 'phone_number', '+44 (0)20 7946 0123', [client]);

    const response = await t.request(firm.owner, {
      method: 'POST',
      url: '/api/v2/contact-details',
      payload: {
        type: 'phone_number',
        name: 'Again',
        value: '0044 20 7946 0123',
        account_uuids: [client],
      },
    });

    assert.equal(response.statusCode, 422);
    assert.match(response.json<{ errors: { value: string[] } }>().errors.value[0] ?? '', /already/);
  });
});
