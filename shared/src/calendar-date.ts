/**
 * A calendar day given as YYYY-MM-DD, as midnight UTC; null when the text is not a real day
 * (2023-02-30, 2023-13-01, 23-1-1) or lies in year 0000, which ISO 8601 writes but PostgreSQL's
 * dates do not have. The one parser of dates in inputs and seed files.
 */
export function parseCalendarDate(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || value.startsWith('0000-')) return null;
  const day = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(day.getTime()) || formatCalendarDate(day) !== value ? null : day;
}

/** A day as YYYY-MM-DD (its UTC date): what parseCalendarDate reads, and the Date scalar writes. */
export function formatCalendarDate(day: Date): string {
  return day.toISOString().slice(0, 10);
}

/** ISO 8601 with a time zone: day, hours and minutes, optional seconds and fraction, Z or an offset. */
const MOMENT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * A moment given in ISO 8601 with a time zone (2026-12-02T04:30:00Z, 2026-12-02T05:30+01:00); null
 * unless its day is a real one (JavaScript would read 2026-02-30 as 2 March), its time of day and
 * offset are real ones, and it falls in the years 0001 to 9999 in UTC, the ones PostgreSQL and
 * ISO 8601's four digits share.
 */
export function parseMoment(value: string): Date | null {
  const match = MOMENT.exec(value);
  if (!match) return null;
  const [, day = '', hours, minutes, seconds = '0', offsetHours = '0', offsetMinutes = '0'] = match;
  if (!parseCalendarDate(day)) return null;
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59 || Number(offsetHours) > 23 || Number(offsetMinutes) > 59)
    return null;
  const moment = new Date(value);
  const year = moment.getUTCFullYear();
  return Number.isNaN(moment.getTime()) || year < 1 || year > 9999 ? null : moment;
}
