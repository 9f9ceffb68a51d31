// Pure arithmetic and formatting of the benchmark: no I/O, so it can be tested.

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * The p-th percentile (0–100) of ascending values by the nearest-rank method: the smallest value
 * with at least p % of all values at or below it. Nearest rank never invents a latency nobody saw.
 */
export function percentile(sortedAscending: readonly number[], p: number): number {
  if (sortedAscending.length === 0) return Number.NaN;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0–100, got ${p}`);
  const rank = Math.max(1, Math.ceil((p / 100) * sortedAscending.length));
  return sortedAscending[rank - 1]!;
}

export function summarizeLatencies(latencies: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  const values = Array.from(sorted);
  const sum = values.reduce((total, value) => total + value, 0);
  return {
    count: values.length,
    mean: values.length ? sum / values.length : Number.NaN,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: values.length ? values[values.length - 1]! : Number.NaN,
  };
}

/** a / b, or NaN when either side is missing or b is zero (a ratio of nothing is not 0 or ∞). */
export function ratio(a: number | null | undefined, b: number | null | undefined): number {
  if (a == null || b == null || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return Number.NaN;
  return a / b;
}

/** Relative growth from `before` to `after` in percent. */
export function growthPercent(before: number, after: number): number {
  if (!(before > 0)) return Number.NaN;
  return ((after - before) / before) * 100;
}

/** A number for a table: a dash when missing, otherwise with the given decimals and thin grouping. */
export function formatNumber(value: number | null | undefined, decimals = 0): string {
  if (value == null || !Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** A ratio as "1.23×" and whether it meets a target, e.g. "0.91× ✗ (≥ 1)". */
export function formatRatio(value: number, target?: { atMost?: number; atLeast?: number }): string {
  if (!Number.isFinite(value)) return '–';
  const text = `${value.toFixed(2)}×`;
  if (!target) return text;
  const met = (target.atMost === undefined || value <= target.atMost) && (target.atLeast === undefined || value >= target.atLeast);
  return `${text} ${met ? 'met' : 'MISSED'}`;
}

export function meetsTarget(value: number, target: { atMost?: number; atLeast?: number }): boolean | null {
  if (!Number.isFinite(value)) return null;
  return (target.atMost === undefined || value <= target.atMost) && (target.atLeast === undefined || value >= target.atLeast);
}

/**
 * A plain-text table: a header row, a rule, and rows; numeric-looking cells are right-aligned.
 * Markdown mode gives a GitHub table that docs/benchmarks.md can take as it is.
 */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  options: { markdown?: boolean } = {},
): string {
  const width = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const numeric = headers.map((_, column) => rows.length > 0 && rows.every((row) => /^(–|[-+]?\d)/.test(row[column] ?? '')));
  const cell = (text: string, column: number) => (numeric[column] ? text.padStart(width[column]!) : text.padEnd(width[column]!));
  if (options.markdown) {
    const line = (cells: readonly string[]) => `| ${cells.map((text, column) => cell(text, column)).join(' | ')} |`;
    const rule = `|${width.map((size, column) => (numeric[column] ? `${'-'.repeat(size + 1)}:` : `${'-'.repeat(size + 2)}`)).join('|')}|`;
    return [line(headers), rule, ...rows.map((row) => line(headers.map((_, column) => row[column] ?? '')))].join('\n');
  }
  const line = (cells: readonly string[]) =>
    cells
      .map((text, column) => cell(text, column))
      .join('  ')
      .trimEnd();
  return [
    line(headers),
    width.map((size) => '─'.repeat(size)).join('  '),
    ...rows.map((row) => line(headers.map((_, column) => row[column] ?? ''))),
  ].join('\n');
}

/** The list started at position `by`, so that each contender is measured first as often as the others. */
export function rotate<T>(items: readonly T[], by: number): T[] {
  const start = ((by % items.length) + items.length) % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}
