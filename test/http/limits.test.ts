import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';

import { type Credentials, type TestApp, createTestApp } from '../helpers/test-app.js';

let t: TestApp;
let port: number;

before(async () => {
  t = await createTestApp({ requestTimeoutMs: 500 });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  port = typeof address === 'object' && address !== null ? address.port : 0;
});

after(async () => {
  await t.close();
});

let credentials: Credentials | undefined;

async function owner(): Promise<Credentials> {
  credentials ??= (await t.fixtures.firm()).owner;

  return credentials;
}

/** Writes `text` on a new connection and returns all the server sends back before it closes. */
function exchange(text: string, pauseMs = 0): Promise<{ answer: string; closedAfterMs: number }> {
  const started = Date.now();

  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(text);
    });
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    socket.on('close', () => {
      resolve({ answer, closedAfterMs: Date.now() - started });
    });
    socket.on('error', reject);
    if (pauseMs > 0) {
      socket.setTimeout(pauseMs * 10, () => socket.destroy());
    }
  });
}

describe('resource limits', () => {
  test('cut off a client that sends its headers too slowly', async () => {
    const { answer, closedAfterMs } = await exchange('GET /health HTTP/1.1\r\nHost: x\r\n', 500);

    assert.match(answer, /^HTTP\/1\.1 408 /);
    assert.ok(closedAfterMs < 4000, `closed after ${closedAfterMs} ms`);
  });

  test('reject headers over 16 KiB with 431', async () => {
    const { answer } = await exchange(
      `GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`,
    );

    assert.match(answer, /^HTTP\/1\.1 431 /);
  });

  test('close a keep-alive connection after 5 s idle', async () => {
    const { answer, closedAfterMs } = await exchange(
      'GET /health HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n',
    );

    assert.match(answer, /^HTTP\/1\.1 200 /);
    assert.ok(
      closedAfterMs >= 4500 && closedAfterMs < 8000,
      `closed after ${String(closedAfterMs)} ms`,
    );
  });

  test('reject more than 100 terms in one filter, and 10 in a value search, with 400', async () => {
    const terms = (count: number) =>
      Array.from({ length: count }, (_, index) => `t${String(index)}`).join(',');
    const uuids = await t.request(await owner(), {
      method: 'GET',
      url: `/api/v2/contact-details?filter[uuid]=${terms(101)}`,
    });
    const values = await t.request(await owner(), {
      method: 'GET',
      url: `/api/v2/contact-details?filter[value]=${terms(11)}`,
    });

    assert.equal(uuids.statusCode, 400);
    assert.match(uuids.json<{ message: string }>().message, /maximum is 100/);
    assert.equal(values.statusCode, 400);
    assert.match(values.json<{ message: string }>().message, /maximum is 10,/);
  });

  test('answer a URL of 8 KiB without a server error', async () => {
    const response = await t.request(undefined, {
      method: 'GET',
      url: `/api/v2/contact-details?filter[value]=${'a'.repeat(8000)}`,
    });

    assert.equal(response.statusCode, 401);
  });
});
