/** The equal-chances view's texts: pure functions, tested without a browser. */
import type { Level } from './state';

/**
 * What follows a disparity report's reference value: whether it is the state's published figure, one
 * RegioGraph computed from the counties, or (without a state value) the mean of the regions.
 */
export function referenceNote(referenceIsStateObservation: boolean, stateValueAggregated: boolean): string {
  if (!referenceIsStateObservation) return ' (berechnet: Mittel der Regionen, kein Landeswert)';
  return stateValueAggregated ? ' (berechnet aus den Kreisen)' : '';
}

/**
 * The CSV's file name: the level, the area when not the whole state, and the year (or "neueste"); the
 * file for Excel ends in "-excel", so a planner who saved both can tell them apart.
 */
export function equalFileName(level: Level, year: number | null | undefined, withinParent: string | null, forExcel = false): string {
  const area = withinParent ? `-${withinParent}` : '';
  return `gleichwertigkeit-${level === 'COUNTY' ? 'kreise' : 'gemeinden'}${area}-${year ?? 'neueste'}${forExcel ? '-excel' : ''}.csv`;
}

/**
 * The years the equal-chances view offers: from the first to the last year of any indicator compared
 * (the API reads each in the latest year with values up to the one chosen), newest first by the caller.
 */
export function equalYears(
  catalogue: readonly { code: string; firstYear?: number | null; lastYear?: number | null }[],
  codes: readonly string[],
): number[] {
  const compared = catalogue.filter((indicator) => codes.includes(indicator.code));
  const firsts = compared.map((indicator) => indicator.firstYear).filter((year): year is number => typeof year === 'number');
  const lasts = compared.map((indicator) => indicator.lastYear).filter((year): year is number => typeof year === 'number');
  if (firsts.length === 0 || lasts.length === 0) return [];
  const years: number[] = [];
  for (let year = Math.min(...firsts); year <= Math.max(...lasts); year++) years.push(year);
  return years;
}
