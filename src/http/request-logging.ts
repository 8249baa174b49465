import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';

import { newId } from '../ids.js';

const REQUEST_ID_HEADER = 'x-request-id';
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** Takes a well-formed `X-Request-Id` from the client, so that logs can be joined across services. */
export function requestIdOf(request: IncomingMessage): string {
  const header = request.headers[REQUEST_ID_HEADER];

  return typeof header === 'string' && REQUEST_ID_PATTERN.test(header) ? header : newId();
}

/**
 * Logs one line a request when it ends, at a level chosen by its outcome. The line names the route
 * pattern, not the URL, because query strings can hold phone numbers and email addresses.
 */
export function registerRequestLogging(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const fields = {
      method: request.method,
      route: routeOf(request),
      statusCode: reply.statusCode,
      responseTimeMs: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (reply.statusCode >= 500) {
      request.log.error(fields, 'request completed');
    } else {
      request.log.info(fields, 'request completed');
    }
  });
}

function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}
