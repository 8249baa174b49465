import type { IncomingMessage } from 'node:http';

import {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';

import { TOKEN_PREFIX } from '../auth/tokens.js';
import { newId } from '../ids.js';

const REQUEST_ID_HEADER = 'x-request-id';
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** Takes a well-formed `X-Request-Id` from the client, so that logs can be joined across services. */
export function requestIdOf(request: IncomingMessage): string {
  const header = request.headers[REQUEST_ID_HEADER];

  // A header that looks like a personal access token is not copied into every log line.
  return typeof header === 'string' &&
    REQUEST_ID_PATTERN.test(header) &&
    !header.startsWith(TOKEN_PREFIX)
    ? header
    : newId();
}

/**
 * Logs one line a request, when it ends, at a level chosen by its outcome. The line names the
 * route pattern, not the URL, because query strings can hold phone numbers and email addresses.
 */
export class RequestLogController extends LogController {
  override incomingRequest(): void {
    // The completion line says all there is to say.
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const fields = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      statusCode: reply.statusCode,
      responseTimeMs: Math.round(reply.elapsedTime * 10) / 10,
      ...(request.rejection === undefined ? {} : { rejection: request.rejection }),
    };
    if (error !== null && error !== undefined) {
      request.log.error({ ...fields, err: error }, 'response failed');
    } else if (reply.statusCode >= 500) {
      request.log.error(fields, 'request completed');
    } else {
      request.log.info(fields, 'request completed');
    }
  }
}

/** Sends the request id back, so that a client can quote it when it reports a problem. */
export function registerRequestIdHeader(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });
}
