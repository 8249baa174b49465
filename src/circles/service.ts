import type { Account } from '../accounts/account.js';
import { toAccountSummary } from '../accounts/resource.js';
import type { Caller } from '../auth/caller.js';
import { FieldErrorCollector, ForbiddenError } from '../errors.js';
import { type PageQuery, pageWindow } from '../http/list-query.js';
import { isUuid, newId } from '../ids.js';
import type { Repositories, Storage } from '../storage/storage.js';
import { type Clock, formatTimestamp } from '../time.js';
import type { Circle } from './repository.js';
import type { CircleResource, CreateCircleBody } from './schemas.js';

/** The circle use cases, for employees of the firm. */
export class CircleService {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly timeZone: string,
  ) {}

  /** Throws ForbiddenError unless the caller is an employee, who alone manage circles. */
  assertCanManage(caller: Caller): void {
    if (caller.accountType !== 'employee') {
      throw new ForbiddenError();
    }
  }

  async list(caller: Caller, page: PageQuery): Promise<{ items: CircleResource[]; total: number }> {
    this.assertCanManage(caller);
    const { limit, offset } = pageWindow(page);

    return this.storage.read({ firmId: caller.firmId }, async (repositories) => {
      const found = await repositories.circles.list(caller.firmId, limit, offset);

      return {
        items: await this.toResources(caller.firmId, found, repositories),
        total: await repositories.circles.count(caller.firmId),
      };
    });
  }

  /** Throws ForbiddenError unless the caller is an employee with write permission. */
  assertCanCreate(caller: Caller): void {
    this.assertCanManage(caller);
    if (!caller.hasWritePermission) {
      throw new ForbiddenError();
    }
  }

  /** Creates a circle of client accounts of the firm. */
  async create(caller: Caller, body: CreateCircleBody): Promise<CircleResource> {
    this.assertCanCreate(caller);

    const memberIds = [...new Set((body.account_uuids ?? []).map((id) => id.toLowerCase()))];
    const now = this.clock().toISOString();
    const circle: Circle = {
      id: newId(),
      firmId: caller.firmId,
      name: body.name.trim(),
      createdAt: now,
      updatedAt: now,
    };

    return this.storage.transaction({ firmId: caller.firmId }, async (repositories) => {
      const errors = new FieldErrorCollector();
      if (circle.name === '') {
        errors.add('name', 'The name field is required.');
      }

      const found = new Map(
        (
          await repositories.accounts.findByIds(
            caller.firmId,
            memberIds.filter((id) => isUuid(id)),
          )
        ).map((account) => [account.id, account]),
      );
      for (const [index, raw] of (body.account_uuids ?? []).entries()) {
        if (found.get(raw.toLowerCase())?.type !== 'client') {
          errors.add(
            `account_uuids.${index}`,
            `The selected account_uuids.${index} is invalid: no client account ${raw} exists in ` +
              'this firm.',
          );
        }
      }

      errors.throwIfAny();
      await repositories.circles.create(circle, memberIds);
      const [resource] = await this.toResources(caller.firmId, [circle], repositories);
      if (resource === undefined) {
        throw new Error(`circle ${circle.id} vanished after it was created`);
      }

      return resource;
    });
  }

  private async toResources(
    firmId: string,
    circles: readonly Circle[],
    repositories: Repositories,
  ): Promise<CircleResource[]> {
    const members = await repositories.circles.listMembers(
      firmId,
      circles.map((circle) => circle.id),
    );
    const memberIds = [...new Set([...members.values()].flat())];
    const byId = new Map<string, Account>(
      (await repositories.accounts.findByIds(firmId, memberIds)).map((account) => [
        account.id,
        account,
      ]),
    );

    return circles.map((circle) => ({
      uuid: circle.id,
      created_at: formatTimestamp(circle.createdAt, this.timeZone),
      updated_at: formatTimestamp(circle.updatedAt ?? circle.createdAt, this.timeZone),
      name: circle.name,
      accounts: (members.get(circle.id) ?? [])
        .map((id) => byId.get(id))
        .filter((account) => account !== undefined)
        .map((account) => toAccountSummary(account, this.timeZone)),
    }));
  }
}
