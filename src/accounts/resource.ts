import { type Static, Type } from 'typebox';

import { formatTimestamp } from '../time.js';
import { ACCOUNT_TYPES, type Account } from './account.js';

const NullableString = Type.Union([Type.String(), Type.Null()]);

/** An account as contact-detail responses embed it. */
export const AccountSummarySchema = Type.Object({
  uuid: Type.String({ format: 'uuid' }),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
  type: Type.Enum([...ACCOUNT_TYPES]),
  role: Type.String(),
  first_name: NullableString,
  last_name: NullableString,
  name: Type.String(),
  email: Type.Union([Type.String(), Type.Null()], {
    description: 'Deprecated: the same as primary_email.',
  }),
  primary_email: NullableString,
  primary_phone_number: NullableString,
  photo_url: NullableString,
  external_references: Type.Array(Type.Object({ system: Type.String(), reference: Type.String() })),
});

export type AccountSummary = Static<typeof AccountSummarySchema>;

/** Shapes an account for a response, with timestamps in `timeZone`. */
export function toAccountSummary(account: Account, timeZone: string): AccountSummary {
  return {
    uuid: account.id,
    created_at: formatTimestamp(account.createdAt, timeZone),
    updated_at: formatTimestamp(account.updatedAt, timeZone),
    type: account.type,
    role: account.role,
    first_name: account.firstName,
    last_name: account.lastName,
    name: account.name,
    email: account.primaryEmail,
    primary_email: account.primaryEmail,
    primary_phone_number: account.primaryPhoneNumber,
    photo_url: account.photoUrl,
    external_references: account.externalReferences,
  };
}
