import type pg from 'pg';

import { PLANNED_EACH_RUN } from '../plan-hints.js';
import { isStalePlan } from './errors.js';

// Distinct SQL texts that get a name. Further texts are parsed on every run, so that queries with
// lists of many lengths cannot fill each connection with prepared statements.
const MAX_NAMED_STATEMENTS = 256;

/**
 * Makes each connection of `pool` prepare a parameterised query once and run it by name after
 * that. Kysely sends every query as unnamed text, so PostgreSQL parsed and planned each one anew,
 * and naming them made a read by id about a third faster. Names are shared by all connections of the pool; each
 * connection prepares a statement the first time it runs its text. When a migration changes a
 * table under a running process, PostgreSQL refuses the statements prepared before it. The names
 * are then given up, and the storage runs the transaction again with new ones.
 */
export function prepareStatementsOf(pool: pg.Pool): void {
  const names = new Map<string, string>();
  // Counts the times the names were given up, so that new names never meet statements prepared
  // before the schema changed.
  let generation = 0;
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (name === undefined && names.size < MAX_NAMED_STATEMENTS) {
      name = `contactd_${String(generation)}_${String(names.size)}`;
      names.set(text, name);
    }

    return name;
  };
  const forgetStalePlans = (error: unknown) => {
    if (isStalePlan(error)) {
      names.clear();
      generation += 1;
    }

    throw error;
  };

  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    // Only the form Kysely uses, text with a non-empty array of values, is rewritten.
    const prepared = (...args: unknown[]) => {
      const [text, values] = args;
      const name =
        args.length === 2 &&
        typeof text === 'string' &&
        Array.isArray(values) &&
        values.length > 0 &&
        !text.includes(PLANNED_EACH_RUN)
          ? nameOf(text)
          : undefined;

      return name === undefined
        ? query(...args)
        : (query({ name, text, values }) as Promise<unknown>).catch(forgetStalePlans);
    };
    client.query = prepared as typeof client.query;
  });
}
