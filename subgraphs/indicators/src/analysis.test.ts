import { aggregateValues } from './aggregate';
import { rankByPolarity, summarize } from './analysis';

const items = (values: number[]) => values.map((value, index) => ({ item: `r${index}`, value }));

describe('rankByPolarity', () => {
  it('puts the largest value first for HIGHER_IS_BETTER and NEUTRAL, the smallest for LOWER_IS_BETTER', () => {
    expect(rankByPolarity(items([3, 9, 5]), 'HIGHER_IS_BETTER').map((entry) => entry.item)).toEqual(['r1', 'r2', 'r0']);
    expect(rankByPolarity(items([3, 9, 5]), 'NEUTRAL').map((entry) => entry.item)).toEqual(['r1', 'r2', 'r0']);
    expect(rankByPolarity(items([3, 9, 5]), 'LOWER_IS_BETTER').map((entry) => entry.item)).toEqual(['r0', 'r2', 'r1']);
  });

  it('gives ties the better rank and spreads percentiles from 100 (best) to 0 (worst)', () => {
    const ranked = rankByPolarity(items([10, 20, 20, 5, 1]), 'HIGHER_IS_BETTER');
    expect(ranked.map((entry) => [entry.value, entry.rank, entry.percentile])).toEqual([
      [20, 1, 100],
      [20, 1, 100],
      [10, 3, 50],
      [5, 4, 25],
      [1, 5, 0],
    ]);
    expect(rankByPolarity(items([7]), 'LOWER_IS_BETTER')[0]).toMatchObject({ rank: 1, percentile: 100 });
  });
});

describe('summarize', () => {
  it('computes min, max, mean, median and the population standard deviation', () => {
    expect(summarize([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ count: 8, sum: 40, min: 2, max: 9, mean: 5, median: 4.5, standardDeviation: 2 });
    expect(summarize([3, 1, 2])).toMatchObject({ median: 2 });
    expect(summarize([])).toEqual({ count: 0, sum: null, min: null, max: null, mean: null, median: null, standardDeviation: null });
  });
});

describe('aggregateValues', () => {
  it('sums, weights means and refuses to aggregate NONE', () => {
    const children = [
      { value: 10, weight: 1 },
      { value: 40, weight: 3 },
    ];
    expect(aggregateValues('SUM', children)).toBe(50);
    expect(aggregateValues('WEIGHTED_MEAN', children)).toBe(32.5);
    expect(aggregateValues('NONE', children)).toBeNull();
    expect(aggregateValues('SUM', [])).toBeNull();
  });
});
