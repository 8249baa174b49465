import type { AccountRole } from '../accounts/account.js';
import type { Caller } from '../auth/caller.js';
import type { ContactDetailService } from '../contact-details/service.js';
import { provisionFirm } from '../firms/provisioning.js';
import { newId } from '../ids.js';
import type { Storage } from '../storage/storage.js';

export const DEMO_ADVISER_EMAIL = 'adviser@demo.contactd.example';
/** The demo adviser's password, for POST /api/v1/personal-access-tokens. */
export const DEMO_ADVISER_PASSWORD = 'contactd-demo';

/** The rows the demo seeding made, for printing a request that works against them. */
export interface DemoFirm {
  token: string;
  /** The adviser's employee account: the value for `X-PLANNR-ACCOUNT-UUID`. */
  adviserAccountId: string;
  clients: Record<'ada' | 'ben' | 'cara' | 'trust', string>;
  /** Ada's direct line, the phone number detail that the printed PUT request updates. */
  directLineDetailId: string;
}

interface DemoClient {
  key: keyof DemoFirm['clients'];
  role: AccountRole;
  firstName: string | null;
  lastName: string | null;
  name: string;
}

const CLIENTS: readonly DemoClient[] = [
  { key: 'ada', role: 'individual', firstName: 'Ada', lastName: 'Jones', name: 'Ada Jones' },
  { key: 'ben', role: 'individual', firstName: 'Ben', lastName: 'Jones', name: 'Ben Jones' },
  { key: 'cara', role: 'individual', firstName: 'Cara', lastName: 'Patel', name: 'Cara Patel' },
  { key: 'trust', role: 'trust', firstName: null, lastName: null, name: 'Jones Family Trust' },
];

/**
 * Seeds a demo firm: an adviser who may write and delete, with a token; four clients, of whom Ada
 * and Ben Jones are a couple in the "Jones Family" circle and share a landline; and emails and
 * phone numbers, some of them primary. Phone numbers come from Ofcom's drama ranges, which are never
 * allocated to anyone, and emails from the example domains of RFC 2606.
 */
export async function seedDemoFirm(
  storage: Storage,
  contactDetails: ContactDetailService,
  now: Date,
): Promise<DemoFirm> {
  const firm = await provisionFirm(
    storage,
    {
      firmName: 'Demo Financial Planning',
      ownerEmail: DEMO_ADVISER_EMAIL,
      ownerFirstName: 'Alex',
      ownerLastName: 'Adviser',
      ownerPassword: DEMO_ADVISER_PASSWORD,
    },
    now,
  );
  const clients = await storage.transaction({ firmId: firm.firmId }, async (repositories) => {
    const ids: Partial<DemoFirm['clients']> = {};
    for (const client of CLIENTS) {
      const id = newId(now.getTime());
      await repositories.accounts.create({
        id,
        firmId: firm.firmId,
        type: 'client',
        role: client.role,
        firstName: client.firstName,
        lastName: client.lastName,
        name: client.name,
        createdAt: now.toISOString(),
      });
      ids[client.key] = id;
    }

    const seeded = ids as DemoFirm['clients'];
    await repositories.circles.create(
      {
        id: newId(now.getTime()),
        firmId: firm.firmId,
        name: 'Jones Family',
        createdAt: now.toISOString(),
      },
      [seeded.ada, seeded.ben],
    );

    return seeded;
  });

  const adviser: Caller = {
    userId: firm.userId,
    tokenId: '',
    accountId: firm.accountId,
    accountType: 'employee',
    accountRole: 'owner',
    firmId: firm.firmId,
    hasWritePermission: true,
    hasDeletePermission: true,
  };
  const create = (
    type: 'email' | 'phone_number',
    name: string,
    value: string,
    owners: string[],
    primaries: string[],
  ) =>
    contactDetails.create(adviser, {
      type,
      name,
      value,
      account_uuids: owners,
      primary_account_uuids: primaries,
    });

  await create('email', 'Personal email', 'ada.jones@example.com', [clients.ada], [clients.ada]);
  await create('email', 'Work email', 'ben.jones@example.org', [clients.ben], [clients.ben]);
  await create('phone_number', 'Home', '020 7946 0123', [clients.ada, clients.ben], [clients.ben]);
  const directLine = await create(
    'phone_number',
    'Direct line',
    '020 7946 0456',
    [clients.ada],
    [clients.ada],
  );
  await create('email', 'Email', 'cara.patel@example.net', [clients.cara], [clients.cara]);
  await create('phone_number', 'Office', '0113 496 0999', [clients.cara], []);
  await create('email', 'Trustees', 'trustees@example.com', [clients.trust], [clients.trust]);

  return {
    token: firm.token,
    adviserAccountId: firm.accountId,
    clients,
    directLineDetailId: directLine.uuid,
  };
}
