import { type AppConfig, DEFAULT_APP_CONFIG } from './app.js';
import { isTimeZone } from './time.js';

/** Everything `contactd serve` is configured with. */
export interface ServerConfig extends AppConfig {
  host: string;
  port: number;
  databaseUrl: string;
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
    description: 'database: sqlite:PATH, file:PATH or a plain path to a SQLite file',
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

  const rateLimitText = read('rateLimit');
  if (!/^\d{1,9}$/.test(rateLimitText)) {
    throw new Error(
      `RATE_LIMIT must be a whole number of requests a minute, not "${rateLimitText}"`,
    );
  }

  const timeZone = read('timeZone');
  if (!isTimeZone(timeZone)) {
    throw new Error(`TIME_ZONE must be an IANA zone name such as Europe/London, not "${timeZone}"`);
  }

  return {
    ...DEFAULT_APP_CONFIG,
    host: read('host'),
    port,
    databaseUrl: read('database'),
    logLevel,
    timeZone,
    rateLimit: { max: Number(rateLimitText), windowMs: 60_000 },
  };
}
