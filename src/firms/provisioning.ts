import type { AccountRole } from '../accounts/account.js';
import { generateToken } from '../auth/tokens.js';
import { hashPassword } from '../auth/password.js';
import { newId } from '../ids.js';
import { tryNormalizeEmail } from '../values/email.js';
import type { Repositories, Storage } from '../storage/storage.js';

// Personal access tokens expire after one year unless asked otherwise.
const TOKEN_LIFETIME_MS = 365 * 24 * 60 * 60 * 1000;

export interface NewFirmOptions {
  firmName: string;
  ownerEmail: string;
  ownerFirstName: string;
  ownerLastName: string;
  ownerPassword?: string | undefined;
}

/** A firm as provisioning left it, with the owner's first token in plain text. */
export interface ProvisionedFirm {
  firmId: string;
  userId: string;
  /** The owner employee account: the value for `X-PLANNR-ACCOUNT-UUID`. */
  accountId: string;
  token: string;
}

/**
 * Creates a firm, its owner employee with a user and a login that may write and delete, and a
 * personal access token for that user, in one transaction. Throws an Error that explains the fix
 * when the email address is malformed or already belongs to a user.
 */
export async function provisionFirm(
  storage: Storage,
  options: NewFirmOptions,
  now: Date,
): Promise<ProvisionedFirm> {
  const ownerEmail = tryNormalizeEmail(options.ownerEmail);
  if (ownerEmail === undefined) {
    throw new Error(`"${options.ownerEmail}" is not a valid email address`);
  }

  if ((await storage.read({}, ({ auth }) => auth.findUserIdByEmail(ownerEmail))) !== undefined) {
    throw new Error(
      `a user with the email address ${ownerEmail} already exists in this database; ` +
        'issue a new token for it with `npm run contactd -- token --email ...`',
    );
  }

  const passwordHash =
    options.ownerPassword === undefined ? null : await hashPassword(options.ownerPassword);

  const firmId = newId(now.getTime());

  return storage.transaction({ firmId }, async (repositories) => {
    const createdAt = now.toISOString();
    await repositories.firms.create({ id: firmId, name: options.firmName, createdAt });
    const userId = newId(now.getTime());
    await repositories.auth.createUser({
      id: userId,
      email: ownerEmail,
      name: `${options.ownerFirstName} ${options.ownerLastName}`,
      passwordHash,
      createdAt,
    });
    const accountId = await createPerson(repositories, firmId, 'owner', options, createdAt);
    await repositories.auth.createLogin({
      id: newId(now.getTime()),
      firmId,
      userId,
      accountId,
      hasWritePermission: true,
      hasDeletePermission: true,
      createdAt,
    });
    const token = await issueToken(repositories, userId, 'contactd init', now);

    return { firmId, userId, accountId, token: token.plainText };
  });
}

/** A token just issued; its plain text is not kept anywhere. */
export interface IssuedToken {
  plainText: string;
  expiresAt: string;
}

/** Stores a new token for the user, valid for one year. */
export async function issueToken(
  repositories: Repositories,
  userId: string,
  name: string,
  now: Date,
  accountId: string | null = null,
): Promise<IssuedToken> {
  const token = generateToken();
  const expiresAt = new Date(now.getTime() + TOKEN_LIFETIME_MS).toISOString();
  await repositories.auth.createToken({
    id: newId(now.getTime()),
    userId,
    name,
    tokenHash: token.hash,
    accountId,
    expiresAt,
    createdAt: now.toISOString(),
  });

  return { plainText: token.plainText, expiresAt };
}

async function createPerson(
  repositories: Repositories,
  firmId: string,
  role: AccountRole,
  options: NewFirmOptions,
  createdAt: string,
): Promise<string> {
  const id = newId(Date.parse(createdAt));
  await repositories.accounts.create({
    id,
    firmId,
    type: 'employee',
    role,
    firstName: options.ownerFirstName,
    lastName: options.ownerLastName,
    name: `${options.ownerFirstName} ${options.ownerLastName}`,
    createdAt,
  });

  return id;
}
