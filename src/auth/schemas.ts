import { type Static, Type } from 'typebox';

import { UuidSchema } from '../http/schema-types.js';

export const LoginSchema = Type.Object({
  uuid: Type.String({ format: 'uuid' }),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
  has_write_permission: Type.Boolean(),
  has_delete_permission: Type.Boolean(),
  account: Type.Object({
    uuid: Type.String({
      format: 'uuid',
      description: 'Send this as X-PLANNR-ACCOUNT-UUID to act as this account.',
    }),
    type: Type.String(),
    role: Type.String(),
    name: Type.String(),
    firm: Type.Object({ uuid: Type.String({ format: 'uuid' }), name: Type.String() }),
  }),
});

export const LoginListSchema = Type.Object({ data: Type.Array(LoginSchema) });

export type LoginList = Static<typeof LoginListSchema>;

export const CreateTokenBodySchema = Type.Object({
  name: Type.String({
    minLength: 1,
    maxLength: 255,
    description: 'A label that names where the token is used.',
  }),
  password: Type.String({
    minLength: 1,
    maxLength: 1024,
    description: "The user's password, to confirm who asks.",
  }),
  account_uuid: Type.Optional(
    Type.Union([UuidSchema(), Type.Null()], {
      description: 'Restricts the token to this account, which the user must have a login to.',
    }),
  ),
});

export type CreateTokenBody = Static<typeof CreateTokenBodySchema>;

export const TokenSchema = Type.Object({
  name: Type.String(),
  token: Type.String({ description: 'The plain token, shown this once; only its hash is kept.' }),
  account_uuid: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
  expires_at: Type.String({ format: 'date-time' }),
});

export type TokenResource = Static<typeof TokenSchema>;
