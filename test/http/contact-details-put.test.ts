import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { MANUAL_CLOCK_START } from '../helpers/clock.js';
import {
  assertInvariants,
  failUpdatesNamedBoom,
  snapshotDatabase,
} from '../helpers/database-checks.js';
import type { TestFirm } from '../helpers/fixtures.js';
import { type Credentials, type TestApp, createTestApp } from '../helpers/test-app.js';

interface Scene {
  firm: TestFirm;
  ada: string;
  ben: string;
  /** Ada's primary email. */
  adaEmail: string;
  /** Ada's primary phone, shared with Ben, who does not hold it as primary. */
  landline: string;
  /** An email Ada owns but does not hold as primary. */
  adaWorkEmail: string;
}

let t: TestApp;
let scene: Scene;

before(async () => {
  t = await createTestApp();
});

after(async () => {
  await t.close();
});

beforeEach(async () => {
  t.clock.set(MANUAL_CLOCK_START);
  const firm = await t.fixtures.firm();
  const ada = await t.fixtures.client(firm, 'Ada', 'Jones');
  const ben = await t.fixtures.client(firm, 'Ben', 'Jones');
  scene = {
    firm,
    ada,
    ben,
    adaEmail: await t.fixtures.detail(firm, 'email', 'ada@example.com', [ada], [ada]),
    landline: await t.fixtures.detail(
      firm,
      'phone_number',
      '020 7946 0123',
      [ada, ben],
      [ada],
      'Home',
    ),
    adaWorkEmail: await t.fixtures.detail(firm, 'email', 'ada.jones@work.example', [ada]),
  };
});

function put(id: string, payload: unknown, caller: Credentials | undefined = scene.firm.owner) {
  return t.request(caller, {
    method: 'PUT',
    url: `/api/v2/contact-details/${id}`,
    payload: payload as object,
  });
}

function get(id: string, caller: Credentials | undefined = scene.firm.owner) {
  return t.request(caller, { method: 'GET', url: `/api/v2/contact-details/${id}` });
}

function landlineBody(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Home',
    value: '+442079460123',
    account_uuids: [scene.ada, scene.ben],
    ...overrides,
  };
}

/** Runs `request` and checks that it changed no row at all. */
async function assertChangesNothing(request: () => Promise<unknown>): Promise<void> {
  const before = await snapshotDatabase(t.db);
  await request();
  assert.equal(await snapshotDatabase(t.db), before, 'the request changed the database');
}

describe('PUT /api/v2/contact-details/:uuid', () => {
  describe('the seed example', () => {
    test('rejects +44751488454 as too short for GB and changes nothing', async () => {
      await assertChangesNothing(async () => {
        const response = await put(scene.landline, {
          name: 'Work phone number',
          value: '+44751488454',
          account_uuids: [scene.ada],
          primary_account_uuids: [scene.ada],
        });

        assert.equal(response.statusCode, 422);
        const body = response.json<{ message: string; errors: Record<string, string[]> }>();
        assert.deepEqual(Object.keys(body.errors), ['value']);
        assert.match(body.errors.value?.[0] ?? '', /too short/);
        assert.match(body.errors.value?.[0] ?? '', /GB/);
        assert.equal(body.message, body.errors.value?.[0]);
      });
    });

    test('updates the detail with a valid number in the same shape', async () => {
      const response = await put(scene.landline, {
        name: 'Work phone number',
        value: '+443330903630',
        account_uuids: [scene.ada],
        primary_account_uuids: [scene.ada],
      });

      assert.equal(response.statusCode, 200);
      const body = response.json<Record<string, unknown>>();
      assert.equal(body.uuid, scene.landline);
      assert.equal(body.type, 'phone_number');
      assert.equal(body.name, 'Work phone number');
      assert.equal(body.value, '+443330903630');
      assert.deepEqual(body.phone_number_meta, {
        country: 'GB',
        formatted: '0333 090 3630',
        national: '0333 090 3630',
        international: '+44 333 090 3630',
        number_type: 'uan',
        extension: null,
      });
      await assertInvariants(t.db);
    });
  });

  describe('response shape', () => {
    test('includes the owners and primary owners as arrays of account summaries', async () => {
      const response = await put(scene.landline, landlineBody());

      assert.equal(response.statusCode, 200);
      const body = response.json<{
        accounts: Record<string, unknown>[];
        primary_accounts: Record<string, unknown>[];
      }>();
      assert.deepEqual(
        body.accounts.map((account) => account.uuid),
        [scene.ada, scene.ben],
      );
      assert.deepEqual(
        body.primary_accounts.map((account) => account.uuid),
        [scene.ada],
      );
      const ada = body.accounts[0];
      assert.ok(ada);
      assert.deepEqual(Object.keys(ada).sort(), [
        'created_at',
        'email',
        'external_references',
        'first_name',
        'last_name',
        'name',
        'photo_url',
        'primary_email',
        'primary_phone_number',
        'role',
        'type',
        'updated_at',
        'uuid',
      ]);
      assert.equal(ada.type, 'client');
      assert.equal(ada.role, 'individual');
      assert.equal(ada.name, 'Ada Jones');
      assert.equal(ada.primary_email, 'ada@example.com');
      assert.equal(ada.email, 'ada@example.com');
      assert.equal(ada.primary_phone_number, '+442079460123');
      assert.deepEqual(ada.external_references, []);
    });

    test('writes timestamps in London time with the offset of the date', async () => {
      const summer = await get(scene.landline);
      assert.equal(summer.json<{ created_at: string }>().created_at, '2026-06-08T16:08:03+01:00');

      t.clock.advance(200 * 24 * 3600 * 1000);
      const winter = await put(scene.landline, landlineBody({ name: 'Winter' }));
      assert.equal(winter.json<{ updated_at: string }>().updated_at, '2026-12-25T15:08:03+00:00');
    });

    test('stores a national number in E.164', async () => {
      const response = await put(scene.landline, landlineBody({ value: '0113 496 0123' }));

      assert.equal(response.json<{ value: string }>().value, '+441134960123');
    });

    test('leaves phone_number_meta out of an email', async () => {
      const response = await put(scene.adaEmail, {
        name: 'Personal',
        value: 'Ada@EXAMPLE.com',
        account_uuids: [scene.ada],
      });

      assert.equal(response.statusCode, 200);
      const body = response.json<Record<string, unknown>>();
      assert.equal(body.value, 'Ada@example.com');
      assert.equal('phone_number_meta' in body, false);
    });
  });

  describe('owners', () => {
    test('become exactly account_uuids, and a removed owner loses its primary flag', async () => {
      const response = await put(scene.landline, landlineBody({ account_uuids: [scene.ben] }));

      assert.equal(response.statusCode, 200);
      const body = response.json<{ accounts: { uuid: string }[]; primary_accounts: unknown[] }>();
      assert.deepEqual(
        body.accounts.map((account) => account.uuid),
        [scene.ben],
      );
      assert.deepEqual(body.primary_accounts, []);
      const ada = await t.db
        .selectFrom('accounts')
        .select('primary_phone_number')
        .where('id', '=', scene.ada)
        .executeTakeFirstOrThrow();
      assert.equal(ada.primary_phone_number, null);
      await assertInvariants(t.db);
    });

    test('collapse duplicates to one', async () => {
      const response = await put(
        scene.landline,
        landlineBody({ account_uuids: [scene.ada, scene.ada.toUpperCase(), scene.ben] }),
      );

      assert.equal(response.statusCode, 200);
      assert.equal(response.json<{ accounts: unknown[] }>().accounts.length, 2);
    });

    test('keep their primary flags when primary_account_uuids is absent', async () => {
      const response = await put(scene.landline, landlineBody({ name: 'Renamed' }));

      assert.deepEqual(
        response
          .json<{ primary_accounts: { uuid: string }[] }>()
          .primary_accounts.map((a) => a.uuid),
        [scene.ada],
      );
    });

    test('hold exactly primary_account_uuids when it is present, even empty', async () => {
      const swapped = await put(
        scene.landline,
        landlineBody({ primary_account_uuids: [scene.ben] }),
      );
      assert.deepEqual(
        swapped
          .json<{ primary_accounts: { uuid: string }[] }>()
          .primary_accounts.map((a) => a.uuid),
        [scene.ben],
      );

      const cleared = await put(scene.landline, landlineBody({ primary_account_uuids: [] }));
      assert.deepEqual(cleared.json<{ primary_accounts: unknown[] }>().primary_accounts, []);
      await assertInvariants(t.db);
    });

    test('add a new owner without a primary flag unless asked', async () => {
      const cara = await t.fixtures.client(scene.firm, 'Cara', 'Patel');
      const response = await put(
        scene.landline,
        landlineBody({ account_uuids: [scene.ada, scene.ben, cara] }),
      );

      const body = response.json<{
        accounts: { uuid: string }[];
        primary_accounts: { uuid: string }[];
      }>();
      assert.equal(body.accounts.length, 3);
      assert.deepEqual(
        body.primary_accounts.map((account) => account.uuid),
        [scene.ada],
      );
    });
  });

  describe('primary demotion', () => {
    test('a new primary email demotes the old one and touches nothing else', async () => {
      t.clock.advance(60_000);
      const response = await put(scene.adaWorkEmail, {
        name: 'Work',
        value: 'ada.jones@work.example',
        account_uuids: [scene.ada],
        primary_account_uuids: [scene.ada],
      });

      assert.equal(response.statusCode, 200);
      const owners = await t.db
        .selectFrom('contact_detail_owners')
        .select(['contact_detail_id', 'is_primary', 'type'])
        .where('account_id', '=', scene.ada)
        .execute();
      const flagOf = (id: string) =>
        owners.find((owner) => owner.contact_detail_id === id)?.is_primary;
      assert.equal(flagOf(scene.adaWorkEmail), 1);
      assert.equal(flagOf(scene.adaEmail), 0, 'the old primary email is still owned, not primary');
      assert.equal(flagOf(scene.landline), 1, 'the primary phone is untouched');
      const ada = await t.db
        .selectFrom('accounts')
        .select(['primary_email', 'primary_phone_number', 'updated_at'])
        .where('id', '=', scene.ada)
        .executeTakeFirstOrThrow();
      assert.equal(ada.primary_email, 'ada.jones@work.example');
      assert.equal(ada.primary_phone_number, '+442079460123');
      assert.equal(ada.updated_at, t.clock.now().toISOString());

      const old = await get(scene.adaEmail);
      assert.deepEqual(old.json<{ primary_accounts: unknown[] }>().primary_accounts, []);
      assert.equal(old.json<{ updated_at: string }>().updated_at, '2026-06-08T16:09:03+01:00');
      await assertInvariants(t.db);
    });

    test('leaves the other owners of the old primary alone', async () => {
      const benMobile = await t.fixtures.detail(
        scene.firm,
        'phone_number',
        '0113 496 0000',
        [scene.ben],
        [scene.ben],
      );
      const response = await put(
        scene.landline,
        landlineBody({ primary_account_uuids: [scene.ada] }),
      );

      assert.equal(response.statusCode, 200);
      const ben = await get(benMobile);
      assert.deepEqual(
        ben.json<{ primary_accounts: { uuid: string }[] }>().primary_accounts.map((a) => a.uuid),
        [scene.ben],
      );
      await assertInvariants(t.db);
    });
  });

  describe('updated_at', () => {
    test('stays when the request changes nothing', async () => {
      t.clock.advance(60_000);
      const response = await put(scene.landline, landlineBody({ value: '020 7946 0123' }));

      assert.equal(response.statusCode, 200);
      assert.equal(response.json<{ updated_at: string }>().updated_at, '2026-06-08T16:08:03+01:00');
    });

    test('moves when only a primary flag changes', async () => {
      t.clock.advance(60_000);
      const response = await put(scene.landline, landlineBody({ primary_account_uuids: [] }));

      assert.equal(response.json<{ updated_at: string }>().updated_at, '2026-06-08T16:09:03+01:00');
    });

    test('moves when only the owners change', async () => {
      t.clock.advance(60_000);
      const response = await put(scene.landline, landlineBody({ account_uuids: [scene.ada] }));

      assert.equal(response.json<{ updated_at: string }>().updated_at, '2026-06-08T16:09:03+01:00');
    });
  });

  describe('body rules', () => {
    test('lists every missing field, Laravel style', async () => {
      await assertChangesNothing(async () => {
        const response = await put(scene.landline, {});

        assert.equal(response.statusCode, 422);
        const body = response.json<{ message: string; errors: Record<string, string[]> }>();
        assert.deepEqual(Object.keys(body.errors).sort(), ['account_uuids', 'name', 'value']);
        assert.equal(body.errors.name?.[0], 'The name field is required.');
        assert.match(body.message, /^The \w+ field is required\. \(and 2 more errors\)$/);
      });
    });

    test('rejects a null value', async () => {
      await assertChangesNothing(async () => {
        const response = await put(scene.landline, landlineBody({ value: null }));

        assert.equal(response.statusCode, 422);
        assert.deepEqual(response.json<{ errors: unknown }>().errors, {
          value: ['The value field is required.'],
        });
      });
    });

    test('takes a name of 255 emoji and rejects 256', async () => {
      const accepted = await put(scene.landline, landlineBody({ name: '😀'.repeat(255) }));
      assert.equal(accepted.statusCode, 200);
      assert.equal(Array.from(accepted.json<{ name: string }>().name).length, 255);

      await assertChangesNothing(async () => {
        const rejected = await put(scene.landline, landlineBody({ name: '😀'.repeat(256) }));
        assert.equal(rejected.statusCode, 422);
        assert.deepEqual(rejected.json<{ errors: unknown }>().errors, {
          name: ['The name field must not be greater than 255 characters.'],
        });
      });
    });

    test('rejects a name that is not a string, or only white space', async () => {
      const number = await put(scene.landline, landlineBody({ name: 42 }));
      assert.deepEqual(number.json<{ errors: unknown }>().errors, {
        name: ['The name field must be a string.'],
      });

      const blank = await put(scene.landline, landlineBody({ name: '   ' }));
      assert.deepEqual(blank.json<{ errors: unknown }>().errors, {
        name: ['The name field is required.'],
      });
    });

    test('trims the name', async () => {
      const response = await put(scene.landline, landlineBody({ name: '  Home  ' }));

      assert.equal(response.json<{ name: string }>().name, 'Home');
    });

    test('rejects an empty owner list and an owner that is not a UUID, by index', async () => {
      const empty = await put(scene.landline, landlineBody({ account_uuids: [] }));
      assert.equal(empty.statusCode, 422);
      assert.deepEqual(Object.keys(empty.json<{ errors: object }>().errors), ['account_uuids']);

      const malformed = await put(
        scene.landline,
        landlineBody({ account_uuids: [scene.ada, 'ada'] }),
      );
      assert.equal(malformed.statusCode, 422);
      assert.match(
        malformed.json<{ errors: Record<string, string[]> }>().errors['account_uuids.1']?.[0] ?? '',
        /must be a valid UUID/,
      );
    });

    test('gives an account of another firm the same error as one that does not exist', async () => {
      const other = await t.fixtures.firm('Other Firm');
      const outsider = await t.fixtures.client(other, 'Olga', 'Outsider');
      const missing = '00000000-0000-4000-8000-000000000000';

      await assertChangesNothing(async () => {
        const response = await put(
          scene.landline,
          landlineBody({ account_uuids: [outsider, missing] }),
        );

        assert.equal(response.statusCode, 422);
        const errors = response.json<{ errors: Record<string, string[]> }>().errors;
        assert.equal(
          errors['account_uuids.0']?.[0]?.replace(outsider, 'ID').replace('.0', '.N'),
          errors['account_uuids.1']?.[0]?.replace(missing, 'ID').replace('.1', '.N'),
        );
        assert.doesNotMatch(JSON.stringify(response.json()), /Olga|Other Firm/);
      });
    });

    test('rejects an owner that is not a client', async () => {
      const response = await put(
        scene.landline,
        landlineBody({ account_uuids: [scene.ada, scene.firm.owner.accountId] }),
      );

      assert.equal(response.statusCode, 422);
      assert.match(
        response.json<{ errors: Record<string, string[]> }>().errors['account_uuids.1']?.[0] ?? '',
        /employee account, and only clients own contact details/,
      );
    });

    test('rejects a primary that is not an owner', async () => {
      await assertChangesNothing(async () => {
        const response = await put(
          scene.landline,
          landlineBody({
            account_uuids: [scene.ada],
            primary_account_uuids: [scene.ada, scene.ben],
          }),
        );

        assert.equal(response.statusCode, 422);
        assert.deepEqual(Object.keys(response.json<{ errors: object }>().errors), [
          'primary_account_uuids.1',
        ]);
      });
    });

    test('ignores unknown fields, type included', async () => {
      const response = await put(scene.landline, landlineBody({ type: 'email', colour: 'blue' }));

      assert.equal(response.statusCode, 200);
      assert.equal(response.json<{ type: string }>().type, 'phone_number');
    });

    test('reads the value by the detail type', async () => {
      const response = await put(scene.adaEmail, {
        name: 'Personal',
        value: '+442079460123',
        account_uuids: [scene.ada],
      });

      assert.equal(response.statusCode, 422);
      assert.match(
        response.json<{ errors: Record<string, string[]> }>().errors.value?.[0] ?? '',
        /email address/,
      );
    });
  });

  describe('duplicates', () => {
    test('rejects a value an owner already has, naming the existing detail', async () => {
      await assertChangesNothing(async () => {
        const response = await put(scene.adaWorkEmail, {
          name: 'Work',
          value: 'ADA@example.com',
          account_uuids: [scene.ada],
        });

        assert.equal(response.statusCode, 422);
        const message = response.json<{ errors: Record<string, string[]> }>().errors.value?.[0];
        assert.match(message ?? '', new RegExp(scene.adaEmail));
        assert.match(message ?? '', /Ada Jones/);
      });
    });

    test('allows the same value for an account that does not own it', async () => {
      const cara = await t.fixtures.client(scene.firm, 'Cara', 'Patel');
      const caraEmail = await t.fixtures.detail(scene.firm, 'email', 'cara@example.com', [cara]);
      const response = await put(caraEmail, {
        name: 'Shared',
        value: 'ada@example.com',
        account_uuids: [cara],
      });

      assert.equal(response.statusCode, 200);
    });
  });

  describe('media type and size', () => {
    test('rejects text/plain with 415 and changes nothing', async () => {
      await assertChangesNothing(async () => {
        const response = await t.request(scene.firm.owner, {
          method: 'PUT',
          url: `/api/v2/contact-details/${scene.landline}`,
          headers: { 'content-type': 'text/plain' },
          payload: JSON.stringify(landlineBody({ name: 'Plain' })),
        });

        assert.equal(response.statusCode, 415);
        assert.match(response.json<{ message: string }>().message, /application\/json/);
      });
    });

    test('rejects malformed JSON with 400', async () => {
      const response = await t.request(scene.firm.owner, {
        method: 'PUT',
        url: `/api/v2/contact-details/${scene.landline}`,
        headers: { 'content-type': 'application/json' },
        payload: '{"name": "Home",',
      });

      assert.equal(response.statusCode, 400);
      assert.equal(typeof response.json<{ message: string }>().message, 'string');
    });

    test('rejects a body over 1 MiB with 413', async () => {
      const response = await put(scene.landline, landlineBody({ name: 'x'.repeat(1024 * 1024) }));

      assert.equal(response.statusCode, 413);
      assert.equal(typeof response.json<{ message: string }>().message, 'string');
    });

    test('rejects a body that is not an object', async () => {
      const response = await put(scene.landline, [1, 2]);

      assert.equal(response.statusCode, 422);
      assert.deepEqual(response.json<{ errors: unknown }>().errors, {
        body: ['The request body must be a JSON object.'],
      });
    });
  });

  describe('transactions', () => {
    test('a write that fails half way leaves nothing behind and answers 500', async () => {
      // The last write of the update fails after the owner links have changed.
      const removeTrigger = await failUpdatesNamedBoom(t.db);
      try {
        await assertChangesNothing(async () => {
          const response = await put(
            scene.landline,
            landlineBody({
              name: 'boom',
              account_uuids: [scene.ben],
              primary_account_uuids: [scene.ben],
            }),
          );

          assert.equal(response.statusCode, 500);
          assert.deepEqual(response.json(), { message: 'Server Error.' });
        });
        const logged = t.logs.find((line) => line.msg === 'response failed' || line.level === 50);
        assert.equal(typeof logged?.reqId, 'string');
      } finally {
        await removeTrigger();
      }
    });
  });
});
