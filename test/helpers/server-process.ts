import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

export const CLI = new URL('../../src/cli.ts', import.meta.url).pathname;

/** A `contactd serve` process of the test's own, with what it printed. */
export interface ServerProcess {
  process: ChildProcessByStdio<null, Readable, Readable>;
  /** Standard error: the banner with the curl or the token command. */
  output: string;
  /** Standard output so far: the JSON log lines. */
  logs: () => string;
  baseUrl: string;
}

/**
 * Starts `contactd serve --seed-demo` on a free port of 127.0.0.1 and waits until its banner
 * ends, so that the printed curl or token command is complete.
 */
export async function startServer(
  database: string,
  extraArgs: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      CLI,
      'serve',
      '--seed-demo',
      '--port',
      '0',
      '--database',
      database,
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { LOG_LEVEL: 'warn', ...process.env, ...env } },
  );
  let output = '';
  let logs = '';
  child.stdout.on('data', (chunk: Buffer) => {
    logs += chunk.toString('utf8');
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`the server printed no banner in time:\n${output}`));
    }, 20_000);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (/--data '.*'\n|--database \S+\n/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${String(code)}:\n${output}`));
    });
  });
  const baseUrl = /serving (http:\S+) /.exec(output)?.[1];
  if (baseUrl === undefined) {
    throw new Error(`the banner names no URL:\n${output}`);
  }

  return { process: child, output, logs: () => logs, baseUrl };
}

/** Sends SIGTERM and resolves with the exit code. */
export async function stopServer(server: ServerProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => server.process.once('exit', resolve));
  server.process.kill('SIGTERM');

  return exited;
}
