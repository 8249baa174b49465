import type { FieldErrorCollector } from '../errors.js';
import { emailComparisonKey, normalizeEmail } from '../values/email.js';
import { type PhoneNumberOptions, parsePhoneNumber } from '../values/phone.js';
import { ValueError } from '../values/value-error.js';
import type { ContactDetailType } from './contact-detail.js';

/** A value as it is stored. */
export interface CanonicalValue {
  value: string;
  /** What duplicates are compared by. */
  valueKey: string;
  extension: string | null;
}

/**
 * Reads a request's `value` by the detail's type. A value that breaks a rule adds its message to
 * `errors` under `value` or `value.<part>` and gives undefined.
 */
export function canonicalizeValue(
  type: ContactDetailType,
  input: unknown,
  phoneOptions: PhoneNumberOptions,
  errors: FieldErrorCollector,
): CanonicalValue | undefined {
  try {
    if (type === 'email') {
      const value = normalizeEmail(input);

      return { value, valueKey: emailComparisonKey(value), extension: null };
    }

    const phone = parsePhoneNumber(input, phoneOptions);

    return { value: phone.value, valueKey: phone.value, extension: phone.extension };
  } catch (error) {
    if (!(error instanceof ValueError)) {
      throw error;
    }

    errors.add(error.path === '' ? 'value' : `value.${error.path}`, error.message);

    return undefined;
  }
}
