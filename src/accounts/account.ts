export const ACCOUNT_TYPES = ['client', 'employee', 'external'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

/** The roles each account type may have. */
export const ACCOUNT_ROLES = {
  client: ['individual', 'joint', 'trust', 'business'],
  employee: ['member', 'admin', 'owner'],
  external: ['introducer'],
} as const satisfies Record<AccountType, readonly string[]>;

export type AccountRole = (typeof ACCOUNT_ROLES)[AccountType][number];

/** A reference to the account in another system, such as a back-office platform. */
export interface ExternalReference {
  system: string;
  reference: string;
}

/** A person or entity inside a firm. */
export interface Account {
  id: string;
  firmId: string;
  type: AccountType;
  role: AccountRole;
  firstName: string | null;
  lastName: string | null;
  name: string;
  primaryEmail: string | null;
  primaryPhoneNumber: string | null;
  photoUrl: string | null;
  externalReferences: ExternalReference[];
  inactiveAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The fields needed to create an account; the storage fills in the rest. */
export interface NewAccount {
  id: string;
  firmId: string;
  type: AccountType;
  role: AccountRole;
  firstName: string | null;
  lastName: string | null;
  name: string;
  createdAt: string;
}
