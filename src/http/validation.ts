import type { FastifyRequest, FastifySchemaValidationError } from 'fastify';

import { type FieldErrors, ValidationError } from '../errors.js';
import { UUID_PATTERN } from './schema-types.js';

// A response names at most this many fields, so that a body of many bad items stays small.
const MAX_REPORTED_FIELDS = 50;

/**
 * Throws the 422 for a request whose body broke its schema. Routes declare `attachValidation` and
 * call this after their permission check, so that a caller who may not write gets 403 whatever the
 * body holds, as Laravel authorizes a form request before validating it.
 */
export function assertValidBody(request: FastifyRequest): void {
  const failure = request.validationError;
  if (failure !== undefined) {
    // Fastify types `validation` loosely; it holds the Ajv errors of the schema.
    const schemaErrors = failure.validation as FastifySchemaValidationError[];
    throw toValidationError(schemaErrors, request.body);
  }
}

/**
 * Turns the schema errors of a request body into Laravel's 422 shape, with one plain sentence a
 * field. Paths use dots (`account_uuids.2`), as Laravel's do.
 */
export function toValidationError(
  schemaErrors: readonly FastifySchemaValidationError[],
  body: unknown,
): ValidationError {
  const errors: FieldErrors = {};
  // An array over its size limit is one error: its items are not described one by one.
  const oversized = schemaErrors
    .filter((schemaError) => schemaError.keyword === 'maxItems')
    .map((schemaError) => `${schemaError.instancePath}/`);
  for (const schemaError of schemaErrors) {
    if (oversized.some((prefix) => schemaError.instancePath.startsWith(prefix))) {
      continue;
    }

    const field = fieldOf(schemaError);
    if (!(field in errors) && Object.keys(errors).length >= MAX_REPORTED_FIELDS) {
      continue;
    }

    // A nullable field that fails as a string also fails "must be null" and the union itself;
    // only the string's reason helps.
    const isUnionNoise =
      schemaError.keyword === 'anyOf' ||
      (schemaError.keyword === 'type' && schemaError.params.type === 'null');
    if (
      isUnionNoise &&
      schemaErrors.some((other) => other !== schemaError && fieldOf(other) === field)
    ) {
      continue;
    }

    const message = describe(field, schemaError, valueAt(body, field));
    if (message === undefined) {
      continue;
    }

    const messages = (errors[field === '' ? 'body' : field] ??= []);
    if (!messages.includes(message)) {
      messages.push(message);
    }
  }

  if (Object.keys(errors).length === 0) {
    errors.body = ['The request body must be a JSON object.'];
  }

  return new ValidationError(errors);
}

function fieldOf(error: FastifySchemaValidationError): string {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  const missing = error.params.missingProperty;
  if (error.keyword === 'required' && typeof missing === 'string') {
    segments.push(missing);
  }

  return segments.join('.');
}

function describe(
  field: string,
  error: FastifySchemaValidationError,
  value: unknown,
): string | undefined {
  if (field === '') {
    return 'The request body must be a JSON object.';
  }

  const limit = error.params.limit;
  switch (error.keyword) {
    case 'required':
      return `The ${field} field is required.`;
    case 'type':
      return value === null ? `The ${field} field is required.` : describeType(field, error);
    case 'minLength':
      return limit === 1
        ? `The ${field} field is required.`
        : `The ${field} field must be at least ${String(limit)} characters.`;
    case 'maxLength':
      return `The ${field} field must not be greater than ${String(limit)} characters.`;
    case 'minItems':
      return limit === 1
        ? `The ${field} field is required and must list at least one item.`
        : `The ${field} field must have at least ${String(limit)} items.`;
    case 'maxItems':
      return `The ${field} field must not have more than ${String(limit)} items.`;
    case 'pattern':
    case 'format':
      return error.params.format === 'uuid' || error.params.pattern === UUID_PATTERN
        ? `The ${field} field must be a valid UUID, such as 1c3f5e0a-8d2b-4f67-9a41-2b7d6c9e0f13.`
        : `The ${field} field must be a valid ${String(error.params.format)}.`;
    case 'enum':
      return `The selected ${field} is invalid: use one of ${describeAllowed(error)}.`;
    default:
      return `The ${field} field is invalid: it ${error.message ?? 'does not match the schema'}.`;
  }
}

function describeType(field: string, error: FastifySchemaValidationError): string {
  const expected = String(error.params.type);
  const noun: Record<string, string> = {
    string: 'a string',
    array: 'an array',
    object: 'an object',
    boolean: 'true or false',
    integer: 'an integer',
    number: 'a number',
  };

  return `The ${field} field must be ${noun[expected] ?? expected}.`;
}

function describeAllowed(error: FastifySchemaValidationError): string {
  const allowed = error.params.allowedValues;

  return Array.isArray(allowed) ? allowed.map(String).join(', ') : 'the documented values';
}

function valueAt(body: unknown, field: string): unknown {
  let current = body;
  for (const segment of field === '' ? [] : field.split('.')) {
    if (typeof current !== 'object' || current === null) {
      return undefined;
    }

    current = (current as Record<string, unknown>)[segment];
  }

  return current;
}
