import SqliteDatabase from 'better-sqlite3';

/** Tells whether `error` is SQLite rejecting a row that breaks a unique index or primary key. */
export function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof SqliteDatabase.SqliteError &&
    (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
  );
}
