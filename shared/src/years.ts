import { ErrorCode, userError } from './errors';

/**
 * The years every year argument of the API accepts (a series' year, a commitment year, a range's
 * bound), in every subgraph: one bound, so the same year is refused or accepted alike wherever it is
 * sent. A year without data in the range is answered with nothing, not refused. The indicators'
 * importer reads the same bounds for the years in its files.
 */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;

/** BAD_USER_INPUT naming the argument unless `year` is a whole year between MIN_YEAR and MAX_YEAR. */
export function requireYearArgument(year: number, argument: string): number {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw userError(`${argument} must be a year between ${MIN_YEAR} and ${MAX_YEAR}.`, ErrorCode.BadUserInput, { argument });
  }
  return year;
}

/**
 * The years `fromYear`–`toYear` (arguments named `${prefix}fromYear` and `${prefix}toYear`): each a
 * year, and not reversed, since a swapped pair selects nothing and would answer a plausible empty
 * result instead of an error.
 */
export function requireYearRangeArguments(fromYear: number | null | undefined, toYear: number | null | undefined, prefix = ''): void {
  if (fromYear != null) requireYearArgument(fromYear, `${prefix}fromYear`);
  if (toYear != null) requireYearArgument(toYear, `${prefix}toYear`);
  if (fromYear != null && toYear != null && fromYear > toYear) {
    throw userError(`${prefix}fromYear (${fromYear}) is after ${prefix}toYear (${toYear}).`, ErrorCode.BadUserInput, {
      argument: `${prefix}fromYear`,
    });
  }
}
