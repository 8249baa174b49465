/**
 * Runs a bounded, sustained load against a contactd server of its own on 127.0.0.1 and reports
 * whether its memory stays flat: `npm run soak -- --seconds 60 --connections 16`. The server uses a
 * new SQLite file in a temporary folder, removed afterwards.
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    connections: { type: 'string', default: '16' },
  },
});
const seconds = Math.min(600, Math.max(5, Number(values.seconds)));
const connections = Math.min(64, Math.max(1, Number(values.connections)));

interface Demo {
  baseUrl: string;
  headers: Record<string, string>;
  detailUrl: string;
  body: string;
}

async function startServer(
  database: string,
): Promise<{ child: ChildProcessByStdio<null, Readable, Readable>; demo: Demo }> {
  const cli = new URL('../src/cli.ts', import.meta.url).pathname;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      cli,
      'serve',
      '--seed-demo',
      '--port',
      '0',
      '--database',
      database,
      '--rate-limit',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } },
  );
  child.stdout.resume();
  let banner = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      banner += chunk.toString('utf8');
      if (/--data '.*'\n/.test(banner)) {
        resolve();
      }
    });
    child.once('exit', (code) => {
      reject(new Error(`the server exited with ${String(code)}: ${banner}`));
    });
  });
  const detailUrl = /--request PUT '([^']+)'/.exec(banner)?.[1] ?? '';
  const token = /Bearer (\S+)"/.exec(banner)?.[1] ?? '';
  const account = /X-PLANNR-ACCOUNT-UUID: (\S+)"/.exec(banner)?.[1] ?? '';

  return {
    child,
    demo: {
      baseUrl: new URL(detailUrl).origin,
      detailUrl,
      body: /--data '([^']+)'/.exec(banner)?.[1] ?? '',
      headers: {
        authorization: `Bearer ${token}`,
        'x-plannr-account-uuid': account,
        'content-type': 'application/json',
      },
    },
  };
}

/** Resident memory of a process in MiB, from /proc. */
function residentMiB(pid: number): number {
  const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);

  return Math.round((kib / 1024) * 10) / 10;
}

async function loadConnection(
  demo: Demo,
  deadline: number,
  counts: { ok: number; failed: number },
) {
  const bodies = [demo.body, demo.body.replace('+441134960456', '+441134960457')];
  for (let index = 0; Date.now() < deadline; index += 1) {
    const kind = index % 3;
    const response =
      kind === 0
        ? await fetch(demo.detailUrl, {
            method: 'PUT',
            headers: demo.headers,
            body: bodies[index % 2] ?? demo.body,
          })
        : kind === 1
          ? await fetch(demo.detailUrl, { headers: demo.headers })
          : await fetch(
              `${demo.baseUrl}/api/v2/contact-details?include=accounts,primary_accounts`,
              { headers: demo.headers },
            );
    await response.arrayBuffer();
    if (response.ok) {
      counts.ok += 1;
    } else {
      counts.failed += 1;
    }
  }
}

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'contactd-soak-'));
  const { child, demo } = await startServer(`sqlite:${join(folder, 'soak.sqlite')}`);
  const pid = child.pid ?? 0;
  const counts = { ok: 0, failed: 0 };
  const samples: number[] = [];
  try {
    const deadline = Date.now() + seconds * 1000;
    const load = Promise.all(
      Array.from({ length: connections }, () => loadConnection(demo, deadline, counts)),
    );
    while (Date.now() < deadline) {
      await sleep(1000);
      samples.push(residentMiB(pid));
    }
    await load;
  } finally {
    child.kill('SIGTERM');
    rmSync(folder, { recursive: true, force: true });
  }

  // The first fifth of the run warms caches and the JIT; growth is measured from its end.
  const warm = samples[Math.floor(samples.length / 5)] ?? 0;
  const last = samples.at(-1) ?? 0;
  const growth = warm === 0 ? 0 : (last - warm) / warm;
  const result = {
    seconds,
    connections,
    requests: counts.ok + counts.failed,
    failed: counts.failed,
    requestsPerSecond: Math.round((counts.ok + counts.failed) / seconds),
    rssAfterWarmUpMiB: warm,
    rssAtEndMiB: last,
    rssMaxMiB: Math.max(...samples),
    growthAfterWarmUp: `${(growth * 100).toFixed(1)} %`,
    flat: growth <= 0.1,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  process.exitCode = counts.failed === 0 && result.flat ? 0 : 1;
}

await main();
