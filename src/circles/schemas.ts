import { type Static, Type } from 'typebox';

import { AccountSummarySchema } from '../accounts/resource.js';
import { QueryParameter, UuidSchema } from '../http/schema-types.js';

export const CircleSchema = Type.Object({
  uuid: Type.String({ format: 'uuid' }),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
  name: Type.String(),
  accounts: Type.Array(AccountSummarySchema, { description: 'The members.' }),
});

export type CircleResource = Static<typeof CircleSchema>;

export const CreateCircleBodySchema = Type.Object({
  name: Type.String({
    minLength: 1,
    maxLength: 255,
    description: 'The name, such as "Jones Family".',
  }),
  account_uuids: Type.Optional(
    Type.Array(UuidSchema(), {
      maxItems: 100,
      description: 'The client accounts of the firm that are members.',
    }),
  ),
});

export type CreateCircleBody = Static<typeof CreateCircleBodySchema>;

export const ListCirclesQuerySchema = Type.Object(
  {
    per_page: QueryParameter('Page size from 1 to 500; 15 by default.'),
    page: QueryParameter('Page number from 1.'),
  },
  { additionalProperties: true },
);
