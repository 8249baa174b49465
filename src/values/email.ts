import { domainToASCII, domainToUnicode } from 'node:url';

import { ValueError, describeCharacter, describeType, quoteInput } from './value-error.js';

/**
 * Maximum length in UTF-8 octets of a whole address: the 256-octet path limit of RFC 5321
 * section 4.5.3.1.3 less the angle brackets around the address.
 */
export const MAX_EMAIL_LENGTH = 254;

/** Maximum length in UTF-8 octets of the local part (RFC 5321 section 4.5.3.1.1). */
const MAX_LOCAL_PART_OCTETS = 64;

/** Maximum length in octets of one domain label in ASCII form (RFC 1035 section 2.3.4). */
const MAX_LABEL_OCTETS = 63;

/** Maximum length in octets of a domain name in ASCII form (RFC 1035, without the root dot). */
const MAX_DOMAIN_OCTETS = 253;

// A trimmed input longer than this cannot be a valid address. Over all code points in Node 20,
// NFC shrinks text by at most 3 UTF-16 units to 2 UTF-8 octets (U+0055 U+0308 U+0304 becomes
// U+01D5), so a valid address has at most 381 units. Checking the cap first bounds the work.
const MAX_INPUT_UNITS = MAX_EMAIL_LENGTH * 4;

// atext of RFC 5322 section 3.2.3: letters, digits and these symbols.
const ASCII_ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]$/u;

// RFC 6531 allows any UTF-8 beyond ASCII in a local part. Letters, combining marks and digits of
// any script are accepted, and spaces, symbols, punctuation and invisible characters are not.
const NON_ASCII_LOCAL_CHARACTER = /^[\p{L}\p{M}\p{N}]$/u;

// Letters, digits and hyphens (LDH), the characters of a host name label (RFC 1123 section 2.1).
const LDH_LABEL = /^[a-z0-9-]+$/u;

const encoder = new TextEncoder();

/**
 * Validates an email address and returns its canonical form: surrounding whitespace trimmed, the
 * local part kept as typed (case, dots, +tags) in Unicode NFC, and the domain lower-cased in NFC.
 * Accepts RFC 5322 dot-atom addresses with RFC 6531 (UTF-8) local parts and internationalised
 * domains. Rejects quoted local parts, IP address literals and single-label domains.
 *
 * Throws ValueError with code 'required' for null, undefined or blank input, 'not_a_string' for
 * other non-strings and 'invalid_email' otherwise. Each message names the part that is wrong.
 */
export function normalizeEmail(input: unknown): string {
  if (input === undefined || input === null) {
    throw new ValueError('required', 'The value field is required.');
  }

  if (typeof input !== 'string') {
    throw new ValueError(
      'not_a_string',
      `The value field must be a string containing an email address, not ${describeType(input)}.`,
    );
  }

  // trim() removes every Unicode space, tab, line terminator and U+FEFF, including U+00A0.
  const trimmed = input.trim();
  if (trimmed === '') {
    throw new ValueError('required', 'The value field is required.');
  }

  if (trimmed.length > MAX_INPUT_UNITS) {
    throw invalidEmail(`the address is longer than the maximum of ${MAX_EMAIL_LENGTH} octets`);
  }

  const address = trimmed.normalize('NFC');
  const atSign = address.lastIndexOf('@');
  if (atSign === -1) {
    throw invalidEmail(
      `${quoteInput(address)} has no @ sign between the local part and the domain`,
    );
  }

  if (address.indexOf('@') !== atSign) {
    throw invalidEmail(
      `${quoteInput(address)} contains more than one @ sign. Quoted local parts, such as "a@b"@example.com, are not supported`,
    );
  }

  const localPart = address.slice(0, atSign);
  const domain = address
    .slice(atSign + 1)
    .toLowerCase()
    .normalize('NFC');
  checkLocalPart(localPart);
  checkDomain(domain);

  const canonical = `${localPart}@${domain}`;
  const octets = utf8Length(canonical);
  if (octets > MAX_EMAIL_LENGTH) {
    throw invalidEmail(
      `the address is ${octets} octets long, but the maximum is ${MAX_EMAIL_LENGTH}`,
    );
  }

  return canonical;
}

/** Normalises like normalizeEmail, but returns undefined where normalizeEmail throws ValueError. */
export function tryNormalizeEmail(input: unknown): string | undefined {
  try {
    return normalizeEmail(input);
  } catch (error) {
    if (error instanceof ValueError) {
      return undefined;
    }

    throw error;
  }
}

/**
 * Returns the key two canonical addresses are compared by for duplicates and search: the whole
 * address lower-cased, then put back into NFC, because lower-casing can undo NFC ("W\u030A"
 * is NFC, but "w\u030A" composes to U+1E98). RFC 5321 lets the receiving host treat local parts
 * as case-sensitive, but one contact's address typed in two cases is far more common than two
 * mailboxes that differ only in case.
 */
export function emailComparisonKey(canonical: string): string {
  return canonical.toLowerCase().normalize('NFC');
}

function invalidEmail(reason: string): ValueError {
  return new ValueError(
    'invalid_email',
    `The value field must be a valid email address: ${reason}.`,
  );
}

function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/** Checks a local part against the RFC 5322 dot-atom rules, extended to UTF-8 by RFC 6531. */
function checkLocalPart(localPart: string): void {
  const quoted = quoteInput(localPart);
  if (localPart === '') {
    throw invalidEmail('the local part before the @ is empty');
  }

  if (localPart.startsWith('"')) {
    throw invalidEmail(
      `the local part ${quoted} is quoted, and quoted local parts are not supported`,
    );
  }

  if (/\s/u.test(localPart)) {
    throw invalidEmail(`the local part ${quoted} contains whitespace`);
  }

  if (localPart.startsWith('.')) {
    throw invalidEmail(`the local part ${quoted} starts with a dot`);
  }

  if (localPart.endsWith('.')) {
    throw invalidEmail(`the local part ${quoted} ends with a dot`);
  }

  if (localPart.includes('..')) {
    throw invalidEmail(`the local part ${quoted} contains two dots in a row`);
  }

  const disallowed = new Set<string>();
  for (const character of localPart) {
    const allowed =
      character === '.' ||
      ASCII_ATEXT.test(character) ||
      (character > '\u007f' && NON_ASCII_LOCAL_CHARACTER.test(character));
    if (!allowed) {
      disallowed.add(character);
    }
  }

  if (disallowed.size > 0) {
    const names = [...disallowed].slice(0, 3).map(describeCharacter).join(', ');
    throw invalidEmail(
      `the local part ${quoted} contains ${names}, but only letters, digits, single dots and !#$%&'*+/=?^_\`{|}~- are allowed`,
    );
  }

  const octets = utf8Length(localPart);
  if (octets > MAX_LOCAL_PART_OCTETS) {
    throw invalidEmail(
      `the local part is ${octets} octets long, but the maximum is ${MAX_LOCAL_PART_OCTETS}`,
    );
  }
}

/**
 * Checks a lower-cased NFC domain: a host name of at least two labels, each in LDH form or an
 * internationalised label that converts to a valid A-label.
 */
function checkDomain(domain: string): void {
  const quoted = quoteInput(domain);
  if (domain === '') {
    throw invalidEmail('the domain after the @ is empty');
  }

  if (domain.startsWith('[')) {
    throw invalidEmail(
      `the domain ${quoted} is an IP address literal, which is not supported. Give a domain name`,
    );
  }

  if (/\s/u.test(domain)) {
    throw invalidEmail(`the domain ${quoted} contains whitespace`);
  }

  if (domain.endsWith('.')) {
    throw invalidEmail(`the domain ${quoted} ends with a dot`);
  }

  if (domain.startsWith('.')) {
    throw invalidEmail(`the domain ${quoted} starts with a dot`);
  }

  if (domain.includes('..')) {
    throw invalidEmail(`the domain ${quoted} contains two dots in a row`);
  }

  // UTS #46 reads these as dots, so "example\u3002com" would otherwise look like one label.
  const otherDot = /[\u3002\uff0e\uff61]/u.exec(domain)?.[0];
  if (otherDot !== undefined) {
    const dotted = domain.replace(/[\u3002\uff0e\uff61]/gu, '.');
    throw invalidEmail(
      `the domain ${quoted} uses ${describeCharacter(otherDot)} as a dot. Write it as ${quoteInput(dotted)}`,
    );
  }

  const labels = domain.split('.');
  if (labels.length < 2) {
    throw invalidEmail(
      `the domain ${quoted} has a single label. Give a full domain name with a dot, such as example.com`,
    );
  }

  const asciiLabels = labels.map(toAsciiLabel);

  // The WHATWG URL standard reads a host whose last label is a number ("192.0.2.1", "a.0x1f")
  // as an IPv4 address. No top-level domain is numeric, so such a domain is not a domain name.
  const topLevel = asciiLabels.at(-1) ?? '';
  if (/^(?:\d+|0x[0-9a-f]*)$/u.test(topLevel)) {
    throw invalidEmail(
      `the domain ${quoted} ends in the label ${quoteInput(topLevel)}, which reads as a number, so it is an IP address rather than a domain name. Give a domain name`,
    );
  }

  // domainToASCII applies UTS #46 processing (WHATWG URL standard) and returns '' when the
  // domain is not a valid internationalised domain name. Some UTS #46 checks, such as the
  // right-to-left rules of RFC 5893, apply to the whole domain rather than to one label.
  // NOTE: no input that passes every label check but fails here is known under Node 20.
  if (domainToASCII(domain) === '') {
    throw invalidEmail(`the domain ${quoted} is not a valid internationalised domain name`);
  }

  const asciiLength = asciiLabels.join('.').length;
  if (asciiLength > MAX_DOMAIN_OCTETS) {
    throw invalidEmail(
      `the domain is ${asciiLength} octets long in ASCII form, but the maximum is ${MAX_DOMAIN_OCTETS}`,
    );
  }
}

/**
 * Checks one lower-cased NFC domain label and returns its ASCII form: the label itself when it
 * is ASCII, otherwise its A-label ("xn--..."). An ASCII label is stored as typed, so an A-label
 * is not converted to Unicode.
 */
function toAsciiLabel(label: string): string {
  const quoted = quoteInput(label);
  let asciiLabel = label;
  if (/[^\p{ASCII}]/u.test(label)) {
    asciiLabel = domainToASCII(label);
    if (asciiLabel === '') {
      throw invalidEmail(`the domain label ${quoted} is not a valid internationalised label`);
    }

    // UTS #46 maps some characters to others, such as full-width letters to ASCII and U+3002
    // to a dot. Only labels already in mapped form are stored, so one domain has one spelling.
    const mappedLabel = domainToUnicode(asciiLabel);
    if (mappedLabel !== label) {
      throw invalidEmail(
        `the domain label ${quoted} is not in normalised form. Write it as ${quoteInput(mappedLabel)}`,
      );
    }
  }

  if (!LDH_LABEL.test(asciiLabel)) {
    const disallowed = [...new Set(asciiLabel.match(/[^a-z0-9-]/gu) ?? [])];
    const names = disallowed.slice(0, 3).map(describeCharacter).join(', ');
    throw invalidEmail(
      `the domain label ${quoted} contains ${names}, but only letters, digits and hyphens are allowed`,
    );
  }

  if (asciiLabel.startsWith('-')) {
    throw invalidEmail(`the domain label ${quoted} starts with a hyphen`);
  }

  if (asciiLabel.endsWith('-')) {
    throw invalidEmail(`the domain label ${quoted} ends with a hyphen`);
  }

  if (asciiLabel.length > MAX_LABEL_OCTETS) {
    const form = asciiLabel === label ? '' : ` in ASCII form (${quoteInput(asciiLabel)})`;
    throw invalidEmail(
      `the domain label ${quoted} is ${asciiLabel.length} octets long${form}, but the maximum is ${MAX_LABEL_OCTETS}`,
    );
  }

  if (asciiLabel.startsWith('xn--') && domainToASCII(asciiLabel) === '') {
    throw invalidEmail(`the domain label ${quoted} is not a valid A-label (punycode)`);
  }

  return asciiLabel;
}
