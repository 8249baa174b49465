import {
  ParseError,
  getCountryCallingCode,
  getExampleNumber,
  isSupportedCountry,
  isValidPhoneNumber,
  parsePhoneNumberWithError,
  validatePhoneNumberLength,
} from 'libphonenumber-js/max';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js/max';
import metadata from 'libphonenumber-js/max/metadata';
import mobileExamples from 'libphonenumber-js/mobile/examples';

import { LruCache } from './lru-cache.js';
import { ValueError, describeCharacter, describeType, quoteInput } from './value-error.js';
import type { ValueErrorCode } from './value-error.js';

/** Display data for a phone number, derived from its E.164 value and extension. */
export interface PhoneNumberMeta {
  /**
   * ISO 3166-1 alpha-2 region of the number itself (GB, JE, GG, IM, AU, ...), or '001' for a
   * non-geographic calling code such as +800.
   */
  country: string;
  /**
   * National format when the calling code equals `homeCallingCode`, otherwise international
   * format. Includes the extension (" ext. 456") when there is one.
   */
  formatted: string;
  /** National format, with the extension if there is one. */
  national: string;
  /** International format, with the extension if there is one. */
  international: string;
  /** libphonenumber number type in lower case, such as 'mobile' or 'fixed_line', or null. */
  number_type: string | null;
  /** Extension digits, or null. */
  extension: string | null;
}

/** Settings for reading and displaying phone numbers. */
export interface PhoneNumberOptions {
  /** ISO 3166-1 alpha-2 region whose dialling plan reads a number without a country code. */
  defaultCountry: string;
  /** Calling code (digits, no +) whose numbers are displayed in national format. */
  homeCallingCode: string;
}

/** An accepted phone number in canonical form. */
export interface ParsedPhoneNumber {
  /** E.164 form, such as "+442079460123". Never contains the extension. */
  value: string;
  /** Extension digits, or null. */
  extension: string | null;
  meta: PhoneNumberMeta;
}

/** Maximum number of characters (code points) of a phone number input, checked before parsing. */
export const MAX_PHONE_INPUT_LENGTH = 64;

/** Maximum number of digits of an extension. */
const MAX_EXTENSION_DIGITS = 10;

const DEFAULT_OPTIONS: PhoneNumberOptions = { defaultCountry: 'GB', homeCallingCode: '44' };

// libphonenumber reports the region of a number under a non-geographic calling code (+800,
// +808, +870, +878, +881, +882, +883, +888, +979) as undefined. CLDR and libphonenumber use the
// UN M.49 code 001 ("World") for these numbers.
const NON_GEOGRAPHIC_REGION = '001';

const CACHE_LIMIT = 10_000;

// Example for error messages. Ofcom keeps 020 7946 0000 to 0999 for TV and radio drama, so the
// number belongs to no one, and libphonenumber-js 1.13 accepts it as valid.
const GB_EXAMPLE_NUMBER = '+442079460123';

interface ResolvedOptions {
  defaultCountry: CountryCode;
  homeCallingCode: string;
}

/** Origin of a number string in the request, for error messages and paths. */
interface NumberSource {
  /** Request field named in messages: 'value' or 'value.number'. */
  field: string;
  /** ValueError path: '' or 'number'. */
  path: string;
  /** Region whose dialling plan reads a national number. */
  country: CountryCode;
  /** Whether the request named the country (object form) instead of relying on the default. */
  countryGiven: boolean;
}

/** A number string after normalisation, split into its parts. */
interface CleanedNumber {
  /** Digits of the number without the extension, and without the 00 of a 00 prefix. */
  digits: string;
  /** Whether the number was written with + or 00 before the country calling code. */
  international: boolean;
  extension: string | null;
}

const parseCache = new LruCache<ParsedPhoneNumber>(CACHE_LIMIT);

/**
 * Parses a phone number from a request value: an international string ("+443330903630"), a
 * national string read with `options.defaultCountry` ("0333 090 3630"), or an object
 * `{ country, number }` whose country names the dialling plan of a national number. The number
 * must be valid for its range in the libphonenumber-js `max` metadata, not merely of a possible
 * length.
 *
 * The numbers of accepted strings are memoised in a least-recently-used cache of 10,000 entries,
 * because libphonenumber-js builds its regular expressions anew on each parse, and clients that
 * keep a copy in step send the same numbers again. Each call returns a fresh copy.
 *
 * Throws ValueError when the input is rejected, and RangeError when `options` are invalid.
 */
export function parsePhoneNumber(
  input: unknown,
  options?: Partial<PhoneNumberOptions>,
): ParsedPhoneNumber {
  const resolved = resolveOptions(options);

  if (isPlainObject(input)) {
    return parseObjectForm(input, resolved);
  }

  const text = requireNumberString(input, 'value', '');
  const key = `${resolved.defaultCountry} ${resolved.homeCallingCode} ${text}`;
  const cached = parseCache.get(key);
  if (cached !== undefined) {
    return { ...cached, meta: { ...cached.meta } };
  }

  const source: NumberSource = {
    field: 'value',
    path: '',
    country: resolved.defaultCountry,
    countryGiven: false,
  };
  const parsed = parseNumberText(text, source, resolved);
  parseCache.set(key, parsed);

  return { ...parsed, meta: { ...parsed.meta } };
}

/**
 * Parses like parsePhoneNumber, but returns undefined where parsePhoneNumber throws ValueError.
 * Invalid `options` still throw RangeError.
 */
export function tryParsePhoneNumber(
  input: unknown,
  options?: Partial<PhoneNumberOptions>,
): ParsedPhoneNumber | undefined {
  try {
    return parsePhoneNumber(input, options);
  } catch (error) {
    if (error instanceof ValueError) {
      return undefined;
    }

    throw error;
  }
}

const describeCache = new LruCache<PhoneNumberMeta>(CACHE_LIMIT);

/**
 * Builds the meta for a stored canonical value (E.164 plus extension). It does not check that
 * the number is still valid, so values stored under older metadata can still be displayed.
 * Results are memoised in a least-recently-used cache of 10,000 entries, and each call returns a
 * fresh copy. An empty `extension` means none. Throws RangeError when `value` is not an E.164
 * string or `extension` is not digits.
 */
export function describePhoneNumber(
  value: string,
  extension: string | null,
  options?: Partial<PhoneNumberOptions>,
): PhoneNumberMeta {
  const resolved = resolveOptions(options);
  // An empty extension means none, so '' and null share one cache entry.
  const key = `${resolved.homeCallingCode} ${value} ${extension ?? ''}`;
  const cached = describeCache.get(key);
  if (cached !== undefined) {
    return { ...cached };
  }

  const meta = describeStoredNumber(value, extension, resolved.homeCallingCode);
  describeCache.set(key, meta);

  return { ...meta };
}

function describeStoredNumber(
  value: string,
  extension: string | null,
  homeCallingCode: string,
): PhoneNumberMeta {
  if (!/^\+[1-9]\d{1,16}$/.test(value)) {
    throw new RangeError(`Stored phone number ${quoteInput(value)} is not in E.164 format.`);
  }

  if (extension !== null && !/^\d*$/.test(extension)) {
    throw new RangeError(`Stored phone extension ${quoteInput(extension)} is not all digits.`);
  }

  let number: PhoneNumber;
  try {
    number = parsePhoneNumberWithError(value);
  } catch (error) {
    if (error instanceof ParseError) {
      throw new RangeError(
        `Stored phone number ${quoteInput(value)} cannot be read: ${error.message}.`,
      );
    }

    throw error;
  }

  if (extension !== null && extension !== '') {
    number.setExt(extension);
  }

  return buildMeta(number, homeCallingCode);
}

function resolveOptions(options: Partial<PhoneNumberOptions> | undefined): ResolvedOptions {
  const defaultCountry = options?.defaultCountry ?? DEFAULT_OPTIONS.defaultCountry;
  const homeCallingCode = options?.homeCallingCode ?? DEFAULT_OPTIONS.homeCallingCode;
  if (!isSupportedCountry(defaultCountry)) {
    throw new RangeError(
      `The defaultCountry option ${quoteInput(defaultCountry)} is not a supported ISO 3166-1 alpha-2 region.`,
    );
  }

  if (!/^[1-9]\d{0,2}$/.test(homeCallingCode)) {
    throw new RangeError(
      `The homeCallingCode option ${quoteInput(homeCallingCode)} must be 1 to 3 digits without a +.`,
    );
  }

  return { defaultCountry, homeCallingCode };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }

  const prototype: unknown = Object.getPrototypeOf(value);

  return prototype === Object.prototype || prototype === null;
}

function parseObjectForm(
  input: Record<string, unknown>,
  options: ResolvedOptions,
): ParsedPhoneNumber {
  const unexpectedKeys = Object.keys(input).filter((key) => key !== 'country' && key !== 'number');
  if (unexpectedKeys.length > 0) {
    const names = unexpectedKeys.slice(0, 3).map(quoteInput).join(', ');
    throw new ValueError(
      'not_a_phone_number',
      `The value field must be a string or an object with only "country" and "number", but it also contains ${names}.`,
    );
  }

  const countryText = requireObjectString(input.country, 'country');
  const numberText = requireNumberString(input.number, 'value.number', 'number');
  const country = resolveCountry(countryText);
  const source: NumberSource = {
    field: 'value.number',
    path: 'number',
    country,
    countryGiven: true,
  };

  return parseNumberText(numberText, source, options);
}

function requireObjectString(value: unknown, key: string): string {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    throw new ValueError(
      'required',
      `The value.${key} field is required when value is an object.`,
      key,
    );
  }

  if (typeof value !== 'string') {
    throw new ValueError(
      'not_a_string',
      `The value.${key} field must be a string, not ${describeType(value)}: send an ISO 3166-1 alpha-2 code in quotes, such as "GB".`,
      key,
    );
  }

  return value;
}

/** Checks that a phone number input is a non-blank string. */
function requireNumberString(value: unknown, field: string, path: string): string {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    throw new ValueError('required', `The ${field} field is required.`, path);
  }

  if (typeof value === 'number' || typeof value === 'bigint') {
    // A JSON number cannot carry a leading 0 or +, so the intended number is uncertain.
    const example =
      typeof value === 'bigint' || (Number.isSafeInteger(value) && value >= 0)
        ? String(value)
        : GB_EXAMPLE_NUMBER;
    throw new ValueError(
      'not_a_string',
      `The ${field} field must be a string, not a number: send the phone number in quotes, such as "${example}", so that a leading 0 or + is kept.`,
      path,
    );
  }

  if (typeof value !== 'string') {
    const expected = path === '' ? 'a string or an object with "country" and "number"' : 'a string';
    throw new ValueError(
      'not_a_string',
      `The ${field} field must be ${expected}, not ${describeType(value)}.`,
      path,
    );
  }

  return value;
}

function resolveCountry(text: string): CountryCode {
  const code = text.trim().toUpperCase();
  // ISO 3166-1 reserves UK for the United Kingdom, whose assigned code is GB.
  const alias = code === 'UK' ? 'GB' : code;
  if (/^[A-Z]{2}$/.test(alias) && isSupportedCountry(alias)) {
    return alias;
  }

  throw new ValueError(
    'unknown_country',
    `The value.country field must be an ISO 3166-1 alpha-2 region code with a known numbering plan, such as "GB" or "AU", but ${quoteInput(text)} is not one.`,
    'country',
  );
}

function parseNumberText(
  raw: string,
  source: NumberSource,
  options: ResolvedOptions,
): ParsedPhoneNumber {
  const cleaned = cleanNumberText(raw, source);
  const number = readNumber(raw, cleaned, source);

  const expectedCallingCode = getCountryCallingCode(source.country);
  if (source.countryGiven && number.countryCallingCode !== expectedCallingCode) {
    throw new ValueError(
      'country_mismatch',
      `The value.country field does not match the number: ${quoteInput(raw)} has the country calling code +${number.countryCallingCode}, but ${source.country} uses +${expectedCallingCode}. Correct the country, or send the number in ${source.country} national format.`,
      'country',
    );
  }

  if (!number.isValid()) {
    throw invalidNumberError(raw, number, cleaned, source);
  }

  if (cleaned.extension !== null) {
    number.setExt(cleaned.extension);
  }

  return {
    value: number.number,
    extension: cleaned.extension,
    meta: buildMeta(number, options.homeCallingCode),
  };
}

// Dashes of every kind, including U+2010 to U+2015, U+FE58, U+FE63, U+FF0D and the minus sign
// U+2212, which is a math symbol rather than a dash.
const DASHES = /[\p{Pd}\u2212]/gu;

// Format characters such as zero-width spaces (U+200B to U+200D), bidi marks (U+200E, U+200F,
// U+061C, U+202A to U+202E, U+2066 to U+2069), the word joiner U+2060 and the byte order mark
// U+FEFF. They are invisible, so pasted numbers often contain them.
const FORMAT_CHARACTERS = /\p{Cf}/gu;

// An extension label and its digits at the end of the number: "ext. 456", "extn 456",
// "extension 456", "x456", "#456", ", ext 456" and the RFC 3966 form ";ext=456".
const EXTENSION_SUFFIX =
  /^(?<number>.*?)[\s,;]*(?:extension|extn|ext|x|#)[\s.:=]*(?<digits>\d+)$/iu;

// A trunk prefix written in brackets after the country calling code, as in "+44 (0)20 7946 0123".
// Dialling from abroad omits the 0, so it is dropped.
const BRACKETED_TRUNK_ZERO = /^(?<prefix>(?:\+|00)[\s.-]*\d{1,3})[\s.-]*\(\s*0\s*\)/u;

// Separators that people write between digit groups. Everything else is rejected, so that no
// typed character is silently ignored.
const DISALLOWED_CHARACTERS = /[^\d\s().\-/]/gu;

/**
 * Normalises a number string and splits off an extension. Rejects inputs over the length cap,
 * characters that are not digits, separators or a recognised extension label, and short codes.
 */
function cleanNumberText(raw: string, source: NumberSource): CleanedNumber {
  checkInputLength(raw, source);

  // NFKC turns full-width digits (U+FF10 to U+FF19) and plus (U+FF0B) into ASCII, and
  // non-breaking and other compatibility spaces into U+0020.
  const text = raw
    .normalize('NFKC')
    .replace(FORMAT_CHARACTERS, '')
    .replace(DASHES, '-')
    .replace(/\s+/gu, ' ')
    .trim();
  if (text === '') {
    throw new ValueError('required', `The ${source.field} field is required.`, source.path);
  }

  let numberPart = text;
  let extension: string | null = null;
  const extensionMatch = EXTENSION_SUFFIX.exec(text);
  if (extensionMatch?.groups !== undefined) {
    numberPart = extensionMatch.groups.number ?? '';
    extension = extensionMatch.groups.digits ?? null;
  }

  if (extension !== null && extension.length > MAX_EXTENSION_DIGITS) {
    throw new ValueError(
      'too_long',
      `The ${source.field} field must be a valid phone number: the extension in ${quoteInput(raw)} has ${extension.length} digits, but at most ${MAX_EXTENSION_DIGITS} are allowed.`,
      source.path,
    );
  }

  numberPart = numberPart.replace(BRACKETED_TRUNK_ZERO, '$<prefix>');
  const international = numberPart.startsWith('+');
  const body = international ? numberPart.slice(1) : numberPart;
  checkCharacters(raw, body, source);

  let digits = body.replace(/\D/gu, '');
  if (digits === '') {
    throw new ValueError(
      'not_a_phone_number',
      `The ${source.field} field must be a valid phone number, but ${quoteInput(raw)} contains no digits.`,
      source.path,
    );
  }

  if (international) {
    return { digits, international, extension };
  }

  if (digits.startsWith('00')) {
    // Callers in the UK and most of Europe dial 00 before a country calling code, so a leading
    // 00 is read that way whatever the dialling country.
    digits = digits.slice(2);
    if (digits === '') {
      const message = invalidNumberMessage(raw, 'too_short', source, undefined, true);
      throw new ValueError('too_short', message, source.path);
    }

    return { digits, international: true, extension };
  }

  // UK short codes such as 999, 101, 111, 116 xxx and 118 xxx have 3 to 6 digits and no trunk
  // prefix 0. libphonenumber-js has no short-number metadata, so such digits are a short code
  // unless they are a valid national number of the dialling country (Niue has 4-digit numbers).
  if (
    digits.length >= 3 &&
    digits.length <= 6 &&
    !digits.startsWith('0') &&
    !isValidPhoneNumber(digits, source.country)
  ) {
    throw new ValueError(
      'short_code',
      `The ${source.field} field must be a full phone number: ${quoteInput(raw)} is a short code, which only works within a country or network. Give the full number, such as ${exampleNumber(source.country)}.`,
      source.path,
    );
  }

  return { digits, international, extension };
}

function checkInputLength(raw: string, source: NumberSource): void {
  // A code point takes at most two UTF-16 units, so longer strings are over the cap without
  // counting, and counting is bounded.
  const overCap =
    raw.length > MAX_PHONE_INPUT_LENGTH * 2 ||
    (raw.length > MAX_PHONE_INPUT_LENGTH && Array.from(raw).length > MAX_PHONE_INPUT_LENGTH);
  if (overCap) {
    throw new ValueError(
      'too_long',
      `The ${source.field} field must be at most ${MAX_PHONE_INPUT_LENGTH} characters long, but ${quoteInput(raw)} is longer. Send only the phone number.`,
      source.path,
    );
  }
}

function checkCharacters(raw: string, body: string, source: NumberSource): void {
  const disallowed = [...new Set(body.match(DISALLOWED_CHARACTERS) ?? [])].filter(
    (character) => character !== '+',
  );
  if (disallowed.length > 0) {
    const names = disallowed.slice(0, 3).map(describeCharacter).join(', ');
    throw new ValueError(
      'not_a_phone_number',
      `The ${source.field} field must be a valid phone number, but ${quoteInput(raw)} contains ${names}, which cannot be part of a phone number. Send only the number, with any extension written as "ext. 456".`,
      source.path,
    );
  }

  if (body.includes('+')) {
    throw new ValueError(
      'not_a_phone_number',
      `The ${source.field} field must be a valid phone number, but ${quoteInput(raw)} has a + after the start. A + may only come first, before the country calling code.`,
      source.path,
    );
  }
}

/** Reads cleaned digits with libphonenumber-js and returns the number with its own region. */
function readNumber(raw: string, cleaned: CleanedNumber, source: NumberSource): PhoneNumber {
  // Digits that start with the calling code but have no + ("441134960123") are read by
  // libphonenumber-js 1.13 as international when the national reading is too long, or when only
  // the international reading matches the national number pattern. No GB national significant
  // number starts with 4, so for GB the two readings never compete.
  const text = cleaned.international ? `+${cleaned.digits}` : cleaned.digits;
  const dialled = parseWithLibrary(text, raw, cleaned, source);

  // Regions that share a calling code share a dialling plan: 01481 from a GB phone reaches
  // Guernsey. Re-reading the E.164 form lets libphonenumber pick the region from the national
  // number, so {"country": "GB", "number": "01481 256789"} is a GG number.
  return parseWithLibrary(dialled.number, raw, cleaned, source);
}

function parseWithLibrary(
  text: string,
  raw: string,
  cleaned: CleanedNumber,
  source: NumberSource,
): PhoneNumber {
  try {
    return parsePhoneNumberWithError(text, { defaultCountry: source.country });
  } catch (error) {
    if (!(error instanceof ParseError)) {
      throw error;
    }

    if (error.message === 'INVALID_COUNTRY') {
      throw new ValueError(
        'unknown_country',
        `The ${source.field} field must be a valid phone number, but ${quoteInput(raw)} does not start with a country calling code in use. Check the digits after the +.`,
        source.path,
      );
    }

    const code: ValueErrorCode =
      error.message === 'TOO_SHORT'
        ? 'too_short'
        : error.message === 'TOO_LONG'
          ? 'too_long'
          : 'not_a_phone_number';
    // The calling code of an international number is unknown when parsing fails.
    const region = cleaned.international ? undefined : source.country;
    const message = invalidNumberMessage(raw, code, source, region, cleaned.international);
    throw new ValueError(code, message, source.path);
  }
}

/** Explains why a number that libphonenumber-js could read is not valid. */
function invalidNumberError(
  raw: string,
  number: PhoneNumber,
  cleaned: CleanedNumber,
  source: NumberSource,
): ValueError {
  const code = classifyInvalidNumber(number.number);
  const region =
    number.countryCallingCode === getCountryCallingCode(source.country)
      ? source.country
      : (mainRegion(number.countryCallingCode) ?? `+${number.countryCallingCode}`);
  const message = invalidNumberMessage(raw, code, source, region, cleaned.international);

  return new ValueError(code, message, source.path);
}

/**
 * Classifies why a number that libphonenumber-js could read is invalid. The library reports
 * only lengths outside the region's possible lengths, so a number one or two digits away from a
 * valid number is called too short or too long, and any other number not in use.
 */
function classifyInvalidNumber(e164: string): 'too_short' | 'too_long' | 'not_in_use' {
  const lengthResult = validatePhoneNumberLength(e164);
  if (lengthResult === 'TOO_SHORT') {
    return 'too_short';
  }

  if (lengthResult === 'TOO_LONG') {
    return 'too_long';
  }

  for (let suffix = 0; suffix < 110; suffix += 1) {
    // 0 to 9 try one more digit, 10 to 109 try two more ("00" to "99").
    const digits = suffix < 10 ? String(suffix) : String(suffix - 10).padStart(2, '0');
    if (isValidPhoneNumber(e164 + digits)) {
      return 'too_short';
    }
  }

  for (const cut of [1, 2]) {
    const shorter = e164.slice(0, -cut);
    if (shorter.length > 2 && isValidPhoneNumber(shorter)) {
      return 'too_long';
    }
  }

  return 'not_in_use';
}

function invalidNumberMessage(
  raw: string,
  code: ValueErrorCode,
  source: NumberSource,
  region: string | undefined,
  international: boolean,
): string {
  const kind = region === undefined ? 'a phone number' : describeRegionNumber(region);
  const reason =
    code === 'too_short'
      ? `is too short for ${kind}`
      : code === 'too_long'
        ? `is too long for ${kind}`
        : code === 'not_in_use'
          ? `is not a number in use, because it is in no range allocated to ${region ?? 'phone'} numbers`
          : 'cannot be read as a phone number';
  const exampleCountry =
    region !== undefined && isSupportedCountry(region) ? region : source.country;
  const example = exampleNumber(exampleCountry);
  const advice =
    international || source.countryGiven
      ? `Check the digits and give the full number, such as ${example}.`
      : `Numbers without a country code are read as ${source.country}, so give the full number in international format, such as ${example}, or send {"country": "..", "number": ".."}.`;

  return `The ${source.field} field must be a valid phone number: ${quoteInput(raw)} ${reason}. ${advice}`;
}

/** Returns the first region listed for a calling code, which libphonenumber treats as its main one. */
function mainRegion(callingCode: string): CountryCode | undefined {
  return metadata.country_calling_codes[callingCode]?.[0];
}

/** Returns an example number in E.164 form: a drama number for GB, else libphonenumber's. */
function exampleNumber(country: CountryCode): string {
  if (country === 'GB') {
    return GB_EXAMPLE_NUMBER;
  }

  return getExampleNumber(country, mobileExamples)?.number ?? GB_EXAMPLE_NUMBER;
}

/** Returns "a GB number" or "an AU number", by how the first letter of the region is spoken. */
function describeRegionNumber(region: string): string {
  const article = /^[AEFHILMNORSX]/u.test(region) ? 'an' : 'a';

  return `${article} ${region} number`;
}

function formatExtension(formattedNumber: string, extension: string): string {
  return `${formattedNumber} ext. ${extension}`;
}

function buildMeta(number: PhoneNumber, homeCallingCode: string): PhoneNumberMeta {
  const national = number.formatNational({ formatExtension });
  const international = number.formatInternational({ formatExtension });
  const type = number.getType();

  return {
    country: number.country ?? mainRegion(number.countryCallingCode) ?? NON_GEOGRAPHIC_REGION,
    formatted: number.countryCallingCode === homeCallingCode ? national : international,
    national,
    international,
    number_type: type === undefined ? null : type.toLowerCase(),
    extension: number.ext ?? null,
  };
}
