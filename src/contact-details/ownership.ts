import type { Owner } from './contact-detail.js';

/** The changes that turn a detail's current owners into the requested ones. */
export interface OwnershipPlan {
  /** The owners after the change, in the order of the request. */
  owners: Owner[];
  /** Owner links to insert. */
  added: Owner[];
  /** Accounts that stop owning the detail, and lose any primary flag with it. */
  removed: string[];
  /** Remaining owners whose flag turns on. */
  promoted: string[];
  /** Remaining owners whose flag turns off. */
  demoted: string[];
  /**
   * Accounts that hold the detail as primary now but did not before: their previous primary of the
   * same type must be demoted.
   */
  newlyPrimary: string[];
  /** Whether anything about the owners or their flags differs. */
  changed: boolean;
}

/**
 * Plans the owner set `accountIds` over `current`. With `primaryAccountIds`, exactly those owners
 * hold the detail as primary; without it, remaining owners keep their flags and new owners get none.
 * The ids must be distinct, and every primary id must be among `accountIds`.
 */
export function planOwnership(
  current: readonly Owner[],
  accountIds: readonly string[],
  primaryAccountIds: readonly string[] | undefined,
): OwnershipPlan {
  const currentFlags = new Map(current.map((owner) => [owner.accountId, owner.isPrimary]));
  const primaries = primaryAccountIds === undefined ? undefined : new Set(primaryAccountIds);
  const owners = accountIds.map((accountId) => ({
    accountId,
    isPrimary: primaries?.has(accountId) ?? currentFlags.get(accountId) ?? false,
  }));

  const requested = new Set(accountIds);
  const removed = current
    .filter((owner) => !requested.has(owner.accountId))
    .map((owner) => owner.accountId);
  const added = owners.filter((owner) => !currentFlags.has(owner.accountId));
  const kept = owners.filter((owner) => currentFlags.has(owner.accountId));
  const promoted = kept
    .filter((owner) => owner.isPrimary && currentFlags.get(owner.accountId) === false)
    .map((owner) => owner.accountId);
  const demoted = kept
    .filter((owner) => !owner.isPrimary && currentFlags.get(owner.accountId) === true)
    .map((owner) => owner.accountId);
  const newlyPrimary = [
    ...promoted,
    ...added.filter((owner) => owner.isPrimary).map((owner) => owner.accountId),
  ];

  return {
    owners,
    added,
    removed,
    promoted,
    demoted,
    newlyPrimary,
    changed: added.length + removed.length + promoted.length + demoted.length > 0,
  };
}
