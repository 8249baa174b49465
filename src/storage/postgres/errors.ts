// SQLSTATE codes of PostgreSQL, from its "Errors and Messages" appendix.
const UNIQUE_VIOLATION = '23505';
const SERIALIZATION_FAILURE = '40001';
const DEADLOCK_DETECTED = '40P01';
const QUERY_CANCELED = '57014';
const FEATURE_NOT_SUPPORTED = '0A000';

function sqlStateOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    return typeof error.code === 'string' ? error.code : undefined;
  }

  return undefined;
}

/** Tells whether `error` is PostgreSQL rejecting a row that breaks a unique index. */
export function isUniqueViolation(error: unknown): boolean {
  return sqlStateOf(error) === UNIQUE_VIOLATION;
}

/** Tells whether PostgreSQL cancelled a statement, as it does at the statement timeout. */
export function isTimeout(error: unknown): boolean {
  return sqlStateOf(error) === QUERY_CANCELED;
}

/**
 * Tells whether PostgreSQL refused a prepared statement because its table changed shape since it
 * was prepared, as after a migration adds a column.
 */
export function isStalePlan(error: unknown): boolean {
  return (
    sqlStateOf(error) === FEATURE_NOT_SUPPORTED &&
    error instanceof Error &&
    error.message.includes('cached plan must not change result type')
  );
}

/** Tells whether PostgreSQL aborted the transaction in a way that running it again may cure. */
export function isRetryable(error: unknown): boolean {
  const state = sqlStateOf(error);

  return state === SERIALIZATION_FAILURE || state === DEADLOCK_DETECTED || isStalePlan(error);
}
