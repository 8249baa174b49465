import { type Expression, type SqlBool, sql } from 'kysely';

/** `column IN (values)`, which for no values is false rather than a syntax error. */
export function isIn(column: string, values: readonly string[]): Expression<SqlBool> {
  return values.length === 0
    ? sql<SqlBool>`1 = 0`
    : sql<SqlBool>`${sql.ref(column)} in (${sql.join(values)})`;
}
