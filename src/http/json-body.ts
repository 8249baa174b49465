import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';

import { BadRequestError } from '../errors.js';

/**
 * Parses `application/json` bodies, which are the only ones accepted. An empty body is no body, so
 * a client that sends `Content-Type: application/json` on every request can still DELETE. A string
 * with a lone surrogate (`"\ud800"`) is valid JSON but not Unicode text, and no database stores it
 * faithfully, so such a body is rejected whole.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser(['text/plain', 'application/json']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(typeof body === 'string' ? body : body.toString('utf8')));
    } catch (error) {
      if (!(error instanceof BadRequestError)) {
        throw error;
      }

      done(error);
    }
  });
}

/** Parses a body's text; throws BadRequestError that names what is wrong with it. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') {
    return undefined;
  }

  let value: unknown;
  try {
    // secure-json-parse rejects `__proto__` and `constructor.prototype` keys, which could change
    // how every object of the process behaves.
    value = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    if (!(error instanceof SyntaxError)) {
      throw error;
    }

    throw new BadRequestError(
      /prototype/.test(error.message)
        ? 'The request body has a __proto__ or constructor.prototype key, which is not accepted; ' +
            'rename or remove it.'
        : `The request body is not valid JSON: ${error.message}.`,
    );
  }

  const malformed = findMalformedText(value);
  if (malformed !== undefined) {
    throw new BadRequestError(
      `The request body contains text that cannot be stored at ${malformed}: a NUL character ` +
        '(\\u0000), or a lone surrogate escape such as \\ud800 without its pair.',
    );
  }

  return normalizeInput(value);
}

/**
 * Trims every string and turns an empty one into null, as Laravel's TrimStrings and
 * ConvertEmptyStringsToNull middleware do for Plannr, so that `"  "` counts as missing and
 * length limits apply to the trimmed text. Passwords are left exactly as typed.
 */
function normalizeInput(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (key === 'password') {
      return value;
    }

    const trimmed = value.trim();

    return trimmed === '' ? null : trimmed;
  }

  if (Array.isArray(value)) {
    return value.map((item: unknown) => normalizeInput(item));
  }

  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([entryKey, item]) => [entryKey, normalizeInput(item, entryKey)]),
    );
  }

  return value;
}

// Bodies are bounded in depth as well as size, so that walking one cannot exhaust the stack.
const MAX_DEPTH = 32;

/**
 * Tells whether text can be stored: well-formed UTF-16 without NUL, which PostgreSQL's text
 * type rejects and SQLite would store, so the two databases would disagree.
 */
function isAcceptedText(text: string): boolean {
  return text.isWellFormed() && !text.includes('\u0000');
}

/**
 * Returns the dot path of the first string, key or value, that is not well-formed UTF-16 or
 * contains a NUL. It walks
 * with a stack of its own, because a deeply nested body would overflow the call stack.
 */
function findMalformedText(root: unknown): string | undefined {
  const pending: [unknown, string, number][] = [[root, 'body', 0]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [value, path, depth] = next;
    if (typeof value === 'string' && !isAcceptedText(value)) {
      return path;
    }

    if (typeof value === 'object' && value !== null) {
      if (depth >= MAX_DEPTH) {
        throw new BadRequestError(
          `The request body nests objects and arrays more than ${MAX_DEPTH} deep at ${path}; ` +
            'no field of the API needs more than 3.',
        );
      }

      for (const [key, item] of Object.entries(value)) {
        if (!isAcceptedText(key)) {
          return path;
        }

        pending.push([item, `${path}.${key}`, depth + 1]);
      }
    }
  }

  return undefined;
}
