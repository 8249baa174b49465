import type { Kysely } from 'kysely';

import type { Circle, CircleRepository } from '../../circles/repository.js';
import type { Database } from '../database.js';
import { isIn } from './conditions.js';

/** CircleRepository over any Kysely dialect. */
export class CircleQueries implements CircleRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(circle: Circle, memberIds: readonly string[]): Promise<void> {
    await this.db
      .insertInto('circles')
      .values({
        id: circle.id,
        firm_id: circle.firmId,
        name: circle.name,
        created_at: circle.createdAt,
        updated_at: circle.createdAt,
      })
      .execute();
    if (memberIds.length === 0) {
      return;
    }

    await this.db
      .insertInto('circle_members')
      .values(
        memberIds.map((accountId) => ({
          firm_id: circle.firmId,
          circle_id: circle.id,
          account_id: accountId,
          created_at: circle.createdAt,
        })),
      )
      .execute();
  }

  async list(firmId: string, limit: number, offset: number): Promise<Circle[]> {
    const rows = await this.db
      .selectFrom('circles')
      .select(['id', 'firm_id', 'name', 'created_at', 'updated_at'])
      .where('firm_id', '=', firmId)
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit)
      .offset(offset)
      .execute();

    return rows.map((row) => ({
      id: row.id,
      firmId: row.firm_id,
      name: row.name,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }));
  }

  async count(firmId: string): Promise<number> {
    const row = await this.db
      .selectFrom('circles')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where('firm_id', '=', firmId)
      .executeTakeFirstOrThrow();

    return Number(row.count);
  }

  async listMembers(firmId: string, circleIds: readonly string[]): Promise<Map<string, string[]>> {
    const members = new Map<string, string[]>(circleIds.map((id) => [id, []]));
    const rows = await this.db
      .selectFrom('circle_members')
      .select(['circle_id', 'account_id'])
      .where('firm_id', '=', firmId)
      .where(isIn('circle_id', circleIds))
      .orderBy('created_at')
      .orderBy('account_id')
      .execute();
    for (const row of rows) {
      members.get(row.circle_id)?.push(row.account_id);
    }

    return members;
  }
}
