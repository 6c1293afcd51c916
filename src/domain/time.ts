/**
 * Provider timestamps to the gateway's DateTime: RFC 3339, UTC, ending in `Z`.
 */

export class DateTimeError extends Error {
  override readonly name = 'DateTimeError';
}

/** Days in `month` (1–12) of `year`, in the proleptic Gregorian calendar JavaScript's Date uses. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Whether the fields name a real date and time (no 02-30, no 24:00, no leap second): Date would roll them over. */
export function isRealDateTime(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && hour <= 23 && minute <= 59 && second <= 59;
}

const RFC3339ISH = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})?$/;

/**
 * Normalizes a provider timestamp to UTC ISO 8601 with milliseconds and `Z`.
 * A timestamp without a zone (Primer: `2021-02-21T15:36:16.367687`) is UTC: JavaScript
 * would read it as local time, so the zone is appended before parsing. Fractions beyond
 * milliseconds are truncated.
 */
export function toUtcDateTime(value: string): string {
  const match = RFC3339ISH.exec(value);
  if (!match) throw new DateTimeError('timestamp is not an ISO 8601 date-time');
  const [, year, month, day, hour, minute, second, fraction = '', zone] = match;
  const millis = fraction === '' ? '' : `.${fraction.slice(1, 4).padEnd(3, '0')}`;
  let offset = zone === undefined ? 'Z' : zone.toUpperCase();
  if (/^[+-]\d{4}$/.test(offset)) offset = `${offset.slice(0, 3)}:${offset.slice(3)}`;
  // The parser silently rolls impossible dates over (2021-02-30 becomes 2021-03-02): check first.
  if (!isRealDateTime(Number(year), Number(month), Number(day), Number(hour), Number(minute), Number(second))) {
    throw new DateTimeError('timestamp is not a valid date-time');
  }
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}${millis}${offset}`);
  if (Number.isNaN(date.getTime())) throw new DateTimeError('timestamp is not a valid date-time');
  return date.toISOString();
}

/** As toUtcDateTime, for optional fields: null and undefined stay null. */
export function toOptionalUtcDateTime(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new DateTimeError('timestamp is not a string');
  return toUtcDateTime(value);
}
