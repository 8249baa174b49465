import type { FastifyRequest } from 'fastify';
import { type TSchema, Type } from 'typebox';

/** One entry of Laravel's `meta.links`: a page link, a gap ("...") or Previous and Next. */
export interface PageLink {
  url: string | null;
  label: string;
  active: boolean;
}

/** Laravel's length-aware paginator, as its JSON shows it. */
export interface Paginated<Item> {
  data: Item[];
  links: { first: string; last: string; prev: string | null; next: string | null };
  meta: {
    current_page: number;
    from: number | null;
    last_page: number;
    links: PageLink[];
    path: string;
    per_page: number;
    to: number | null;
    total: number;
  };
}

/** Builds the JSON Schema of a page of `item`. */
export function paginatedSchema<Item extends TSchema>(item: Item) {
  const Url = Type.Union([Type.String(), Type.Null()]);

  return Type.Object({
    data: Type.Array(item),
    links: Type.Object({ first: Type.String(), last: Type.String(), prev: Url, next: Url }),
    meta: Type.Object({
      current_page: Type.Integer(),
      from: Type.Union([Type.Integer(), Type.Null()]),
      last_page: Type.Integer(),
      links: Type.Array(Type.Object({ url: Url, label: Type.String(), active: Type.Boolean() })),
      path: Type.String(),
      per_page: Type.Integer(),
      to: Type.Union([Type.Integer(), Type.Null()]),
      total: Type.Integer(),
    }),
  });
}

export interface PageRequest {
  /** The URL of the list without its query string. */
  path: string;
  /** The request's query parameters; every one but `page` is kept in the links. */
  query: Record<string, string | string[] | undefined>;
  page: number;
  perPage: number;
  total: number;
}

// Laravel shows this many page numbers on each side of the current page before it uses gaps.
const PAGES_ON_EACH_SIDE = 3;

/** Wraps one page of items in Laravel's paginator envelope. */
export function paginate<Item>(items: Item[], request: PageRequest): Paginated<Item> {
  const lastPage = Math.max(1, Math.ceil(request.total / request.perPage));
  const { page } = request;
  const urlOf = pageUrls(request);
  const from = items.length === 0 ? null : (page - 1) * request.perPage + 1;
  // Past the last page, Laravel still links the page before this one, not the last page.
  const prev = page > 1 ? urlOf(page - 1) : null;
  const next = page < lastPage ? urlOf(page + 1) : null;

  return {
    data: items,
    links: { first: urlOf(1), last: urlOf(lastPage), prev, next },
    meta: {
      current_page: page,
      from,
      last_page: lastPage,
      links: [
        { url: prev, label: '&laquo; Previous', active: false },
        ...pageWindow(page, lastPage).map((target) =>
          target === undefined
            ? { url: null, label: '...', active: false }
            : { url: urlOf(target), label: String(target), active: target === page },
        ),
        { url: next, label: 'Next &raquo;', active: false },
      ],
      path: request.path,
      per_page: request.perPage,
      to: from === null ? null : from + items.length - 1,
      total: request.total,
    },
  };
}

/** Returns the page numbers Laravel lists, with undefined for a gap. */
function pageWindow(current: number, last: number): (number | undefined)[] {
  const range = (from: number, to: number) =>
    Array.from({ length: Math.max(0, to - from + 1) }, (_, index) => from + index);
  const window = PAGES_ON_EACH_SIDE * 2;
  if (last < window + 8) {
    return range(1, last);
  }

  if (current <= window) {
    return [...range(1, window + 2), undefined, last - 1, last];
  }

  if (current > last - window) {
    return [1, 2, undefined, ...range(last - (window + 2), last)];
  }

  return [
    1,
    2,
    undefined,
    ...range(current - PAGES_ON_EACH_SIDE, current + PAGES_ON_EACH_SIDE),
    undefined,
    last - 1,
    last,
  ];
}

/**
 * Returns a function from a page number to the URL of that page. The other parameters are encoded
 * once for every link of the page, and `page` goes last, as URLSearchParams' `set` would put it.
 */
function pageUrls(request: PageRequest): (page: number) => string {
  const parameters = new URLSearchParams();
  for (const [key, value] of Object.entries(request.query)) {
    if (key === 'page' || value === undefined) {
      continue;
    }

    for (const item of [value].flat()) {
      parameters.append(key, item);
    }
  }

  const others = parameters.toString();
  const prefix = `${request.path}?${others === '' ? '' : `${others}&`}page=`;

  return (page) => `${prefix}${String(page)}`;
}

/** Returns the absolute URL of the request without its query string, as Laravel's paginator shows it. */
export function requestPath(request: FastifyRequest): string {
  // The request target may be in absolute form (`GET http://host/path`); only its path counts.
  const { pathname } = new URL(request.url, 'http://placeholder.invalid');

  return `${request.protocol}://${request.host}${pathname}`;
}
