import type { AccountRole } from '../../src/accounts/account.js';
import type { Caller } from '../../src/auth/caller.js';
import type { ContactDetailType } from '../../src/contact-details/contact-detail.js';
import type { ContactDetailService } from '../../src/contact-details/service.js';
import { issueToken, provisionFirm } from '../../src/firms/provisioning.js';
import { newId } from '../../src/ids.js';
import type { Storage } from '../../src/storage/storage.js';
import type { ManualClock } from './clock.js';
import type { Credentials } from './test-app.js';

/** A firm made for a test, with its owner employee. */
export interface TestFirm {
  firmId: string;
  owner: Credentials & { userId: string };
}

let sequence = 0;

/** Builds firms, accounts, logins and details through the app's own storage and services. */
export class Fixtures {
  constructor(
    private readonly storage: Storage,
    private readonly service: ContactDetailService,
    private readonly clock: ManualClock,
  ) {}

  async firm(name = 'Test Firm'): Promise<TestFirm> {
    sequence += 1;
    const firm = await provisionFirm(
      this.storage,
      {
        firmName: name,
        ownerEmail: `owner${sequence}@firm.example`,
        ownerFirstName: 'Olive',
        ownerLastName: 'Owner',
      },
      this.clock.now(),
    );

    return {
      firmId: firm.firmId,
      owner: { token: firm.token, accountId: firm.accountId, userId: firm.userId },
    };
  }

  async client(
    firm: TestFirm,
    firstName = 'Ada',
    lastName = 'Jones',
    role: AccountRole = 'individual',
  ): Promise<string> {
    return this.account(firm, 'client', role, firstName, lastName);
  }

  /** Adds an account with a user and login of its own, and returns that user's credentials. */
  async member(
    firm: TestFirm,
    options: {
      type?: 'client' | 'employee' | 'external';
      role?: AccountRole;
      write?: boolean;
      delete?: boolean;
      accountId?: string;
      restrictToken?: boolean;
    } = {},
  ): Promise<Credentials & { userId: string }> {
    const type = options.type ?? 'employee';
    const role =
      options.role ??
      (type === 'employee' ? 'member' : type === 'client' ? 'individual' : 'introducer');
    const accountId =
      options.accountId ?? (await this.account(firm, type, role, 'Member', 'Person'));
    sequence += 1;
    const userId = newId();
    const now = this.clock.now();
    const { plainText: token } = await this.storage.transaction(
      { firmId: firm.firmId, userId },
      async (repositories) => {
        await repositories.auth.createUser({
          id: userId,
          email: `member${sequence}@firm.example`,
          name: 'Member Person',
          passwordHash: null,
          createdAt: now.toISOString(),
        });
        await repositories.auth.createLogin({
          id: newId(),
          firmId: firm.firmId,
          userId,
          accountId,
          hasWritePermission: options.write ?? false,
          hasDeletePermission: options.delete ?? false,
          createdAt: now.toISOString(),
        });

        return issueToken(
          repositories,
          userId,
          'test',
          now,
          options.restrictToken === true ? accountId : null,
        );
      },
    );

    return { token, accountId, userId };
  }

  /** Creates a detail through the service, as the firm's owner. */
  async detail(
    firm: TestFirm,
    type: ContactDetailType,
    value: unknown,
    owners: string[],
    primaries: string[] = [],
    name = 'Label',
  ): Promise<string> {
    const created = await this.service.create(this.ownerCaller(firm), {
      type,
      name,
      value,
      account_uuids: owners,
      primary_account_uuids: primaries,
    });

    return created.uuid;
  }

  private ownerCaller(firm: TestFirm): Caller {
    return {
      userId: firm.owner.userId,
      tokenId: '',
      accountId: firm.owner.accountId,
      accountType: 'employee',
      accountRole: 'owner',
      firmId: firm.firmId,
      hasWritePermission: true,
      hasDeletePermission: true,
    };
  }

  private async account(
    firm: TestFirm,
    type: 'client' | 'employee' | 'external',
    role: AccountRole,
    firstName: string | null,
    lastName: string | null,
  ): Promise<string> {
    const id = newId();
    await this.storage.transaction({ firmId: firm.firmId }, ({ accounts }) =>
      accounts.create({
        id,
        firmId: firm.firmId,
        type,
        role,
        firstName,
        lastName,
        name: [firstName, lastName].filter((part) => part !== null).join(' '),
        createdAt: this.clock.now().toISOString(),
      }),
    );

    return id;
  }
}
