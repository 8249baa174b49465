import type { Kysely } from 'kysely';

import type { Circle, CircleRepository } from '../../circles/repository.js';
import type { Database } from '../database.js';

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
}
