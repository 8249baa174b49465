#!/usr/bin/env node
import { parseArgs } from 'node:util';

import { assertPasswordStrength, hashPassword } from './auth/password.js';
import { formatDemoCurl, localBaseUrl } from './cli/demo-request.js';
import { seedDemo, serve } from './cli/serve.js';
import { SETTINGS, type SettingName, type ServerConfig, loadServerConfig } from './config.js';

import { issueToken, provisionFirm } from './firms/provisioning.js';
import { isUuid } from './ids.js';
import { openStorage } from './storage/open-storage.js';
import type { Storage } from './storage/storage.js';
import { systemClock } from './time.js';

const USAGE = `Usage: contactd <command> [options]

Commands:
  serve     run the HTTP server, migrating the database first
  migrate   apply database migrations and exit
  init      create a firm with its owner employee and print a token for it
  demo      seed a demo firm and print a token and a request to try
  token     issue a new personal access token for a user
  password  set a user's password, which POST /api/v1/personal-access-tokens asks for
  help      print this text

Options of serve (each also read from its environment variable):
${Object.values(SETTINGS)
  .map(
    (setting) =>
      `  --${setting.flag.padEnd(18)} ${setting.variable.padEnd(30)} ${setting.description}` +
      (setting.defaultValue === '' ? '' : ` (default ${setting.defaultValue})`),
  )
  .join('\n')}
  --seed-demo                                          on a database without firms, seed the demo firm
                                                       and print a request

Options of migrate, init, password, demo and token: --database (DATABASE_URL).
Options of init: --firm NAME --email EMAIL --first-name NAME --last-name NAME [--password TEXT].
Options of token: --email EMAIL [--name LABEL] [--account UUID] (restrict it to one account).
Options of password: --email EMAIL, and the password in --password or CONTACTD_PASSWORD.
`;

const OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  database: { type: 'string' },
  workers: { type: 'string' },
  redis: { type: 'string' },
  'pool-size': { type: 'string' },
  'statement-timeout': { type: 'string' },
  'connect-timeout': { type: 'string' },
  'shutdown-grace': { type: 'string' },
  'request-timeout': { type: 'string' },
  'caller-cache': { type: 'string' },
  'trusted-proxies': { type: 'string' },
  'read-cache': { type: 'string' },
  'log-level': { type: 'string' },
  'time-zone': { type: 'string' },
  'rate-limit': { type: 'string' },
  'seed-demo': { type: 'boolean' },
  firm: { type: 'string' },
  email: { type: 'string' },
  'first-name': { type: 'string' },
  'last-name': { type: 'string' },
  password: { type: 'string' },
  name: { type: 'string' },
  account: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values'];

/** A mistake in how contactd was called: its message is printed with the usage text. */
class UsageError extends Error {}

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  } catch (error) {
    if (
      error instanceof TypeError &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS')
    ) {
      // Node adds advice about positional arguments that does not fit here.
      throw new UsageError(error.message.split(/\.\s/)[0] ?? error.message);
    }

    throw error;
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  const command = positionals[0] ?? 'help';
  if (values.help === true || command === 'help') {
    process.stdout.write(USAGE);

    return 0;
  }

  const config = loadServerConfig(settingFlags(values), process.env);
  switch (command) {
    case 'serve':
      await serve(config, values['seed-demo'] === true);

      return 0;
    case 'migrate':
      return withStorage(config, (_storage, applied) => {
        process.stdout.write(
          applied.length === 0
            ? 'The database is up to date.\n'
            : `Applied ${applied.join(', ')}.\n`,
        );

        return Promise.resolve();
      });
    case 'init':
      return withStorage(config, (storage) => init(storage, values));
    case 'demo':
      return withStorage(config, async (storage) => {
        const demo = await seedDemo(storage, config);
        process.stdout.write(
          `Seeded a demo firm.\nToken: ${demo.token}\nX-PLANNR-ACCOUNT-UUID: ` +
            `${demo.adviserAccountId}\n\nWith contactd serve running, try:\n\n` +
            `${formatDemoCurl(localBaseUrl(config.host, config.port), demo)}\n`,
        );
      });
    case 'token':
      return withStorage(config, (storage) => token(storage, values));
    case 'password':
      return withStorage(config, (storage) => setPassword(storage, values));
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function settingFlags(values: Values): Partial<Record<SettingName, string>> {
  const flags: Partial<Record<SettingName, string>> = {};
  for (const [name, setting] of Object.entries(SETTINGS) as [
    SettingName,
    (typeof SETTINGS)[SettingName],
  ][]) {
    const value = values[setting.flag];
    if (typeof value === 'string') {
      flags[name] = value;
    }
  }

  return flags;
}

/** Opens and migrates the database, runs `work`, and closes the database whatever happens. */
async function withStorage(
  config: ServerConfig,
  work: (storage: Storage, appliedMigrations: string[]) => Promise<void>,
) {
  // A short command leaves the planner's statistics to the server, which keeps them up to date.
  const storage = await openStorage(config.databaseUrl, config.postgres, {
    ...config.sqlite,
    refreshesStatistics: false,
  });
  try {
    await work(storage, await storage.migrate());
  } finally {
    await storage.close();
  }

  return 0;
}

async function init(storage: Storage, values: Values): Promise<void> {
  if (values.password !== undefined) {
    assertPasswordStrength(values.password);
  }

  const firm = await provisionFirm(
    storage,
    {
      firmName: required(values.firm, 'firm'),
      ownerEmail: required(values.email, 'email'),
      ownerFirstName: required(values['first-name'], 'first-name'),
      ownerLastName: required(values['last-name'], 'last-name'),
      ownerPassword: values.password,
    },
    systemClock(),
  );
  process.stdout.write(
    `Created the firm and its owner.\nToken: ${firm.token}\nX-PLANNR-ACCOUNT-UUID: ${firm.accountId}\n`,
  );
}

async function token(storage: Storage, values: Values): Promise<void> {
  const userId = await findUser(storage, required(values.email, 'email'));
  const accountId = values.account?.toLowerCase() ?? null;
  if (accountId !== null && !isUuid(accountId)) {
    throw new Error(`--account must be an account UUID, not "${accountId}"`);
  }

  if (
    accountId !== null &&
    (await storage.read({ userId }, ({ auth }) => auth.findActiveLogin(userId, accountId))) ===
      undefined
  ) {
    throw new Error(`the user has no active login to account ${accountId}`);
  }

  const { plainText } = await storage.transaction({ userId }, (repositories) =>
    issueToken(repositories, userId, values.name ?? 'contactd token', systemClock(), accountId),
  );
  const logins = await storage.read({ userId }, ({ auth }) => auth.listActiveLogins(userId));
  process.stdout.write(`Token: ${plainText}\n`);
  for (const login of logins) {
    process.stdout.write(
      `X-PLANNR-ACCOUNT-UUID: ${login.accountId} (${login.accountType} ${login.accountRole})\n`,
    );
  }
}

async function setPassword(storage: Storage, values: Values): Promise<void> {
  const email = required(values.email, 'email');
  const password = values.password ?? process.env.CONTACTD_PASSWORD;
  if (password === undefined) {
    throw new Error('give the password in --password or CONTACTD_PASSWORD');
  }

  assertPasswordStrength(password);

  const userId = await findUser(storage, email);
  const passwordHash = await hashPassword(password);
  await storage.transaction({ userId }, (repositories) =>
    repositories.auth.setPasswordHash(userId, passwordHash, systemClock().toISOString()),
  );
  process.stdout.write(`Set the password of ${email}.\n`);
}

async function findUser(storage: Storage, email: string): Promise<string> {
  const userId = await storage.read({}, ({ auth }) => auth.findUserIdByEmail(email));
  if (userId === undefined) {
    throw new Error(`no user has the email address ${email}`);
  }

  return userId;
}

// Advice on the SQLite errors that opening the file of --database can meet.
const SQLITE_ADVICE: Record<string, string> = {
  SQLITE_BUSY:
    'another process holds the write lock of the SQLite file; wait for it to finish, or stop ' +
    'it, and run the command again',
  SQLITE_READONLY:
    'contactd needs to write the SQLite file of --database (DATABASE_URL) and the folder that ' +
    'holds it; give it write access, or name another path',
  SQLITE_CANTOPEN:
    'the SQLite file of --database (DATABASE_URL) cannot be opened or created; check that the ' +
    'path is right and that its folder is writable',
};

/** Says what went wrong in words that lead to the fix. */
function describeFailure(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (code === 'EADDRINUSE') {
    const port = 'port' in (error as object) ? ` ${String((error as { port: unknown }).port)}` : '';

    return `port${port} is already in use; choose another with --port or PORT`;
  }

  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return 'the host is not an address of this machine; choose another with --host or HOST';
  }

  // SQLite's extended codes, such as SQLITE_READONLY_DIRECTORY, share the advice of their primary.
  const sqliteAdvice = SQLITE_ADVICE[code.replace(/^(SQLITE_[A-Z]+)_.*$/, '$1')];
  if (sqliteAdvice !== undefined && error instanceof Error) {
    return `${error.message}: ${sqliteAdvice}`;
  }

  return error instanceof Error ? error.message : String(error);
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') {
    throw new Error(`--${flag} is required`);
  }

  return value;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`contactd: ${describeFailure(error)}\n`);
    if (error instanceof UsageError) {
      process.stderr.write(`\n${USAGE}`);
    }

    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
