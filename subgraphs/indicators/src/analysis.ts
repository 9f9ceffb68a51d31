import type { IndicatorPolarity } from '@regiograph/db';

export interface Ranked<T> {
  item: T;
  value: number;
  /** 1 = best; ties share the better rank (1, 2, 2, 4). */
  rank: number;
  /** 100 = best, 0 = worst: 100 × (count − rank) / (count − 1), the share of the other peers below it or tied with it, in percent. */
  percentile: number;
}

/**
 * Ranks items by value following the polarity: HIGHER_IS_BETTER and NEUTRAL put the largest value
 * first, LOWER_IS_BETTER the smallest. Ties keep the order given (by region code).
 */
export function rankByPolarity<T>(items: { item: T; value: number }[], polarity: IndicatorPolarity): Ranked<T>[] {
  const direction = polarity === 'LOWER_IS_BETTER' ? 1 : -1;
  const sorted = [...items].sort((a, b) => direction * (a.value - b.value));
  const count = sorted.length;
  let rank = 0;
  return sorted.map((entry, index) => {
    if (index === 0 || entry.value !== sorted[index - 1]!.value) rank = index + 1;
    return { ...entry, rank, percentile: count <= 1 ? 100 : (100 * (count - rank)) / (count - 1) };
  });
}

export interface SummaryStatistics {
  count: number;
  sum: number | null;
  min: number | null;
  max: number | null;
  mean: number | null;
  median: number | null;
  /** Population standard deviation (divides by n). */
  standardDeviation: number | null;
}

export function summarize(values: number[]): SummaryStatistics {
  const count = values.length;
  if (count === 0) return { count, sum: null, min: null, max: null, mean: null, median: null, standardDeviation: null };
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  const mean = sum / count;
  const middle = Math.floor(count / 2);
  const median = count % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  const variance = sorted.reduce((total, value) => total + (value - mean) ** 2, 0) / count;
  return { count, sum, min: sorted[0]!, max: sorted[count - 1]!, mean, median, standardDeviation: Math.sqrt(variance) };
}
