/**
 * The four analyses as pure functions of a standardised profile (and, for funding, of the amounts
 * the projects subgraph supplies). The schema only validates arguments and loads data.
 */
import type { IndicatorPolarity } from '@regiograph/db';
import type { IndicatorRow } from '../context';
import type { RegionLevelName } from '../regions';
import {
  coefficientOfVariation,
  gini,
  mean,
  nearestNeighbours,
  percentiles,
  polaritySign,
  profileDistance,
  spearman,
  theil,
  unmeasurable,
  weakestFifth,
  weightedCoefficientOfVariation,
  weightedGini,
  weightedTheil,
  weightedUnmeasurable,
  zScore,
  type DisparityUnmeasurable,
} from './math';
import { packedZScoresOf, type ProfileColumn, type Profiles } from './profile';

export interface SimilarityContributionRow {
  column: ProfileColumn;
  value: number;
  candidateValue: number;
  zScore: number;
  candidateZScore: number;
  difference: number;
  share: number;
}

export interface SimilarRegionRow {
  regionCode: string;
  rank: number;
  distance: number;
  compared: number;
  /** What `similarityContributions` explains the distance from. */
  originCode: string;
  profiles: Profiles;
}

/**
 * The `first` regions nearest to `origin` in the profile, measured but not explained: a request for
 * the 200 nearest of each of 967 municipalities made five million contribution objects whether or not
 * it asked for them (`similarityContributions` explains one row when asked).
 */
export function similarRegions(profiles: Profiles, origin: string, first: number, admit?: (code: string) => boolean): SimilarRegionRow[] {
  return nearestNeighbours(origin, packedZScoresOf(profiles), first, admit).map((neighbour, index) => ({
    regionCode: neighbour.key,
    rank: index + 1,
    distance: neighbour.distance,
    compared: neighbour.compared,
    originCode: origin,
    profiles,
  }));
}

/** Each compared indicator's part in the distance of a row of `similarRegions`, in the order of the profile. */
export function similarityContributions(row: SimilarRegionRow): SimilarityContributionRow[] {
  const { profiles } = row;
  const own = profiles.values.get(row.originCode)!;
  const ownZ = profiles.zScores.get(row.originCode)!;
  const theirs = profiles.values.get(row.regionCode)!;
  const theirZ = profiles.zScores.get(row.regionCode)!;
  return profileDistance(ownZ, theirZ)!.contributions.map((contribution) => ({
    column: profiles.columns[contribution.index]!,
    value: own[contribution.index]!,
    candidateValue: theirs[contribution.index]!,
    zScore: ownZ[contribution.index]!,
    candidateZScore: theirZ[contribution.index]!,
    difference: contribution.difference,
    share: contribution.share,
  }));
}

export interface DisparityScoreRow {
  column: ProfileColumn;
  value: number | null;
  /** (value − reference) / sd; null without a value. */
  zScore: number | null;
  /** zScore with the sign flipped for LOWER_IS_BETTER: positive = better than the state; null for NEUTRAL. */
  adjustedZScore: number | null;
  inWeakestFifth: boolean;
}

export interface RegionDisparityRow {
  regionCode: string;
  scores: DisparityScoreRow[];
  /** Mean of the adjusted z-scores present; null when the region has none. */
  compositeIndex: number | null;
  weakestFifthCount: number;
  /** 1 = the lowest composite index (the most disadvantaged); regions without one come last, unranked. */
  rankFromWeakest: number | null;
}

export interface DisparityColumnRow {
  column: ProfileColumn;
  /** The state's observation, else the mean of the regions (see referenceIsStateObservation). */
  reference: number;
  referenceIsStateObservation: boolean;
  coefficientOfVariation: number | null;
  gini: number | null;
  theil: number | null;
  /** Why the three unweighted measures are null; null when they exist. */
  unmeasurableReason: DisparityUnmeasurable | null;
  /** The indicator whose values weigh the regions (see weightIndicatorOf). */
  weightIndicatorCode: string;
  /** The year of the weights (the values' year, or the nearest one with NEAREST_YEAR); null when none was read. */
  weightYear: number | null;
  /** Regions with both a value and a weight that year: the n of the weighted measures when they exist. */
  weightedRegionCount: number;
  weightedCoefficientOfVariation: number | null;
  weightedGini: number | null;
  weightedTheil: number | null;
  /** Why the three weighted measures are null; null when they exist. */
  weightedUnmeasurableReason: DisparityUnmeasurable | null;
  /** The regions with a value, their values and weights (null = none): what the measures were computed over. */
  measured: { level: RegionLevelName; codes: string[]; values: number[]; weights: (number | null)[] };
}

export interface Disparities {
  columns: DisparityColumnRow[];
  regions: RegionDisparityRow[];
  /** How many regions of the level have a composite index: the ranks' denominator, also when only some are returned. */
  rankedRegionCount: number;
}

/**
 * What the weighted disparity measures of an indicator weigh the regions by: for a WEIGHTED_MEAN its
 * own weight indicator (what its state value is the weighted mean by: population for a rate per
 * inhabitant, area for a density, children under 3 for a childcare rate), otherwise the population.
 */
export function weightIndicatorOf(indicator: Pick<IndicatorRow, 'aggregation' | 'weightIndicatorCode'>): string {
  return indicator.aggregation === 'WEIGHTED_MEAN' && indicator.weightIndicatorCode ? indicator.weightIndicatorCode : 'population';
}

/** Only indicators with a direction enter the composite and the weakest-fifth count. */
const directed = (polarity: IndicatorPolarity) => polarity !== 'NEUTRAL';

/**
 * Per region and indicator the deviation from the state value in standard deviations of the level,
 * adjusted by polarity; the composite index; the count of indicators in the weakest fifth. Computed
 * over all regions of the level; `regionCodes` selects which are returned. Ranked weakest first,
 * ties by code.
 */
export function disparities(profiles: Profiles, regionCodes: readonly string[]): Disparities {
  const columns = profiles.columns.map((column, index): DisparityColumnRow => {
    const codes = profiles.regionCodes.filter((code) => profiles.values.get(code)![index] !== null);
    const present = codes.map((code) => profiles.values.get(code)![index]!);
    const weightsRead = profiles.weights[index] ?? new Map<string, number>();
    const weights = codes.map((code) => weightsRead.get(code) ?? null);
    return {
      column,
      reference: column.stateValue ?? column.mean,
      referenceIsStateObservation: column.stateValue !== null,
      coefficientOfVariation: coefficientOfVariation(present),
      gini: gini(present),
      theil: theil(present),
      unmeasurableReason: unmeasurable(present),
      weightIndicatorCode: weightIndicatorOf(column.indicator),
      weightYear: profiles.weightYears[index] ?? null,
      weightedRegionCount: weights.filter((weight) => weight !== null).length,
      weightedCoefficientOfVariation: weightedCoefficientOfVariation(present, weights),
      weightedGini: weightedGini(present, weights),
      weightedTheil: weightedTheil(present, weights),
      weightedUnmeasurableReason: weightedUnmeasurable(present, weights),
      measured: { level: profiles.level, codes, values: present, weights },
    };
  });
  // Weakest fifth per directed indicator, over every region of the level with a value.
  const weakest = columns.map((entry, index) => {
    const codes = profiles.regionCodes.filter((code) => profiles.values.get(code)![index] !== null);
    if (!directed(entry.column.indicator.polarity)) return new Set<string>();
    const sign = polaritySign(entry.column.indicator.polarity);
    const flags = weakestFifth(codes.map((code) => sign * profiles.values.get(code)![index]!));
    return new Set(codes.filter((_code, position) => flags[position]));
  });
  const all = profiles.regionCodes.map((regionCode) => {
    const values = profiles.values.get(regionCode)!;
    const scores = columns.map((entry, index): DisparityScoreRow => {
      const value = values[index] ?? null;
      const { polarity } = entry.column.indicator;
      const z = value === null ? null : zScore(value, entry.reference, entry.column.standardDeviation);
      return {
        column: entry.column,
        value,
        zScore: z,
        adjustedZScore: z === null || !directed(polarity) ? null : polaritySign(polarity) * z,
        inWeakestFifth: weakest[index]!.has(regionCode),
      };
    });
    const adjusted = scores.map((score) => score.adjustedZScore).filter((score): score is number => score !== null);
    return {
      regionCode,
      scores,
      compositeIndex: mean(adjusted),
      weakestFifthCount: scores.filter((score) => score.inWeakestFifth).length,
      rankFromWeakest: null as number | null,
    };
  });
  const ranked = all
    .filter((row) => row.compositeIndex !== null)
    .sort((a, b) => a.compositeIndex! - b.compositeIndex! || (a.regionCode < b.regionCode ? -1 : 1));
  ranked.forEach((row, index) => {
    // Ties share the better (lower) rank, as in every ranking of this API.
    const previous = ranked[index - 1];
    row.rankFromWeakest = previous && previous.compositeIndex === row.compositeIndex ? previous.rankFromWeakest : index + 1;
  });
  const wanted = new Set(regionCodes);
  const unranked = all.filter((row) => row.compositeIndex === null);
  return { columns, regions: [...ranked, ...unranked].filter((row) => wanted.has(row.regionCode)), rankedRegionCount: ranked.length };
}

export interface FundingInput {
  regionCode: string;
  /** Funding attributed to the region (its own and its sub-regions' lead projects), exact cents. */
  cents: bigint;
  population: number | null;
  need: number | null;
}

export interface FundingNeedRow {
  regionCode: string;
  cents: bigint;
  population: number | null;
  /** EUR per inhabitant; null without a population. */
  perInhabitant: number | null;
  need: number | null;
  /** 100 = the greatest need among the compared regions (polarity-adjusted), 0 = the least. */
  needPercentile: number | null;
  /** 100 = the most funding per inhabitant among the compared regions, 0 = the least. */
  fundingPercentile: number | null;
  /** needPercentile − fundingPercentile: large = much need, little funding. */
  gap: number | null;
}

export interface FundingTargetingResult {
  rows: FundingNeedRow[];
  /** Regions with both a need value and funding per inhabitant. */
  compared: number;
  spearman: number | null;
}

/**
 * Funding per inhabitant next to need. Need is the indicator turned so that larger = more need
 * (LOWER_IS_BETTER as is, HIGHER_IS_BETTER negated, NEUTRAL as is). Spearman's rho of need against
 * funding per inhabitant over all regions with both (ties by average ranks): positive = funding
 * follows need. Rows by gap (most need with least funding first), then code; regions not compared last.
 */
export function fundingTargeting(inputs: FundingInput[], polarity: IndicatorPolarity): FundingTargetingResult {
  const sign = polarity === 'HIGHER_IS_BETTER' ? -1 : 1;
  const rows: FundingNeedRow[] = inputs.map((input) => ({
    regionCode: input.regionCode,
    cents: input.cents,
    population: input.population,
    perInhabitant: input.population ? Number(input.cents) / 100 / input.population : null,
    need: input.need,
    needPercentile: null,
    fundingPercentile: null,
    gap: null,
  }));
  const compared = rows.filter((row) => row.need !== null && row.perInhabitant !== null);
  const needs = compared.map((row) => sign * row.need!);
  const funding = compared.map((row) => row.perInhabitant!);
  const needPercentiles = percentiles(needs);
  const fundingPercentiles = percentiles(funding);
  compared.forEach((row, index) => {
    row.needPercentile = needPercentiles[index]!;
    row.fundingPercentile = fundingPercentiles[index]!;
    row.gap = row.needPercentile - row.fundingPercentile;
  });
  rows.sort((a, b) => (b.gap ?? -Infinity) - (a.gap ?? -Infinity) || (a.regionCode < b.regionCode ? -1 : 1));
  return { rows, compared: compared.length, spearman: spearman(needs, funding) };
}
