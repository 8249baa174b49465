import { isIP } from 'node:net';

import { type AppConfig, DEFAULT_APP_CONFIG } from './app.js';
import { DEFAULT_POSTGRES_OPTIONS, type PostgresOptions } from './storage/postgres/connection.js';
import { DEFAULT_SQLITE_OPTIONS, type SqliteOptions } from './storage/sqlite/connection.js';
import { isTimeZone } from './time.js';

/** Everything `contactd serve` is configured with. */
export interface ServerConfig extends AppConfig {
  host: string;
  port: number;
  databaseUrl: string;
  postgres: PostgresOptions;
  sqlite: SqliteOptions;
  /** Processes that serve requests; more than one needs PostgreSQL. */
  workers: number;
  /** Redis that stores the rate-limit counters shared by every process; in memory when absent. */
  redisUrl: string | undefined;
  /** Milliseconds that in-flight requests get to finish after SIGTERM before the process exits. */
  shutdownGraceMs: number;
}

/** A setting, as a flag and as an environment variable, with its default and meaning. */
export interface SettingDescription {
  flag: string;
  variable: string;
  defaultValue: string;
  description: string;
}

export const DEFAULT_DATABASE_URL = 'sqlite:data/contactd.sqlite';

export const SETTINGS = {
  host: {
    flag: 'host',
    variable: 'HOST',
    defaultValue: '127.0.0.1',
    description: 'address to listen on; 0.0.0.0 or :: to accept other machines',
  },
  port: { flag: 'port', variable: 'PORT', defaultValue: '8080', description: 'TCP port' },
  database: {
    flag: 'database',
    variable: 'DATABASE_URL',
    defaultValue: DEFAULT_DATABASE_URL,
    description: 'postgres://user@host:5432/name, or sqlite:PATH, file:PATH or a SQLite file path',
  },
  workers: {
    flag: 'workers',
    variable: 'WORKERS',
    defaultValue: '1',
    description: 'processes that serve requests; more than 1 needs PostgreSQL',
  },
  redis: {
    flag: 'redis',
    variable: 'REDIS_URL',
    defaultValue: '',
    description: 'redis://host:port whose counters every process shares for the rate limit',
  },
  poolSize: {
    flag: 'pool-size',
    variable: 'DATABASE_POOL_SIZE',
    defaultValue: String(DEFAULT_POSTGRES_OPTIONS.poolSize),
    description: 'PostgreSQL connections each process keeps at most',
  },
  statementTimeout: {
    flag: 'statement-timeout',
    variable: 'DATABASE_STATEMENT_TIMEOUT_MS',
    defaultValue: String(DEFAULT_POSTGRES_OPTIONS.statementTimeoutMs),
    description: 'milliseconds after which PostgreSQL cancels a statement; 0 turns it off',
  },
  connectTimeout: {
    flag: 'connect-timeout',
    variable: 'DATABASE_CONNECT_TIMEOUT_S',
    defaultValue: String(DEFAULT_POSTGRES_OPTIONS.connectTimeoutS),
    description: 'seconds to keep trying to reach PostgreSQL at start-up',
  },
  readCache: {
    flag: 'read-cache',
    variable: 'SQLITE_READ_CACHE_ROWS',
    defaultValue: String(DEFAULT_SQLITE_OPTIONS.readCacheRows),
    description: 'rows of SQLite reads kept in memory until the next commit; 0 turns the cache off',
  },
  shutdownGrace: {
    flag: 'shutdown-grace',
    variable: 'SHUTDOWN_GRACE_MS',
    defaultValue: '10000',
    description: 'milliseconds in-flight requests get to finish after SIGTERM',
  },
  requestTimeout: {
    flag: 'request-timeout',
    variable: 'REQUEST_TIMEOUT_MS',
    defaultValue: String(DEFAULT_APP_CONFIG.requestTimeoutMs),
    description: 'milliseconds a client gets to send a whole request',
  },
  callerCache: {
    flag: 'caller-cache',
    variable: 'CALLER_CACHE_MS',
    defaultValue: String(DEFAULT_APP_CONFIG.callerCacheMs),
    description:
      'milliseconds a token and acting account stay trusted without a database read; 0 reads every time',
  },
  trustedProxies: {
    flag: 'trusted-proxies',
    variable: 'TRUSTED_PROXIES',
    defaultValue: '',
    description:
      'proxy addresses or CIDR ranges whose X-Forwarded-Proto and -Host the page links follow',
  },
  logLevel: {
    flag: 'log-level',
    variable: 'LOG_LEVEL',
    defaultValue: DEFAULT_APP_CONFIG.logLevel,
    description: 'fatal, error, warn, info, debug, trace or silent',
  },
  rateLimit: {
    flag: 'rate-limit',
    variable: 'RATE_LIMIT',
    defaultValue: String(DEFAULT_APP_CONFIG.rateLimit.max),
    description: 'requests a minute each user may make; 0 turns the limit off',
  },
  timeZone: {
    flag: 'time-zone',
    variable: 'TIME_ZONE',
    defaultValue: DEFAULT_APP_CONFIG.timeZone,
    description: 'IANA zone of the timestamps in responses',
  },
} as const satisfies Record<string, SettingDescription>;

export type SettingName = keyof typeof SETTINGS;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Reads the configuration: a flag wins over its environment variable, which wins over the default.
 * Throws an Error whose message names the bad setting and what it accepts.
 */
export function loadServerConfig(
  flags: Partial<Record<SettingName, string>>,
  env: NodeJS.ProcessEnv,
): ServerConfig {
  const read = (name: SettingName) => {
    const setting = SETTINGS[name];
    const fromEnv = env[setting.variable];

    return (
      flags[name] ?? (fromEnv === undefined || fromEnv === '' ? setting.defaultValue : fromEnv)
    );
  };

  const portText = read('port');
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    throw new Error(`PORT must be a whole number from 0 to 65535, not "${portText}"`);
  }

  const logLevel = read('logLevel');
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${logLevel}"`);
  }

  const wholeNumber = (name: SettingName, minimum: number, meaning: string) => {
    const text = read(name);
    if (!/^\d{1,9}$/.test(text) || Number(text) < minimum) {
      const { variable, flag } = SETTINGS[name];
      throw new Error(
        `${variable} (--${flag}) must be a whole number of ${meaning} from ${minimum} to ` +
          `999999999, not "${text}"`,
      );
    }

    return Number(text);
  };
  const rateLimit = wholeNumber('rateLimit', 0, 'requests a minute');
  const workers = wholeNumber('workers', 1, 'processes');
  const databaseUrl = read('database');
  if (workers > 1 && !/^postgres(ql)?:\/\//i.test(databaseUrl)) {
    throw new Error(
      'WORKERS above 1 needs a PostgreSQL DATABASE_URL: processes cannot share a SQLite file ' +
        'for writing without waiting on each other',
    );
  }

  const redisUrl = read('redis');
  if (redisUrl !== '' && !/^rediss?:\/\//i.test(redisUrl)) {
    throw new Error(`REDIS_URL must start with redis:// or rediss://, not "${redisUrl}"`);
  }

  const timeZone = read('timeZone');
  if (!isTimeZone(timeZone)) {
    throw new Error(`TIME_ZONE must be an IANA zone name such as Europe/London, not "${timeZone}"`);
  }

  return {
    ...DEFAULT_APP_CONFIG,
    host: read('host'),
    port,
    databaseUrl,
    logLevel,
    timeZone,
    rateLimit: { max: rateLimit, windowMs: 60_000 },
    postgres: {
      poolSize: wholeNumber('poolSize', 1, 'connections'),
      statementTimeoutMs: wholeNumber('statementTimeout', 0, 'milliseconds'),
      connectTimeoutS: wholeNumber('connectTimeout', 0, 'seconds'),
    },
    sqlite: { ...DEFAULT_SQLITE_OPTIONS, readCacheRows: wholeNumber('readCache', 0, 'rows') },
    workers,
    redisUrl: redisUrl === '' ? undefined : redisUrl,
    shutdownGraceMs: wholeNumber('shutdownGrace', 0, 'milliseconds'),
    requestTimeoutMs: wholeNumber('requestTimeout', 1, 'milliseconds'),
    callerCacheMs: wholeNumber('callerCache', 0, 'milliseconds'),
    trustedProxies: readTrustedProxies(read('trustedProxies')),
  };
}

// Names that proxy-addr, which Fastify checks proxies with, accepts for ranges of addresses.
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** Reads TRUSTED_PROXIES: comma-separated addresses, CIDR ranges or PROXY_RANGE_NAMES. */
function readTrustedProxies(text: string): string {
  const entries = text.split(',').map((entry) => entry.trim());
  if (text.trim() === '') {
    return '';
  }

  const invalid = entries.find((entry) => !isProxyEntry(entry));
  if (invalid !== undefined) {
    throw new Error(
      `TRUSTED_PROXIES (--trusted-proxies) must be comma-separated IP addresses, CIDR ranges or ` +
        `${PROXY_RANGE_NAMES.join(', ')}, not "${invalid}"`,
    );
  }

  return entries.join(',');
}

/** Tells whether `entry` is an IP address, a CIDR range or one of PROXY_RANGE_NAMES. */
function isProxyEntry(entry: string): boolean {
  if (PROXY_RANGE_NAMES.includes(entry)) {
    return true;
  }

  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) {
    return false;
  }

  return (
    prefix === undefined ||
    (/^\d{1,3}$/.test(prefix) &&
      Number(prefix) >= 1 &&
      Number(prefix) <= (version === 4 ? 32 : 128))
  );
}
