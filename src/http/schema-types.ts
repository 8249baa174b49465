import { Type } from 'typebox';

/** A UUID in its canonical 8-4-4-4-12 form; Ajv's `uuid` format alone also takes `urn:uuid:`. */
export const UUID_PATTERN =
  '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** Builds the schema of a query parameter given once or repeated, whose values are read as one comma list. */
export function QueryParameter(description: string) {
  return Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description }));
}

/** Builds the schema of a UUID in a request or response. */
export function UuidSchema(options: { description?: string } = {}) {
  return Type.String({ format: 'uuid', pattern: UUID_PATTERN, ...options });
}
