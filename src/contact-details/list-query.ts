import { BadRequestError } from '../errors.js';
import {
  type PageQuery,
  type QueryString,
  allowedTermsOf,
  readFilters,
  readIncludes,
  readPage,
  readSort,
  uuidsOf,
} from '../http/list-query.js';
import { emailComparisonKey, tryNormalizeEmail } from '../values/email.js';
import { type PhoneNumberOptions, tryParsePhoneNumber } from '../values/phone.js';
import { CONTACT_DETAIL_TYPES } from './contact-detail.js';
import {
  type ContactDetailFilter,
  SORT_COLUMNS,
  type SortColumn,
  type ValueSearchTerm,
} from './repository.js';

export const FILTERS = ['uuid', 'account_uuids', 'circle_uuids', 'type', 'value'] as const;
export const INCLUDES = ['accounts', 'primary_accounts'] as const;

/** The related records that each listed detail carries. */
export interface Includes {
  accounts: boolean;
  primaryAccounts: boolean;
}

/** A list request as the query string describes it. */
export interface ListQuery extends PageQuery {
  filter: ContactDetailFilter;
  sort: SortColumn;
  descending: boolean;
  include: Includes;
}

/**
 * Reads the query string of `GET /api/v2/contact-details`. An unknown filter, include or sort gets
 * BadRequestError listing the allowed ones; a page or page size out of range gets ValidationError.
 */
export function parseListQuery(query: QueryString, phone: PhoneNumberOptions): ListQuery {
  const filters = readFilters(query, FILTERS);
  const terms = (name: (typeof FILTERS)[number]) => filters.get(name);
  const optional = <Value>(name: (typeof FILTERS)[number], read: (terms: string[]) => Value) => {
    const found = terms(name);

    return found === undefined ? undefined : read(found);
  };
  const filter: ContactDetailFilter = {
    ids: optional('uuid', uuidsOf),
    ownerIds: optional('account_uuids', uuidsOf),
    circleIds: optional('circle_uuids', uuidsOf),
    types: optional('type', (found) => allowedTermsOf(found, 'type', CONTACT_DETAIL_TYPES)),
    values: optional('value', (found) => valueTermsOf(found, phone)),
  };
  const includes = readIncludes(query.include, INCLUDES);

  return {
    filter,
    ...readSort(query.sort, SORT_COLUMNS, 'created_at'),
    ...readPage(query),
    include: {
      accounts: includes.has('accounts'),
      primaryAccounts: includes.has('primary_accounts'),
    },
  };
}

// Each value term is a search of its own through the firm's details, so a request takes a handful
// at most.
const MAX_VALUE_TERMS = 10;

function valueTermsOf(terms: readonly string[], phone: PhoneNumberOptions): ValueSearchTerm[] {
  if (terms.length > MAX_VALUE_TERMS) {
    throw new BadRequestError(
      `filter[value] names ${String(terms.length)} values; the maximum is ${String(MAX_VALUE_TERMS)}, ` +
        "because each one is a separate search of the firm's contact details.",
    );
  }

  return terms.map((term) => searchTermOf(term, phone));
}

/**
 * A value term matches as a substring, and also as a whole value when it reads as a phone number
 * or an email address, so that "07400 123456" finds +447400123456. A term of phone digits also
 * matches its digits without the trunk zero, so that "020 7946" finds +442079460123. The term is
 * put in Unicode's composed form (NFC), as stored email addresses are, so that an accent typed as
 * a combining mark still finds the letter that carries it.
 */
function searchTermOf(term: string, phone: PhoneNumberOptions): ValueSearchTerm {
  const substrings = [term.normalize('NFC')];
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
