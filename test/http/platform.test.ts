import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Validator } from '@seriousme/openapi-schema-validator';

import type { TestFirm } from '../helpers/fixtures.js';
import { type TestApp, createTestApp } from '../helpers/test-app.js';

let t: TestApp;
let firm: TestFirm;

before(async () => {
  t = await createTestApp({ rateLimit: { max: 3, windowMs: 60_000 } });
  firm = await t.fixtures.firm();
});

after(async () => {
  await t.close();
});

describe('GET /health', () => {
  test('answers ok without authentication', async () => {
    const response = await t.request(undefined, { method: 'GET', url: '/health' });

    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ok', database: 'ok' });
  });
});

describe('rate limit', () => {
  test('counts each user, sends the headers, and answers 429 with Retry-After past the limit', async () => {
    const member = await t.fixtures.member(firm);
    const statuses: number[] = [];
    const remaining: string[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const response = await t.request(member, { method: 'GET', url: '/api/v1/logins' });
      statuses.push(response.statusCode);
      remaining.push(String(response.headers['x-ratelimit-remaining']));
      assert.equal(response.headers['x-ratelimit-limit'], '3');
      if (response.statusCode === 429) {
        assert.deepEqual(response.json(), { message: 'Too Many Attempts.' });
        assert.match(String(response.headers['retry-after']), /^\d+$/);
      }
    }

    assert.deepEqual(statuses, [200, 200, 200, 429]);
    assert.deepEqual(remaining, ['2', '1', '0', '0']);

    const other = await t.request(firm.owner, { method: 'GET', url: '/api/v1/logins' });
    assert.equal(other.statusCode, 200, 'another user has a limit of its own');
  });
});

describe('OpenAPI', () => {
  test('documents every route in a valid OpenAPI 3.1 document', async () => {
    const response = await t.request(undefined, { method: 'GET', url: '/openapi.json' });
    assert.equal(response.statusCode, 200);
    const document = response.json<{
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    }>();
    assert.equal(document.openapi, '3.1.0');

    const validator = new Validator();
    const result = await validator.validate(document);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));

    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    const registered = registeredRoutes(t.app.printRoutes({ commonPrefix: false }));
    const apiRoutes = registered.filter((route) => / \/(api|health)/.test(route));
    assert.ok(apiRoutes.length >= 14, apiRoutes.join('\n'));
    for (const route of apiRoutes) {
      assert.ok(documented.has(route), `${route} is registered but not documented`);
    }
  });

  test('serves a reference page at /docs', async () => {
    const response = await t.request(undefined, { method: 'GET', url: '/docs/' });

    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /text\/html/);
  });
});

/**
 * Reads Fastify's route tree (`printRoutes`) into "METHOD /path" lines, with `:name` parameters
 * written `{name}` as OpenAPI writes them. HEAD routes, which Fastify adds to every GET, are left
 * out.
 */
function registeredRoutes(tree: string): string[] {
  const parents: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│├└─\s]*)(\S.*?) \(([^)]+)\)$/.exec(line);
    if (match === null) {
      continue;
    }

    const [, indent = '', segment = '', methods = ''] = match;
    const depth = indent.length / 4;
    const path = (parents[depth - 1] ?? '') + segment;
    parents[depth] = path;
    for (const method of methods.split(', ').filter((name) => name !== 'HEAD')) {
      routes.push(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
    }
  }

  return routes;
}
