import type { Account } from '../accounts/account.js';
import type { Caller } from '../auth/caller.js';
import {
  assertCanDeleteContactDetails,
  assertCanReadContactDetails,
  assertCanWriteContactDetails,
} from '../auth/permissions.js';
import { FieldErrorCollector, NotFoundError, ValidationError } from '../errors.js';
import { pageWindow } from '../http/list-query.js';
import { isUuid, newId } from '../ids.js';
import {
  ConcurrentChangeError,
  type Repositories,
  type Storage,
  StorageConflictError,
  StorageTimeoutError,
} from '../storage/storage.js';
import type { Clock } from '../time.js';
import type { ContactDetail, ContactDetailType, Owner } from './contact-detail.js';
import type { ListQuery } from './list-query.js';
import { planOwnership } from './ownership.js';
import {
  type ContactDetailResource,
  type ResourceOptions,
  toContactDetailResource,
} from './resource.js';
import { type CanonicalValue, canonicalizeValue } from './values.js';

/** The body of a PUT, after its schema has been checked. */
export interface UpdateContactDetailInput {
  name: string;
  value: unknown;
  account_uuids: string[];
  primary_account_uuids?: string[] | undefined;
}

/** The body of a POST, after its schema has been checked. */
export interface CreateContactDetailInput extends UpdateContactDetailInput {
  type: ContactDetailType;
  /** Makes the new detail primary for every owner. */
  is_primary?: boolean | undefined;
}

const TYPE_NAMES: Record<ContactDetailType, string> = {
  email: 'email address',
  phone_number: 'phone number',
};

/** The contact-detail use cases, each confined to the caller's firm. */
export class ContactDetailService {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly options: ResourceOptions,
  ) {}

  /**
   * Returns one detail. A client caller sees only the details it owns, and among their owners only
   * itself, so that a shared landline does not show a co-owner's other details.
   */
  async get(caller: Caller, id: string): Promise<ContactDetailResource> {
    assertCanReadContactDetails(caller);
    const resource = await this.storage.read({ firmId: caller.firmId }, (repositories) =>
      this.loadResource(repositories, caller.firmId, id),
    );
    const isOwnedByCaller = resource.accounts?.some((account) => account.uuid === caller.accountId);
    if (caller.accountType === 'client' && isOwnedByCaller !== true) {
      throw new NotFoundError('Contact detail');
    }

    return hideOtherOwners(caller, resource);
  }

  /**
   * Returns one page of the firm's details and how many pass the filter; a client caller sees only
   * the details it owns. Owners are loaded for the whole page at once, only when included.
   */
  async list(
    caller: Caller,
    query: ListQuery,
  ): Promise<{ items: ContactDetailResource[]; total: number }> {
    assertCanReadContactDetails(caller);
    try {
      return await this.storage.read({ firmId: caller.firmId }, (repositories) =>
        this.listPage(repositories, caller, query),
      );
    } catch (error) {
      // A substring search reads every detail of the firm; one that the database cancels is a
      // search too wide for the firm, which the caller can narrow.
      if (error instanceof StorageTimeoutError && query.filter.values !== undefined) {
        throw ValidationError.of(
          'filter[value]',
          'The search took longer than the database allows; use fewer or longer filter[value] terms.',
        );
      }

      throw error;
    }
  }

  private async listPage(
    repositories: Repositories,
    caller: Caller,
    query: ListQuery,
  ): Promise<{ items: ContactDetailResource[]; total: number }> {
    const { contactDetails } = repositories;
    const filter = {
      ...query.filter,
      visibleTo: caller.accountType === 'client' ? caller.accountId : undefined,
    };
    const details = await contactDetails.list(caller.firmId, {
      filter,
      sort: query.sort,
      descending: query.descending,
      ...pageWindow(query),
    });
    const total = await contactDetails.count(caller.firmId, filter);
    if (!query.include.accounts && !query.include.primaryAccounts) {
      return {
        items: details.map((detail) => toContactDetailResource(detail, this.options)),
        total,
      };
    }

    const { owners, accounts: ownerAccounts } = await contactDetails.listOwnersWithAccounts(
      caller.firmId,
      details.map((detail) => detail.id),
    );
    const items = details.map((detail) =>
      hideOtherOwners(
        caller,
        toContactDetailResource(detail, this.options, {
          owners: owners.get(detail.id) ?? [],
          accounts: ownerAccounts,
          include: query.include,
        }),
      ),
    );

    return { items, total };
  }

  /**
   * Deletes a detail: it disappears from every read, and each account that held it as primary has
   * no primary of its type until another is chosen. The row is kept, marked deleted, for the audit
   * trail.
   */
  async delete(caller: Caller, id: string): Promise<void> {
    assertCanDeleteContactDetails(caller);
    await this.runTransaction(caller.firmId, async (repositories) => {
      const detail = await this.findDetail(repositories, caller.firmId, id);
      const { owners } = await this.lockDetailAndAccounts(repositories, detail, []);
      const now = this.clock().toISOString();
      await repositories.contactDetails.markDeleted(caller.firmId, detail.id, now);
      const released = owners.filter((owner) => owner.isPrimary);
      await repositories.accounts.refreshPrimaryValues(
        caller.firmId,
        released.map((owner) => owner.accountId),
        now,
      );
    });
  }

  /** Replaces a detail's name, value and owners in one transaction, as a PUT describes. */
  async update(
    caller: Caller,
    id: string,
    input: UpdateContactDetailInput,
  ): Promise<ContactDetailResource> {
    assertCanWriteContactDetails(caller);
    const firmId = caller.firmId;

    return this.runTransaction(firmId, async (repositories) => {
      const found = await this.findDetail(repositories, firmId, id);
      const errors = new FieldErrorCollector();
      const name = checkName(input.name, errors);
      const canonical = canonicalizeValue(found.type, input.value, this.options.phone, errors);
      const accountIds = await checkOwners(repositories, firmId, input, errors);
      const locked =
        canonical === undefined || accountIds === undefined
          ? undefined
          : await this.lockDetailAndAccounts(repositories, found, accountIds.owners);
      if (locked !== undefined && canonical !== undefined && accountIds !== undefined) {
        await checkDuplicates(repositories, locked.detail, canonical, accountIds.owners, errors);
      }

      errors.throwIfAny();
      if (
        name === undefined ||
        canonical === undefined ||
        accountIds === undefined ||
        locked === undefined
      ) {
        throw new Error('a field failed its check without an error message');
      }

      const { detail, owners } = locked;
      const updated = await this.applyUpdate(
        repositories,
        detail,
        owners,
        name,
        canonical,
        accountIds,
      );

      return this.withOwners(repositories, updated);
    });
  }

  /** Creates a detail with its owners in one transaction, as a POST describes. */
  async create(caller: Caller, input: CreateContactDetailInput): Promise<ContactDetailResource> {
    assertCanWriteContactDetails(caller);
    const firmId = caller.firmId;

    return this.runTransaction(firmId, async (repositories) => {
      const now = this.clock();
      const errors = new FieldErrorCollector();
      const name = checkName(input.name, errors);
      const canonical = canonicalizeValue(input.type, input.value, this.options.phone, errors);
      const accountIds = await checkOwners(repositories, firmId, input, errors);
      const detail: ContactDetail = {
        id: newId(now.getTime()),
        firmId,
        type: input.type,
        name: name ?? '',
        value: canonical?.value ?? '',
        extension: canonical?.extension ?? null,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      };
      if (accountIds !== undefined) {
        await repositories.locks.accounts(firmId, accountIds.owners);
      }

      if (canonical !== undefined && accountIds !== undefined) {
        await checkDuplicates(repositories, detail, canonical, accountIds.owners, errors);
      }

      errors.throwIfAny();
      if (canonical === undefined || accountIds === undefined) {
        throw new Error('a field failed its check without an error message');
      }

      const primaries =
        input.is_primary === true ? accountIds.owners : (accountIds.primaries ?? []);
      const plan = planOwnership([], accountIds.owners, primaries);
      await repositories.contactDetails.create(detail, canonical.valueKey);
      await this.releasePreviousPrimaries(
        repositories,
        detail,
        plan.newlyPrimary,
        detail.createdAt,
      );
      await repositories.contactDetails.addOwners(
        firmId,
        detail.id,
        detail.type,
        plan.added,
        detail.createdAt,
      );
      await repositories.accounts.refreshPrimaryValues(firmId, accountIds.owners, detail.createdAt);

      return this.withOwners(repositories, detail);
    });
  }

  /** Demotes the primaries of `type` that `accountIds` hold on other details, which then move on. */
  private async releasePreviousPrimaries(
    repositories: Repositories,
    detail: ContactDetail,
    accountIds: readonly string[],
    now: string,
  ): Promise<void> {
    const demoted = await repositories.contactDetails.demotePrimaries(
      detail.firmId,
      detail.type,
      accountIds,
      detail.id,
    );
    await repositories.contactDetails.touch(detail.firmId, demoted, now);
  }

  private async applyUpdate(
    repositories: Repositories,
    detail: ContactDetail,
    current: readonly Owner[],
    name: string,
    canonical: CanonicalValue,
    accountIds: CheckedOwners,
  ): Promise<ContactDetail> {
    const { contactDetails, accounts } = repositories;
    const firmId = detail.firmId;
    const plan = planOwnership(current, accountIds.owners, accountIds.primaries);
    const contentChanged =
      name !== detail.name ||
      canonical.value !== detail.value ||
      canonical.extension !== detail.extension;
    if (!contentChanged && !plan.changed) {
      return detail;
    }

    const now = this.clock().toISOString();
    await contactDetails.removeOwners(firmId, detail.id, plan.removed);
    await contactDetails.setPrimaryFlag(firmId, detail.id, plan.demoted, false);
    await this.releasePreviousPrimaries(repositories, detail, plan.newlyPrimary, now);
    await contactDetails.setPrimaryFlag(firmId, detail.id, plan.promoted, true);
    await contactDetails.addOwners(firmId, detail.id, detail.type, plan.added, now);
    const changes = {
      name,
      value: canonical.value,
      extension: canonical.extension,
      updatedAt: now,
    };
    await contactDetails.update(detail, { ...changes, valueKey: canonical.valueKey });

    const affected = new Set([...current.map((owner) => owner.accountId), ...accountIds.owners]);
    await accounts.refreshPrimaryValues(firmId, [...affected], now);

    return { ...detail, ...changes };
  }

  /**
   * Locks the accounts of the detail's owners and of `requestedOwners`, then the detail itself,
   * and returns the detail and its owners as they are once locked. An owner added by another
   * transaction in the meantime was not locked, so the work runs again. When a transaction has
   * the whole database to itself, the rows read first are returned.
   */
  private async lockDetailAndAccounts(
    repositories: Repositories,
    detail: ContactDetail,
    requestedOwners: readonly string[],
  ): Promise<{ detail: ContactDetail; owners: Owner[] }> {
    const ownersOf = async () =>
      (await repositories.contactDetails.listOwners(detail.firmId, [detail.id])).get(detail.id) ??
      [];
    const before = await ownersOf();
    const { locks } = repositories;
    if (locks.holdWholeDatabase) {
      return { detail, owners: before };
    }

    const locked = new Set([...before.map((owner) => owner.accountId), ...requestedOwners]);
    await locks.accounts(detail.firmId, [...locked]);
    await locks.contactDetail(detail.firmId, detail.id);
    const current = await this.findDetail(repositories, detail.firmId, detail.id);
    const owners = await ownersOf();
    if (owners.some((owner) => !locked.has(owner.accountId))) {
      throw new ConcurrentChangeError();
    }

    return { detail: current, owners };
  }

  /** Finds a visible detail or throws NotFoundError. */
  private async findDetail(repositories: Repositories, firmId: string, id: string) {
    const detail = isUuid(id)
      ? await repositories.contactDetails.findById(firmId, id.toLowerCase())
      : undefined;
    if (detail === undefined) {
      throw new NotFoundError('Contact detail');
    }

    return detail;
  }

  private async loadResource(
    repositories: Repositories,
    firmId: string,
    id: string,
  ): Promise<ContactDetailResource> {
    return this.withOwners(repositories, await this.findDetail(repositories, firmId, id));
  }

  /** Shapes `detail`, as the transaction last wrote it, with its owners read afresh. */
  private async withOwners(
    repositories: Repositories,
    detail: ContactDetail,
  ): Promise<ContactDetailResource> {
    const { owners, accounts } = await repositories.contactDetails.listOwnersWithAccounts(
      detail.firmId,
      [detail.id],
    );

    return toContactDetailResource(detail, this.options, {
      owners: owners.get(detail.id) ?? [],
      accounts,
    });
  }

  /** Runs `work` in a transaction; a unique-index race surfaces as the same 422 a check gives. */
  private async runTransaction<T>(
    firmId: string,
    work: (repositories: Repositories) => Promise<T>,
  ): Promise<T> {
    try {
      return await this.storage.transaction({ firmId }, work);
    } catch (error) {
      if (error instanceof StorageConflictError) {
        throw ValidationError.of(
          'primary_account_uuids',
          'Another request changed the primary details of these accounts at the same moment; ' +
            'send the request again.',
        );
      }

      throw error;
    }
  }
}

interface CheckedOwners {
  owners: string[];
  primaries: string[] | undefined;
}

/** Laravel's TrimStrings: surrounding white space is not part of a label. */
function checkName(input: string, errors: FieldErrorCollector): string | undefined {
  const name = input.trim();
  if (name === '') {
    errors.add('name', 'The name field is required.');

    return undefined;
  }

  return name;
}

/**
 * Checks that every owner is a client account of the firm and every primary is an owner. Returns
 * the distinct lower-cased ids, or undefined when any is wrong.
 */
async function checkOwners(
  repositories: Repositories,
  firmId: string,
  input: UpdateContactDetailInput,
  errors: FieldErrorCollector,
): Promise<CheckedOwners | undefined> {
  const owners = distinct(input.account_uuids);
  const primaries =
    input.primary_account_uuids === undefined ? undefined : distinct(input.primary_account_uuids);
  const found = indexById(
    await repositories.accounts.findByIds(
      firmId,
      owners.filter((id) => isUuid(id)),
    ),
  );
  const before = errors.count;
  for (const [index, raw] of input.account_uuids.entries()) {
    const account = found.get(raw.toLowerCase());
    if (account === undefined) {
      errors.add(
        `account_uuids.${index}`,
        `The selected account_uuids.${index} is invalid: no client account ${raw} exists in this firm.`,
      );
    } else if (account.type !== 'client') {
      errors.add(
        `account_uuids.${index}`,
        `The account_uuids.${index} field must name a client account: ${raw} is an ` +
          `${account.type} account, and only clients own contact details.`,
      );
    }
  }

  const ownerSet = new Set(owners);
  for (const [index, raw] of (input.primary_account_uuids ?? []).entries()) {
    if (!ownerSet.has(raw.toLowerCase())) {
      errors.add(
        `primary_account_uuids.${index}`,
        `The primary_account_uuids.${index} field must be one of the account_uuids: ${raw} is ` +
          'not listed as an owner, so add it to account_uuids or remove it here.',
      );
    }
  }

  return errors.count === before ? { owners, primaries } : undefined;
}

async function checkDuplicates(
  repositories: Repositories,
  detail: ContactDetail,
  canonical: CanonicalValue,
  ownerIds: readonly string[],
  errors: FieldErrorCollector,
): Promise<void> {
  const duplicates = await repositories.contactDetails.findOwnedDuplicates(
    detail.firmId,
    detail.type,
    canonical.valueKey,
    ownerIds,
    detail.id,
  );
  if (duplicates.length === 0) {
    return;
  }

  const accounts = indexById(
    await repositories.accounts.findByIds(
      detail.firmId,
      duplicates.map((duplicate) => duplicate.accountId),
    ),
  );
  for (const duplicate of duplicates) {
    const owner = accounts.get(duplicate.accountId)?.name ?? duplicate.accountId;
    errors.add(
      'value',
      `The value has already been taken: ${owner} already has this ${TYPE_NAMES[detail.type]} ` +
        `as contact detail ${duplicate.contactDetailId}. To share one detail between clients, ` +
        'list them all in the account_uuids of that detail.',
    );
  }
}

/** Leaves a client caller only its own account among a detail's owners. */
function hideOtherOwners(caller: Caller, resource: ContactDetailResource): ContactDetailResource {
  if (caller.accountType !== 'client') {
    return resource;
  }

  const isCaller = (account: { uuid: string }) => account.uuid === caller.accountId;

  return {
    ...resource,
    ...(resource.accounts === undefined ? {} : { accounts: resource.accounts.filter(isCaller) }),
    ...(resource.primary_accounts === undefined
      ? {}
      : { primary_accounts: resource.primary_accounts.filter(isCaller) }),
  };
}

function distinct(ids: readonly string[]): string[] {
  return [...new Set(ids.map((id) => id.toLowerCase()))];
}

function indexById(accounts: readonly Account[]): Map<string, Account> {
  return new Map(accounts.map((account) => [account.id, account]));
}
