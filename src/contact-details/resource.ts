import { type Static, Type } from 'typebox';

import type { Account } from '../accounts/account.js';
import { AccountSummarySchema, toAccountSummary } from '../accounts/resource.js';
import { formatTimestamp } from '../time.js';
import { type PhoneNumberOptions, describePhoneNumber } from '../values/phone.js';
import { CONTACT_DETAIL_TYPES, type ContactDetail, type Owner } from './contact-detail.js';

const PhoneNumberMetaSchema = Type.Object({
  country: Type.String({ description: 'ISO 3166-1 region of the number, such as GB, JE or AU.' }),
  formatted: Type.String({
    description: 'National format for numbers of the home calling code, international otherwise.',
  }),
  national: Type.String(),
  international: Type.String(),
  number_type: Type.Union([Type.String(), Type.Null()], {
    description: 'mobile, fixed_line, voip, uan, ... in lower case.',
  }),
  extension: Type.Union([Type.String(), Type.Null()]),
});

export const ContactDetailSchema = Type.Object({
  uuid: Type.String({ format: 'uuid' }),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
  type: Type.Enum([...CONTACT_DETAIL_TYPES]),
  name: Type.String(),
  value: Type.String({
    description: 'E.164 for phone numbers, the normalised address for emails.',
  }),
  phone_number_meta: Type.Optional(PhoneNumberMetaSchema),
  accounts: Type.Optional(Type.Array(AccountSummarySchema, { description: 'The owners.' })),
  primary_accounts: Type.Optional(
    Type.Array(AccountSummarySchema, {
      description: 'The owners that hold this detail as their primary of its type.',
    }),
  ),
});

export type ContactDetailResource = Static<typeof ContactDetailSchema>;

/** Settings that shape resources: the zone of timestamps and the home of phone numbers. */
export interface ResourceOptions {
  timeZone: string;
  phone: PhoneNumberOptions;
}

/** The owners of a detail with their accounts, which must hold every owner. */
export interface OwnerAccounts {
  owners: readonly Owner[];
  accounts: ReadonlyMap<string, Account>;
  /** The owner arrays to include; both when not given. */
  include?: { accounts: boolean; primaryAccounts: boolean };
}

/** Shapes a detail for a response, with the owner arrays when `related` is given. */
export function toContactDetailResource(
  detail: ContactDetail,
  options: ResourceOptions,
  related?: OwnerAccounts,
): ContactDetailResource {
  const resource: ContactDetailResource = {
    uuid: detail.id,
    created_at: formatTimestamp(detail.createdAt, options.timeZone),
    updated_at: formatTimestamp(detail.updatedAt, options.timeZone),
    type: detail.type,
    name: detail.name,
    value: detail.value,
  };
  if (detail.type === 'phone_number') {
    resource.phone_number_meta = describePhoneNumber(detail.value, detail.extension, options.phone);
  }

  if (related !== undefined) {
    const { owners, accounts, include } = related;
    const summaryOf = (owner: Owner) => {
      const account = accounts.get(owner.accountId);
      if (account === undefined) {
        throw new Error(`owner ${owner.accountId} of contact detail ${detail.id} was not loaded`);
      }

      return toAccountSummary(account, options.timeZone);
    };
    if (include?.accounts !== false) {
      resource.accounts = owners.map(summaryOf);
    }

    if (include?.primaryAccounts !== false) {
      resource.primary_accounts = owners.filter((owner) => owner.isPrimary).map(summaryOf);
    }
  }

  return resource;
}
