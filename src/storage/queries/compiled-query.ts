import {
  type Compilable,
  type CompiledQuery,
  createQueryId,
  type Kysely,
  type QueryResult,
  type RootOperationNode,
} from 'kysely';

import type { Database } from '../database.js';
import { executeCompiled } from './synchronous-execution.js';

/** An argument of a compiled query: one parameter's value, or a list of values. */
export type QueryArgument = string | number | null | readonly string[];

/** The source of one parameter of a template: an argument, an item of a list, or the query. */
type Slot =
  | { kind: 'argument'; argument: number }
  | { kind: 'item'; argument: number; item: number }
  | { kind: 'constant'; value: unknown };

interface Template {
  sql: string;
  query: RootOperationNode;
  slots: Slot[];
}

// Templates kept per query and dialect, one for each combination of list lengths. Past this many,
// a query is built anew for each new combination.
const MAX_TEMPLATES = 64;

/**
 * The maximum that the templates of every compiled query may cost together, where a template costs
 * its parameters plus TEMPLATE_BASE_COST for its SQL and query tree. Callers choose the lengths
 * of the lists they filter by, so without a total they could make the app keep hundreds of
 * megabytes of templates. Past it, every template is dropped and compiled again on next use.
 */
export const MAX_KEPT_TEMPLATE_COST = 100_000;

// Measured as heap in use after 1,000 templates of a read by a list of ids, a template took about
// 2 KB and 0.1 KB more for each parameter. So the base counts as 20 parameters, and the whole
// budget is about 10 MB.
const TEMPLATE_BASE_COST = 20;

const everyTemplateMap = new Set<Map<string, Template>>();
let keptCost = 0;

/** Returns what the templates kept by every compiled query cost together (see MAX_KEPT_TEMPLATE_COST). */
export function keptTemplateCost(): number {
  return keptCost;
}

/** Keeps `template` under `shape`, first dropping every template if the total would exceed its budget. */
function keep(templates: Map<string, Template>, shape: string, template: Template): void {
  if (templates.size >= MAX_TEMPLATES) {
    return;
  }

  const cost = TEMPLATE_BASE_COST + template.slots.length;
  if (keptCost + cost > MAX_KEPT_TEMPLATE_COST) {
    for (const map of everyTemplateMap) {
      map.clear();
    }
    keptCost = 0;
  }

  templates.set(shape, template);
  everyTemplateMap.add(templates);
  keptCost += cost;
}

// Stand-ins begin and end with this character, from Unicode's private use area, which no constant
// of the app's queries contains. Arguments are never searched for it.
const MARK = '\uE000';

/**
 * Wraps a query so that Kysely builds and compiles it once per dialect, with stand-ins for its
 * arguments. Each run after that only puts the arguments in place of the stand-ins. On SQLite, a
 * read by id took 17 µs through the builder and 7 µs compiled, in a loop on this project's bench
 * data.
 *
 * `build` must pass each argument through to the query unchanged: as a parameter, or for a list,
 * as one parameter for each of its items. The first build checks this and throws otherwise. A
 * list's length is part of the query's shape, so each length is compiled on its own. `build`
 * must not branch on an argument's value, because it receives only stand-ins, which are never empty
 * or null. No check finds such a branch.
 */
export function compiledQuery<Args extends readonly QueryArgument[], Row>(
  build: (db: Kysely<Database>, ...args: Args) => Compilable<Row>,
): (db: Kysely<Database>, ...args: Args) => Promise<QueryResult<Row>> {
  // Keyed by the dialect's adapter, which every connection and transaction of a Kysely instance
  // shares, because the SQL differs from one dialect to another.
  const templatesOf = new WeakMap<object, Map<string, Template>>();

  return async (db, ...args) => {
    const { adapter } = db.getExecutor();
    let templates = templatesOf.get(adapter);
    if (templates === undefined) {
      templates = new Map();
      templatesOf.set(adapter, templates);
    }

    const shape = shapeOf(args);
    let template = templates.get(shape);
    if (template === undefined) {
      template = compileTemplate(db, build, args);
      keep(templates, shape, template);
    }

    const compiled: CompiledQuery<Row> = {
      sql: template.sql,
      query: template.query,
      queryId: createQueryId(),
      parameters: template.slots.map((slot) => parameterOf(slot, args)),
    };

    return await executeCompiled(db, compiled);
  };
}

/** Returns the key of the lengths of the list arguments, because they decide the SQL. */
function shapeOf(args: readonly QueryArgument[]): string {
  let shape = '';
  for (const argument of args) {
    shape += Array.isArray(argument) ? `${String(argument.length)},` : '-,';
  }

  return shape;
}

function parameterOf(slot: Slot, args: readonly QueryArgument[]): unknown {
  switch (slot.kind) {
    case 'argument':
      return args[slot.argument];
    case 'item':
      return (args[slot.argument] as readonly string[])[slot.item];
    case 'constant':
      return slot.value;
  }
}

function compileTemplate<Args extends readonly QueryArgument[], Row>(
  db: Kysely<Database>,
  build: (db: Kysely<Database>, ...args: Args) => Compilable<Row>,
  args: Args,
): Template {
  const standIns = args.map((argument, index) =>
    Array.isArray(argument)
      ? argument.map((_, item) => `${MARK}${String(index)}.${String(item)}${MARK}`)
      : `${MARK}${String(index)}${MARK}`,
  ) as unknown as Args;
  const compiled = build(db, ...standIns).compile();
  const used = new Set<string>();
  const slots = compiled.parameters.map((parameter): Slot => {
    if (typeof parameter !== 'string' || !parameter.includes(MARK)) {
      return { kind: 'constant', value: parameter };
    }

    const match = /^\uE000(\d+)(?:\.(\d+))?\uE000$/.exec(parameter);
    if (match === null) {
      throw new Error(
        `A compiled query changed an argument before using it; pass each argument to the query unchanged: ${compiled.sql}`,
      );
    }

    used.add(parameter);
    const argument = Number(match[1]);

    return match[2] === undefined
      ? { kind: 'argument', argument }
      : { kind: 'item', argument, item: Number(match[2]) };
  });
  const unused = standIns.flat().filter((standIn) => !used.has(standIn as string));
  if (unused.length > 0) {
    throw new Error(
      `A compiled query left out ${String(unused.length)} of its arguments; use each one in the query: ${compiled.sql}`,
    );
  }

  return { sql: compiled.sql, query: compiled.query, slots };
}
