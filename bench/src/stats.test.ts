import { formatRatio, formatTable, growthPercent, meetsTarget, percentile, ratio, rotate, summarizeLatencies } from './stats';

describe('percentile (nearest rank)', () => {
  const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

  it('picks the smallest value with at least p % of values at or below it', () => {
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 95)).toBe(10);
    expect(percentile(values, 90)).toBe(9);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile(values, 100)).toBe(10);
  });

  it('never invents a value between two observed ones', () => {
    expect(percentile([10, 20], 50)).toBe(10);
    expect(percentile([10, 20], 51)).toBe(20);
  });

  it('is NaN for no values and refuses a percentile outside 0–100', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile(values, 101)).toThrow(RangeError);
  });
});

describe('summarizeLatencies', () => {
  it('sorts unsorted latencies numerically (not as text) before reading percentiles', () => {
    const latencies = Array.from({ length: 100 }, (_, index) => 100 - index);
    latencies.push(1000);
    const summary = summarizeLatencies(latencies);
    expect(summary.count).toBe(101);
    expect(summary.p50).toBe(51);
    expect(summary.p95).toBe(96);
    expect(summary.p99).toBe(100);
    expect(summary.max).toBe(1000);
    expect(summary.mean).toBeCloseTo((5050 + 1000) / 101);
  });
});

describe('ratios and targets', () => {
  it('divides, and gives NaN rather than 0 or ∞ when a side is missing', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeNaN();
    expect(ratio(undefined, 2)).toBeNaN();
    expect(ratio(3, null)).toBeNaN();
  });

  it('judges a ratio against an upper or lower bound', () => {
    expect(meetsTarget(1.3, { atMost: 1.3 })).toBe(true);
    expect(meetsTarget(1.31, { atMost: 1.3 })).toBe(false);
    expect(meetsTarget(0.99, { atLeast: 1 })).toBe(false);
    expect(meetsTarget(Number.NaN, { atLeast: 1 })).toBeNull();
    expect(formatRatio(1.234, { atMost: 1.3 })).toBe('1.23× met');
    expect(formatRatio(0.5, { atLeast: 1 })).toBe('0.50× MISSED');
    expect(formatRatio(Number.NaN)).toBe('–');
  });

  it('computes growth in percent of the starting value', () => {
    expect(growthPercent(100, 110)).toBeCloseTo(10);
    expect(growthPercent(200, 150)).toBeCloseTo(-25);
    expect(growthPercent(0, 10)).toBeNaN();
  });
});

describe('formatTable', () => {
  const headers = ['operation', 'req/s', 'ratio'];
  const rows = [
    ['analyst-table', '1,234.5', '1.10× met'],
    ['region-page', '87.0', '–'],
  ];

  it('aligns text left and numbers right under a rule', () => {
    const lines = formatTable(headers, rows).split('\n');
    expect(lines).toEqual([
      'operation        req/s      ratio',
      '─────────────  ───────  ─────────',
      'analyst-table  1,234.5  1.10× met',
      'region-page       87.0          –',
    ]);
  });

  it('writes a Markdown table with right-aligned numeric columns', () => {
    const lines = formatTable(headers, rows, { markdown: true }).split('\n');
    expect(lines[0]).toBe('| operation     |   req/s |     ratio |');
    expect(lines[1]).toBe('|---------------|--------:|----------:|');
    expect(lines[3]).toBe('| region-page   |    87.0 |         – |');
  });
});

describe('rotate', () => {
  it('starts the list at a position, wrapping around', () => {
    expect(rotate(['a', 'b', 'c'], 0)).toEqual(['a', 'b', 'c']);
    expect(rotate(['a', 'b', 'c'], 1)).toEqual(['b', 'c', 'a']);
    expect(rotate(['a', 'b', 'c'], 5)).toEqual(['c', 'a', 'b']);
  });
});
