import { type Static, Type } from 'typebox';

import { QueryParameter, UuidSchema } from '../http/schema-types.js';
import { CONTACT_DETAIL_TYPES } from './contact-detail.js';

/** Owner lists are bounded so that one request cannot ask for unbounded work. */
export const MAX_OWNERS = 100;

const Uuid = UuidSchema();

export const ContactDetailParamsSchema = Type.Object({
  uuid: Type.String({ description: 'The UUID of the contact detail.' }),
});

export const UpdateContactDetailBodySchema = Type.Object({
  name: Type.String({
    minLength: 1,
    maxLength: 255,
    description: 'The label, such as "Work number": 1 to 255 characters.',
  }),
  value: Type.Unknown({
    description:
      'A phone number as an international string ("+443330903630"), a UK national string ' +
      '("0333 090 3630") or an object {"country": "AU", "number": "02 3456 7890"}; or an email ' +
      'address. It is read by the type the detail already has.',
  }),
  account_uuids: Type.Array(Uuid, {
    minItems: 1,
    maxItems: MAX_OWNERS,
    description: 'The client accounts that own the detail; the owner set becomes exactly this.',
  }),
  primary_account_uuids: Type.Optional(
    Type.Array(Uuid, {
      maxItems: MAX_OWNERS,
      description:
        'The owners that hold the detail as their primary of its type; when present, exactly these. ' +
        'Each must also be in account_uuids.',
    }),
  ),
});

export type UpdateContactDetailBody = Static<typeof UpdateContactDetailBodySchema>;

export const CreateContactDetailBodySchema = Type.Object({
  type: Type.Enum([...CONTACT_DETAIL_TYPES], {
    description: 'email or phone_number; it never changes afterwards.',
  }),
  ...UpdateContactDetailBodySchema.properties,
  is_primary: Type.Optional(
    Type.Boolean({ description: 'Makes the new detail primary for every owner.' }),
  ),
});

export type CreateContactDetailBody = Static<typeof CreateContactDetailBodySchema>;

export const ListContactDetailsQuerySchema = Type.Object(
  {
    'filter[uuid]': QueryParameter('Comma-separated contact-detail UUIDs.'),
    'filter[account_uuids]': QueryParameter(
      'Details owned by any of these comma-separated account UUIDs.',
    ),
    'filter[circle_uuids]': QueryParameter('Details owned by any account in any of these circles.'),
    'filter[type]': QueryParameter('email, phone_number, or both comma-separated.'),
    'filter[value]': QueryParameter(
      'Comma-separated partial values, matched case-insensitively. A term that reads as a ' +
        'phone number also matches its canonical form, so 07400 123456 finds +447400123456.',
    ),
    include: QueryParameter('accounts, primary_accounts, or both.'),
    sort: QueryParameter(
      'created_at (default), updated_at, name or value; a leading - sorts descending.',
    ),
    per_page: QueryParameter('Page size from 1 to 500; 15 by default.'),
    page: QueryParameter('Page number from 1.'),
  },
  { additionalProperties: true },
);
