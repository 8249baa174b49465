import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import fc from 'fast-check';

import type { TestFirm } from '../helpers/fixtures.js';
import { type TestApp, createTestApp } from '../helpers/test-app.js';

// Letters that many values share, so that trigrams have long postings, with an accented letter,
// an upper-case one and the two LIKE wildcards among them.
const ALPHABET = ['a', 'b', 'c', 'A', 'é', 'É', '_', '%'];
const DOMAINS = ['ab.io', 'abc.co.uk', 'ca.example'];
const DETAILS = 90;
const RUNS = 300;

let t: TestApp;
let firm: TestFirm;
// Stored value of each detail, by id.
const values = new Map<string, string>();

/** Returns the same sequence of numbers in [0, 1) for the same seed (mulberry32). */
function randomNumbers(seed: number): () => number {
  let state = seed;

  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;

    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

before(async () => {
  t = await createTestApp({ rateLimit: { max: 0, windowMs: 60_000 } });
  firm = await t.fixtures.firm();
  const client = await t.fixtures.client(firm);
  const random = randomNumbers(7);
  const pick = <Item>(items: readonly Item[]): Item =>
    items[Math.floor(random() * items.length)] ?? (items[0] as Item);
  const created = new Set<string>();
  while (values.size < DETAILS) {
    const length = 2 + Math.floor(random() * 6);
    const local = Array.from({ length }, () => pick(ALPHABET)).join('');
    const email = `${local}@${pick(DOMAINS)}`;
    if (created.has(email.toLowerCase())) {
      continue;
    }

    created.add(email.toLowerCase());
    const id = await t.fixtures.detail(firm, 'email', email, [client]);
    const response = await t.request(firm.owner, {
      method: 'GET',
      url: `/api/v2/contact-details/${id}`,
    });
    values.set(id, response.json<{ value: string }>().value);
  }
});

after(async () => {
  await t.close();
});

describe('filter[value] against a full comparison', () => {
  test(`agrees on ${String(RUNS)} generated terms`, async () => {
    const stored = [...values.values()];
    const fromValue = fc
      .tuple(fc.constantFrom(...stored), fc.nat(), fc.nat(), fc.boolean())
      .map(([value, from, span, upper]) => {
        const start = from % value.length;
        const part = value.slice(start, start + 1 + (span % 6));

        return upper ? part.toUpperCase() : part;
      })
      .filter((term) => !term.includes('@') && !term.includes(','));
    const fromAlphabet = fc
      .array(fc.constantFrom(...ALPHABET, '.', 'o', 'x'), { minLength: 1, maxLength: 5 })
      .map((characters) => characters.join(''));
    const term = fc.oneof(fromValue, fromAlphabet);

    await fc.assert(
      fc.asyncProperty(fc.array(term, { minLength: 1, maxLength: 3 }), async (terms) => {
        const response = await t.request(firm.owner, {
          method: 'GET',
          url: `/api/v2/contact-details?per_page=500&filter[value]=${encodeURIComponent(terms.join(','))}`,
        });
        assert.equal(response.statusCode, 200, response.body);
        const page = response.json<{ data: { uuid: string }[]; meta: { total: number } }>();
        const expected = [...values]
          .filter(([, value]) =>
            terms.some((item) => value.toLowerCase().includes(item.toLowerCase())),
          )
          .map(([id]) => id)
          .sort();

        assert.deepEqual(page.data.map((detail) => detail.uuid).sort(), expected);
        assert.equal(page.meta.total, expected.length);
      }),
      { numRuns: RUNS },
    );
  });
});
