// The statistics of the round method: contenders alternate in short rounds, each round gives one
// ratio (ours/Hive req/s, gateway/direct p50 …), and a verdict comes from a distribution-free
// confidence interval of the median of those ratios rather than from one number. On a shared
// machine the noise between two long blocks is larger than a 20 % difference; within one round the
// contenders see nearly the same machine, and the spread over rounds shows how much is left.

/** Median of the values (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The q-quantile (0–1) by linear interpolation between order statistics (type 7, as R and NumPy). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

/** P(B ≤ k) for B ~ Binomial(n, 1/2). */
export function binomialHalfCdf(n: number, k: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  let term = 0.5 ** n; // C(n, 0) / 2^n
  let sum = term;
  for (let i = 1; i <= k; i += 1) {
    term = (term * (n - i + 1)) / i;
    sum += term;
  }
  return sum;
}

export interface MedianInterval {
  low: number;
  high: number;
  /** The order statistics used, 1-based: [x_(lowRank), x_(highRank)]. */
  lowRank: number;
  highRank: number;
  /** The interval's exact coverage of the true median (any continuous distribution). */
  coverage: number;
}

/**
 * The distribution-free confidence interval of the median from order statistics: [x_(k), x_(n+1−k)]
 * covers the median with probability 1 − 2·P(B ≤ k−1), B ~ Binomial(n, ½), whatever the
 * distribution of the rounds. Takes the narrowest such interval whose coverage is at least
 * `confidence`; with too few values for that, the widest one (min–max) with its lower coverage,
 * which the verdict then refuses to use.
 */
export function medianInterval(values: readonly number[], confidence = 0.95): MedianInterval | null {
  const sorted = [...values].filter(Number.isFinite).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return null;
  const coverageOf = (k: number) => 1 - 2 * binomialHalfCdf(n, k - 1);
  let k = 1;
  while (k + 1 <= Math.floor((n + 1) / 2) && coverageOf(k + 1) >= confidence) k += 1;
  return { low: sorted[k - 1]!, high: sorted[n - k]!, lowRank: k, highRank: n + 1 - k, coverage: coverageOf(k) };
}

export interface RatioSummary {
  /** Rounds that gave a ratio (both sides answered often enough). */
  rounds: number;
  /** Every round's ratio, in the order the rounds ran. */
  values: number[];
  median: number;
  min: number;
  max: number;
  q1: number;
  q3: number;
  /** Confidence interval of the median (order statistics); null without rounds. */
  interval: MedianInterval | null;
}

/** Median, spread and the median's confidence interval of per-round ratios (NaN rounds left out). */
export function summarise(values: readonly number[], confidence = 0.95): RatioSummary {
  const finite = values.filter(Number.isFinite);
  return {
    rounds: finite.length,
    values: finite,
    median: median(finite),
    min: finite.length ? Math.min(...finite) : Number.NaN,
    max: finite.length ? Math.max(...finite) : Number.NaN,
    q1: quantile(finite, 0.25),
    q3: quantile(finite, 0.75),
    interval: medianInterval(finite, confidence),
  };
}

export type RoundVerdict = 'met' | 'missed' | 'not significant' | 'not measured';

export interface Target {
  atLeast?: number;
  atMost?: number;
}

/** The coverage below which an interval is not trusted for a verdict (5 rounds give 93.75 %). */
export const MIN_COVERAGE = 0.9;

/**
 * "met" when the whole interval lies on the target's side, "missed" when the whole interval lies
 * on the wrong side, "not significant" when it straddles the target — or when there were too few
 * rounds for an interval of at least MIN_COVERAGE (a smoke run's one or two rounds prove nothing).
 */
export function roundVerdict(summary: RatioSummary | undefined, target: Target): RoundVerdict {
  const interval = summary?.interval;
  if (!summary || !interval || summary.rounds === 0) return 'not measured';
  if (interval.coverage < MIN_COVERAGE) return 'not significant';
  const good = (value: number) =>
    (target.atLeast === undefined || value >= target.atLeast) && (target.atMost === undefined || value <= target.atMost);
  if (good(interval.low) && good(interval.high)) return 'met';
  if (!good(interval.low) && !good(interval.high)) {
    // Both ends bad: bad on the same side (a two-sided target could straddle its band).
    const below = (value: number) => target.atLeast !== undefined && value < target.atLeast;
    const above = (value: number) => target.atMost !== undefined && value > target.atMost;
    if ((below(interval.low) && below(interval.high)) || (above(interval.low) && above(interval.high))) return 'missed';
  }
  return 'not significant';
}

/**
 * The order of the contenders in round `round`: rotated by half the round number and reversed on
 * odd rounds, so that with two contenders each goes first half the time and with three the first
 * six rounds are the six possible orders. Each contender is as often first, last and next to each
 * other one, so drift on a shared machine and what one run leaves behind for the next (answers
 * still being built for requests the load generator dropped) favour no one.
 */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
  if (items.length === 0) return [];
  const by = Math.floor(round / 2) % items.length;
  const rotated = [...items.slice(by), ...items.slice(0, by)];
  return round % 2 ? rotated.reverse() : rotated;
}

/** "1.23× (1.10–1.31, IQR 1.18–1.27, 6 rounds, 97 %)": the median ratio with its spread. */
export function formatSummary(summary: RatioSummary | undefined): string {
  if (!summary || summary.rounds === 0 || !summary.interval) return '–';
  const f = (value: number) => value.toFixed(2);
  const interval = summary.interval;
  return `${f(summary.median)}× [${f(interval.low)}–${f(interval.high)}] (${summary.rounds} round${summary.rounds === 1 ? '' : 's'}, ${Math.floor(interval.coverage * 1000) / 10} % CI; range ${f(summary.min)}–${f(summary.max)}, IQR ${f(summary.q1)}–${f(summary.q3)})`;
}

/** What one contender did in one round. */
export interface RoundRun {
  /** Clean answers in the round. */
  answers: number;
  requestsPerSecond: number;
  p50: number;
  errors: number;
}

/** One round: the order the contenders ran in, and each one's figures. */
export interface RoundRecord {
  order: string[];
  runs: Record<string, RoundRun>;
}

/** Fewer answers than this in a round tell nothing about it (a slow operation in a short round). */
export const MIN_ROUND_ANSWERS = 3;

/**
 * numerator / denominator of a figure in every round (NaN for a round where either side is missing
 * or answered fewer than MIN_ROUND_ANSWERS times): the values the interval is built from.
 */
export function roundRatios(
  rounds: readonly RoundRecord[] | undefined,
  numerator: string,
  denominator: string,
  metric: 'requestsPerSecond' | 'p50',
): number[] {
  return (rounds ?? []).map((round) => {
    const a = round.runs[numerator];
    const b = round.runs[denominator];
    if (!a || !b || a.answers < MIN_ROUND_ANSWERS || b.answers < MIN_ROUND_ANSWERS || !(b[metric] > 0)) return Number.NaN;
    return a[metric] / b[metric];
  });
}

/** A contender's figure in every round over a constant (e.g. an earlier run's req/s). */
export function roundFigureOver(
  rounds: readonly RoundRecord[] | undefined,
  side: string,
  metric: 'requestsPerSecond' | 'p50',
  baseline: number,
): number[] {
  return (rounds ?? []).map((round) => {
    const run = round.runs[side];
    return run && run.answers >= MIN_ROUND_ANSWERS && baseline > 0 ? run[metric] / baseline : Number.NaN;
  });
}

/** "1.30× [1.10–1.40]": the median and its confidence interval, for table cells. */
export function formatMedian(summary: RatioSummary | undefined): string {
  if (!summary || summary.rounds === 0 || !summary.interval) return '–';
  return `${summary.median.toFixed(2)}× [${summary.interval.low.toFixed(2)}–${summary.interval.high.toFixed(2)}]`;
}
