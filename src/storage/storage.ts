import type { AccountRepository } from '../accounts/repository.js';
import type { AuthRepository } from '../auth/repository.js';
import type { CircleRepository } from '../circles/repository.js';
import type { ContactDetailRepository } from '../contact-details/repository.js';
import type { FirmRepository } from '../firms/repository.js';

/**
 * Row locks that serialize writes touching the same rows. A transaction locks its accounts first,
 * all at once and in the order of their ids, and only then a contact detail, so that two
 * transactions cannot wait on each other in a cycle: a write that demotes another detail's
 * primary holds the accounts that any write to that detail must lock first.
 */
export interface RowLocks {
  /**
   * True when a transaction already holds the whole database, so that rows read before locking
   * cannot change before the transaction ends and need not be read again once locked.
   */
  readonly holdWholeDatabase: boolean;
  /** Locks the accounts, whose primary details the transaction is about to change. */
  accounts(firmId: string, accountIds: readonly string[]): Promise<void>;
  /** Locks one contact detail, whose owners the transaction is about to change. */
  contactDetail(firmId: string, id: string): Promise<void>;
}

/** The repositories of one unit of work. */
export interface Repositories {
  accounts: AccountRepository;
  auth: AuthRepository;
  circles: CircleRepository;
  contactDetails: ContactDetailRepository;
  firms: FirmRepository;
  locks: RowLocks;
  /** Widens or moves the scope of this unit of work for the queries that follow. */
  rescope: (scope: Scope) => Promise<void>;
}

/**
 * The rows a unit of work may read: those of one firm, or of one user's logins. The queries
 * filter by firm themselves, and a database with row-level security enforces it too, so a query
 * that forgot its filter still reads nothing of another firm.
 */
export interface Scope {
  /** The tenant: only its accounts, circles and contact details are visible. */
  firmId?: string | undefined;
  /** The authenticated user: the accounts it has logins to are visible, in any firm. */
  userId?: string | undefined;
}

/** A database behind the repository interfaces. */
export interface Storage {
  /** The kind of database, for logs and diagnostics. */
  readonly dialect: 'sqlite' | 'postgres';

  /** Runs reads that need no transaction of their own, within `scope`. */
  read<T>(scope: Scope, work: (repositories: Repositories) => Promise<T>): Promise<T>;

  /**
   * Runs `work` in one transaction within `scope`: it commits when `work` resolves and rolls back
   * when it throws, so a failed request changes nothing. A transaction that the database aborts
   * for a deadlock or a serialization conflict runs again, a few times. A unique-index violation
   * becomes a StorageConflictError.
   */
  transaction<T>(scope: Scope, work: (repositories: Repositories) => Promise<T>): Promise<T>;

  /** Applies the migrations that have not been applied; returns their names. */
  migrate(): Promise<string[]>;

  /** Reads one row of a table; throws when the database is unreachable or cannot be read. */
  ping(): Promise<void>;

  close(): Promise<void>;
}

/**
 * An error that a unit of work throws when another transaction changed its rows between reading
 * and locking them. The storage then runs the work again.
 */
export class ConcurrentChangeError extends Error {
  constructor() {
    super('rows changed while the transaction was locking them');
  }
}

/** A statement that the database cancelled because it ran past the statement timeout. */
export class StorageTimeoutError extends Error {
  constructor(options: { cause: unknown }) {
    super('a statement ran past the statement timeout', options);
  }
}

/** A write that broke a unique index, such as a second primary detail of one type for an account. */
export class StorageConflictError extends Error {
  constructor(options: { cause: unknown }) {
    super('a write broke a unique constraint', options);
  }
}
