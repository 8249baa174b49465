/**
 * Measures contactd against the limit of this runtime (a bare node:http server), against the
 * framework it is built on (Fastify replying with a fixed body) and against json-server, side by
 * side in one run: `npm run bench` for the full matrix, `npm run bench -- --quick` for about two
 * minutes. Every server runs on 127.0.0.1 and is stopped at the end; the servers are pinned to
 * CPU 0 and the load generator to CPU 1 when `taskset` exists. Prints a table and writes
 * bench/results/latest.json.
 */
import { type ChildProcessByStdio, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

import autocannon from 'autocannon';
import pg from 'pg';

import { createKyselyStorageFor } from './storage.js';
import { tenantRoleFor } from '../src/storage/postgres/row-level-security.js';
import { type BenchFirm, seedBenchFirm } from './seed.js';
import { freePort } from '../scripts/free-port.js';

const { values: flags } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const QUICK = flags.quick;
const SIZES = QUICK ? [10_000] : [10_000, 1_000_000];
const CONNECTIONS = QUICK ? [16] : [1, 16, 64];
const SECONDS = QUICK ? 3 : 10;
const WARM_UP_SECONDS = QUICK ? 1 : 3;
const ROOT = new URL('..', import.meta.url).pathname;
const PINNING = hasTaskset();
// Counts the bodies built for POST, across runs, so that no two create the same value.
let sequence = 0;

interface Measurement {
  server: string;
  database: string;
  size: number;
  scenario: string;
  connections: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  p999: number;
  errors: number;
  peakRssMiB: number;
}

interface Running {
  child: ChildProcessByStdio<null, Readable, Readable>;
  port: number;
}

interface Scenario {
  name: string;
  method: 'GET' | 'PUT' | 'POST';
  path: string;
  bodies?: string[];
  /** Builds each request's body from a counter, so that every request writes a new row. */
  bodyOf?: (sequence: number) => string;
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-c', '0', 'true']);

    return true;
  } catch {
    return false;
  }
}

/** Starts `command` pinned to CPU 0 and resolves once it prints the port it listens on. */
async function startProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  pattern: RegExp,
): Promise<Running> {
  const [file, argv] = PINNING ? ['taskset', ['-c', '0', command, ...args]] : [command, args];
  const child = spawn(file, argv, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`${command} did not start:\n${output}`));
    }, 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = pattern.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        // From here on the output is read and dropped: keeping it, and searching all of it
        // again for each line of log, took the load generator's core from it.
        for (const stream of [child.stdout, child.stderr]) {
          stream.off('data', read);
          stream.resume();
        }
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => {
      reject(new Error(`${command} exited with ${String(code)}:\n${output}`));
    });
  });

  return { child, port };
}

async function stop(running: Running): Promise<void> {
  const exited = new Promise((resolve) => running.child.once('exit', resolve));
  running.child.kill('SIGTERM');
  await exited;
}

function residentMiB(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');

    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/**
 * Measures each scenario at each count of connections, after loading it once unmeasured so that
 * the server's code is compiled and its caches are warm, and records the figures under `labels`.
 */
async function measureScenarios(
  running: Running,
  scenarios: Scenario[],
  headers: Record<string, string>,
  labels: Pick<Measurement, 'server' | 'database' | 'size'>,
  results: Measurement[],
): Promise<void> {
  for (const scenario of scenarios) {
    await measure(running, scenario, 16, headers, WARM_UP_SECONDS);
    for (const connections of CONNECTIONS) {
      results.push({ ...labels, ...(await measure(running, scenario, connections, headers)) });
      report(results.at(-1));
    }
  }
}

/** Loads one scenario for `seconds` and samples the server's memory as it goes. */
async function measure(
  running: Running,
  scenario: Scenario,
  connections: number,
  headers: Record<string, string>,
  seconds = SECONDS,
): Promise<Omit<Measurement, 'server' | 'database' | 'size'>> {
  let peak = residentMiB(running.child.pid);
  const sampler = setInterval(() => {
    peak = Math.max(peak, residentMiB(running.child.pid));
  }, 250);
  const bodies = scenario.bodies ?? [];
  const result = await autocannon({
    url: `http://127.0.0.1:${String(running.port)}${scenario.path}`,
    connections,
    duration: seconds,
    method: scenario.method,
    headers: {
      ...headers,
      ...(bodies.length > 0 || scenario.bodyOf !== undefined
        ? { 'content-type': 'application/json' }
        : {}),
    },
    ...(bodies.length > 0
      ? { requests: bodies.map((body) => ({ method: scenario.method, path: scenario.path, body })) }
      : {}),
    ...(scenario.bodyOf === undefined
      ? {}
      : {
          requests: [
            {
              method: scenario.method,
              path: scenario.path,
              setupRequest: (request: autocannon.Request) => {
                sequence += 1;

                return { ...request, body: scenario.bodyOf?.(sequence) ?? '' };
              },
            },
          ],
        }),
  });
  clearInterval(sampler);

  return {
    scenario: scenario.name,
    connections,
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    p999: result.latency.p99_9,
    errors: result.errors + result.non2xx,
    peakRssMiB: Math.round(peak),
  };
}

function contactdScenarios(firm: BenchFirm): Scenario[] {
  const body = (value: string) =>
    JSON.stringify({
      name: 'Phone',
      value,
      account_uuids: [firm.clientId],
      primary_account_uuids: [firm.clientId],
    });

  return [
    {
      name: 'PUT one',
      method: 'PUT',
      path: `/api/v2/contact-details/${firm.phoneId}`,
      bodies: firm.phoneValues.map(body),
    },
    { name: 'GET one', method: 'GET', path: `/api/v2/contact-details/${firm.phoneId}` },
    {
      name: 'GET list',
      method: 'GET',
      path: '/api/v2/contact-details?per_page=15&include=accounts,primary_accounts',
    },
    {
      name: 'GET by owner',
      method: 'GET',
      path: `/api/v2/contact-details?filter[account_uuids]=${firm.clientId}`,
    },
    {
      name: 'GET by value',
      method: 'GET',
      path: `/api/v2/contact-details?filter[value]=${encodeURIComponent(firm.searchTerm)}`,
    },
    {
      name: 'POST',
      method: 'POST',
      path: '/api/v2/contact-details',
      bodyOf: (sequence) =>
        JSON.stringify({
          type: 'email',
          name: 'New',
          value: `new${String(sequence)}@bench.example`,
          account_uuids: [firm.clientId],
        }),
    },
  ];
}

async function benchContactd(
  database: 'sqlite' | 'postgres',
  size: number,
  results: Measurement[],
): Promise<void> {
  const target = await createBenchDatabase(database, size);
  if (target === undefined) {
    process.stderr.write(`bench: PostgreSQL is unreachable, so its rows are missing\n`);

    return;
  }

  try {
    process.stderr.write(`bench: seeding ${String(size)} details on ${database}\n`);
    const firm = await target.seed();
    const headers = {
      authorization: `Bearer ${firm.token}`,
      'x-plannr-account-uuid': firm.accountId,
    };
    const scenarios = contactdScenarios(firm);
    if (database === 'sqlite') {
      // The read scenarios repeat one request, which the read cache serves after the first, so
      // they also run with the cache off, to measure a read that SQLite serves. They run first,
      // on the same rows as the cached run's reads, before POST adds details to the client.
      await serveAndMeasure(
        target.url,
        ['--read-cache', '0'],
        scenarios.filter((scenario) => scenario.method === 'GET'),
        headers,
        { database: 'sqlite, no cache', size },
        results,
      );
    }
    await serveAndMeasure(target.url, [], scenarios, headers, { database, size }, results);
  } finally {
    await target.drop();
  }
}

/** Starts contactd on `url` with `extraArgs`, measures `scenarios` on it, and stops it. */
async function serveAndMeasure(
  url: string,
  extraArgs: string[],
  scenarios: Scenario[],
  headers: Record<string, string>,
  labels: Pick<Measurement, 'database' | 'size'>,
  results: Measurement[],
): Promise<void> {
  const running = await startProcess(
    process.execPath,
    [
      join(ROOT, 'dist/cli.js'),
      'serve',
      '--port',
      '0',
      '--database',
      url,
      '--rate-limit',
      '0',
      ...extraArgs,
    ],
    { LOG_LEVEL: 'info' },
    /listening at http:\/\/127\.0\.0\.1:(\d+)/,
  );
  try {
    await measureScenarios(running, scenarios, headers, { server: 'contactd', ...labels }, results);
  } finally {
    await stop(running);
  }
}

interface BenchDatabase {
  url: string;
  seed(): Promise<BenchFirm>;
  drop(): Promise<void>;
}

async function createBenchDatabase(
  database: 'sqlite' | 'postgres',
  size: number,
): Promise<BenchDatabase | undefined> {
  if (database === 'sqlite') {
    const folder = mkdtempSync(join(tmpdir(), 'contactd-bench-'));
    const url = `sqlite:${join(folder, 'bench.sqlite')}`;

    return {
      url,
      seed: () => seedWith(url, size),
      drop: () => {
        rmSync(folder, { recursive: true, force: true });

        return Promise.resolve();
      },
    };
  }

  const server =
    process.env.CONTACTD_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  // The process id keeps two runs on one server from dropping each other's database.
  const name = `contactd_bench_${String(size)}_${String(process.pid)}`;
  try {
    await administer(server, `drop database if exists ${name} with (force)`);
    await administer(server, `create database ${name}`);
  } catch {
    return undefined;
  }

  const url = new URL(server);
  url.pathname = `/${name}`;

  return {
    url: url.toString(),
    seed: () => seedWith(url.toString(), size),
    drop: async () => {
      await administer(server, `drop database if exists ${name} with (force)`);
      await administer(server, `drop role if exists ${tenantRoleFor(name)}`);
    },
  };
}

async function seedWith(url: string, size: number): Promise<BenchFirm> {
  const { storage, db, close } = await createKyselyStorageFor(url);
  try {
    await storage.migrate();

    return await seedBenchFirm(storage, db, size);
  } finally {
    await close();
  }
}

async function administer(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Measures a server that replies to GET and PUT on `/` with one fixed body. */
async function benchFixedBody(server: string, script: string, results: Measurement[]) {
  const running = await startProcess(process.execPath, [join(ROOT, script)], {}, /listening (\d+)/);
  try {
    const scenarios: Scenario[] = [
      { name: 'GET one', method: 'GET', path: '/' },
      { name: 'PUT one', method: 'PUT', path: '/', bodies: ['{"name":"x"}'] },
    ];
    await measureScenarios(running, scenarios, {}, { server, database: '-', size: 0 }, results);
  } finally {
    await stop(running);
  }
}

async function benchBaselines(results: Measurement[]): Promise<void> {
  await benchFixedBody('node:http', 'bench/bare-server.mjs', results);
  await benchFixedBody('fastify', 'bench/fastify-server.mjs', results);

  const folder = mkdtempSync(join(tmpdir(), 'contactd-json-server-'));
  const file = join(folder, 'db.json');
  const size = 10_000;
  writeFileSync(
    file,
    JSON.stringify({
      'contact-details': Array.from({ length: size }, (_, index) => ({
        id: index + 1,
        type: 'phone_number',
        name: 'Phone',
        value: `+44203${String(index).padStart(7, '0')}`,
        account_uuids: [`client-${String(index)}`],
      })),
    }),
  );
  const port = await freePort();
  const jsonServer = await startProcess(
    process.execPath,
    [
      join(ROOT, 'node_modules/json-server/lib/cli/bin.js'),
      file,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
    ],
    {},
    /127\.0\.0\.1:(\d+)/,
  );
  try {
    const body = (value: string) =>
      JSON.stringify({ type: 'phone_number', name: 'Phone', value, account_uuids: ['client-0'] });
    const scenarios: Scenario[] = [
      { name: 'GET one', method: 'GET', path: '/contact-details/1' },
      {
        name: 'PUT one',
        method: 'PUT',
        path: '/contact-details/1',
        bodies: [body('+442030000000'), body('+442030000001')],
      },
    ];
    const labels = { server: 'json-server', database: 'db.json', size };
    await measureScenarios(jsonServer, scenarios, {}, labels, results);
  } finally {
    await stop(jsonServer);
    rmSync(folder, { recursive: true, force: true });
  }
}

function report(measurement: Measurement | undefined): void {
  if (measurement !== undefined) {
    process.stderr.write(
      `bench: ${measurement.server} ${measurement.database} ${String(measurement.size)} ${measurement.scenario} ` +
        `c=${String(measurement.connections)}: ${String(measurement.requestsPerSecond)} req/s, p99 ${String(measurement.p99)} ms\n`,
    );
  }
}

/** Returns the figures of one measurement as table cells, from the connections to the peak memory. */
function figureCells(item: Measurement): string[] {
  return [
    item.connections,
    item.requestsPerSecond,
    item.p50,
    item.p99,
    item.p999,
    item.peakRssMiB,
  ].map(String);
}

function ratioTable(results: Measurement[]): string {
  const find = (server: string, scenario: string, connections: number) =>
    results.find(
      (item) =>
        item.server === server && item.scenario === scenario && item.connections === connections,
    );
  const rows = results
    .filter((item) => item.server === 'contactd')
    .map((item) => {
      // The fixed-body servers serve a GET and a PUT, so a list or a POST compares with the GET.
      const fixedBodyScenario = item.scenario.startsWith('PUT') ? 'PUT one' : 'GET one';
      const baseline = find('node:http', fixedBodyScenario, item.connections);
      const framework = find('fastify', fixedBodyScenario, item.connections);
      const rival = find('json-server', item.scenario, item.connections);
      const small = results.find(
        (other) =>
          other.server === 'contactd' &&
          other.database === item.database &&
          other.size === 10_000 &&
          other.scenario === item.scenario &&
          other.connections === item.connections,
      );
      const ratio = (value: number | undefined) =>
        value === undefined || value === 0 ? '-' : (item.requestsPerSecond / value).toFixed(2);

      return [
        item.database,
        String(item.size),
        item.scenario,
        ...figureCells(item),
        ratio(baseline?.requestsPerSecond),
        ratio(framework?.requestsPerSecond),
        rival === undefined || item.size !== 10_000 ? '-' : ratio(rival.requestsPerSecond),
        item.size === 10_000 || small === undefined
          ? '-'
          : // autocannon reports whole milliseconds, so a p99 under 1 ms counts as 1.
            (Math.max(item.p99, 1) / Math.max(small.p99, 1)).toFixed(2),
        String(item.errors),
      ];
    });
  const header = [
    'db',
    'details',
    'scenario',
    'conns',
    'req/s',
    'p50 ms',
    'p99 ms',
    'p99.9 ms',
    'peak RSS MiB',
    '× node:http',
    '× fastify',
    '× json-server',
    'p99 × 10k',
    'errors',
  ];
  const baselineRows = results
    .filter((item) => item.server !== 'contactd')
    .map((item) => [item.server, item.scenario, ...figureCells(item)]);

  const markdown = (table: string[][]) => table.map((row) => `| ${row.join(' | ')} |`).join('\n');

  return [
    markdown([header, header.map(() => '---'), ...rows]),
    '',
    markdown([
      ['baseline', 'scenario', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'peak RSS MiB'],
      ['---', '---', '---', '---', '---', '---', '---', '---'],
      ...baselineRows,
    ]),
  ].join('\n');
}

async function main(): Promise<void> {
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')],
    { stdio: 'inherit' },
  );
  const results: Measurement[] = [];
  await benchBaselines(results);
  for (const size of SIZES) {
    for (const database of ['sqlite', 'postgres'] as const) {
      await benchContactd(database, size, results);
    }
  }

  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
    cwd: ROOT,
    encoding: 'utf8',
  }).trim();
  const summary = {
    date: new Date().toISOString(),
    commit,
    quick: QUICK,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    pinned: PINNING,
    secondsPerRun: SECONDS,
    results,
  };
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/latest.json'), `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(
    `\ncontactd ${commit} on ${String(summary.cpus)} CPUs (${summary.cpuModel}), ${String(SECONDS)} s a run` +
      `${PINNING ? ', servers on CPU 0 and load on CPU 1' : ''}\n\n${ratioTable(results)}\n`,
  );
}

if (PINNING && process.env.CONTACTD_BENCH_PINNED !== '1') {
  // Run again on CPU 1, so that the load generator never takes the servers' core.
  const child = spawn(
    'taskset',
    ['-c', '1', process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    {
      stdio: 'inherit',
      env: { ...process.env, CONTACTD_BENCH_PINNED: '1' },
    },
  );
  child.once('exit', (code) => {
    process.exitCode = code ?? 1;
  });
} else {
  await main();
  await sleep(0);
}
