import { Writable } from 'node:stream';

import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';

import { type AppConfig, buildApp } from '../../src/app.js';
import { ContactDetailService } from '../../src/contact-details/service.js';
import type { Database } from '../../src/storage/database.js';
import type { Storage } from '../../src/storage/storage.js';
import { ManualClock } from './clock.js';
import { createTestDatabase } from './databases.js';
import { Fixtures } from './fixtures.js';

/** The real app on a real database file of its own, with a clock the test moves. */
export interface TestApp {
  app: FastifyInstance;
  storage: Storage;
  clock: ManualClock;
  fixtures: Fixtures;
  /** A second connection to the same database, for checking rows as they are stored. */
  db: Kysely<Database>;
  /** The URL of the test's database, as `contactd serve` takes it. */
  databaseUrl: string;
  /** Every log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  /** Sends a request as `caller`, with the bearer token and acting account headers set. */
  request(caller: Credentials | undefined, options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** What a request authenticates with. */
export interface Credentials {
  token: string;
  accountId: string;
}

/** Builds the app on a new database of the dialect the suite runs on. */
export async function createTestApp(config: Partial<AppConfig> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const { storage } = database;
  const clock = new ManualClock();
  const logs: Record<string, unknown>[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line !== '') {
          logs.push(JSON.parse(line) as Record<string, unknown>);
        }
      }
      callback();
    },
  });
  const app = await buildApp({ storage, clock: clock.now, config, logDestination });
  const service = new ContactDetailService(storage, clock.now, {
    timeZone: 'Europe/London',
    phone: { defaultCountry: 'GB', homeCallingCode: '44' },
  });
  const db = database.inspector;

  return {
    app,
    storage,
    clock,
    fixtures: new Fixtures(storage, service, clock),
    db,
    databaseUrl: database.url,
    logs,
    request: (caller, options) =>
      app.inject({
        ...options,
        headers: {
          ...(caller === undefined
            ? {}
            : {
                authorization: `Bearer ${caller.token}`,
                'x-plannr-account-uuid': caller.accountId,
              }),
          ...options.headers,
        },
      }),
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
