/**
 * A calendar day given as YYYY-MM-DD, as midnight UTC; null when the text is not a real day
 * (2023-02-30, 2023-13-01, 23-1-1). The one parser of dates in inputs and seed files.
 */
export function parseCalendarDate(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const day = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== value ? null : day;
}
