import { type Static, Type } from 'typebox';

import { QueryParameter } from '../http/schema-types.js';

import { ACCOUNT_ROLES } from './account.js';

const Name = (description: string) => Type.String({ minLength: 1, maxLength: 255, description });

export const AccountParamsSchema = Type.Object({
  uuid: Type.String({ description: 'The UUID of the account.' }),
});

/** The body of POST and PUT: a client, named by first and last name or, for entities, by name. */
export const AccountBodySchema = Type.Object({
  type: Type.Optional(
    Type.Enum(['client'], { description: 'Only client accounts are created and changed here.' }),
  ),
  role: Type.Enum([...ACCOUNT_ROLES.client], {
    description: 'individual, joint, trust or business.',
  }),
  first_name: Type.Optional(
    Type.Union([Name('Required for individual and joint clients.'), Type.Null()]),
  ),
  last_name: Type.Optional(
    Type.Union([Name('Required for individual and joint clients.'), Type.Null()]),
  ),
  name: Type.Optional(
    Type.Union([
      Name('Required for trusts and businesses; built from the first and last name otherwise.'),
      Type.Null(),
    ]),
  ),
});

export type AccountBody = Static<typeof AccountBodySchema>;

export const ListAccountsQuerySchema = Type.Object(
  {
    'filter[type]': QueryParameter('client, employee or external.'),
    'filter[role]': QueryParameter('Comma-separated roles.'),
    'filter[uuid]': QueryParameter('Comma-separated account UUIDs.'),
    sort: QueryParameter(
      'created_at (default), updated_at, first_name, last_name or name; a leading - sorts descending.',
    ),
    per_page: QueryParameter('Page size from 1 to 500; 15 by default.'),
    page: QueryParameter('Page number from 1.'),
  },
  { additionalProperties: true },
);
