export const CONTACT_DETAIL_TYPES = ['email', 'phone_number'] as const;
export type ContactDetailType = (typeof CONTACT_DETAIL_TYPES)[number];

/** A phone number or email address of one or more client accounts. */
export interface ContactDetail {
  id: string;
  firmId: string;
  type: ContactDetailType;
  /** The label, such as "Work number". */
  name: string;
  /** Canonical value: E.164 for phone numbers, the normalised address for emails. */
  value: string;
  /** Phone extension digits, or null. */
  extension: string | null;
  createdAt: string;
  updatedAt: string;
}

/** One owner of a detail, with its own primary flag. */
export interface Owner {
  accountId: string;
  isPrimary: boolean;
}
