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
 * The note beside an indicator's n when some of the regions' values are not published but computed by
 * RegioGraph from the regions within (AnalysisIndicator.aggregatedRegionCount): the measures then
 * describe partly computed values, which a planner citing them should know. Empty when none were.
 */
export function computedRegionsNote(aggregatedRegionCount: number, regionCount: number, level: Level): string {
  if (aggregatedRegionCount <= 0) return '';
  const within = level === 'COUNTY' ? 'den Gemeinden' : 'den Regionen darin';
  return `${aggregatedRegionCount.toLocaleString('de-DE')} von ${regionCount.toLocaleString('de-DE')} Werten aus ${within} berechnet`;
}

/**
 * Why the API gave no Gini, coefficient of variation or Theil for an indicator, told from what the
 * report says of it: one region is no distribution, and the measures assume values of 0 and above with
 * a mean above 0. A mean of exactly 0 may be all zeros or negatives cancelling out: both are named.
 */
export function unmeasurableReason(regionCount: number, mean: number): string {
  if (regionCount < 2) return 'nicht berechenbar: weniger als zwei Regionen mit Wert';
  if (mean === 0) return 'nicht berechenbar: Mittel der Regionen 0 oder negative Werte';
  return 'nicht berechenbar: negative Werte (die Maße setzen Werte ab 0 voraus)';
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
