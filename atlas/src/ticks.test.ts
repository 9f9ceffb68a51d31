import { valueTicks, yearTicks } from './ticks';

describe('chart ticks', () => {
  it('labels round values between the bottom and the top of the value axis', () => {
    expect(valueTicks(0, 8_200_000)).toEqual([0, 2_000_000, 4_000_000, 6_000_000, 8_000_000]);
    expect(valueTicks(0, 5.4)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(valueTicks(-3, 7)).toEqual([-2, 0, 2, 4, 6]);
    // A flat series gets its one value.
    expect(valueTicks(5, 5)).toEqual([5]);
  });

  it('labels whole years between the first and the last, at a round step', () => {
    expect(yearTicks(1995, 2021)).toEqual([1995, 2000, 2005, 2010, 2015, 2020]);
    expect(yearTicks(2018, 2021)).toEqual([2018, 2019, 2020, 2021]);
    expect(yearTicks(2021, 2021)).toEqual([2021]);
  });
});
