import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { startServer } from '../helpers/server-process.js';

let folder: string;

before(() => {
  folder = mkdtempSync(join(tmpdir(), 'contactd-shutdown-'));
});

after(() => {
  rmSync(folder, { recursive: true, force: true });
});

function parseCurl(output: string) {
  const url = /--request PUT '([^']+)'/.exec(output)?.[1] ?? '';
  const token = /Bearer (\S+)"/.exec(output)?.[1] ?? '';
  const account = /X-PLANNR-ACCOUNT-UUID: (\S+)"/.exec(output)?.[1] ?? '';
  const body = /--data '([^']+)'/.exec(output)?.[1] ?? '';

  return { url, token, account, body };
}

describe('SIGTERM', () => {
  test('lets an in-flight request finish, then exits 0 and refuses new connections', async () => {
    const server = await startServer(`sqlite:${join(folder, 'contactd.sqlite')}`, [], {
      LOG_LEVEL: 'info',
    });
    const curl = parseCurl(server.output);
    const exited = new Promise<number | null>((resolve) => server.process.once('exit', resolve));

    // Half the body goes before the signal and the rest after it.
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const outgoing = request(
        curl.url,
        {
          method: 'PUT',
          headers: {
            authorization: `Bearer ${curl.token}`,
            'x-plannr-account-uuid': curl.account,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(curl.body),
          },
        },
        (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
          response.once('end', () => {
            resolve({ status: response.statusCode ?? 0, body });
          });
        },
      );
      outgoing.once('error', reject);
      outgoing.write(curl.body.slice(0, 20));
      void sleep(300).then(() => {
        server.process.kill('SIGTERM');

        return sleep(500).then(() => outgoing.end(curl.body.slice(20)));
      });
    });

    const { status, body } = await answer;
    assert.equal(status, 200, body);
    assert.equal((JSON.parse(body) as { value: string }).value, '+441134960456');
    assert.equal(await exited, 0);
    assert.match(server.logs(), /"msg":"shut down"/);
    await assert.rejects(fetch(`${server.baseUrl}/health`), 'the port no longer accepts');
  });
});
