import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { sql } from 'kysely';

import type { TestFirm } from '../helpers/fixtures.js';
import { type TestApp, createTestApp } from '../helpers/test-app.js';

type Role = 'owner' | 'reader' | 'writer' | 'deleter' | 'portal' | 'external';
type Header = 'own' | 'foreign' | 'missing' | 'malformed';

interface Tenant {
  name: string;
  firm: TestFirm;
  client: string;
  detail: string;
  /** Text of this tenant that no other firm may ever see. */
  secrets: string[];
  users: Record<Role, { token: string; accountId: string }>;
}

interface Cell {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  payload?: object;
}

interface Route {
  name: string;
  needsAccount: boolean;
  build: (target: Tenant) => Promise<Cell>;
  /** The status when the caller acts as its own account on a target of its own firm. */
  sameFirm: Record<Role, number>;
  /** The status when the target belongs to the other firm. */
  otherFirm: Record<Role, number>;
}

const ROLES: Role[] = ['owner', 'reader', 'writer', 'deleter', 'portal', 'external'];
const HEADERS: Header[] = ['own', 'foreign', 'missing', 'malformed'];

let t: TestApp;
let tenants: [Tenant, Tenant];
let sequence = 0;

async function createTenant(name: string): Promise<Tenant> {
  const firm = await t.fixtures.firm(`${name} Wealth`);
  const client = await t.fixtures.client(firm, 'Client', name);
  const email = `client@${name.toLowerCase()}.example`;
  const detail = await t.fixtures.detail(firm, 'email', email, [client], [client]);

  return {
    name,
    firm,
    client,
    detail,
    secrets: [client, detail, email, `${name} Wealth`, `Client ${name}`],
    users: {
      owner: firm.owner,
      reader: await t.fixtures.member(firm),
      writer: await t.fixtures.member(firm, { write: true }),
      deleter: await t.fixtures.member(firm, { delete: true }),
      portal: await t.fixtures.member(firm, {
        type: 'client',
        accountId: client,
        write: true,
        delete: true,
      }),
      external: await t.fixtures.member(firm, { type: 'external', write: true, delete: true }),
    },
  };
}

/** A detail made for one cell, so that a write in one cell cannot change what the next one reads. */
async function freshDetail(target: Tenant): Promise<string> {
  sequence += 1;

  return t.fixtures.detail(target.firm, 'phone_number', `020 7946 ${String(2000 + sequence)}`, [
    target.client,
  ]);
}

const same = (values: number[]): Record<Role, number> =>
  Object.fromEntries(ROLES.map((role, index) => [role, values[index] ?? 0])) as Record<
    Role,
    number
  >;

//                                owner reader writer deleter portal external
const ROUTES: Route[] = [
  {
    name: 'GET detail',
    needsAccount: true,
    build: (target) =>
      Promise.resolve({ method: 'GET', url: `/api/v2/contact-details/${target.detail}` }),
    sameFirm: same([200, 200, 200, 200, 200, 403]),
    otherFirm: same([404, 404, 404, 404, 404, 403]),
  },
  {
    name: 'PUT detail',
    needsAccount: true,
    build: async (target) => {
      const url = `/api/v2/contact-details/${await freshDetail(target)}`;

      // The new value is the fresh detail's own, so that no two cells give one client a duplicate.
      return {
        method: 'PUT',
        url,
        payload: {
          name: 'Changed',
          value: `020 7946 ${String(2000 + sequence)}`,
          account_uuids: [target.client],
        },
      };
    },
    sameFirm: same([200, 403, 200, 403, 403, 403]),
    otherFirm: same([404, 403, 404, 403, 403, 403]),
  },
  {
    name: 'DELETE detail',
    needsAccount: true,
    build: async (target) => ({
      method: 'DELETE',
      url: `/api/v2/contact-details/${await freshDetail(target)}`,
    }),
    sameFirm: same([204, 403, 403, 204, 403, 403]),
    otherFirm: same([404, 403, 403, 404, 403, 403]),
  },
  {
    name: 'POST detail',
    needsAccount: true,
    build: (target) => {
      sequence += 1;

      return Promise.resolve({
        method: 'POST',
        url: '/api/v2/contact-details',
        payload: {
          type: 'email',
          name: 'New',
          value: `n${String(sequence)}@example.com`,
          account_uuids: [target.client],
        },
      });
    },
    sameFirm: same([201, 403, 201, 403, 403, 403]),
    otherFirm: same([422, 403, 422, 403, 403, 403]),
  },
  {
    name: 'GET list',
    needsAccount: true,
    build: (target) =>
      Promise.resolve({
        method: 'GET',
        url: `/api/v2/contact-details?filter[account_uuids]=${target.client}&include=accounts`,
      }),
    sameFirm: same([200, 200, 200, 200, 200, 403]),
    otherFirm: same([200, 200, 200, 200, 200, 403]),
  },
  {
    name: 'GET account',
    needsAccount: true,
    build: (target) => Promise.resolve({ method: 'GET', url: `/api/v1/account/${target.client}` }),
    sameFirm: same([200, 200, 200, 200, 200, 403]),
    otherFirm: same([404, 404, 404, 404, 404, 403]),
  },
  {
    name: 'PUT account',
    needsAccount: true,
    build: (target) =>
      Promise.resolve({
        method: 'PUT',
        url: `/api/v1/account/${target.client}`,
        payload: { role: 'individual', first_name: 'Client', last_name: target.name },
      }),
    sameFirm: same([200, 403, 200, 403, 403, 403]),
    otherFirm: same([404, 403, 404, 403, 403, 403]),
  },
  {
    name: 'GET accounts',
    needsAccount: true,
    build: (target) =>
      Promise.resolve({ method: 'GET', url: `/api/v1/account?filter[uuid]=${target.client}` }),
    sameFirm: same([200, 200, 200, 200, 200, 403]),
    otherFirm: same([200, 200, 200, 200, 200, 403]),
  },
  {
    name: 'POST circle',
    needsAccount: true,
    build: (target) =>
      Promise.resolve({
        method: 'POST',
        url: '/api/v1/circles',
        payload: { name: 'Household', account_uuids: [target.client] },
      }),
    sameFirm: same([201, 403, 201, 403, 403, 403]),
    otherFirm: same([422, 403, 422, 403, 403, 403]),
  },
  {
    name: 'GET circles',
    needsAccount: true,
    build: () => Promise.resolve({ method: 'GET', url: '/api/v1/circles' }),
    sameFirm: same([200, 200, 200, 200, 403, 403]),
    otherFirm: same([200, 200, 200, 200, 403, 403]),
  },
  {
    name: 'GET logins',
    needsAccount: false,
    build: () => Promise.resolve({ method: 'GET', url: '/api/v1/logins' }),
    sameFirm: same([200, 200, 200, 200, 200, 200]),
    otherFirm: same([200, 200, 200, 200, 200, 200]),
  },
];

/** Reads every row of one firm, for checking that another firm's request changed none of them. */
async function snapshotFirm(firmId: string): Promise<string> {
  const rows: unknown[] = [];
  for (const table of [
    'accounts',
    'circles',
    'circle_members',
    'contact_details',
    'contact_detail_owners',
  ]) {
    const result = await sql<
      Record<string, unknown>
    >`select * from ${sql.table(table)} where firm_id = ${firmId}`.execute(t.db);
    rows.push(...result.rows.map((row) => JSON.stringify(row)).sort());
  }

  return JSON.stringify(rows);
}

function expectedStatus(route: Route, role: Role, header: Header, crossFirm: boolean): number {
  if (route.needsAccount && (header === 'missing' || header === 'malformed')) {
    return 400;
  }

  if (route.needsAccount && header === 'foreign') {
    return 403;
  }

  return (crossFirm ? route.otherFirm : route.sameFirm)[role];
}

before(async () => {
  t = await createTestApp({ rateLimit: { max: 0, windowMs: 60_000 } });
  tenants = [await createTenant('Alpha'), await createTenant('Beta')];
});

after(async () => {
  await t.close();
});

describe('tenant isolation matrix', () => {
  test('every route, token, acting account and target answers as the rules say, with no leak', async (context) => {
    let cells = 0;
    const failures: string[] = [];
    for (const route of ROUTES) {
      for (const [callerIndex, caller] of tenants.entries()) {
        const other = tenants[1 - callerIndex] as Tenant;
        for (const role of ROLES) {
          for (const header of route.needsAccount ? HEADERS : (['missing'] as Header[])) {
            for (const target of [caller, other]) {
              const crossFirm = target !== caller;
              const cell = await route.build(target);
              const user = caller.users[role];
              const account =
                header === 'own'
                  ? user.accountId
                  : header === 'foreign'
                    ? other.users[role].accountId
                    : 'not-a-uuid';
              const before = crossFirm ? await snapshotFirm(target.firm.firmId) : '';
              const response = await t.request(undefined, {
                ...cell,
                headers: {
                  authorization: `Bearer ${user.token}`,
                  ...(header === 'missing' ? {} : { 'x-plannr-account-uuid': account }),
                },
              });
              cells += 1;

              const label = `${route.name} as ${caller.name} ${role}, ${header} account, on ${target.name}`;
              const expected = expectedStatus(route, role, header, crossFirm);
              if (response.statusCode !== expected) {
                failures.push(
                  `${label}: ${String(response.statusCode)}, expected ${String(expected)}`,
                );
              }

              // Nothing of another firm may show, in the body or a header, unless the caller sent it.
              const sent = JSON.stringify(cell);
              const seen = response.body + JSON.stringify(response.headers);
              const leaked = other.secrets.filter(
                (secret) => !sent.includes(secret) && seen.includes(secret),
              );
              if (leaked.length > 0) {
                failures.push(`${label}: leaked ${leaked.join(', ')}`);
              }

              if (crossFirm && (await snapshotFirm(target.firm.firmId)) !== before) {
                failures.push(`${label}: changed a row of ${target.name}`);
              }
            }
          }
        }
      }
    }

    assert.deepEqual(failures, []);
    assert.ok(cells > 500, `${String(cells)} cells`);
    context.diagnostic(`isolation matrix: ${String(cells)} cells, 0 leaks`);
  });
});
