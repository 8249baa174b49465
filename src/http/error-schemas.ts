import { Type } from 'typebox';

const MessageSchema = Type.Object({
  message: Type.String({ description: 'A sentence that names what was wrong.' }),
});

const ValidationErrorSchema = Type.Object({
  message: Type.String({
    description: 'The first error, then "(and N more errors)" when there are others.',
  }),
  errors: Type.Record(Type.String(), Type.Array(Type.String()), {
    description: 'Each failing field, as a dot path such as account_uuids.2, to its messages.',
  }),
});

/** The error responses every authenticated route can give. */
export const ErrorResponses = {
  400: { ...MessageSchema, description: 'Malformed JSON, or a missing or malformed header.' },
  401: { ...MessageSchema, description: 'Missing, unknown, expired or revoked token.' },
  403: { ...MessageSchema, description: 'The acting account may not do this.' },
  404: { ...MessageSchema, description: 'Not found, or not visible to the caller.' },
  413: { ...MessageSchema, description: 'The body is larger than 1 MiB.' },
  415: { ...MessageSchema, description: 'The body is not application/json.' },
  422: { ...ValidationErrorSchema, description: 'A field breaks a rule.' },
  429: {
    ...MessageSchema,
    description:
      'Over the rate limit of the user: Retry-After gives the seconds to wait. Every authenticated ' +
      'response carries X-RateLimit-Limit and X-RateLimit-Remaining, and every response X-Request-Id.',
  },
  500: { ...MessageSchema, description: 'A fault of the server; the log has the details.' },
};
