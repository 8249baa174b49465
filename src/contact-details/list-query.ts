import { BadRequestError, FieldErrorCollector } from '../errors.js';
import { isUuid } from '../ids.js';
import { emailComparisonKey, tryNormalizeEmail } from '../values/email.js';
import { type PhoneNumberOptions, tryParsePhoneNumber } from '../values/phone.js';
import { CONTACT_DETAIL_TYPES, type ContactDetailType } from './contact-detail.js';
import {
  type ContactDetailFilter,
  SORT_COLUMNS,
  type SortColumn,
  type ValueSearchTerm,
} from './repository.js';

export const FILTERS = ['uuid', 'account_uuids', 'circle_uuids', 'type', 'value'] as const;
export const INCLUDES = ['accounts', 'primary_accounts'] as const;
export const DEFAULT_PER_PAGE = 15;
export const MAX_PER_PAGE = 500;

// One list request names at most this many values in each filter.
const MAX_FILTER_TERMS = 100;

/** Which related records each listed detail carries. */
export interface Includes {
  accounts: boolean;
  primaryAccounts: boolean;
}

/** A list request as the query string describes it. */
export interface ListQuery {
  filter: ContactDetailFilter;
  sort: SortColumn;
  descending: boolean;
  page: number;
  perPage: number;
  include: Includes;
}

export type QueryString = Record<string, string | string[] | undefined>;

/**
 * Reads the query string of `GET /api/v2/contact-details`. An unknown filter, include or sort gets
 * BadRequestError listing the allowed ones; a page or page size out of range gets ValidationError.
 */
export function parseListQuery(query: QueryString, phone: PhoneNumberOptions): ListQuery {
  const filter: ContactDetailFilter = {};
  for (const key of Object.keys(query)) {
    const name = /^filter\[(.*)\]$/.exec(key)?.[1];
    if (key !== 'filter' && name === undefined) {
      continue;
    }

    const terms = listOf(query[key], key);
    switch (name) {
      case 'uuid':
        filter.ids = uuidsOf(terms);
        break;
      case 'account_uuids':
        filter.ownerIds = uuidsOf(terms);
        break;
      case 'circle_uuids':
        filter.circleIds = uuidsOf(terms);
        break;
      case 'type':
        filter.types = typesOf(terms);
        break;
      case 'value':
        filter.values = terms.map((term) => searchTermOf(term, phone));
        break;
      default:
        throw new BadRequestError(
          `Requested filter(s) \`${name ?? key}\` are not allowed. Allowed filter(s) are ` +
            `\`${FILTERS.join(', ')}\`, written as filter[name]=value.`,
        );
    }
  }

  const errors = new FieldErrorCollector();
  const perPage = integerOf(query.per_page, 'per_page', DEFAULT_PER_PAGE, MAX_PER_PAGE, errors);
  const page = integerOf(query.page, 'page', 1, Number.MAX_SAFE_INTEGER, errors);
  errors.throwIfAny();

  return { filter, ...sortOf(query.sort), page, perPage, include: includesOf(query.include) };
}

function listOf(raw: string | string[] | undefined, key: string): string[] {
  const terms = [raw ?? '']
    .flat()
    .flatMap((value) => value.split(','))
    .map((term) => term.trim())
    .filter((term) => term !== '');
  if (terms.length > MAX_FILTER_TERMS) {
    throw new BadRequestError(
      `${key} names ${terms.length} values; the maximum is ${MAX_FILTER_TERMS}.`,
    );
  }

  return terms;
}

/** A UUID that is not well formed matches nothing, as an unknown one does. */
function uuidsOf(terms: readonly string[]): string[] {
  return terms.filter((term) => isUuid(term)).map((term) => term.toLowerCase());
}

function typesOf(terms: readonly string[]): ContactDetailType[] {
  const allowed: readonly string[] = CONTACT_DETAIL_TYPES;
  const unknown = terms.filter((term) => !allowed.includes(term));
  if (unknown.length > 0) {
    throw new BadRequestError(
      `Requested filter[type] value(s) \`${unknown.join(', ')}\` are not allowed. Allowed values ` +
        `are \`${CONTACT_DETAIL_TYPES.join(', ')}\`.`,
    );
  }

  return terms as ContactDetailType[];
}

/**
 * A value term matches as a substring, and also as a whole value when it reads as a phone number
 * or an email address, so that "07400 123456" finds +447400123456. A term of phone digits also
 * matches its digits without the trunk zero, so that "020 7946" finds +442079460123.
 */
function searchTermOf(term: string, phone: PhoneNumberOptions): ValueSearchTerm {
  const substrings = [term];
  if (/^[\d\s().+-]+$/.test(term)) {
    const digits = term.replace(/\D/g, '').replace(/^0+/, '');
    if (digits.length >= 3 && digits !== term) {
      substrings.push(digits);
    }
  }

  const number = tryParsePhoneNumber(term, phone);
  if (number !== undefined) {
    return { substrings, exactKey: number.value };
  }

  const email = tryNormalizeEmail(term);

  return { substrings, exactKey: email === undefined ? undefined : emailComparisonKey(email) };
}

function sortOf(raw: string | string[] | undefined): { sort: SortColumn; descending: boolean } {
  const text = [raw ?? 'created_at'].flat().join(',');
  const descending = text.startsWith('-');
  const column = descending ? text.slice(1) : text;
  const allowed: readonly string[] = SORT_COLUMNS;
  if (!allowed.includes(column)) {
    throw new BadRequestError(
      `Requested sort(s) \`${text}\` are not allowed. Allowed sort(s) are ` +
        `\`${SORT_COLUMNS.join(', ')}\`, each optionally prefixed with - for descending order.`,
    );
  }

  return { sort: column as SortColumn, descending };
}

function includesOf(raw: string | string[] | undefined): Includes {
  const names = listOf(raw, 'include');
  const allowed: readonly string[] = INCLUDES;
  const unknown = names.filter((name) => !allowed.includes(name));
  if (unknown.length > 0) {
    throw new BadRequestError(
      `Requested include(s) \`${unknown.join(', ')}\` are not allowed. Allowed include(s) are ` +
        `\`${INCLUDES.join(', ')}\`.`,
    );
  }

  return {
    accounts: names.includes('accounts'),
    primaryAccounts: names.includes('primary_accounts'),
  };
}

function integerOf(
  raw: string | string[] | undefined,
  field: string,
  fallback: number,
  maximum: number,
  errors: FieldErrorCollector,
): number {
  if (raw === undefined || raw === '') {
    return fallback;
  }

  const text = [raw].flat().join(',');
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1 || value > maximum) {
    errors.add(
      field,
      maximum === Number.MAX_SAFE_INTEGER
        ? `The ${field} field must be a whole number of at least 1.`
        : `The ${field} field must be a whole number between 1 and ${maximum}.`,
    );

    return fallback;
  }

  return value;
}
