import type { Kysely } from 'kysely';

import type { Firm, FirmRepository } from '../../firms/repository.js';
import type { Database } from '../database.js';

/** FirmRepository over any Kysely dialect. */
export class FirmQueries implements FirmRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(firm: Firm): Promise<void> {
    await this.db
      .insertInto('firms')
      .values({
        id: firm.id,
        name: firm.name,
        created_at: firm.createdAt,
        updated_at: firm.createdAt,
      })
      .execute();
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('firms')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .executeTakeFirstOrThrow();

    return Number(row.count);
  }
}
