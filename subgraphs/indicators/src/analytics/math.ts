/**
 * Pure statistics behind the analyses (similar regions, disparities, transfer candidates, funding
 * against need). No I/O here: every function is unit-tested against hand-computed fixtures.
 */
import type { IndicatorPolarity } from '@regiograph/db';

/** Arithmetic mean; null for no values. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return values.reduce((total, value) => total + value, 0) / values.length;
}

/** Population standard deviation (divides by n): the regions of a level are the whole population, not a sample. */
export function standardDeviation(values: readonly number[]): number | null {
  const average = mean(values);
  if (average === null) return null;
  return Math.sqrt(values.reduce((total, value) => total + (value - average) ** 2, 0) / values.length);
}

export interface Standardisation {
  mean: number;
  standardDeviation: number;
}

/** Mean and standard deviation of the values present; null when none is. */
export function standardisation(values: readonly (number | null)[]): Standardisation | null {
  const present = values.filter((value): value is number => value !== null);
  const average = mean(present);
  if (average === null) return null;
  return { mean: average, standardDeviation: standardDeviation(present)! };
}

/**
 * (value − centre) / sd. A spread of zero (all regions equal) gives 0 for everyone: nobody deviates,
 * and a division by zero must not make every distance infinite.
 */
export function zScore(value: number, centre: number, sd: number): number {
  return sd === 0 ? 0 : (value - centre) / sd;
}

/**
 * The sign that makes "higher is better" out of a polarity: LOWER_IS_BETTER flips, NEUTRAL and
 * HIGHER_IS_BETTER keep the direction.
 */
export function polaritySign(polarity: IndicatorPolarity): 1 | -1 {
  return polarity === 'LOWER_IS_BETTER' ? -1 : 1;
}

export interface Contribution {
  /** Index of the indicator in the profile. */
  index: number;
  /** z(a) − z(b). */
  difference: number;
  /** The indicator's share of the squared distance, 0–1; the shares of the compared indicators add up to 1. */
  share: number;
}

export interface Distance {
  /** Euclidean distance of the z-scores, scaled up to the full profile when values are missing. */
  distance: number;
  /** How many indicators both regions have a value for. */
  compared: number;
  contributions: Contribution[];
}

/**
 * Distance between two z-score profiles of equal length, null entries being missing values.
 *
 * Missing-value rule: only indicators both regions have a value for are compared; the sum of squared
 * differences is scaled by (profile length / compared) so that a pair compared on fewer indicators is
 * not made to look closer. A pair compared on fewer than half of the profile (rounded up) has no
 * distance (null). Symmetric by construction: (a − b)² = (b − a)².
 */
export function profileDistance(a: readonly (number | null)[], b: readonly (number | null)[]): Distance | null {
  if (a.length !== b.length) throw new Error(`profiles of different length: ${a.length} and ${b.length}`);
  const differences: { index: number; difference: number }[] = [];
  a.forEach((value, index) => {
    const other = b[index];
    if (value !== null && other != null) differences.push({ index, difference: value - other });
  });
  const compared = differences.length;
  if (compared === 0 || compared < Math.ceil(a.length / 2)) return null;
  const sumOfSquares = differences.reduce((total, entry) => total + entry.difference ** 2, 0);
  const distance = Math.sqrt((sumOfSquares * a.length) / compared);
  return {
    distance,
    compared,
    contributions: differences.map((entry) => ({
      ...entry,
      // Equal profiles: nothing contributes, and no share is divided by zero.
      share: sumOfSquares === 0 ? 0 : entry.difference ** 2 / sumOfSquares,
    })),
  };
}

/**
 * The z-score profiles of a level packed one after the other into one array, NaN for a missing
 * value: the nearest-neighbour search reads hundreds of thousands of values per origin, and an array
 * of number-or-null per region made it chase a pointer and test a type for each.
 */
export interface PackedProfiles {
  /** The regions in the order of the map they were packed from. */
  keys: readonly string[];
  /** Position of each key in `keys`. */
  positions: ReadonlyMap<string, number>;
  /** Values per profile (the profile length). */
  width: number;
  cells: Float64Array;
}

export function packProfiles(profiles: ReadonlyMap<string, readonly (number | null)[]>): PackedProfiles {
  const keys = [...profiles.keys()];
  const width = keys.length === 0 ? 0 : profiles.get(keys[0]!)!.length;
  const cells = new Float64Array(keys.length * width);
  keys.forEach((key, position) => {
    const profile = profiles.get(key)!;
    if (profile.length !== width) throw new Error(`profiles of different length: ${width} and ${profile.length}`);
    for (let index = 0; index < width; index += 1) cells[position * width + index] = profile[index] ?? Number.NaN;
  });
  return { keys, positions: new Map(keys.map((key, position) => [key, position])), width, cells };
}

export interface Neighbour {
  key: string;
  /** As `profileDistance` gives it. */
  distance: number;
  /** How many indicators both profiles have a value for. */
  compared: number;
}

/**
 * How many values one `nearestNeighbours` call reads: what the work of a search is measured in
 * (profiles × profile length).
 */
export function neighbourSearchWork(profiles: PackedProfiles): number {
  return profiles.cells.length;
}

/**
 * The `first` profiles nearest to `origin`, never `origin` itself; ties in distance are broken by
 * key (ascending), so the order is stable whatever order the candidates come in. Only measured, not
 * explained: `profileDistance` explains a pair, for the few whose explanation is asked for. The
 * arithmetic is `profileDistance`'s, value by value in profile order, so the distances are the same
 * to the last bit.
 */
export function nearestNeighbours(
  origin: string,
  profiles: PackedProfiles,
  first: number,
  admit: (key: string) => boolean = () => true,
): Neighbour[] {
  const own = profiles.positions.get(origin);
  if (own === undefined || first < 1) return [];
  const { keys, width, cells } = profiles;
  const start = own * width;
  const minimum = Math.max(1, Math.ceil(width / 2));
  // Parallel arrays rather than an object per candidate: a search over 967 municipalities for each
  // of 967 origins made a million objects for the collector.
  const candidates: number[] = [];
  const squares = new Float64Array(keys.length);
  const compares = new Int32Array(keys.length);
  for (let position = 0; position < keys.length; position += 1) {
    if (position === own || !admit(keys[position]!)) continue;
    const offset = position * width;
    let sum = 0;
    let compared = 0;
    for (let index = 0; index < width; index += 1) {
      const difference = cells[start + index]! - cells[offset + index]!;
      // NaN (a missing value on either side) fails every comparison.
      if (difference === difference) {
        sum += difference ** 2;
        compared += 1;
      }
    }
    if (compared < minimum) continue;
    squares[position] = (sum * width) / compared;
    compares[position] = compared;
    candidates.push(position);
  }
  const byDistance = (x: number, y: number) => squares[x]! - squares[y]! || (keys[x]! < keys[y]! ? -1 : keys[x]! > keys[y]! ? 1 : 0);
  return smallest(candidates, first, byDistance).map((position) => ({
    key: keys[position]!,
    distance: Math.sqrt(squares[position]!),
    compared: compares[position]!,
  }));
}

/**
 * The `count` smallest items in order: a bounded max-heap, then sorted, so a search for the 10
 * nearest of 967 sorts 10, not 967.
 */
function smallest<T>(items: readonly T[], count: number, compare: (a: T, b: T) => number): T[] {
  if (items.length <= count) return [...items].sort(compare);
  const heap: T[] = [];
  const siftDown = (from: number) => {
    for (let parent = from; ;) {
      const left = 2 * parent + 1;
      let largest = parent;
      if (left < heap.length && compare(heap[left]!, heap[largest]!) > 0) largest = left;
      if (left + 1 < heap.length && compare(heap[left + 1]!, heap[largest]!) > 0) largest = left + 1;
      if (largest === parent) return;
      [heap[parent], heap[largest]] = [heap[largest]!, heap[parent]!];
      parent = largest;
    }
  };
  for (const item of items) {
    if (heap.length < count) {
      heap.push(item);
      for (let child = heap.length - 1; child > 0;) {
        const parent = (child - 1) >> 1;
        if (compare(heap[child]!, heap[parent]!) <= 0) break;
        [heap[parent], heap[child]] = [heap[child]!, heap[parent]!];
        child = parent;
      }
    } else if (compare(item, heap[0]!) < 0) {
      heap[0] = item;
      siftDown(0);
    }
  }
  return heap.sort(compare);
}

/** Ranks 1..n of values ascending; ties get the mean of the ranks they span (1, 2.5, 2.5, 4). */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((x, y) => x.value - y.value || x.index - y.index);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.value === order[start]!.value) end += 1;
    const rank = (start + end) / 2 + 1;
    for (let position = start; position <= end; position += 1) ranks[order[position]!.index] = rank;
    start = end + 1;
  }
  return ranks;
}

/** Pearson's correlation coefficient; null for fewer than two pairs or no variation in either list. */
export function pearson(x: readonly number[], y: readonly number[]): number | null {
  if (x.length !== y.length) throw new Error('lists of different length');
  if (x.length < 2) return null;
  const meanX = mean(x)!;
  const meanY = mean(y)!;
  let covariance = 0;
  let varianceX = 0;
  let varianceY = 0;
  x.forEach((value, index) => {
    const dx = value - meanX;
    const dy = y[index]! - meanY;
    covariance += dx * dy;
    varianceX += dx * dx;
    varianceY += dy * dy;
  });
  if (varianceX === 0 || varianceY === 0) return null;
  return covariance / Math.sqrt(varianceX * varianceY);
}

/** Spearman's rank correlation: Pearson's coefficient of the average ranks (exact also with ties). */
export function spearman(x: readonly number[], y: readonly number[]): number | null {
  if (x.length !== y.length) throw new Error('lists of different length');
  return pearson(averageRanks(x), averageRanks(y));
}

/**
 * Why a relative measure of disparity (CV, Gini, Theil) has no value: one region is no distribution
 * (and its "0" would read as perfect equality); the measures assume a ratio scale (a mean of −1 and +3
 * is no level to be relative to), so no value may be negative and the mean must be above 0; a
 * weighted measure needs a weight of 0 or more for every region with a value and weights above 0 in all.
 */
export type DisparityUnmeasurable = 'TOO_FEW_REGIONS' | 'NEGATIVE_VALUE' | 'ZERO_MEAN' | 'WEIGHTS_MISSING';

/** Why the unweighted measures of `values` are null; null when they exist. */
export function unmeasurable(values: readonly number[]): DisparityUnmeasurable | null {
  if (values.length < 2) return 'TOO_FEW_REGIONS';
  if (values.some((value) => value < 0)) return 'NEGATIVE_VALUE';
  return mean(values)! > 0 ? null : 'ZERO_MEAN';
}

/** The unweighted mean of values the measures can describe (see `unmeasurable`), else null. */
function ratioScaleMean(values: readonly number[]): number | null {
  return unmeasurable(values) === null ? mean(values) : null;
}

/**
 * Coefficient of variation: population standard deviation (divides by n) / mean. Null for fewer than
 * two values, a negative value or a mean of 0.
 */
export function coefficientOfVariation(values: readonly number[]): number | null {
  const average = ratioScaleMean(values);
  if (average === null) return null;
  return standardDeviation(values)! / average;
}

/**
 * Gini coefficient of non-negative values, Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² mean): 0 = all equal, towards 1 =
 * concentrated in one region (at most 1 − 1/n). Unweighted: each value counts once. Null for fewer than
 * two values, a negative value or a sum of 0.
 */
export function gini(values: readonly number[]): number | null {
  const n = values.length;
  const average = ratioScaleMean(values);
  if (average === null) return null;
  // Sorted form of the double sum: Σᵢ (2i − n − 1) xᵢ for ascending x, i from 1.
  const sorted = [...values].sort((a, b) => a - b);
  const weighted = sorted.reduce((total, value, index) => total + (2 * (index + 1) - n - 1) * value, 0);
  return weighted / (n * n * average);
}

/**
 * Theil index T = (1/n) Σ (xᵢ/μ) ln(xᵢ/μ), with 0 · ln 0 = 0 (natural logarithm): 0 = all equal,
 * ln n = all in one region. Unweighted. Null for fewer than two values, a negative value or a mean of 0.
 */
export function theil(values: readonly number[]): number | null {
  const average = ratioScaleMean(values);
  if (average === null) return null;
  return values.reduce((total, value) => (value === 0 ? total : total + (value / average) * Math.log(value / average)), 0) / values.length;
}

/**
 * Why the weighted measures of `values` with `weights` (the same regions in the same order, null = no
 * weight) are null; null when they exist. The unweighted reasons come first (they hold whatever the
 * weights); then missing or negative weights, or weights all 0; then a weighted mean of 0 (the regions
 * above 0 all weigh 0).
 */
export function weightedUnmeasurable(values: readonly number[], weights: readonly (number | null)[]): DisparityUnmeasurable | null {
  if (values.length !== weights.length) throw new Error(`values and weights of different length: ${values.length} and ${weights.length}`);
  const reason = unmeasurable(values);
  if (reason !== null) return reason;
  if (weights.some((weight) => weight === null || !(weight >= 0))) return 'WEIGHTS_MISSING';
  const total = weights.reduce<number>((sum, weight) => sum + weight!, 0);
  if (total <= 0) return 'WEIGHTS_MISSING';
  return values.reduce((sum, value, index) => sum + value * weights[index]!, 0) > 0 ? null : 'ZERO_MEAN';
}

interface WeightedDistribution {
  values: readonly number[];
  /** pᵢ = wᵢ / Σ w: the weights as shares adding up to 1. */
  shares: number[];
  /** μ_w = Σ pᵢ xᵢ. */
  mean: number;
}

/** Values with their weights as shares and the weighted mean, when the weighted measures exist. */
function weightedDistribution(values: readonly number[], weights: readonly (number | null)[]): WeightedDistribution | null {
  if (weightedUnmeasurable(values, weights) !== null) return null;
  const total = weights.reduce<number>((sum, weight) => sum + weight!, 0);
  const shares = weights.map((weight) => weight! / total);
  return { values, shares, mean: values.reduce((sum, value, index) => sum + shares[index]! * value, 0) };
}

/**
 * Weighted coefficient of variation (Williamson's index): √(Σ pᵢ (xᵢ − μ_w)²) / μ_w, pᵢ the regions'
 * shares of the weights, μ_w the weighted mean. With population weights the dispersion between
 * inhabitants rather than between regions. Null as `weightedUnmeasurable` says.
 */
export function weightedCoefficientOfVariation(values: readonly number[], weights: readonly (number | null)[]): number | null {
  const distribution = weightedDistribution(values, weights);
  if (distribution === null) return null;
  const { shares, mean: average } = distribution;
  return Math.sqrt(values.reduce((sum, value, index) => sum + shares[index]! * (value - average) ** 2, 0)) / average;
}

/**
 * Weighted Gini coefficient, Σᵢ Σⱼ pᵢ pⱼ |xᵢ − xⱼ| / (2 μ_w): the Gini of a population in which each
 * region's value is held by its share of the weights (with population weights, the inhabitants'
 * Gini of the regional values). Equal weights give the unweighted Gini. Null as `weightedUnmeasurable` says.
 */
export function weightedGini(values: readonly number[], weights: readonly (number | null)[]): number | null {
  const distribution = weightedDistribution(values, weights);
  if (distribution === null) return null;
  const { shares, mean: average } = distribution;
  // Sorted form of the double sum: 2 Σᵢ pᵢ xᵢ (P below i − P above i) for ascending x; tied values
  // add pᵢ pⱼ (xᵢ − xⱼ) = 0 whichever way round they are sorted.
  const order = values.map((_value, index) => index).sort((a, b) => values[a]! - values[b]!);
  let below = 0;
  let sum = 0;
  for (const index of order) {
    const share = shares[index]!;
    const above = 1 - below - share;
    sum += share * values[index]! * (below - above);
    below += share;
  }
  return sum / average;
}

/**
 * Weighted Theil index T = Σ pᵢ (xᵢ/μ_w) ln(xᵢ/μ_w), natural logarithm, 0 · ln 0 = 0: with population
 * weights the population-weighted Theil of per-inhabitant values (= Σ sᵢ ln(sᵢ/pᵢ), sᵢ the regions'
 * shares of the total). Null as `weightedUnmeasurable` says.
 */
export function weightedTheil(values: readonly number[], weights: readonly (number | null)[]): number | null {
  const distribution = weightedDistribution(values, weights);
  if (distribution === null) return null;
  const { shares, mean: average } = distribution;
  return values.reduce(
    (sum, value, index) => (value === 0 ? sum : sum + shares[index]! * (value / average) * Math.log(value / average)),
    0,
  );
}

/** One group of a Theil decomposition: the regions of the level within one region of the level above. */
export interface TheilGroup {
  /** What the regions of the group share: the code of the region above them. */
  group: string;
  regionCount: number;
  /** P_g: the group's share of the weights (of the regions, unweighted). */
  weightShare: number;
  /** μ_g: the group's (weighted) mean. */
  mean: number;
  /** s_g = P_g μ_g / μ: the group's share of the total. */
  totalShare: number;
  /** T_g: the Theil index within the group, 0 for one region or all values 0. */
  theil: number;
}

/**
 * A Theil index split into the inequality between groups and within them: T = between + within, with
 * between = Σ_g s_g ln(μ_g/μ) (each group's regions replaced by its mean) and within = Σ_g s_g T_g (the
 * groups' own indices, weighted by their shares of the total). The between share tells how much of the
 * disparity lies between, say, the ArL districts rather than between the counties within each.
 */
export interface TheilDecomposition {
  between: number;
  within: number;
  groups: TheilGroup[];
}

/**
 * The Theil decomposition of `values` by `groups` (the same regions in the same order: a group key per
 * region), unweighted when `weights` is null, else with the weights as `weightedTheil` takes them. Null
 * when the Theil index itself is (see `unmeasurable`, `weightedUnmeasurable`). Groups in the order of
 * their keys; a group whose weights are all 0 adds nothing and is left out.
 */
export function theilDecomposition(
  values: readonly number[],
  weights: readonly (number | null)[] | null,
  groups: readonly string[],
): TheilDecomposition | null {
  if (values.length !== groups.length) throw new Error(`values and groups of different length: ${values.length} and ${groups.length}`);
  const distribution =
    weights === null
      ? ratioScaleMean(values) === null
        ? null
        : { shares: values.map(() => 1 / values.length), mean: mean(values)! }
      : weightedDistribution(values, weights);
  if (distribution === null) return null;
  const { shares, mean: average } = distribution;
  const members = new Map<string, number[]>();
  groups.forEach((group, index) => {
    const indices = members.get(group);
    if (indices) indices.push(index);
    else members.set(group, [index]);
  });
  const result: TheilGroup[] = [];
  let between = 0;
  let within = 0;
  for (const group of [...members.keys()].sort()) {
    const indices = members.get(group)!;
    const weightShare = indices.reduce((sum, index) => sum + shares[index]!, 0);
    if (weightShare === 0) continue;
    const groupMean = indices.reduce((sum, index) => sum + shares[index]! * values[index]!, 0) / weightShare;
    const totalShare = (weightShare * groupMean) / average;
    const groupTheil =
      groupMean === 0
        ? 0
        : indices.reduce((sum, index) => {
            const ratio = values[index]! / groupMean;
            return ratio === 0 ? sum : sum + (shares[index]! / weightShare) * ratio * Math.log(ratio);
          }, 0);
    if (groupMean > 0) between += totalShare * Math.log(groupMean / average);
    within += totalShare * groupTheil;
    result.push({ group, regionCount: indices.length, weightShare, mean: groupMean, totalShare, theil: groupTheil });
  }
  return { between, within, groups: result };
}

/**
 * Whether a polarity-adjusted score lies in the weakest fifth: fewer than a fifth of the scores are
 * strictly lower. Ties are treated alike, whatever order the regions come in.
 */
export function weakestFifth(adjusted: readonly number[]): boolean[] {
  const sorted = [...adjusted].sort((a, b) => a - b);
  const limit = adjusted.length / 5;
  return adjusted.map((value) => lowerCount(sorted, value) < limit);
}

/** How many entries of an ascending list are strictly below `value` (binary search). */
function lowerCount(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** 0–100: the share of the other entries strictly below each value (tied entries share the lower percentile). */
export function percentiles(values: readonly number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const others = values.length - 1;
  return values.map((value) => (others <= 0 ? 100 : (100 * lowerCount(sorted, value)) / others));
}
