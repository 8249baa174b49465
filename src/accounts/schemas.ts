import { type Static, Type } from 'typebox';

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
    'filter[type]': Type.Optional(Type.String({ description: 'client, employee or external.' })),
    'filter[role]': Type.Optional(Type.String({ description: 'Comma-separated roles.' })),
    'filter[uuid]': Type.Optional(Type.String({ description: 'Comma-separated account UUIDs.' })),
    sort: Type.Optional(
      Type.String({
        description:
          'created_at (default), updated_at, first_name, last_name or name; a leading - sorts descending.',
      }),
    ),
    per_page: Type.Optional(
      Type.String({ description: 'Page size from 1 to 500; 15 by default.' }),
    ),
    page: Type.Optional(Type.String({ description: 'Page number from 1.' })),
  },
  { additionalProperties: true },
);
