import { aggregatedYearsOf, computedMark } from './computed';

describe('computed values in a chart key', () => {
  it('lists the years of computed values that have a value, in order', () => {
    expect(
      aggregatedYearsOf([
        { year: 1994, value: 2, aggregated: true },
        { year: 1983, value: 1, aggregated: true },
        { year: 1995, value: 3, aggregated: false },
        { year: 2022, value: null, aggregated: true },
      ]),
    ).toEqual([1983, 1994]);
    expect(aggregatedYearsOf(null)).toEqual([]);
  });

  it('marks a wholly computed line "berechnet", a partly computed one with its years, a published one not at all', () => {
    expect(computedMark([], 10)).toBe('');
    expect(computedMark([2019, 2020], 2)).toBe(' (berechnet)');
    expect(computedMark([1983, 1987, 1990, 1994], 28)).toBe(' (berechnet: 1983, 1987, 1990, 1994)');
    expect(computedMark([1, 2, 3, 4, 5, 6], 28)).toBe(' (teils berechnet)');
  });
});
