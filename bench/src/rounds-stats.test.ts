import {
  binomialHalfCdf,
  formatMedian,
  formatSummary,
  median,
  medianInterval,
  MIN_COVERAGE,
  quantile,
  roundFigureOver,
  roundOrder,
  roundRatios,
  roundVerdict,
  summarise,
  type RoundRecord,
} from './rounds-stats';

describe('median and quantiles', () => {
  it('takes the middle value, or the mean of the two middle ones, of unsorted values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([10, 2])).toBe(6); // numerically, not as text
    expect(median([])).toBeNaN();
    expect(median([Number.NaN, 5])).toBe(5);
  });

  it('interpolates quartiles between order statistics', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75);
    expect(quantile([1, 2, 3, 4], 0.75)).toBeCloseTo(3.25);
    expect(quantile([7], 0.75)).toBe(7);
  });
});

describe('binomialHalfCdf', () => {
  it('sums Binomial(n, ½) probabilities exactly', () => {
    expect(binomialHalfCdf(6, 0)).toBeCloseTo(1 / 64);
    expect(binomialHalfCdf(6, 1)).toBeCloseTo(7 / 64);
    expect(binomialHalfCdf(10, 1)).toBeCloseTo(11 / 1024);
    expect(binomialHalfCdf(5, 5)).toBe(1);
    expect(binomialHalfCdf(5, -1)).toBe(0);
    expect(binomialHalfCdf(20, 9) + (1 - binomialHalfCdf(20, 10))).toBeCloseTo(1 - 184756 / 2 ** 20);
  });
});

describe('medianInterval (order statistics)', () => {
  it('is min–max for 6 rounds, covering the median with 1 − 2/64 = 96.9 %', () => {
    const interval = medianInterval([1.3, 1.1, 1.25, 1.4, 1.2, 1.35])!;
    expect([interval.low, interval.high]).toEqual([1.1, 1.4]);
    expect([interval.lowRank, interval.highRank]).toEqual([1, 6]);
    expect(interval.coverage).toBeCloseTo(62 / 64);
  });

  it('narrows to inner order statistics once there are enough rounds', () => {
    const values = Array.from({ length: 10 }, (_, index) => index + 1);
    const interval = medianInterval(values)!;
    // n = 10: [x(2), x(9)] covers 1 − 2·11/1024 = 97.9 %; [x(3), x(8)] only 89 %.
    expect([interval.low, interval.high]).toEqual([2, 9]);
    expect(interval.coverage).toBeCloseTo(1 - 22 / 1024);
    expect(medianInterval(values, 0.85)).toMatchObject({ low: 3, high: 8 });
  });

  it('reports the lower coverage when there are too few rounds for the confidence asked', () => {
    expect(medianInterval([2, 1, 3, 5, 4])).toMatchObject({ low: 1, high: 5, coverage: 1 - 2 / 32 });
    expect(medianInterval([1.5, 1.7])).toMatchObject({ low: 1.5, high: 1.7, coverage: 0.5 });
    expect(medianInterval([1.5])!.coverage).toBe(0);
    expect(medianInterval([])).toBeNull();
  });

  it('covers the true median about as often as it says (simulated skewed rounds)', () => {
    // A deterministic generator, so the test cannot flake: exponential rounds, true median ln 2.
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return (seed + 0.5) / 2 ** 31;
    };
    let covered = 0;
    const trials = 4000;
    for (let trial = 0; trial < trials; trial += 1) {
      const rounds = Array.from({ length: 8 }, () => -Math.log(random()));
      const interval = medianInterval(rounds)!;
      if (interval.low <= Math.LN2 && Math.LN2 <= interval.high) covered += 1;
    }
    // n = 8 at 95 %: min–max, 1 − 2/256 = 99.2 %.
    expect(covered / trials).toBeGreaterThan(0.98);
  });
});

describe('summarise', () => {
  it('gives median, range, IQR, interval and the count of rounds, leaving out rounds without a ratio', () => {
    const summary = summarise([1.3, Number.NaN, 1.1, 1.25, 1.4, 1.2, 1.35, 1.3]);
    expect(summary.rounds).toBe(7);
    expect(summary.median).toBe(1.3);
    expect([summary.min, summary.max]).toEqual([1.1, 1.4]);
    expect(summary.q1).toBeCloseTo(1.225);
    expect(summary.q3).toBeCloseTo(1.325);
    expect(summary.interval).toMatchObject({ low: 1.1, high: 1.4 });
    expect(formatSummary(summary)).toBe('1.30× [1.10–1.40] (7 rounds, 98.4 % CI; range 1.10–1.40, IQR 1.23–1.33)');
    expect(formatSummary(summarise([]))).toBe('–');
  });
});

describe('roundVerdict', () => {
  const six = (...values: number[]) => summarise(values);

  it('is met only when the whole interval is on the right side of the target', () => {
    expect(roundVerdict(six(1.25, 1.3, 1.22, 1.4, 1.31, 1.27), { atLeast: 1.2 })).toBe('met');
    expect(roundVerdict(six(1.1, 1.2, 1.25, 1.15, 1.12, 1.29), { atMost: 1.3 })).toBe('met');
  });

  it('is missed only when the whole interval is on the wrong side', () => {
    expect(roundVerdict(six(0.9, 1.1, 1.0, 1.05, 1.19, 0.95), { atLeast: 1.2 })).toBe('missed');
    expect(roundVerdict(six(1.31, 1.6, 1.5, 1.45, 1.33, 1.9), { atMost: 1.3 })).toBe('missed');
  });

  it('is not significant when the interval straddles the target, even if the median is far off', () => {
    expect(roundVerdict(six(1.5, 1.6, 1.55, 1.58, 1.62, 1.1), { atLeast: 1.2 })).toBe('not significant');
    expect(roundVerdict(six(0.9, 0.95, 0.92, 0.91, 0.93, 1.25), { atLeast: 1.2 })).toBe('not significant');
  });

  it('is not significant with too few rounds for a trusted interval, and not measured without rounds', () => {
    expect(medianInterval([2, 2.1, 2.2, 2.3])!.coverage).toBeLessThan(MIN_COVERAGE);
    expect(roundVerdict(summarise([2, 2.1, 2.2, 2.3]), { atLeast: 1.2 })).toBe('not significant');
    expect(roundVerdict(summarise([2, 2.1, 2.2, 2.3, 2.4]), { atLeast: 1.2 })).toBe('met');
    expect(roundVerdict(summarise([]), { atLeast: 1.2 })).toBe('not measured');
    expect(roundVerdict(undefined, { atLeast: 1.2 })).toBe('not measured');
  });

  it('treats a value exactly on the target as meeting it', () => {
    expect(roundVerdict(six(1.3, 1.3, 1.2, 1.1, 1.0, 1.25), { atMost: 1.3 })).toBe('met');
  });
});

describe('roundOrder', () => {
  it('gives two contenders each first half the time', () => {
    const orders = Array.from({ length: 4 }, (_, round) => roundOrder(['ours', 'hive'], round).join(' '));
    expect(orders).toEqual(['ours hive', 'hive ours', 'hive ours', 'ours hive']);
  });

  it('gives three contenders all six orders in six rounds', () => {
    const orders = Array.from({ length: 6 }, (_, round) => roundOrder(['a', 'b', 'c'], round).join(''));
    expect(new Set(orders).size).toBe(6);
    for (const contender of ['a', 'b', 'c']) expect(orders.filter((order) => order.startsWith(contender))).toHaveLength(2);
  });

  it('keeps every contender in every round', () => {
    for (let round = 0; round < 9; round += 1) expect([...roundOrder([1, 2, 3, 4], round)].sort()).toEqual([1, 2, 3, 4]);
    expect(roundOrder([], 3)).toEqual([]);
  });
});

describe('roundRatios', () => {
  const run = (requestsPerSecond: number, p50: number, answers = 30) => ({ answers, requestsPerSecond, p50, errors: 0 });
  const rounds: RoundRecord[] = [
    { order: ['ours', 'hive'], runs: { ours: run(12, 100), hive: run(10, 125) } },
    { order: ['hive', 'ours'], runs: { ours: run(11, 110), hive: run(10, 100) } },
    { order: ['ours', 'hive'], runs: { ours: run(1, 900, 2), hive: run(10, 100) } },
    { order: ['hive'], runs: { hive: run(10, 100) } },
  ];

  it('divides the two sides within each round, and gives NaN for a round without enough answers on either side', () => {
    const ratios = roundRatios(rounds, 'ours', 'hive', 'requestsPerSecond');
    expect(ratios.slice(0, 2)).toEqual([1.2, 1.1]);
    expect(ratios.slice(2).every(Number.isNaN)).toBe(true);
    expect(roundRatios(rounds, 'ours', 'hive', 'p50').slice(0, 2)).toEqual([0.8, 1.1]);
    expect(summarise(roundRatios(rounds, 'ours', 'hive', 'requestsPerSecond')).rounds).toBe(2);
    expect(roundRatios(undefined, 'ours', 'hive', 'p50')).toEqual([]);
  });

  it('compares a figure with a constant baseline round by round', () => {
    expect(roundFigureOver(rounds, 'ours', 'requestsPerSecond', 5).slice(0, 2)).toEqual([2.4, 2.2]);
    expect(roundFigureOver(rounds, 'ours', 'requestsPerSecond', 5)[2]).toBeNaN();
  });

  it('formats a median with its interval for a table cell', () => {
    expect(formatMedian(summarise([1.2, 1.1, 1.3, 1.25, 1.15, 1.22]))).toBe('1.21× [1.10–1.30]');
    expect(formatMedian(undefined)).toBe('–');
  });
});
