import type { AccountRepository } from '../accounts/repository.js';
import type { AuthRepository } from '../auth/repository.js';
import type { CircleRepository } from '../circles/repository.js';
import type { ContactDetailRepository } from '../contact-details/repository.js';
import type { FirmRepository } from '../firms/repository.js';

/** The repositories of one unit of work. */
export interface Repositories {
  accounts: AccountRepository;
  auth: AuthRepository;
  circles: CircleRepository;
  contactDetails: ContactDetailRepository;
  firms: FirmRepository;
}

/** A database behind the repository interfaces. */
export interface Storage {
  /** Which database this is, for logs and diagnostics. */
  readonly dialect: 'sqlite' | 'postgres';

  /** Repositories that run each query on its own, for reads that need no transaction. */
  readonly repositories: Repositories;

  /**
   * Runs `work` in one transaction: it commits when `work` resolves and rolls back when it throws,
   * so a failed request changes nothing. A unique-index violation becomes a StorageConflictError.
   */
  transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T>;

  /** Applies the migrations that have not been applied; returns their names. */
  migrate(): Promise<string[]>;

  /** Runs a trivial query; throws when the database does not answer. */
  ping(): Promise<void>;

  close(): Promise<void>;
}

/** A write that broke a unique index, such as a second primary detail of one type for an account. */
export class StorageConflictError extends Error {
  constructor(options: { cause: unknown }) {
    super('a write broke a unique constraint', options);
  }
}
