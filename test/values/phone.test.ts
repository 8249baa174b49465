import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import fc from 'fast-check';

import {
  MAX_PHONE_INPUT_LENGTH,
  describePhoneNumber,
  parsePhoneNumber,
  tryParsePhoneNumber,
} from '../../src/values/phone.js';
import { ValueError } from '../../src/values/value-error.js';
import type { ValueErrorCode } from '../../src/values/value-error.js';

interface FixtureCase {
  id: string;
  type: string;
  input: unknown;
  accept: boolean;
  value?: string;
  country?: string;
  formatted?: string;
  extension?: string;
  error_field?: string;
}

const fixtures = JSON.parse(
  readFileSync(new URL('../fixtures/public-cases.json', import.meta.url), 'utf8'),
) as { values: FixtureCase[] };

/** Runs parsePhoneNumber and returns the ValueError it throws, failing if it throws none. */
function rejectionOf(input: unknown, options?: Parameters<typeof parsePhoneNumber>[1]): ValueError {
  try {
    parsePhoneNumber(input, options);
  } catch (error) {
    if (error instanceof ValueError) {
      return error;
    }

    throw error;
  }

  assert.fail(`expected ${JSON.stringify(input)} to be rejected`);
}

describe('public cases', () => {
  const cases = fixtures.values.filter((fixture) => fixture.type === 'phone_number');

  test('fixture file has phone cases', () => {
    assert.ok(cases.length >= 16);
  });

  for (const fixture of cases) {
    test(`phone fixture ${fixture.id}`, () => {
      if (!fixture.accept) {
        const error = rejectionOf(fixture.input);
        const expectedPath = (fixture.error_field ?? 'value').replace(/^value\.?/u, '');
        assert.equal(error.path, expectedPath);

        return;
      }

      const parsed = parsePhoneNumber(fixture.input);
      assert.equal(parsed.value, fixture.value);
      if (fixture.country !== undefined) {
        assert.equal(parsed.meta.country, fixture.country);
      }

      if (fixture.formatted !== undefined) {
        assert.equal(parsed.meta.formatted, fixture.formatted);
      }

      if (fixture.extension !== undefined) {
        assert.equal(parsed.extension, fixture.extension);
        assert.equal(parsed.meta.extension, fixture.extension);
      }
    });
  }
});

interface AcceptedCase {
  name: string;
  input: unknown;
  value: string;
  country: string;
  formatted: string;
  numberType?: string;
  extension?: string;
}

const accepted: AcceptedCase[] = [
  {
    name: 'international with spaces',
    input: '+44 20 7946 0123',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123',
    numberType: 'fixed_line',
  },
  {
    name: 'national with dashes',
    input: '020-7946-0123',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123',
  },
  {
    name: 'national with dots',
    input: '020.7946.0123',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123',
  },
  {
    name: 'area code in brackets',
    input: '(020) 7946 0123',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123',
  },
  {
    name: 'slashes',
    input: '020/7946/0123',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123',
  },
  {
    name: 'trunk zero in brackets without space',
    input: '+44(0)2079460123',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123',
  },
  {
    name: 'trunk zero in brackets after 0044',
    input: '0044 (0)113 496 0123',
    value: '+441134960123',
    country: 'GB',
    formatted: '0113 496 0123',
  },
  {
    name: 'calling code without plus',
    input: '441134960123',
    value: '+441134960123',
    country: 'GB',
    formatted: '0113 496 0123',
  },
  {
    name: 'calling code without plus spaced',
    input: '44 7400 123456',
    value: '+447400123456',
    country: 'GB',
    formatted: '07400 123456',
    numberType: 'mobile',
  },
  {
    name: 'no separators',
    input: '02079460123',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123',
  },
  {
    name: 'non-breaking spaces',
    input: '020\u00a07946\u00a00123',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123',
  },
  {
    name: 'narrow and thin spaces',
    input: '020\u202f7946\u20090123',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123',
  },
  {
    name: 'ideographic space and tab',
    input: '020\u30007946\t0123',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123',
  },
  {
    name: 'hyphen U+2010',
    input: '020\u20107946\u20100123',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123',
  },
  {
    name: 'figure dash U+2012',
    input: '020\u20127946\u20120123',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123',
  },
  {
    name: 'en dash U+2013',
    input: '020\u20137946\u20130123',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123',
  },
  {
    name: 'em dash U+2014',
    input: '020\u20147946\u20140123',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123',
  },
  {
    name: 'horizontal bar U+2015',
    input: '020\u20157946\u20150123',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123',
  },
  {
    name: 'minus sign U+2212',
    input: '020\u22127946\u22120123',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123',
  },
  {
    name: 'small em dash U+FE58',
    input: '020\ufe587946\ufe580123',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123',
  },
  {
    name: 'small hyphen-minus U+FE63',
    input: '020\ufe637946\ufe630123',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123',
  },
  {
    name: 'full-width hyphen-minus U+FF0D',
    input: '020\uff0d7946\uff0d0123',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123',
  },
  {
    name: 'full-width digits and plus',
    input: '\uff0b\uff14\uff14 \uff12\uff10 \uff17\uff19\uff14\uff16 \uff10\uff11\uff12\uff13',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123',
  },
  {
    name: 'zero-width and bidi marks',
    input: '\u200e\u202a+44\u200b20\u200c7946\u200d0123\u2060\u202c\u200f',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123',
  },
  {
    name: 'byte order mark and isolates',
    input: '\ufeff\u2066020 7946 0123\u2069',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123',
  },
  {
    name: 'surrounding whitespace',
    input: '  020 7946 0123\n',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123',
  },
  {
    name: 'Jersey mobile',
    input: '07797 123456',
    value: '+447797123456',
    country: 'JE',
    formatted: '07797 123456',
    numberType: 'mobile',
  },
  {
    name: 'Guernsey landline',
    input: '01481 256789',
    value: '+441481256789',
    country: 'GG',
    formatted: '01481 256789',
    numberType: 'fixed_line',
  },
  {
    name: 'Guernsey mobile international',
    input: '+44 7781 123456',
    value: '+447781123456',
    country: 'GG',
    formatted: '07781 123456',
  },
  {
    name: 'Isle of Man landline',
    input: '01624 756789',
    value: '+441624756789',
    country: 'IM',
    formatted: '01624 756789',
  },
  {
    name: 'Isle of Man mobile',
    input: '07624 123456',
    value: '+447624123456',
    country: 'IM',
    formatted: '07624 123456',
    numberType: 'mobile',
  },
  {
    name: 'freephone',
    input: '0800 123 4567',
    value: '+448001234567',
    country: 'GB',
    formatted: '0800 123 4567',
    numberType: 'toll_free',
  },
  {
    name: 'seven-digit freephone',
    input: '0800 1111',
    value: '+448001111',
    country: 'GB',
    formatted: '0800 1111',
  },
  {
    name: 'premium rate',
    input: '0909 879 0000',
    value: '+449098790000',
    country: 'GB',
    formatted: '0909 879 0000',
    numberType: 'premium_rate',
  },
  {
    name: 'personal number',
    input: '070 1234 5678',
    value: '+447012345678',
    country: 'GB',
    formatted: '070 1234 5678',
    numberType: 'personal_number',
  },
  {
    name: 'voip',
    input: '056 1234 5678',
    value: '+445612345678',
    country: 'GB',
    formatted: '056 1234 5678',
    numberType: 'voip',
  },
  {
    name: 'pager',
    input: '076 2345 6789',
    value: '+447623456789',
    country: 'GB',
    formatted: '076 2345 6789',
    numberType: 'pager',
  },
  {
    name: 'Ofcom drama London range',
    input: '020 7946 0999',
    value: '+442079460999',
    country: 'GB',
    formatted: '020 7946 0999',
  },
  {
    name: 'foreign number as string',
    input: '+1 202 555 0123',
    value: '+12025550123',
    country: 'US',
    formatted: '+1 202 555 0123',
    numberType: 'fixed_line_or_mobile',
  },
  {
    name: 'non-geographic calling code',
    input: '+800 1234 5678',
    value: '+80012345678',
    country: '001',
    formatted: '+800 1234 5678',
    numberType: 'toll_free',
  },
  {
    name: 'extension with x',
    input: '020 7946 0123 x456',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123 ext. 456',
    extension: '456',
  },
  {
    name: 'extension with extn',
    input: '020 7946 0123 extn 456',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123 ext. 456',
    extension: '456',
  },
  {
    name: 'extension with extension',
    input: '+44 20 7946 0123, Extension: 7',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123 ext. 7',
    extension: '7',
  },
  {
    name: 'extension with hash',
    input: '020 7946 0123 #456',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123 ext. 456',
    extension: '456',
  },
  {
    name: 'extension RFC 3966 style',
    input: '+442079460123;ext=456',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123 ext. 456',
    extension: '456',
  },
  {
    name: 'extension upper case full-width',
    input: '020 7946 0123 \uff25\uff38\uff34 \uff14\uff15\uff16',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123 ext. 456',
    extension: '456',
  },
  {
    name: 'extension of ten digits',
    input: '020 7946 0123 ext 1234567890',
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123 ext. 1234567890',
    extension: '1234567890',
  },
  {
    name: 'object lower-case country',
    input: { country: ' gb ', number: '020 7946 0123' },
    value: '+442079460123',
    country: 'GB',
    formatted: '020 7946 0123',
  },
  {
    name: 'object GB reads Jersey',
    input: { country: 'GB', number: '01534 456789' },
    value: '+441534456789',
    country: 'JE',
    formatted: '01534 456789',
  },
  {
    name: 'object GB reads Isle of Man',
    input: { country: 'GB', number: '07624 123456' },
    value: '+447624123456',
    country: 'IM',
    formatted: '07624 123456',
  },
  {
    name: 'object Jersey local number',
    input: { country: 'JE', number: '456789' },
    value: '+441534456789',
    country: 'JE',
    formatted: '01534 456789',
  },
  {
    name: 'object Jersey reads Guernsey',
    input: { country: 'JE', number: '01481 256789' },
    value: '+441481256789',
    country: 'GG',
    formatted: '01481 256789',
  },
  {
    name: 'object with matching international number',
    input: { country: 'AU', number: '+61 2 3456 7890' },
    value: '+61234567890',
    country: 'AU',
    formatted: '+61 2 3456 7890',
  },
  {
    name: 'object Niue four digits',
    input: { country: 'NU', number: '4123' },
    value: '+6834123',
    country: 'NU',
    formatted: '+683 4123',
  },
  {
    name: 'object with extension',
    input: { country: 'AU', number: '02 3456 7890 ext. 12' },
    value: '+61234567890',
    country: 'AU',
    formatted: '+61 2 3456 7890 ext. 12',
    extension: '12',
  },
];

describe('accepted numbers', () => {
  for (const accept of accepted) {
    test(`accepts ${accept.name}`, () => {
      const parsed = parsePhoneNumber(accept.input);
      assert.equal(parsed.value, accept.value);
      assert.equal(parsed.meta.country, accept.country);
      assert.equal(parsed.meta.formatted, accept.formatted);
      assert.equal(parsed.extension, accept.extension ?? null);
      assert.equal(parsed.meta.extension, accept.extension ?? null);
      if (accept.numberType !== undefined) {
        assert.equal(parsed.meta.number_type, accept.numberType);
      }
    });
  }
});

interface RejectedCase {
  name: string;
  input: unknown;
  code: ValueErrorCode;
  path?: string;
  /** Substrings the message must contain. */
  message?: string[];
}

const rejected: RejectedCase[] = [
  { name: 'null', input: null, code: 'required', message: ['The value field is required.'] },
  { name: 'undefined', input: undefined, code: 'required' },
  { name: 'empty string', input: '', code: 'required' },
  { name: 'whitespace only', input: ' \t\u00a0\n', code: 'required' },
  { name: 'invisible marks only', input: '\u200b\u200e', code: 'required' },
  {
    name: 'JSON number',
    input: 441134960123,
    code: 'not_a_string',
    message: ['must be a string', 'in quotes', '"441134960123"'],
  },
  { name: 'fractional number', input: 12.5, code: 'not_a_string', message: ['in quotes'] },
  { name: 'bigint', input: 441134960123n, code: 'not_a_string', message: ['"441134960123"'] },
  { name: 'boolean', input: true, code: 'not_a_string', message: ['not a boolean'] },
  { name: 'array', input: ['020 7946 0123'], code: 'not_a_string', message: ['not an array'] },
  { name: 'date object', input: new Date(0), code: 'not_a_string', message: ['not an object'] },
  {
    name: 'Ofcom drama mobile range',
    input: '07700 900123',
    code: 'not_in_use',
    message: ['"07700 900123" is not a number in use', 'read as GB'],
  },
  { name: 'drama mobile range start', input: '07700 900000', code: 'not_in_use' },
  { name: 'drama mobile range end', input: '+44 7700 900999', code: 'not_in_use' },
  { name: 'Ofcom drama area code', input: '01632 960123', code: 'not_in_use' },
  {
    name: 'nine-digit mobile',
    input: '+44751488454',
    code: 'too_short',
    message: ['"+44751488454" is too short for a GB number'],
  },
  { name: 'eight national digits', input: '+44 1234 5678', code: 'too_short' },
  { name: 'London number missing digit', input: '020 7946 012', code: 'too_short' },
  { name: 'London number extra digit', input: '+44 20 7946 01234', code: 'too_long' },
  { name: 'foreign mobile extra digit', input: '+61 412 345 6780', code: 'too_long' },
  { name: 'far too many digits', input: '020 7946 0123 4567 8901 2345', code: 'too_long' },
  { name: 'calling code only', input: '+44', code: 'too_short' },
  { name: 'one digit', input: '1', code: 'too_short' },
  { name: 'double zero only', input: '00', code: 'too_short' },
  { name: 'emergency short code', input: '999', code: 'short_code', message: ['short code'] },
  { name: 'helpline short code', input: '116 123', code: 'short_code' },
  { name: 'non-emergency short code', input: '101', code: 'short_code' },
  { name: 'directory short code', input: '118 118', code: 'short_code' },
  {
    name: 'trailing words',
    input: '020 7946 0123 call after 5pm',
    code: 'not_a_phone_number',
    message: ['"c"', 'cannot be part of a phone number'],
  },
  { name: 'leading words', input: 'tel 020 7946 0123', code: 'not_a_phone_number' },
  { name: 'RFC 3966 URI', input: 'tel:+442079460123', code: 'not_a_phone_number' },
  { name: 'two numbers', input: '020 7946 0123 / 07400 123456', code: 'too_long' },
  { name: 'comma list', input: '020 7946 0123, 07400 123456', code: 'not_a_phone_number' },
  { name: 'plus in the middle', input: '020 +7946 0123', code: 'not_a_phone_number' },
  { name: 'letters only', input: 'none', code: 'not_a_phone_number' },
  { name: 'punctuation only', input: '(-)', code: 'not_a_phone_number' },
  { name: 'plus only', input: '+', code: 'not_a_phone_number' },
  { name: 'extension label only', input: 'ext. 456', code: 'not_a_phone_number' },
  { name: 'trailing hash', input: '020 7946 0123 #', code: 'not_a_phone_number' },
  {
    name: 'extension label without digits',
    input: '020 7946 0123 ext',
    code: 'not_a_phone_number',
  },
  { name: 'two extensions', input: '020 7946 0123 x1 x2', code: 'not_a_phone_number' },
  {
    name: 'extension over ten digits',
    input: '020 7946 0123 ext 12345678901',
    code: 'too_long',
    message: ['extension', '11 digits'],
  },
  { name: 'Arabic-Indic digits', input: '٠٢٠٧٩٤٦٠١٢٣', code: 'not_a_phone_number' },
  { name: 'control character', input: '020 7946\u00070123', code: 'not_a_phone_number' },
  {
    name: 'unknown calling code',
    input: '+999 1234 5678',
    code: 'unknown_country',
    message: ['country calling code'],
  },
  {
    name: 'overlong input',
    input: '0'.repeat(MAX_PHONE_INPUT_LENGTH + 1),
    code: 'too_long',
    message: [`at most ${MAX_PHONE_INPUT_LENGTH} characters`],
  },
  { name: 'huge input', input: '1'.repeat(1_000_000), code: 'too_long' },
  {
    name: 'overlong input with emoji',
    input: '1'.repeat(MAX_PHONE_INPUT_LENGTH - 4) + '\u{1F4DE}'.repeat(5),
    code: 'too_long',
  },
  { name: 'object with no keys', input: {}, code: 'required', path: 'country' },
  {
    name: 'object missing number',
    input: { country: 'GB' },
    code: 'required',
    path: 'number',
    message: ['The value.number field is required.'],
  },
  {
    name: 'object missing country',
    input: { number: '020 7946 0123' },
    code: 'required',
    path: 'country',
    message: ['The value.country field is required'],
  },
  {
    name: 'object null country',
    input: { country: null, number: '1' },
    code: 'required',
    path: 'country',
  },
  {
    name: 'object blank country',
    input: { country: ' ', number: '1' },
    code: 'required',
    path: 'country',
  },
  {
    name: 'object blank number',
    input: { country: 'GB', number: ' ' },
    code: 'required',
    path: 'number',
  },
  {
    name: 'object number as JSON number',
    input: { country: 'GB', number: 2079460123 },
    code: 'not_a_string',
    path: 'number',
    message: ['The value.number field must be a string'],
  },
  {
    name: 'object country as number',
    input: { country: 44, number: '020 7946 0123' },
    code: 'not_a_string',
    path: 'country',
    message: ['The value.country field must be a string'],
  },
  {
    name: 'object number as object',
    input: { country: 'GB', number: { value: '1' } },
    code: 'not_a_string',
    path: 'number',
  },
  {
    name: 'object unknown country',
    input: { country: 'XX', number: '020 7946 0123' },
    code: 'unknown_country',
    path: 'country',
    message: ['"XX"'],
  },
  {
    name: 'object country name',
    input: { country: 'United Kingdom', number: '020 7946 0123' },
    code: 'unknown_country',
    path: 'country',
  },
  {
    name: 'object non-geographic region',
    input: { country: '001', number: '1234 5678' },
    code: 'unknown_country',
    path: 'country',
  },
  {
    name: 'object country mismatch',
    input: { country: 'AU', number: '+44 20 7946 0123' },
    code: 'country_mismatch',
    path: 'country',
    message: ['+44', 'AU uses +61'],
  },
  {
    name: 'object mismatch with 00',
    input: { country: 'AU', number: '0044 20 7946 0123' },
    code: 'country_mismatch',
    path: 'country',
  },
  {
    name: 'object mismatch before validity',
    input: { country: 'AU', number: '+44 7700 900123' },
    code: 'country_mismatch',
    path: 'country',
  },
  {
    name: 'object US international prefix mismatch',
    input: { country: 'US', number: '011 61 2 3456 7890' },
    code: 'country_mismatch',
    path: 'country',
  },
  {
    name: 'object invalid national number',
    input: { country: 'AU', number: '02 3456 789' },
    code: 'too_short',
    path: 'number',
    message: ['The value.number field', 'for an AU number'],
  },
  {
    name: 'object drama number',
    input: { country: 'GB', number: '07700 900123' },
    code: 'not_in_use',
    path: 'number',
  },
  {
    name: 'object garbage number',
    input: { country: 'GB', number: '020 7946 0123 please' },
    code: 'not_a_phone_number',
    path: 'number',
  },
  {
    name: 'object overlong number',
    input: { country: 'GB', number: '1'.repeat(100) },
    code: 'too_long',
    path: 'number',
  },
  {
    name: 'object extra key',
    input: { country: 'GB', number: '020 7946 0123', label: 'work' },
    code: 'not_a_phone_number',
    path: '',
    message: ['"label"'],
  },
];

describe('rejected numbers', () => {
  test('cap counts code points', () => {
    const emoji = '\u{1F4DE}'.repeat(MAX_PHONE_INPUT_LENGTH / 2 + 1);
    assert.equal(rejectionOf(emoji).code, 'not_a_phone_number');
  });

  for (const reject of rejected) {
    test(`rejects ${reject.name}`, () => {
      const error = rejectionOf(reject.input);
      assert.equal(error.code, reject.code);
      assert.equal(error.path, reject.path ?? '');
      for (const part of reject.message ?? []) {
        assert.ok(error.message.includes(part), `message ${JSON.stringify(error.message)}`);
      }
    });
  }
});

describe('error messages', () => {
  test('too short message in full', () => {
    assert.equal(
      rejectionOf('+44751488454').message,
      'The value field must be a valid phone number: "+44751488454" is too short for a GB number. Check the digits and give the full number, such as +442079460123.',
    );
  });

  test('national message says GB assumed', () => {
    assert.equal(
      rejectionOf('07514 88454').message,
      'The value field must be a valid phone number: "07514 88454" is too short for a GB number. Numbers without a country code are read as GB, so give the full number in international format, such as +442079460123, or send {"country": "..", "number": ".."}.',
    );
  });

  test('message names another default country', () => {
    const error = rejectionOf('02 3456 789', { defaultCountry: 'AU' });
    assert.ok(error.message.includes('read as AU'));
  });

  test('long input truncated in message', () => {
    const input = `020 7946 0123 ${'z'.repeat(40)}`;
    const error = rejectionOf(input);
    assert.ok(error.message.includes('…'));
    assert.ok(!error.message.includes(input));
  });

  test('invisible character named by code point', () => {
    const error = rejectionOf('020 7946 0123\u0000');
    assert.ok(error.message.includes('U+0000'), error.message);
  });

  test('error is a ValueError instance', () => {
    const error = rejectionOf('999');
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'ValueError');
  });
});

describe('options', () => {
  test('default country reads national numbers', () => {
    const parsed = parsePhoneNumber('02 3456 7890', { defaultCountry: 'AU' });
    assert.equal(parsed.value, '+61234567890');
    assert.equal(parsed.meta.country, 'AU');
  });

  test('home calling code picks national format', () => {
    const parsed = parsePhoneNumber('+61 2 3456 7890', { homeCallingCode: '61' });
    assert.equal(parsed.meta.formatted, '(02) 3456 7890');
    const british = parsePhoneNumber('020 7946 0123', { homeCallingCode: '61' });
    assert.equal(british.meta.formatted, '+44 20 7946 0123');
  });

  test('unsupported default country throws RangeError', () => {
    assert.throws(() => parsePhoneNumber('020 7946 0123', { defaultCountry: 'XX' }), RangeError);
  });

  test('invalid home calling code throws RangeError', () => {
    assert.throws(() => parsePhoneNumber('020 7946 0123', { homeCallingCode: '+44' }), RangeError);
  });
});

describe('tryParsePhoneNumber', () => {
  test('returns parsed number', () => {
    assert.equal(tryParsePhoneNumber('020 7946 0123')?.value, '+442079460123');
  });

  test('returns undefined on rejection', () => {
    assert.equal(tryParsePhoneNumber('07700 900123'), undefined);
    assert.equal(tryParsePhoneNumber(null), undefined);
    assert.equal(tryParsePhoneNumber({ country: 'XX', number: '1' }), undefined);
  });

  test('still throws for invalid options', () => {
    assert.throws(() => tryParsePhoneNumber('020 7946 0123', { defaultCountry: 'XX' }), RangeError);
  });
});

describe('parsePhoneNumber cache', () => {
  test('returns a fresh copy each call', () => {
    const first = parsePhoneNumber('020 7946 0123');
    first.meta.formatted = 'changed';
    const second = parsePhoneNumber('020 7946 0123');

    assert.equal(second.meta.formatted, '020 7946 0123');
    assert.notEqual(first, second);
    assert.notEqual(first.meta, second.meta);
  });

  test('keys on default country', () => {
    assert.equal(parsePhoneNumber('0412 345 678', { defaultCountry: 'AU' }).value, '+61412345678');
    assert.equal(rejectionOf('0412 345 678', { defaultCountry: 'GB' }).code, 'not_in_use');
  });

  test('keys on home calling code', () => {
    assert.equal(parsePhoneNumber('+61 2 3456 7890').meta.formatted, '+61 2 3456 7890');
    const home = parsePhoneNumber('+61 2 3456 7890', { homeCallingCode: '61' });
    assert.equal(home.meta.formatted, '(02) 3456 7890');
  });

  test('rejects a rejected input again', () => {
    assert.equal(rejectionOf('020 7946 012').code, rejectionOf('020 7946 012').code);
  });
});

describe('describePhoneNumber', () => {
  test('matches parsed meta', () => {
    const parsed = parsePhoneNumber('01534 456789 ext. 12');
    assert.deepEqual(describePhoneNumber(parsed.value, parsed.extension), parsed.meta);
  });

  test('formats extension', () => {
    const meta = describePhoneNumber('+442079460123', '456');
    assert.equal(meta.national, '020 7946 0123 ext. 456');
    assert.equal(meta.international, '+44 20 7946 0123 ext. 456');
    assert.equal(meta.formatted, '020 7946 0123 ext. 456');
    assert.equal(meta.extension, '456');
  });

  test('empty extension means none', () => {
    assert.equal(describePhoneNumber('+442079460123', '').extension, null);
  });

  test('returns a fresh copy each call', () => {
    const first = describePhoneNumber('+447400123456', null);
    first.formatted = 'changed';
    const second = describePhoneNumber('+447400123456', null);
    assert.equal(second.formatted, '07400 123456');
    assert.notEqual(first, second);
  });

  test('cache keys on home calling code', () => {
    assert.equal(describePhoneNumber('+61234567890', null).formatted, '+61 2 3456 7890');
    const home = describePhoneNumber('+61234567890', null, { homeCallingCode: '61' });
    assert.equal(home.formatted, '(02) 3456 7890');
  });

  test('describes a number no longer valid', () => {
    const meta = describePhoneNumber('+447700900123', null);
    assert.equal(meta.country, 'GB');
    assert.equal(meta.number_type, null);
    assert.equal(meta.national, '07700 900123');
  });

  test('cache stays bounded and correct', () => {
    for (let index = 0; index < 10_050; index += 1) {
      const value = `+4474${String(index).padStart(8, '0')}`;
      assert.equal(describePhoneNumber(value, null).international.replaceAll(' ', ''), value);
    }

    assert.equal(describePhoneNumber('+442079460123', null).national, '020 7946 0123');
  });

  test('rejects non-E.164 value', () => {
    assert.throws(() => describePhoneNumber('020 7946 0123', null), RangeError);
    assert.throws(() => describePhoneNumber('+0123', null), RangeError);
  });

  test('rejects unknown calling code', () => {
    assert.throws(() => describePhoneNumber('+99912345678', null), RangeError);
  });

  test('rejects non-digit extension', () => {
    assert.throws(() => describePhoneNumber('+442079460123', 'x1'), RangeError);
  });
});

// Valid numbers across GB ranges and the Crown dependencies. The last `free` digits are
// randomised, and candidates that are not valid are filtered out.
const VALID_BASES: readonly { e164: string; free: number }[] = [
  { e164: '+447400123456', free: 6 },
  { e164: '+447700123456', free: 6 },
  { e164: '+442079460123', free: 7 },
  { e164: '+441134960123', free: 7 },
  { e164: '+441214960987', free: 7 },
  { e164: '+443330903630', free: 7 },
  { e164: '+448001234567', free: 7 },
  { e164: '+442890123456', free: 6 },
  { e164: '+441534456789', free: 6 },
  { e164: '+441481256789', free: 5 },
  { e164: '+441624756789', free: 5 },
  { e164: '+447624123456', free: 5 },
];

test('base numbers are valid', () => {
  for (const base of VALID_BASES) {
    assert.equal(parsePhoneNumber(base.e164).value, base.e164);
  }
});

const validGbNumber = fc
  .record({
    base: fc.constantFrom(...VALID_BASES),
    digits: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 7, maxLength: 7 }),
  })
  .map(({ base, digits }) => base.e164.slice(0, -base.free) + digits.slice(0, base.free).join(''))
  .filter((e164) => tryParsePhoneNumber(e164)?.value === e164);

const separator = fc.constantFrom(
  '',
  '',
  '',
  ' ',
  '-',
  '.',
  '\u00a0',
  '\u2009',
  '\u202f',
  '\u3000',
  '\u2010',
  '\u2011',
  '\u2012',
  '\u2013',
  '\u2014',
  '\u2015',
  '\u2212',
  '\ufe58',
  '\ufe63',
  '\uff0d',
  '\u200b',
  '\u200e',
  '\u2060',
  '\ufeff',
);

const style = fc.constantFrom(
  'national',
  'plus',
  'plus-trunk',
  'double-zero',
  'bare-code',
  'area-brackets',
);

/** Writes digits as full-width characters U+FF10 to U+FF19. */
function toFullWidth(text: string): string {
  return text.replace(/\d/gu, (digit) => String.fromCodePoint(0xff10 + Number(digit)));
}

/** Writes a number in one of the accepted styles, with separators between digits. */
function writeNumber(
  e164: string,
  writing: { style: string; separators: string[]; fullWidth: boolean; prefixSpace: string },
): string {
  const national = parsePhoneNumber(e164).meta.national;
  const nsn = e164.slice(3);
  const spaced = nsn
    .split('')
    .map((digit, index) => (index === 0 ? digit : (writing.separators[index] ?? '') + digit))
    .join('');
  const areaCode = national.split(' ')[0] ?? '';
  let text: string;
  switch (writing.style) {
    case 'national':
      text = `0${spaced}`;
      break;
    case 'plus':
      text = `+44${writing.prefixSpace}${spaced}`;
      break;
    case 'plus-trunk':
      text = `+44${writing.prefixSpace}(0)${spaced}`;
      break;
    case 'double-zero':
      text = `0044${writing.prefixSpace}${spaced}`;
      break;
    case 'bare-code':
      text = `44${writing.prefixSpace}${spaced}`;
      break;
    default:
      text = `(${areaCode})${writing.prefixSpace}${national.slice(areaCode.length).trim()}`;
  }

  if (!writing.fullWidth) {
    return text;
  }

  return toFullWidth(text).replace('+', '\uff0b');
}

describe('properties', () => {
  test('any written style parses to the same value', () => {
    fc.assert(
      fc.property(
        validGbNumber,
        style,
        fc.array(separator, { minLength: 12, maxLength: 12 }),
        fc.boolean(),
        fc.constantFrom('', ' ', '\u00a0'),
        (e164, writingStyle, separators, fullWidth, prefixSpace) => {
          const written = writeNumber(e164, {
            style: writingStyle,
            separators,
            fullWidth,
            prefixSpace,
          });
          assert.equal(parsePhoneNumber(written).value, e164, JSON.stringify(written));
        },
      ),
      { numRuns: 1500 },
    );
  });

  test('formatted meta parses back to same value', () => {
    fc.assert(
      fc.property(
        validGbNumber,
        fc.option(fc.stringMatching(/^\d{1,6}$/u), { nil: null }),
        (e164, extension) => {
          const meta = describePhoneNumber(e164, extension);
          for (const text of [meta.international, meta.national, meta.formatted]) {
            const reparsed = parsePhoneNumber(text);
            assert.equal(reparsed.value, e164, text);
            assert.equal(reparsed.extension, extension, text);
            assert.deepEqual(reparsed.meta, meta, text);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('foreign formatted meta parses back', () => {
    const foreign = ['+61234567890', '+12025550123', '+33123456789', '+4930123456', '+80012345678'];
    for (const e164 of foreign) {
      const meta = describePhoneNumber(e164, '9');
      assert.equal(parsePhoneNumber(meta.international).value, e164);
      assert.equal(parsePhoneNumber(meta.formatted).value, e164);
      if (meta.country !== '001') {
        const national = { country: meta.country, number: meta.national };
        assert.equal(parsePhoneNumber(national).value, e164);
      }
    }
  });

  const phoneAlphabet = fc.constantFrom(
    ...'0123456789+ -.()/#x,;:=eEtTnN'.split(''),
    '\u00a0',
    '\u2011',
    '\u2212',
    '\u200b',
    '\uff10',
    '\uff0b',
    '(0)',
    'ext. ',
    '0044',
    '+44',
    '07700 900',
  );
  const phoneLikeString = fc.array(phoneAlphabet, { maxLength: 30 }).map((parts) => parts.join(''));

  const anyInput = fc.oneof(
    fc.string({ maxLength: MAX_PHONE_INPUT_LENGTH + 16 }),
    fc.string({ unit: 'grapheme', maxLength: MAX_PHONE_INPUT_LENGTH + 16 }),
    fc.string({ unit: 'binary', maxLength: MAX_PHONE_INPUT_LENGTH + 16 }),
    fc.string({ unit: 'binary', minLength: MAX_PHONE_INPUT_LENGTH, maxLength: 400 }),
    phoneLikeString,
    fc.anything(),
    fc.record({
      country: fc.oneof(fc.constantFrom('GB', 'AU', 'uk', 'JE'), fc.anything()),
      number: fc.oneof(phoneLikeString, fc.anything()),
    }),
  );

  const allowedPaths = new Set(['', 'country', 'number']);

  test('only ValueError is ever thrown', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        try {
          const parsed = parsePhoneNumber(input);
          assert.match(parsed.value, /^\+[1-9]\d{2,15}$/u);
        } catch (error) {
          assert.ok(error instanceof ValueError, String(error));
          assert.ok(allowedPaths.has(error.path), error.path);
          assert.ok(error.message.length > 0);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('tryParse agrees with parse', () => {
    fc.assert(
      fc.property(phoneLikeString, (input) => {
        const tried = tryParsePhoneNumber(input);
        if (tried === undefined) {
          assert.throws(() => parsePhoneNumber(input), ValueError);
        } else {
          assert.deepEqual(parsePhoneNumber(input), tried);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
