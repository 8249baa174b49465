import type SqliteDatabase from 'better-sqlite3';

/** The part of a prepared statement that Kysely's SQLite dialect calls. */
export interface DialectStatement {
  readonly reader: boolean;
  all(parameters: readonly unknown[]): unknown[];
  run(parameters: readonly unknown[]): {
    changes: number | bigint;
    lastInsertRowid: number | bigint;
  };
  iterate(parameters: readonly unknown[]): IterableIterator<unknown>;
}

/** The default maximum of rows kept across all reads, which SQLITE_READ_CACHE_ROWS overrides. */
export const DEFAULT_READ_CACHE_ROWS = 20_000;

// The budget counts rows, and a row of contactd's tables takes up to about a kilobyte, so a key
// takes one row of the budget for each this many characters, lest long search terms fill memory.
const KEY_CHARACTERS_PER_ROW = 1024;

/**
 * A cache of the rows that reads on one read-only SQLite connection return, valid until the
 * database changes. `PRAGMA data_version` returns a new value after each commit by another
 * connection, in this process or another. Every read queries that value first, about 3 µs here,
 * and clears the cache when it has changed, so a read never returns rows older than the last
 * commit it could have seen.
 *
 * Cached rows are frozen and shared by every read of the same query, so code that changed one
 * would throw rather than change what the next read returns.
 */
export class ReadCache {
  readonly #dataVersion: SqliteDatabase.Statement<[]>;
  readonly #maxRows: number;
  readonly #entries = new Map<string, { rows: readonly unknown[]; cost: number }>();
  #version: unknown;
  #used = 0;
  #statements = 0;

  constructor(connection: SqliteDatabase.Database, maxRows = DEFAULT_READ_CACHE_ROWS) {
    this.#dataVersion = connection.prepare<[]>('pragma data_version').pluck();
    this.#maxRows = maxRows;
  }

  /** The part of the budget in use: each cached read counts one, its rows and its key's length. */
  get used(): number {
    return this.#used;
  }

  /** Wraps `statement` so that its reads go through the cache; writes pass through unchanged. */
  wrap(statement: SqliteDatabase.Statement): DialectStatement {
    if (!statement.reader) {
      return statement;
    }

    // A number per statement keeps the keys short, because the SQL text is hundreds of characters.
    this.#statements += 1;
    const prefix = `${String(this.#statements)}:`;

    return {
      reader: true,
      all: (parameters) => this.#all(statement, prefix, parameters) as unknown[],
      run: (parameters) => statement.run(parameters),
      iterate: (parameters) => statement.iterate(parameters),
    };
  }

  #all(
    statement: SqliteDatabase.Statement,
    prefix: string,
    parameters: readonly unknown[],
  ): readonly unknown[] {
    const version = this.#dataVersion.get();
    if (version !== this.#version) {
      this.#entries.clear();
      this.#used = 0;
      this.#version = version;
    }

    const key = keyOf(prefix, parameters);
    if (key === undefined) {
      return statement.all(parameters);
    }

    const cached = this.#entries.get(key);
    if (cached !== undefined) {
      return cached.rows;
    }

    const rows = statement.all(parameters);
    // Each read counts one of the budget for itself, so that reads with no rows cannot grow the
    // map without bound.
    const cost = 1 + rows.length + Math.floor(key.length / KEY_CHARACTERS_PER_ROW);
    // One read larger than a tenth of the budget would evict most of the other reads.
    if (cost > this.#maxRows / 10) {
      return rows;
    }

    for (const row of rows) {
      Object.freeze(row);
    }
    this.#entries.set(key, { rows: Object.freeze(rows), cost });
    this.#used += cost;
    // The oldest reads are evicted first.
    while (this.#used > this.#maxRows) {
      const [oldestKey, oldest] = this.#entries.entries().next().value as [
        string,
        { cost: number },
      ];
      this.#entries.delete(oldestKey);
      this.#used -= oldest.cost;
    }

    return rows;
  }
}

/**
 * Builds the cache key of one read's parameters. Returns undefined when a parameter is not a
 * string, a number or null, because its text would not tell it apart from other values.
 */
function keyOf(prefix: string, parameters: readonly unknown[]): string | undefined {
  let key = prefix;
  for (const parameter of parameters) {
    if (typeof parameter === 'string') {
      // The length before each string keeps apart two lists whose strings join to the same text.
      key += `s${String(parameter.length)}:${parameter}`;
    } else if (typeof parameter === 'number') {
      key += `n${String(parameter)};`;
    } else if (parameter === null) {
      key += 'z;';
    } else {
      return undefined;
    }
  }

  return key;
}
