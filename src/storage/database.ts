import type { Generated } from 'kysely';

/**
 * The tables as every storage dialect stores them. Ids are UUID strings, timestamps are ISO 8601 UTC
 * strings with milliseconds (`2026-06-08T15:08:03.123Z`, which sort as text), and flags are the
 * integers 0 and 1, so that one set of queries and migrations serves SQLite and PostgreSQL alike.
 */
export interface Database {
  firms: FirmTable;
  users: UserTable;
  accounts: AccountTable;
  logins: LoginTable;
  personal_access_tokens: PersonalAccessTokenTable;
  circles: CircleTable;
  circle_members: CircleMemberTable;
  contact_details: ContactDetailTable;
  contact_detail_owners: ContactDetailOwnerTable;
  contact_detail_counts: ContactDetailCountTable;
  contact_detail_trigrams: ContactDetailTrigramTable;
  contact_detail_trigram_backlog: ContactDetailTrigramBacklogTable;
}

/**
 * The index of a value search: one row for each run of three characters of a live detail's value,
 * lower-cased, kept by every write of a value.
 */
export interface ContactDetailTrigramTable {
  firm_id: string;
  trigram: string;
  contact_detail_id: string;
}

/**
 * New details whose trigrams are still to be written, on a database that writes them in batches.
 * Every search reads these details, so none is missed in the meantime.
 */
export interface ContactDetailTrigramBacklogTable {
  firm_id: string;
  contact_detail_id: string;
}

/** The number of live details of each firm and type, kept by every create and delete. */
export interface ContactDetailCountTable {
  firm_id: string;
  type: string;
  live: number;
}

export type Flag = 0 | 1;

export interface FirmTable {
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
}

export interface UserTable {
  id: string;
  /** Lower-cased address; unique across the installation. */
  email: string;
  name: string;
  password_hash: string | null;
  created_at: string;
  updated_at: string;
}

export interface AccountTable {
  id: string;
  firm_id: string;
  type: string;
  role: string;
  first_name: string | null;
  last_name: string | null;
  name: string;
  /** Copy of the value of the account's primary email detail, kept in step by every write. */
  primary_email: string | null;
  /** Copy of the value of the account's primary phone detail, kept in step by every write. */
  primary_phone_number: string | null;
  photo_url: string | null;
  /** JSON array of `{ "system": string, "reference": string }` objects. */
  external_references: Generated<string>;
  inactive_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface LoginTable {
  id: string;
  firm_id: string;
  user_id: string;
  account_id: string;
  has_write_permission: Flag;
  has_delete_permission: Flag;
  deactivated_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface PersonalAccessTokenTable {
  id: string;
  user_id: string;
  name: string;
  /** SHA-256 of the plain token, hex encoded; the plain token is never stored. */
  token_hash: string;
  /** When set, the token may act only as this account. */
  account_id: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  created_at: string;
}

export interface CircleTable {
  id: string;
  firm_id: string;
  name: string;
  created_at: string;
  updated_at: string;
}

export interface CircleMemberTable {
  firm_id: string;
  circle_id: string;
  account_id: string;
  created_at: string;
}

export interface ContactDetailTable {
  id: string;
  firm_id: string;
  type: string;
  name: string;
  /** Canonical value: E.164 for phone numbers, the normalised address for emails. */
  value: string;
  /** The key duplicates are compared by: the value, lower-cased for emails. */
  value_key: string;
  /**
   * The value lower-cased by JavaScript, which `filter[value]` compares; null only for details
   * deleted before the column existed.
   */
  search_value: string | null;
  /** Phone extension digits, kept apart from the E.164 value. */
  extension: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface ContactDetailOwnerTable {
  firm_id: string;
  contact_detail_id: string;
  account_id: string;
  /** Copy of the detail's type, which never changes, so the database can index primaries by it. */
  type: string;
  is_primary: Flag;
  created_at: string;
}
