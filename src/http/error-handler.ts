import type { Socket } from 'node:net';

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

import { AppError, TooManyRequestsError, ValidationError } from '../errors.js';
import { toValidationError } from './validation.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Why the request was rejected, for its log line: a code and the failing fields, no values. */
    rejection?: { code: string; fields?: string[] };
  }
}

/** Fastify's own client errors and the message contactd sends for each. */
const FASTIFY_CLIENT_ERRORS: Record<string, { status: number; message: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    message:
      'Unsupported Media Type: send the body as JSON with the header Content-Type: application/json.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    message: 'The request body is larger than the limit of 1 MiB.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    message: 'The request body is empty, but Content-Type is JSON: send a JSON object.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    message: 'The request body is not valid JSON.',
  },
};

/** Maps every error a request can end with to its status and JSON body, in one place. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const appError =
    error instanceof AppError
      ? error
      : error.validation === undefined
        ? undefined
        : toValidationError(error.validation, request.body);
  if (appError !== undefined) {
    // Messages can quote the phone number or email address of the request, so the log gets only
    // the code and the names of the failing fields.
    request.rejection = {
      code: appError.code,
      ...(appError instanceof ValidationError ? { fields: Object.keys(appError.errors) } : {}),
    };

    if (appError instanceof TooManyRequestsError && appError.retryAfterSeconds !== undefined) {
      void reply.header('Retry-After', appError.retryAfterSeconds);
    }

    return reply.status(appError.statusCode).send(appError.body());
  }

  const known = FASTIFY_CLIENT_ERRORS[error.code];
  if (known !== undefined) {
    request.rejection = { code: error.code };

    return reply.status(known.status).send({ message: known.message });
  }

  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // Fastify's other client errors, such as malformed JSON or a poisoned `__proto__` key, carry
    // a message that is safe to show and names what was wrong.
    request.rejection = { code: error.code };

    return reply.status(status).send({ message: clientMessage(error) });
  }

  request.log.error({ err: error }, 'request failed');

  return reply.status(500).send({ message: 'Server Error.' });
}

function clientMessage(error: FastifyError): string {
  if (error instanceof SyntaxError) {
    return `The request body is not valid JSON: ${error.message}.`;
  }

  return error.message.endsWith('.') ? error.message : `${error.message}.`;
}

/**
 * Handles the errors of Fastify's router, which come before any route runs: a path it cannot
 * decode (`%FF`) or a parameter over 100 characters. Neither names anything that exists.
 */
export function handleFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  request.rejection = { code: error.code };
  void reply
    .header('X-Request-Id', request.id)
    .status(404)
    .send({ message: 'Not found: the path is malformed or contains an overlong id.' });
}

/** Node's parser errors that have a status of their own, rather than 400. */
const CLIENT_ERROR_STATUSES: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [
    431,
    'Request Header Fields Too Large',
    'The request headers are larger than the limit of 16 KiB.',
  ],
  ERR_HTTP_REQUEST_TIMEOUT: [
    408,
    'Request Timeout',
    'The request did not arrive in time; send it whole, without pauses.',
  ],
};

/**
 * Handles a request that Node's HTTP parser rejects before Fastify sees it: malformed, headers
 * too large, or too slow to arrive. It has no request id and no route.
 */
export function handleClientError(error: Error, socket: Socket): void {
  const code = 'code' in error ? String(error.code) : '';
  const [status, reason, message] = CLIENT_ERROR_STATUSES[code] ?? [
    400,
    'Bad Request',
    'Bad Request: the HTTP request is malformed.',
  ];
  const body = JSON.stringify({ message });
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  } else {
    socket.destroy();
  }
}
