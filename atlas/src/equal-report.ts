/** The equal-chances view's texts: pure functions, tested without a browser. */
import type { DisparityUnmeasurable } from './generated/graphql';
import type { Level, WeightYears } from './state';

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

/** What the weighted measures of an indicator were weighted by, as the report says it. */
export interface Weighting {
  /** The weight indicator's code and its name in the catalogue (the code when the catalogue lacks it). */
  code: string;
  name: string;
  /** The year of the weights; null when the weight indicator has none of the level in the values' year. */
  year: number | null;
  /** The year of the values: the weights are of the same one, unless the nearest year's were asked for. */
  valueYear: number;
  /** Which year's weights were asked for. */
  weightYears: WeightYears;
  /** Regions with a value, and of those the regions with a weight. */
  regionCount: number;
  weightedRegionCount: number;
}

/**
 * The label of the weighted measures: "bevölkerungsgewichtet" for the population, else the weight
 * named ("gewichtet mit Fläche"): a density's weighted Gini is one between square kilometres, not
 * between inhabitants, and must not read as one.
 */
export function weightLabel(weighting: Pick<Weighting, 'code' | 'name'>): string {
  return weighting.code === 'population' ? 'bevölkerungsgewichtet' : `gewichtet mit ${weighting.name}`;
}

/**
 * Why a measure is missing, in the words a planner reads, from the reason the API gives. Without
 * weights the text says which weight of which year is missing for how many regions.
 */
export function unmeasurableText(reason: DisparityUnmeasurable, weighting?: Weighting): string {
  switch (reason) {
    case 'TOO_FEW_REGIONS':
      return 'nicht berechenbar: weniger als zwei Regionen mit Wert';
    case 'NEGATIVE_VALUE':
      return 'nicht berechenbar: negative Werte (die Maße setzen Werte ab 0 voraus)';
    case 'ZERO_MEAN':
      return weighting ? 'nicht berechenbar: gewichtetes Mittel der Regionen 0' : 'nicht berechenbar: Mittel der Regionen 0';
    case 'WEIGHTS_MISSING': {
      if (!weighting) return 'nicht berechenbar: Gewichte fehlen';
      const missing = weighting.regionCount - weighting.weightedRegionCount;
      if (missing <= 0) return `nicht berechenbar: Gewichte (${weighting.name}) negativ oder alle 0`;
      // Asked for the nearest year, the API found none with weights of the level: no year to name.
      if (weighting.weightYears === 'NEAREST_YEAR' && weighting.year === null)
        return `nicht berechenbar: ${weighting.name} liegt in keinem Jahr für diese Regionen vor`;
      const year = weighting.year ?? weighting.valueYear;
      return (
        `nicht berechenbar: ${weighting.name} ${year}${year === weighting.valueYear ? '' : ' (nächstgelegenes Jahr)'} fehlt für ` +
        `${missing.toLocaleString('de-DE')} von ${weighting.regionCount.toLocaleString('de-DE')} Regionen mit Wert`
      );
    }
  }
}

/**
 * The weighting as the table names it: the label, and the weights' year, bare when it is the values'
 * year, else plainly another year's weights ("Gewichte 2021 (nächstgelegenes Jahr; Werte 2022)"), so
 * that no reader takes them for same-year ones. The label alone without weights.
 */
export function weightingText(weighting: Pick<Weighting, 'code' | 'name' | 'year' | 'valueYear'>): string {
  const label = weightLabel(weighting);
  if (weighting.year === null) return label;
  if (weighting.year === weighting.valueYear) return `${label} (${weighting.year})`;
  return `${label}, Gewichte ${weighting.year} (nächstgelegenes Jahr; Werte ${weighting.valueYear})`;
}

/** The two choices of the weights' year, as the view offers them. */
export const WEIGHT_YEAR_CHOICES: Record<WeightYears, string> = {
  SAME_YEAR: 'Gewichte aus dem Jahr der Werte',
  NEAREST_YEAR: 'Gewichte aus dem nächstgelegenen Jahr',
};

/** The groups of a Theil decomposition by their level, as the Atlas names them. */
export type GroupLevel = 'DISTRICT' | 'COUNTY';

/** A group level's names: one group, the groups (after "der", after "nach"), and "its group" in the explanation. */
export const GROUP_NAMES: Record<GroupLevel, { one: string; many: string; byMany: string; its: string }> = {
  DISTRICT: { one: 'ArL-Bezirk', many: 'ArL-Bezirke', byMany: 'ArL-Bezirken', its: 'ihres ArL-Bezirks' },
  COUNTY: {
    one: 'Kreis',
    many: 'Landkreise und kreisfreien Städte',
    byMany: 'Landkreisen und kreisfreien Städten',
    its: 'ihres Landkreises oder ihrer kreisfreien Stadt',
  },
};

/** What "zwischen" and "innerhalb" of a Theil decomposition mean, in one sentence. */
export function theilExplanation(groupLevel: GroupLevel): string {
  const its = GROUP_NAMES[groupLevel].its;
  return (
    `Der Theil-Index zerfällt in zwei Teile: „zwischen“ ist die Ungleichheit, die bliebe, wenn jede Region das Mittel ${its} ` +
    `hätte, „innerhalb“ die Ungleichheit der Regionen um das Mittel ${its}.`
  );
}

/** A share (0–1) as a percentage with one decimal, "2,5 %"; "–" where there is none. */
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '–';
  return `${(share * 100).toLocaleString('de-DE', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} %`;
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
