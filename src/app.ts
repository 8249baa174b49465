import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { DestinationStream } from 'pino';

import { createAuthHooks } from './auth/hooks.js';
import { registerContactDetailRoutes } from './contact-details/routes.js';
import { ContactDetailService } from './contact-details/service.js';
import { handleError } from './http/error-handler.js';
import {
  RequestLogController,
  registerRequestIdHeader,
  requestIdOf,
} from './http/request-logging.js';
import type { Storage } from './storage/storage.js';
import { type Clock, systemClock } from './time.js';
import type { PhoneNumberOptions } from './values/phone.js';

/** What shapes the API's answers. */
export interface AppConfig {
  /** IANA zone of the timestamps in responses. */
  timeZone: string;
  /** How phone numbers without a country code are read, and which are formatted nationally. */
  phone: PhoneNumberOptions;
  logLevel: string;
}

export const DEFAULT_APP_CONFIG: AppConfig = {
  timeZone: 'Europe/London',
  phone: { defaultCountry: 'GB', homeCallingCode: '44' },
  logLevel: 'info',
};

export interface AppOptions {
  storage: Storage;
  config?: Partial<AppConfig>;
  clock?: Clock;
  /** Where log lines go; standard output when not given. */
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
    genReqId: requestIdOf,
    logController: new RequestLogController(),
    ajv: {
      // Laravel's rules do not coerce: a JSON number is not a string. Every error is collected so
      // that one 422 lists all of them.
      customOptions: { coerceTypes: false, allErrors: true, removeAdditional: false },
    },
  });

  // Only JSON bodies are accepted; any other media type gets 415.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ message: `Route ${request.method} ${request.url.split('?')[0] ?? ''} not found.` }),
  );
  registerRequestIdHeader(app);

  const hooks = createAuthHooks(options.storage, clock);
  const resourceOptions = { timeZone: config.timeZone, phone: config.phone };
  registerContactDetailRoutes(app, {
    service: new ContactDetailService(options.storage, clock, resourceOptions),
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
