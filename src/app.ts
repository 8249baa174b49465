import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Redis } from 'ioredis';
import type { DestinationStream } from 'pino';

import { registerAccountRoutes } from './accounts/routes.js';
import { AccountService } from './accounts/service.js';
import { createAuthHooks } from './auth/hooks.js';
import { registerUserRoutes } from './auth/routes.js';
import { UserService } from './auth/service.js';
import { registerCircleRoutes } from './circles/routes.js';
import { CircleService } from './circles/service.js';
import { registerContactDetailRoutes } from './contact-details/routes.js';
import { ContactDetailService } from './contact-details/service.js';
import { registerHealthRoute } from './health/routes.js';
import { handleClientError, handleError, handleFrameworkError } from './http/error-handler.js';
import { registerJsonBodyParser } from './http/json-body.js';
import { registerOpenApi } from './http/openapi.js';
import { type RateLimitConfig, createUserRateLimiter } from './http/rate-limit.js';
import {
  RequestLogController,
  registerRequestIdHeader,
  requestIdOf,
} from './http/request-logging.js';
import type { Storage } from './storage/storage.js';
import { type Clock, systemClock } from './time.js';
import type { PhoneNumberOptions } from './values/phone.js';

/** Settings of the API's responses. */
export interface AppConfig {
  /** IANA zone of the timestamps in responses. */
  timeZone: string;
  /** The reading of phone numbers without a country code, and the calling code formatted nationally. */
  phone: PhoneNumberOptions;
  logLevel: string;
  /** Requests each user may make in a window. */
  rateLimit: RateLimitConfig;
  /** Milliseconds a client gets to send a whole request, headers and body, before it is cut off. */
  requestTimeoutMs: number;
  /**
   * Milliseconds for which a token and acting account, once resolved, are trusted without reading
   * the database again; 0 reads it on every request.
   */
  callerCacheMs: number;
  /**
   * Addresses and CIDR ranges of the proxies whose X-Forwarded-Proto and X-Forwarded-Host the
   * page links follow, comma-separated. An empty value trusts none.
   */
  trustedProxies: string;
}

export const DEFAULT_APP_CONFIG: AppConfig = {
  timeZone: 'Europe/London',
  phone: { defaultCountry: 'GB', homeCallingCode: '44' },
  logLevel: 'info',
  rateLimit: { max: 500, windowMs: 60_000 },
  requestTimeoutMs: 30_000,
  callerCacheMs: 1000,
  trustedProxies: '',
};

const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

export interface AppOptions {
  storage: Storage;
  config?: Partial<AppConfig>;
  clock?: Clock;
  /** Redis that stores the rate-limit counters, shared by every process; in memory when absent. */
  redis?: Redis | undefined;
  /** Destination of log lines; standard output when not given. */
  logDestination?: DestinationStream;
}

// Bodies over 1 MiB get 413.
const BODY_LIMIT = 1024 * 1024;

/** Builds the HTTP application on a storage; the caller listens on it or injects requests. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const config = { ...DEFAULT_APP_CONFIG, ...options.config };
  const clock = options.clock ?? systemClock;
  const app = Fastify({
    ...loggerOptions(config.logLevel, options.logDestination),
    bodyLimit: BODY_LIMIT,
    serverFactory: (handler) =>
      createServer(
        {
          // A client that trickles its request in is cut off, so that slow clients cannot hold
          // sockets open; Node checks the deadline every second instead of every 30.
          requestTimeout: config.requestTimeoutMs,
          headersTimeout: Math.min(config.requestTimeoutMs, 10_000),
          connectionsCheckingInterval: 1000,
          // An idle keep-alive connection is closed after 5 s, as Node does by default.
          keepAliveTimeout: 5000,
        },
        handler,
      ),
    genReqId: requestIdOf,
    trustProxy: config.trustedProxies === '' ? false : config.trustedProxies,
    frameworkErrors: handleFrameworkError,
    clientErrorHandler: handleClientError,
    logController: new RequestLogController(),
    ajv: {
      // Laravel's rules do not coerce: a JSON number is not a string. Every error is collected so
      // that one 422 lists all of them.
      customOptions: { coerceTypes: false, allErrors: true, removeAdditional: false },
    },
  });

  registerJsonBodyParser(app);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ message: `Route ${request.method} ${request.url.split('?')[0] ?? ''} not found.` }),
  );
  registerRequestIdHeader(app);
  await registerOpenApi(app, PACKAGE_VERSION);

  const { storage } = options;
  const hooks = createAuthHooks(
    storage,
    clock,
    await createUserRateLimiter(app, config.rateLimit, options.redis),
    config.callerCacheMs,
  );
  const resourceOptions = { timeZone: config.timeZone, phone: config.phone };
  registerHealthRoute(app, storage);
  registerUserRoutes(app, { service: new UserService(storage, clock, config.timeZone), hooks });
  registerAccountRoutes(app, {
    service: new AccountService(storage, clock, config.timeZone),
    hooks,
  });
  registerCircleRoutes(app, { service: new CircleService(storage, clock, config.timeZone), hooks });
  registerContactDetailRoutes(app, {
    service: new ContactDetailService(storage, clock, resourceOptions),
    hooks,
    phone: config.phone,
  });

  await app.ready();

  return app;
}

function loggerOptions(
  level: string,
  destination: DestinationStream | undefined,
): Pick<FastifyServerOptions, 'logger'> {
  return {
    logger: {
      level,
      ...(destination === undefined ? {} : { stream: destination }),
      redact: {
        paths: ['req.headers.authorization', 'headers.authorization'],
        censor: '[redacted]',
      },
    },
  };
}
