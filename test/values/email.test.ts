import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import fc from 'fast-check';

import {
  MAX_EMAIL_LENGTH,
  emailComparisonKey,
  normalizeEmail,
  tryNormalizeEmail,
} from '../../src/values/email.js';
import { ValueError } from '../../src/values/value-error.js';
import type { ValueErrorCode } from '../../src/values/value-error.js';

interface FixtureCase {
  id: string;
  type: string;
  input: unknown;
  accept: boolean;
  value?: string;
  error_field?: string;
}

const fixtures = JSON.parse(
  readFileSync(new URL('../fixtures/public-cases.json', import.meta.url), 'utf8'),
) as { values: FixtureCase[] };

/** Runs normalizeEmail and returns the ValueError it throws, failing if it throws none. */
function rejectionOf(input: unknown): ValueError {
  try {
    normalizeEmail(input);
  } catch (error) {
    if (error instanceof ValueError) {
      return error;
    }

    throw error;
  }

  assert.fail(`expected ${JSON.stringify(input)} to be rejected`);
}

describe('public cases', () => {
  const cases = fixtures.values.filter((fixture) => fixture.type === 'email');

  test('fixture file has email cases', () => {
    assert.ok(cases.length >= 5);
  });

  for (const fixture of cases) {
    test(`email fixture ${fixture.id}`, () => {
      if (fixture.accept) {
        assert.equal(normalizeEmail(fixture.input), fixture.value);

        return;
      }

      const error = rejectionOf(fixture.input);
      assert.equal(error.path, (fixture.error_field ?? 'value').replace(/^value\.?/u, ''));
      assert.equal(error.code, 'invalid_email');
    });
  }
});

const accepted: { name: string; input: string; canonical: string }[] = [
  { name: 'plain address', input: 'alex@example.com', canonical: 'alex@example.com' },
  {
    name: 'domain lower-cased, local kept',
    input: 'Alex.Smith@EXAMPLE.com',
    canonical: 'Alex.Smith@example.com',
  },
  { name: 'plus tag kept', input: 'Alex+CRM@Example.CO.UK', canonical: 'Alex+CRM@example.co.uk' },
  {
    name: 'all atext symbols',
    input: "!#$%&'*+/=?^_`{|}~-@example.com",
    canonical: "!#$%&'*+/=?^_`{|}~-@example.com",
  },
  { name: 'single dots in local part', input: 'a.b.c@example.com', canonical: 'a.b.c@example.com' },
  {
    name: 'tab and NBSP trimmed',
    input: '\t\u00a0alex@example.com\u00a0\r\n',
    canonical: 'alex@example.com',
  },
  {
    name: 'byte order mark trimmed',
    input: '\ufeffalex@example.com',
    canonical: 'alex@example.com',
  },
  {
    name: 'hyphen inside label',
    input: 'a@my-host.example.com',
    canonical: 'a@my-host.example.com',
  },
  { name: 'digits in labels', input: 'a@123.example2.com', canonical: 'a@123.example2.com' },
  { name: 'IDN domain', input: 'user@bücher.example', canonical: 'user@bücher.example' },
  {
    name: 'decomposed IDN to NFC',
    input: 'user@bu\u0308cher.example',
    canonical: 'user@b\u00fccher.example',
  },
  { name: 'upper-case IDN', input: 'user@BÜCHER.example', canonical: 'user@bücher.example' },
  {
    name: 'A-label kept as typed',
    input: 'user@XN--BCHER-KVA.example',
    canonical: 'user@xn--bcher-kva.example',
  },
  { name: 'UTF-8 local part', input: 'jörg@example.com', canonical: 'jörg@example.com' },
  {
    name: 'decomposed local part to NFC',
    input: 'jo\u0308rg@example.com',
    canonical: 'j\u00f6rg@example.com',
  },
  { name: 'CJK local part', input: '用户@例子.广告', canonical: '用户@例子.广告' },
  { name: 'sharp s kept', input: 'a@straße.de', canonical: 'a@straße.de' },
  {
    name: 'local part of 64 octets',
    input: `${'a'.repeat(64)}@example.com`,
    canonical: `${'a'.repeat(64)}@example.com`,
  },
  {
    name: 'label of 63 octets',
    input: `a@${'b'.repeat(63)}.com`,
    canonical: `a@${'b'.repeat(63)}.com`,
  },
  {
    name: 'address of 254 octets',
    input: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`,
    canonical: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`,
  },
];

describe('accepted addresses', () => {
  for (const accept of accepted) {
    test(`accepts ${accept.name}`, () => {
      assert.equal(normalizeEmail(accept.input), accept.canonical);
    });
  }

  test('254-octet case is at the limit', () => {
    const longest = accepted.find((accept) => accept.name === 'address of 254 octets');
    assert.equal(Buffer.byteLength(longest?.canonical ?? '', 'utf8'), MAX_EMAIL_LENGTH);
  });
});

const rejected: { name: string; input: unknown; code?: ValueErrorCode; message: string }[] = [
  { name: 'null', input: null, code: 'required', message: 'The value field is required.' },
  {
    name: 'undefined',
    input: undefined,
    code: 'required',
    message: 'The value field is required.',
  },
  { name: 'empty', input: '', code: 'required', message: 'The value field is required.' },
  { name: 'whitespace only', input: ' \n\u00a0', code: 'required', message: 'is required' },
  { name: 'number', input: 42, code: 'not_a_string', message: 'not a number' },
  { name: 'object', input: { email: 'a@b.com' }, code: 'not_a_string', message: 'not an object' },
  { name: 'array', input: ['a@b.com'], code: 'not_a_string', message: 'not an array' },
  { name: 'no @ sign', input: 'alex.example.com', message: 'has no @ sign' },
  { name: 'two @ signs', input: 'alex@home@example.com', message: 'more than one @ sign' },
  { name: 'quoted with @', input: '"alex@home"@example.com', message: 'Quoted local parts' },
  { name: 'quoted local part', input: '"alex smith"@example.com', message: 'is quoted' },
  {
    name: 'empty local part',
    input: '@example.com',
    message: 'the local part before the @ is empty',
  },
  { name: 'empty domain', input: 'alex@', message: 'the domain after the @ is empty' },
  {
    name: 'leading dot',
    input: '.alex@example.com',
    message: 'the local part ".alex" starts with a dot',
  },
  {
    name: 'trailing dot',
    input: 'alex.@example.com',
    message: 'the local part "alex." ends with a dot.',
  },
  { name: 'doubled dot', input: 'alex..smith@example.com', message: 'two dots in a row' },
  {
    name: 'space in local part',
    input: 'alex smith@example.com',
    message: 'the local part "alex smith" contains whitespace',
  },
  {
    name: 'NBSP in local part',
    input: 'alex\u00a0smith@example.com',
    message: 'contains whitespace',
  },
  { name: 'bracket in local part', input: 'alex(work)@example.com', message: 'contains "(", ")"' },
  { name: 'comma in local part', input: 'alex,smith@example.com', message: 'contains ","' },
  { name: 'backslash in local part', input: 'alex\\smith@example.com', message: 'contains "\\\\"' },
  { name: 'zero-width space in local part', input: 'alex\u200b@example.com', message: 'U+200B' },
  { name: 'control character in local part', input: 'al\u0001ex@example.com', message: 'U+0001' },
  {
    name: 'emoji in local part',
    input: 'alex\u{1F600}@example.com',
    message: 'contains "\u{1F600}"',
  },
  {
    name: 'local part of 65 octets',
    input: `${'a'.repeat(65)}@example.com`,
    message: 'the local part is 65 octets long, but the maximum is 64',
  },
  {
    name: 'UTF-8 local part over 64 octets',
    input: `${'ü'.repeat(33)}@example.com`,
    message: 'the local part is 66 octets long',
  },
  {
    name: 'trailing dot on domain',
    input: 'alex@example.com.',
    message: 'the domain "example.com." ends with a dot',
  },
  {
    name: 'leading dot on domain',
    input: 'alex@.example.com',
    message: 'the domain ".example.com" starts with a dot',
  },
  { name: 'empty label', input: 'alex@example..com', message: 'two dots in a row' },
  { name: 'single-label domain', input: 'alex@localhost', message: 'has a single label' },
  { name: 'IPv4 literal', input: 'alex@[192.0.2.1]', message: 'IP address literal' },
  { name: 'IPv6 literal', input: 'alex@[IPv6:2001:db8::1]', message: 'IP address literal' },
  {
    name: 'bare IPv4 address',
    input: 'alex@192.0.2.1',
    message: 'ends in the label "1", which reads as a number',
  },
  { name: 'hexadecimal top-level label', input: 'alex@example.0x1f', message: 'reads as a number' },
  {
    name: 'space in domain',
    input: 'alex@exam ple.com',
    message: 'the domain "exam ple.com" contains whitespace',
  },
  {
    name: 'leading hyphen label',
    input: 'alex@-example.com',
    message: 'the domain label "-example" starts with a hyphen',
  },
  { name: 'trailing hyphen label', input: 'alex@example-.com', message: 'ends with a hyphen' },
  { name: 'underscore in label', input: 'alex@my_host.com', message: 'contains "_"' },
  { name: 'symbol in label', input: 'alex@exa!mple.com', message: 'contains "!"' },
  {
    name: 'label of 64 octets',
    input: `alex@${'b'.repeat(64)}.com`,
    message: 'is 64 octets long, but the maximum is 63',
  },
  {
    name: 'IDN label over 63 octets',
    input: `alex@${'ü'.repeat(60)}.com`,
    message: 'in ASCII form',
  },
  {
    name: 'domain over 253 octets',
    input: `a@${'abcdefghi.'.repeat(26)}com`,
    message: 'the domain is 263 octets long',
  },
  {
    name: 'address over 254 octets',
    input: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.com`,
    message: 'the address is 255 octets long, but the maximum is 254',
  },
  {
    name: 'huge input',
    input: `${'a'.repeat(100_000)}@example.com`,
    message: 'longer than the maximum of 254 octets',
  },
  { name: 'full-width domain', input: 'alex@ｅｘａｍｐｌｅ.com', message: 'Write it as "example"' },
  {
    name: 'ideographic full stop',
    input: 'alex@example\u3002com',
    message: 'Write it as "example.com"',
  },
  {
    name: 'zero-width space in domain',
    input: 'alex@exa\u200bmple.com',
    message: 'not in normalised form',
  },
  { name: 'invalid A-label', input: 'alex@xn--zz.com', message: 'not a valid A-label' },
  {
    name: 'invalid IDN label',
    input: 'alex@\u0301abc.com',
    message: 'not a valid internationalised label',
  },
];

describe('rejected addresses', () => {
  for (const reject of rejected) {
    test(`rejects ${reject.name}`, () => {
      const error = rejectionOf(reject.input);
      assert.equal(error.code, reject.code ?? 'invalid_email');
      assert.equal(error.path, '');
      assert.ok(error.message.includes(reject.message), error.message);
    });
  }

  test('message in full', () => {
    assert.equal(
      rejectionOf('alex.@example.com').message,
      'The value field must be a valid email address: the local part "alex." ends with a dot.',
    );
  });
});

describe('tryNormalizeEmail', () => {
  test('returns canonical address', () => {
    assert.equal(tryNormalizeEmail(' Alex@Example.com '), 'Alex@example.com');
  });

  test('returns undefined on rejection', () => {
    assert.equal(tryNormalizeEmail('alex@localhost'), undefined);
    assert.equal(tryNormalizeEmail(7), undefined);
  });
});

describe('emailComparisonKey', () => {
  test('lower-cases whole address', () => {
    assert.equal(emailComparisonKey('Alex.Smith@example.com'), 'alex.smith@example.com');
  });

  test('matches case variants', () => {
    const first = emailComparisonKey(normalizeEmail('ALEX@EXAMPLE.COM'));
    const second = emailComparisonKey(normalizeEmail('alex@example.com'));
    assert.equal(first, second);
  });

  test('key is NFC after lower-casing', () => {
    assert.equal(emailComparisonKey('W\u030A@example.com'), '\u1E98@example.com');
  });

  test('lower-cases non-ASCII letters', () => {
    assert.equal(emailComparisonKey('JÖRG@bücher.example'), 'jörg@bücher.example');
  });
});

describe('properties', () => {
  const emailLike = fc
    .array(
      fc.constantFrom(
        ...'aZ09.@-_+!"()[] \t'.split(''),
        '..',
        '@example.com',
        '.com',
        'xn--',
        'ü',
        'u\u0308',
        '\u00a0',
        '\u200b',
        '\u3002',
        'Ｅ',
        'İ',
      ),
      { maxLength: 30 },
    )
    .map((parts) => parts.join(''));

  const anyInput = fc.oneof(
    fc.emailAddress(),
    emailLike,
    fc.string({ maxLength: 300 }),
    fc.string({ unit: 'grapheme', maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.string({ unit: 'binary', minLength: 250, maxLength: 1500 }),
    fc.anything(),
  );

  test('only ValueError is ever thrown', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        try {
          normalizeEmail(input);
        } catch (error) {
          assert.ok(error instanceof ValueError, String(error));
          assert.equal(error.path, '');
          assert.ok(error.message.startsWith('The value field '), error.message);
        }
      }),
      { numRuns: 2000 },
    );
  });

  const acceptedInput = fc
    .oneof(
      fc.emailAddress(),
      fc.emailAddress().map((address) => address.toUpperCase()),
      fc.emailAddress().map((address) => ` ${address.normalize('NFD')}\n`),
      fc
        .tuple(fc.emailAddress(), fc.constantFrom('ü', 'u\u0308', 'Ö', 'İ', 'ß', '例'))
        .map(([address, letter]) => address.replace('@', `${letter}@${letter}`)),
      emailLike,
    )
    .filter((input) => tryNormalizeEmail(input) !== undefined);

  test('normalizeEmail is idempotent', () => {
    fc.assert(
      fc.property(acceptedInput, (input) => {
        const canonical = normalizeEmail(input);
        assert.equal(normalizeEmail(canonical), canonical);
        assert.equal(canonical, canonical.normalize('NFC'));
        assert.ok(Buffer.byteLength(canonical, 'utf8') <= MAX_EMAIL_LENGTH);
      }),
      { numRuns: 1500 },
    );
  });

  test('comparison key is idempotent', () => {
    fc.assert(
      fc.property(acceptedInput, (input) => {
        const key = emailComparisonKey(normalizeEmail(input));
        assert.equal(emailComparisonKey(key), key);
      }),
      { numRuns: 1000 },
    );
  });
});
