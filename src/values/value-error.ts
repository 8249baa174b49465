/** Machine-readable reason a value failed validation. */
export type ValueErrorCode =
  | 'required'
  | 'not_a_string'
  | 'not_a_phone_number'
  | 'too_short'
  | 'too_long'
  | 'not_in_use'
  | 'short_code'
  | 'unknown_country'
  | 'country_mismatch'
  | 'invalid_email';

/**
 * A value that failed a rule. `message` is a plain sentence for the API client that names the
 * field, shows the rejected input and gives the fix. `path` is relative to the request field
 * holding the value: '' for the value itself, 'country' or 'number' for the object form of a
 * phone number.
 */
export class ValueError extends Error {
  readonly code: ValueErrorCode;
  readonly path: string;

  constructor(code: ValueErrorCode, message: string, path = '') {
    super(message);
    this.name = 'ValueError';
    this.code = code;
    this.path = path;
  }
}

/** Maximum number of code points of a rejected input that an error message repeats. */
const MAX_QUOTED_CODE_POINTS = 40;

/**
 * Quotes a rejected input for an error message as a JSON string, so control characters and lone
 * surrogates appear escaped. Inputs longer than 40 code points are cut and end in "…".
 */
export function quoteInput(input: string): string {
  // Slicing the UTF-16 units first bounds the work for very long inputs.
  const codePoints = Array.from(input.slice(0, MAX_QUOTED_CODE_POINTS * 2));
  if (codePoints.length <= MAX_QUOTED_CODE_POINTS && input.length <= MAX_QUOTED_CODE_POINTS * 2) {
    return JSON.stringify(input);
  }

  return JSON.stringify(`${codePoints.slice(0, MAX_QUOTED_CODE_POINTS).join('')}…`);
}

/**
 * Names one character for an error message: visible characters in quotes ("x"), and spaces,
 * control, format and unassigned characters by code point (U+200B), because they cannot be seen.
 */
export function describeCharacter(character: string): string {
  if (/^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(character)) {
    return JSON.stringify(character);
  }

  const codePoint = character.codePointAt(0) ?? 0;

  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Describes the JSON type of a value that should have been a string, such as "a number". */
export function describeType(value: unknown): string {
  if (value === null) {
    return 'null';
  }

  if (Array.isArray(value)) {
    return 'an array';
  }

  const type = typeof value;

  return type === 'object' || type === 'undefined' ? `an ${type}` : `a ${type}`;
}
