import { BadRequestError, FieldErrorCollector } from '../errors.js';
import { isUuid } from '../ids.js';

export type QueryString = Record<string, string | string[] | undefined>;

export const DEFAULT_PER_PAGE = 15;
export const MAX_PER_PAGE = 500;

// NUL in particular ends a LIKE pattern early in SQLite, so that it matches everything.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

// One list request names at most this many values in each filter.
const MAX_FILTER_TERMS = 100;

/** The page a list request names. */
export interface PageQuery {
  page: number;
  perPage: number;
}

/**
 * Reads the `filter[name]=a,b` parameters: each allowed filter that is present maps to its
 * comma-separated terms. An unknown filter gets BadRequestError listing the allowed ones.
 */
export function readFilters<Name extends string>(
  query: QueryString,
  allowed: readonly Name[],
): Map<Name, string[]> {
  const filters = new Map<Name, string[]>();
  for (const key of Object.keys(query)) {
    const name = /^filter\[(.*)\]$/.exec(key)?.[1];
    if (!key.startsWith('filter')) {
      continue;
    }

    if (name === undefined || !(allowed as readonly string[]).includes(name)) {
      throw new BadRequestError(
        allowed.length === 0
          ? `Requested filter(s) \`${name ?? key}\` are not allowed: this list takes no filters.`
          : `Requested filter(s) \`${name ?? key}\` are not allowed. Allowed filter(s) are ` +
              `\`${allowed.join(', ')}\`, written as filter[name]=value.`,
      );
    }

    filters.set(name as Name, readTerms(query[key], key));
  }

  return filters;
}

/** Splits a parameter into its trimmed comma-separated terms, given once or repeated. */
export function readTerms(raw: string | string[] | undefined, key: string): string[] {
  const terms = [raw ?? '']
    .flat()
    .flatMap((value) => value.split(','))
    .map((term) => term.trim())
    .filter((term) => term !== '');
  if (terms.some((term) => CONTROL_CHARACTER.test(term))) {
    throw new BadRequestError(`${key} contains a control character; send printable text only.`);
  }

  if (terms.length > MAX_FILTER_TERMS) {
    throw new BadRequestError(
      `${key} names ${terms.length} values; the maximum is ${MAX_FILTER_TERMS}.`,
    );
  }

  return terms;
}

/** Keeps the well-formed UUIDs, lower-cased; a malformed one matches nothing, as an unknown one. */
export function uuidsOf(terms: readonly string[]): string[] {
  return terms.filter((term) => isUuid(term)).map((term) => term.toLowerCase());
}

/** Checks terms against the allowed values of `filter[name]`; another value gets BadRequestError. */
export function allowedTermsOf<Value extends string>(
  terms: readonly string[],
  name: string,
  allowed: readonly Value[],
): Value[] {
  const unknown = terms.filter((term) => !(allowed as readonly string[]).includes(term));
  if (unknown.length > 0) {
    throw new BadRequestError(
      `Requested filter[${name}] value(s) \`${unknown.join(', ')}\` are not allowed. Allowed ` +
        `values are \`${allowed.join(', ')}\`.`,
    );
  }

  return terms as Value[];
}

/** Reads `sort`: a column, with a leading `-` for descending order. */
export function readSort<Column extends string>(
  raw: string | string[] | undefined,
  allowed: readonly Column[],
  fallback: Column,
): { sort: Column; descending: boolean } {
  const text = [raw ?? fallback].flat().join(',');
  const descending = text.startsWith('-');
  const column = descending ? text.slice(1) : text;
  if (text.includes(',')) {
    throw new BadRequestError(
      `Requested sort \`${text}\` names more than one field; sort by one of ` +
        `\`${allowed.join(', ')}\`, optionally prefixed with - for descending order.`,
    );
  }

  if (!(allowed as readonly string[]).includes(column)) {
    throw new BadRequestError(
      `Requested sort(s) \`${text}\` are not allowed. Allowed sort(s) are ` +
        `\`${allowed.join(', ')}\`, each optionally prefixed with - for descending order.`,
    );
  }

  return { sort: column as Column, descending };
}

/** Reads `include`; an unknown name gets BadRequestError listing the allowed ones. */
export function readIncludes<Name extends string>(
  raw: string | string[] | undefined,
  allowed: readonly Name[],
): Set<Name> {
  const names = readTerms(raw, 'include');
  const unknown = names.filter((name) => !(allowed as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new BadRequestError(
      `Requested include(s) \`${unknown.join(', ')}\` are not allowed. Allowed include(s) are ` +
        `\`${allowed.join(', ')}\`.`,
    );
  }

  return new Set(names as Name[]);
}

/** Returns the rows a page covers, as a query's LIMIT and OFFSET. */
export function pageWindow(query: PageQuery): { limit: number; offset: number } {
  return { limit: query.perPage, offset: (query.page - 1) * query.perPage };
}

/** Reads `page` and `per_page`; a value out of range gets ValidationError on its field. */
export function readPage(query: QueryString): PageQuery {
  const errors = new FieldErrorCollector();
  const perPage = readInteger(query.per_page, 'per_page', DEFAULT_PER_PAGE, MAX_PER_PAGE, errors);
  const page = readInteger(query.page, 'page', 1, Number.MAX_SAFE_INTEGER, errors);
  errors.throwIfAny();

  return { page, perPage };
}

function readInteger(
  raw: string | string[] | undefined,
  field: string,
  fallback: number,
  maximum: number,
  errors: FieldErrorCollector,
): number {
  if (raw === undefined || raw === '') {
    return fallback;
  }

  if (Array.isArray(raw) && raw.length > 1) {
    errors.add(field, `The ${field} field must be given once, not ${raw.length} times.`);

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
