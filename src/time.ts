/** The source of the current time, replaceable so that tests can move it. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Formats a stored UTC timestamp as ISO 8601 with seconds and the offset of `timeZone` at that
 * instant, without fractions: `2026-06-08T16:08:03+01:00` in a London summer.
 */
export function formatTimestamp(stored: string, timeZone: string): string {
  // Responses repeat the same timestamps, and Intl's formatToParts is slow, so results are kept.
  const key = `${timeZone} ${stored}`;
  const cached = formatted.get(key);
  if (cached !== undefined) {
    return cached;
  }

  if (formatted.size >= MAX_CACHED_TIMESTAMPS) {
    formatted.clear();
  }

  const result = formatUncached(stored, timeZone);
  formatted.set(key, result);

  return result;
}

const MAX_CACHED_TIMESTAMPS = 10_000;
const formatted = new Map<string, string>();

function formatUncached(stored: string, timeZone: string): string {
  const instant = new Date(stored);
  const parts = new Map(
    formatterFor(timeZone)
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  const field = (name: Intl.DateTimeFormatPartTypes) => parts.get(name) ?? '00';
  const local = `${field('year')}-${field('month')}-${field('day')}T${field('hour')}:${field('minute')}:${field('second')}`;
  // The offset is how far the wall clock is ahead of UTC, to the minute.
  const wallClockMs = Date.parse(`${local}Z`);
  const offsetMinutes = Math.round(
    (wallClockMs - Math.floor(instant.getTime() / 1000) * 1000) / 60_000,
  );

  return `${local}${formatOffset(offsetMinutes)}`;
}

/** Tells whether the runtime knows `timeZone` as an IANA zone name. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);

    return true;
  } catch (error) {
    if (error instanceof RangeError) {
      return false;
    }

    throw error;
  }
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }

  return formatter;
}

function formatOffset(totalMinutes: number): string {
  const sign = totalMinutes < 0 ? '-' : '+';
  const absolute = Math.abs(totalMinutes);
  const hours = String(Math.floor(absolute / 60)).padStart(2, '0');
  const minutes = String(absolute % 60).padStart(2, '0');

  return `${sign}${hours}:${minutes}`;
}
