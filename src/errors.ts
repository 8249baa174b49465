/**
 * The errors a request can end with. Each has an HTTP status, a stable code for the log and a body
 * that is safe to show the client; the HTTP layer maps them in one place.
 */
export abstract class AppError extends Error {
  abstract readonly statusCode: number;
  abstract readonly code: string;

  /** Returns the JSON body sent to the client. */
  body(): Record<string, unknown> {
    return { message: this.message };
  }
}

export class BadRequestError extends AppError {
  readonly statusCode = 400;
  readonly code = 'bad_request';
}

export class UnauthenticatedError extends AppError {
  readonly statusCode = 401;
  readonly code = 'unauthenticated';

  constructor() {
    super('Unauthenticated.');
  }
}

export class ForbiddenError extends AppError {
  readonly statusCode = 403;
  readonly code = 'forbidden';

  constructor() {
    super('This action is unauthorized.');
  }
}

export class NotFoundError extends AppError {
  readonly statusCode = 404;
  readonly code = 'not_found';

  /** `resource` is the name the message starts with, such as "Contact detail". */
  constructor(resource: string) {
    super(`${resource} not found.`);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  readonly statusCode = 415;
  readonly code = 'unsupported_media_type';
}

export class PayloadTooLargeError extends AppError {
  readonly statusCode = 413;
  readonly code = 'payload_too_large';
}

export class TooManyRequestsError extends AppError {
  readonly statusCode = 429;
  readonly code = 'too_many_requests';

  /** `retryAfterSeconds`, when known here, is sent as the Retry-After header. */
  constructor(readonly retryAfterSeconds?: number) {
    super('Too Many Attempts.');
  }
}

/** Field name (a dot path such as `account_uuids.2`) to its messages, in Laravel's shape. */
export type FieldErrors = Record<string, string[]>;

/** A request whose fields break the rules: 422 with every message, field by field. */
export class ValidationError extends AppError {
  readonly statusCode = 422;
  readonly code = 'validation_failed';

  constructor(readonly errors: FieldErrors) {
    super(summarizeFieldErrors(errors));
  }

  /** Builds the error for one field with one message. */
  static of(field: string, message: string): ValidationError {
    return new ValidationError({ [field]: [message] });
  }

  override body(): Record<string, unknown> {
    return { message: this.message, errors: this.errors };
  }
}

/** Laravel's summary: the first message, then "(and N more errors)" when there are others. */
function summarizeFieldErrors(errors: FieldErrors): string {
  const messages = Object.values(errors).flat();
  const first = messages[0] ?? 'The given data was invalid.';
  const others = messages.length - 1;
  if (others === 0) {
    return first;
  }

  return `${first} (and ${others} more ${others === 1 ? 'error' : 'errors'})`;
}

/** Collects field errors while a request is checked, so that one response can list them all. */
export class FieldErrorCollector {
  private readonly errors: FieldErrors = {};

  add(field: string, message: string): void {
    (this.errors[field] ??= []).push(message);
  }

  /** How many messages have been collected. */
  get count(): number {
    return Object.values(this.errors).flat().length;
  }

  /** Throws a ValidationError holding every collected message, if there are any. */
  throwIfAny(): void {
    if (this.count > 0) {
      throw new ValidationError({ ...this.errors });
    }
  }
}
