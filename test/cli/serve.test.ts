import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import SqliteDatabase from 'better-sqlite3';

import { CLI, startServer, stopServer } from '../helpers/server-process.js';

const run = promisify(execFile);

let folder: string;
let database: string;

before(() => {
  folder = mkdtempSync(join(tmpdir(), 'contactd-cli-'));
  database = `sqlite:${join(folder, 'contactd.sqlite')}`;
});

after(() => {
  rmSync(folder, { recursive: true, force: true });
});

/** Reads the curl command the banner prints into the request it describes. */
function parseCurl(output: string) {
  const url = /--request PUT '([^']+)'/.exec(output)?.[1];
  const headers: Record<string, string> = {};
  for (const match of output.matchAll(/--header "([^:]+): ([^"]+)"/g)) {
    headers[match[1] ?? ''] = match[2] ?? '';
  }

  const body = /--data '([^']+)'/.exec(output)?.[1];
  assert.ok(url !== undefined, `no curl URL in:\n${output}`);
  assert.ok(body !== undefined, `no curl body in:\n${output}`);

  return { url, headers, body };
}

describe('contactd serve --seed-demo', () => {
  test('prints a curl for the PUT route that returns 200 over a real socket', async () => {
    const server = await startServer(database);
    try {
      const curl = parseCurl(server.output);
      assert.match(curl.headers.Authorization ?? '', /^Bearer contactd_/);

      const response = await fetch(curl.url, {
        method: 'PUT',
        headers: curl.headers,
        body: curl.body,
      });
      assert.equal(response.status, 200);
      const resource = (await response.json()) as { name: string; value: string };
      assert.equal(resource.name, 'Work phone number');
      assert.equal(resource.value, '+441134960456');
      assert.match(response.headers.get('x-request-id') ?? '', /.+/);
    } finally {
      assert.equal(await stopServer(server), 0, 'SIGTERM ends the server with exit code 0');
    }
  });

  test('keeps the data on a later run and prints a token command that works', async () => {
    const server = await startServer(database);
    try {
      assert.doesNotMatch(server.output, /--request PUT/);
      const command = /npm run contactd -- (token .+)\n/.exec(server.output)?.[1];
      assert.ok(command !== undefined, server.output);

      const issued = await run(process.execPath, ['--import', 'tsx', CLI, ...command.split(' ')]);
      const token = /Token: (\S+)/.exec(issued.stdout)?.[1];
      const accountId = /X-PLANNR-ACCOUNT-UUID: (\S+)/.exec(issued.stdout)?.[1];
      assert.ok(token !== undefined, issued.stdout);
      assert.ok(accountId !== undefined, issued.stdout);

      const baseUrl = server.baseUrl;
      const id = '00000000-0000-4000-8000-000000000000';
      const response = await fetch(`${baseUrl}/api/v2/contact-details/${id}`, {
        headers: { authorization: `Bearer ${token}`, 'x-plannr-account-uuid': accountId },
      });
      assert.equal(response.status, 404, 'the new token authenticates');
    } finally {
      await stopServer(server);
    }
  });
});

describe('contactd help', () => {
  test('documents every setting with its environment variable', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', CLI, '--help']);

    for (const variable of ['HOST', 'PORT', 'DATABASE_URL', 'LOG_LEVEL', 'TIME_ZONE']) {
      assert.match(stdout, new RegExp(variable));
    }
  });

  test('rejects a bad setting with a message that names it', async () => {
    await assert.rejects(
      run(process.execPath, ['--import', 'tsx', CLI, 'migrate', '--port', 'eighty'], {
        env: { ...process.env },
      }),
      (error: Error & { stderr: string; code: number }) => {
        assert.equal(error.code, 1);
        assert.match(error.stderr, /PORT must be a whole number/);

        return true;
      },
    );
  });

  test('option value with a dash gets one line', async () => {
    await assert.rejects(
      run(process.execPath, ['--import', 'tsx', CLI, 'migrate', '--read-cache', '-1']),
      (error: Error & { stderr: string; code: number }) => {
        assert.equal(error.code, 2);
        assert.match(error.stderr, /^contactd: Option '--read-cache' argument is ambiguous\n/);
        assert.doesNotMatch(error.stderr, /Did you forget/);

        return true;
      },
    );
  });
});

describe('contactd on a locked database', () => {
  test('says another process holds the lock', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'contactd-locked-'));
    const path = join(folder, 'locked.sqlite');
    const holder = new SqliteDatabase(path);
    holder.exec('create table held (id integer)');
    holder.exec('begin immediate');
    try {
      await assert.rejects(
        run(process.execPath, ['--import', 'tsx', CLI, 'migrate', '--database', `sqlite:${path}`]),
        (error: Error & { stderr: string; code: number }) => {
          assert.equal(error.code, 1);
          assert.match(error.stderr, /database is locked: another process holds the write lock/);

          return true;
        },
      );
    } finally {
      holder.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('contactd serve on a taken port', () => {
  test('names the port in its error', async () => {
    const portHolder = createServer();
    await new Promise<void>((resolve) => portHolder.listen(0, '127.0.0.1', resolve));
    const { port } = portHolder.address() as AddressInfo;
    try {
      await assert.rejects(
        run(process.execPath, [
          '--import',
          'tsx',
          CLI,
          'serve',
          '--port',
          String(port),
          '--database',
          database,
        ]),
        (error: Error & { stderr: string; code: number }) => {
          assert.equal(error.code, 1);
          assert.match(error.stderr, new RegExp(`port ${String(port)} is already in use`));

          return true;
        },
      );
    } finally {
      portHolder.close();
    }
  });
});

describe('contactd init', () => {
  test('creates a firm and prints a token and account that authenticate', async () => {
    const { stdout } = await run(process.execPath, [
      '--import',
      'tsx',
      CLI,
      'init',
      '--database',
      database,
      '--firm',
      'Harbour Wealth',
      '--email',
      'owner@harbour.example',
      '--first-name',
      'Hana',
      '--last-name',
      'Harbour',
    ]);

    assert.match(stdout, /Token: contactd_\S+/);
    assert.match(stdout, /X-PLANNR-ACCOUNT-UUID: [0-9a-f-]{36}/);
  });
});
