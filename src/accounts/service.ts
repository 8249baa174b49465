import type { Caller } from '../auth/caller.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import {
  type PageQuery,
  type QueryString,
  allowedTermsOf,
  pageWindow,
  readFilters,
  readPage,
  readSort,
  uuidsOf,
} from '../http/list-query.js';
import { isUuid, newId } from '../ids.js';
import type { Storage } from '../storage/storage.js';
import type { Clock } from '../time.js';
import { ACCOUNT_ROLES, ACCOUNT_TYPES, type Account, type AccountRole } from './account.js';
import { ACCOUNT_SORT_COLUMNS, type AccountFilter, type AccountSortColumn } from './repository.js';
import { type AccountSummary, toAccountSummary } from './resource.js';
import type { AccountBody } from './schemas.js';

const FILTERS = ['type', 'role', 'uuid'] as const;
const ALL_ROLES = Object.values(ACCOUNT_ROLES).flat();

/** A list request for accounts. */
export interface AccountListQuery extends PageQuery {
  filter: AccountFilter;
  sort: AccountSortColumn;
  descending: boolean;
}

/** Reads the query string of `GET /api/v1/account`. */
export function parseAccountListQuery(query: QueryString): AccountListQuery {
  const filters = readFilters(query, FILTERS);
  const types = filters.get('type');
  const roles = filters.get('role');
  const ids = filters.get('uuid');

  return {
    filter: {
      types: types && allowedTermsOf(types, 'type', ACCOUNT_TYPES),
      roles: roles && allowedTermsOf(roles, 'role', ALL_ROLES),
      ids: ids && uuidsOf(ids),
    },
    ...readSort(query.sort, ACCOUNT_SORT_COLUMNS, 'created_at'),
    ...readPage(query),
  };
}

/**
 * The account use cases. Employees read every account of the firm and a client only its own;
 * only employees with write permission create and change clients.
 */
export class AccountService {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly timeZone: string,
  ) {}

  /** Throws ForbiddenError unless the caller may create and change clients. */
  assertCanWrite(caller: Caller): void {
    assertCanWriteAccounts(caller);
  }

  async list(
    caller: Caller,
    query: AccountListQuery,
  ): Promise<{ items: AccountSummary[]; total: number }> {
    assertCanReadAccounts(caller);
    const filter = {
      ...query.filter,
      visibleTo: caller.accountType === 'client' ? caller.accountId : undefined,
    };

    return this.storage.read({ firmId: caller.firmId }, async ({ accounts }) => {
      const page = await accounts.list(caller.firmId, {
        filter,
        sort: query.sort,
        descending: query.descending,
        ...pageWindow(query),
      });

      return {
        items: page.map((account) => toAccountSummary(account, this.timeZone)),
        total: await accounts.count(caller.firmId, filter),
      };
    });
  }

  async get(caller: Caller, id: string): Promise<AccountSummary> {
    assertCanReadAccounts(caller);
    const account = await this.findAccount(caller, id);

    return toAccountSummary(account, this.timeZone);
  }

  async create(caller: Caller, body: AccountBody): Promise<AccountSummary> {
    assertCanWriteAccounts(caller);
    const names = checkNames(body);
    const now = this.clock();
    const id = newId(now.getTime());
    await this.storage.transaction({ firmId: caller.firmId }, (repositories) =>
      repositories.accounts.create({
        id,
        firmId: caller.firmId,
        type: 'client',
        role: body.role,
        ...names,
        createdAt: now.toISOString(),
      }),
    );

    return this.get(caller, id);
  }

  /** Replaces a client's role and names; an employee or external account is not changed here. */
  async update(caller: Caller, id: string, body: AccountBody): Promise<AccountSummary> {
    assertCanWriteAccounts(caller);
    const account = await this.findAccount(caller, id);
    if (account.type !== 'client') {
      throw ValidationError.of(
        'type',
        `The account ${account.id} is an ${account.type} account; only client accounts can be ` +
          'changed through this route.',
      );
    }

    const names = checkNames(body);
    const unchanged =
      account.role === body.role &&
      account.firstName === names.firstName &&
      account.lastName === names.lastName &&
      account.name === names.name;
    if (!unchanged) {
      await this.storage.transaction({ firmId: caller.firmId }, (repositories) =>
        repositories.accounts.update(caller.firmId, account.id, {
          role: body.role,
          ...names,
          updatedAt: this.clock().toISOString(),
        }),
      );
    }

    return this.get(caller, account.id);
  }

  private async findAccount(caller: Caller, id: string): Promise<Account> {
    const visible = caller.accountType !== 'client' || caller.accountId === id.toLowerCase();
    const [account] =
      visible && isUuid(id)
        ? await this.storage.read({ firmId: caller.firmId }, ({ accounts }) =>
            accounts.findByIds(caller.firmId, [id.toLowerCase()]),
          )
        : [];
    if (account === undefined) {
      throw new NotFoundError('Account');
    }

    return account;
  }
}

function assertCanReadAccounts(caller: Caller): void {
  if (caller.accountType === 'external') {
    throw new ForbiddenError();
  }
}

function assertCanWriteAccounts(caller: Caller): void {
  if (caller.accountType !== 'employee' || !caller.hasWritePermission) {
    throw new ForbiddenError();
  }
}

/** People are named by first and last name; trusts and businesses by a name of their own. */
function checkNames(body: AccountBody): {
  firstName: string | null;
  lastName: string | null;
  name: string;
} {
  const trimmed = (value: string | null | undefined) => {
    const text = value?.trim() ?? '';

    return text === '' ? null : text;
  };
  const firstName = trimmed(body.first_name);
  const lastName = trimmed(body.last_name);
  const name = trimmed(body.name);
  if (isPerson(body.role)) {
    const errors: Record<string, string[]> = {};
    if (firstName === null) {
      errors.first_name = [`The first_name field is required for ${article(body.role)} client.`];
    }

    if (lastName === null) {
      errors.last_name = [`The last_name field is required for ${article(body.role)} client.`];
    }

    if (firstName === null || lastName === null) {
      throw new ValidationError(errors);
    }

    const fullName = name ?? `${firstName} ${lastName}`;
    if (Array.from(fullName).length > 255) {
      throw ValidationError.of(
        'name',
        'The first_name and last_name together are longer than 255 characters; send a shorter ' +
          'name field to show instead.',
      );
    }

    return { firstName, lastName, name: fullName };
  }

  if (name === null) {
    throw ValidationError.of(
      'name',
      `The name field is required for ${article(body.role)} client, such as "Jones Family Trust".`,
    );
  }

  return { firstName: null, lastName: null, name };
}

function article(role: AccountRole): string {
  return /^[aeiou]/.test(role) ? `an ${role}` : `a ${role}`;
}

function isPerson(role: AccountRole): boolean {
  return role === 'individual' || role === 'joint';
}
