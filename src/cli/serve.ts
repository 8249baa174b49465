import cluster, { type Worker } from 'node:cluster';

import { Redis } from 'ioredis';

import { buildApp } from '../app.js';
import type { ServerConfig } from '../config.js';
import { ContactDetailService } from '../contact-details/service.js';
import { DEMO_ADVISER_EMAIL, type DemoFirm, seedDemoFirm } from '../demo/seed-demo.js';
import { openStorage, redactDatabaseUrl } from '../storage/open-storage.js';
import type { Storage } from '../storage/storage.js';
import { systemClock } from '../time.js';
import { formatDemoCurl, localBaseUrl } from './demo-request.js';

/**
 * Runs `contactd serve`. With one worker the process serves requests itself; with more, it
 * migrates the database, seeds the demo firm if asked, and forks that many processes that share
 * the port, replacing any that dies.
 */
export async function serve(config: ServerConfig, seedDemoWhenEmpty: boolean): Promise<void> {
  if (cluster.isWorker) {
    await runServer(config);

    return;
  }

  const storage = await openStorage(config.databaseUrl, config.postgres, config.sqlite);
  let demo: DemoFirm | undefined;
  let seeded = false;
  try {
    await storage.migrate();
    if (seedDemoWhenEmpty && (await storage.read({}, ({ firms }) => firms.count())) === 0) {
      demo = await seedDemo(storage, config);
      seeded = true;
    }
  } finally {
    if (config.workers > 1) {
      await storage.close();
    }
  }

  const port = config.workers > 1 ? await forkWorkers(config) : await runServer(config, storage);
  if (seedDemoWhenEmpty) {
    printBanner(config, localBaseUrl(config.host, port), seeded ? demo : undefined);
  }
}

/** Seeds the demo firm into `storage`. */
export function seedDemo(storage: Storage, config: ServerConfig): Promise<DemoFirm> {
  const service = new ContactDetailService(storage, systemClock, {
    timeZone: config.timeZone,
    phone: config.phone,
  });

  return seedDemoFirm(storage, service, systemClock());
}

/** Serves requests in this process until SIGTERM or SIGINT; returns the port it listens on. */
async function runServer(config: ServerConfig, opened?: Storage): Promise<number> {
  const storage = opened ?? (await openStorage(config.databaseUrl, config.postgres, config.sqlite));
  const redis =
    config.redisUrl === undefined
      ? undefined
      : new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  const app = await buildApp({ storage, config, redis });
  // ioredis reports every failed reconnection, so the log gets one line a minute at most.
  let lastRedisWarning = 0;
  redis?.on('error', (error: Error) => {
    if (Date.now() - lastRedisWarning >= 60_000) {
      lastRedisWarning = Date.now();
      app.log.warn({ err: { message: error.message } }, 'redis unavailable, requests go uncounted');
    }
  });
  // On SIGTERM the server stops accepting connections, lets in-flight requests finish, closes
  // the database and exits 0; a request still running after the grace period is abandoned.
  const shutdown = async (signal: string) => {
    app.log.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down');
    setTimeout(() => {
      app.log.error({ graceMs: config.shutdownGraceMs }, 'grace period over, exiting');
      process.exit(1);
    }, config.shutdownGraceMs).unref();
    await app.close();
    await storage.close();
    redis?.disconnect();
    app.log.info('shut down');
    process.exit(0);
  };
  process.once('SIGTERM', (signal) => void shutdown(signal));
  process.once('SIGINT', (signal) => void shutdown(signal));

  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();

  return typeof address === 'object' && address !== null ? address.port : config.port;
}

/** Forks the workers and resolves with their shared port once every one listens. */
async function forkWorkers(config: ServerConfig): Promise<number> {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) {
      worker?.process.kill(signal);
    }
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  cluster.on('exit', (worker: Worker, code) => {
    if (!stopping) {
      process.stderr.write(
        `contactd: worker ${worker.process.pid ?? '?'} exited (${code}); starting another\n`,
      );
      cluster.fork();
    } else if (Object.keys(cluster.workers ?? {}).length === 0) {
      process.exit(0);
    }
  });

  const listening = Array.from(
    { length: config.workers },
    () =>
      new Promise<number>((resolve) => {
        cluster.fork().once('listening', (address) => {
          resolve(address.port);
        });
      }),
  );

  const [port] = await Promise.all(listening);

  return port ?? config.port;
}

/**
 * Prints what to try next on standard error, apart from the JSON log lines on standard output,
 * so that a log collector never receives the demo token.
 */
function printBanner(config: ServerConfig, baseUrl: string, demo: DemoFirm | undefined): void {
  const database = redactDatabaseUrl(config.databaseUrl);
  const serving = `contactd is serving ${baseUrl} on ${database}`;
  if (demo !== undefined) {
    process.stderr.write(
      `\n${serving}, with a new demo firm.\nUpdate one of the demo phone numbers with:\n\n` +
        `${formatDemoCurl(baseUrl, demo)}\n\n`,
    );
  } else {
    process.stderr.write(
      `\n${serving}, which keeps its data.\nIssue a new token for the demo adviser with:\n\n` +
        `  npm run contactd -- token --email ${DEMO_ADVISER_EMAIL} --database ${database}\n\n`,
    );
  }
}
