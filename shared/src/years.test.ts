import type { GraphQLError } from 'graphql';
import { MAX_YEAR, MIN_YEAR, requireYearArgument, requireYearRangeArguments } from './years';

/** The refusal a call throws, as a client reads it (message and extensions), or null when it returns. */
function refusal(run: () => unknown): { message: string; extensions: Record<string, unknown> } | null {
  try {
    run();
    return null;
  } catch (error) {
    const { message, extensions } = error as GraphQLError;
    return { message, extensions: { ...extensions } };
  }
}

describe('year arguments', () => {
  it('accept every whole year from MIN_YEAR to MAX_YEAR, both bounds included', () => {
    expect([MIN_YEAR, 2024, MAX_YEAR].map((year) => requireYearArgument(year, 'year'))).toEqual([1900, 2024, 2100]);
  });

  it('refuse a year just outside the bounds or not whole, naming the argument', () => {
    for (const year of [MIN_YEAR - 1, MAX_YEAR + 1, 2024.5, Number.NaN]) {
      expect(refusal(() => requireYearArgument(year, 'commitmentYear'))).toEqual({
        message: 'commitmentYear must be a year between 1900 and 2100.',
        extensions: { code: 'BAD_USER_INPUT', argument: 'commitmentYear' },
      });
    }
  });

  it('take a range with either end open, or both, and a range of one year', () => {
    expect(refusal(() => requireYearRangeArguments(null, undefined))).toBeNull();
    expect(refusal(() => requireYearRangeArguments(2020, null))).toBeNull();
    expect(refusal(() => requireYearRangeArguments(undefined, 2020))).toBeNull();
    expect(refusal(() => requireYearRangeArguments(2022, 2022))).toBeNull();
  });

  it('refuse each end of a range by its own name, with the prefix of the input it is in', () => {
    expect(refusal(() => requireYearRangeArguments(1899, 2000, 'filter.'))?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      argument: 'filter.fromYear',
    });
    expect(refusal(() => requireYearRangeArguments(2000, 2101, 'filter.'))?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      argument: 'filter.toYear',
    });
    expect(refusal(() => requireYearRangeArguments(null, 2101))?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'toYear' });
  });

  it('refuse a reversed range, which would select nothing, at its fromYear', () => {
    expect(refusal(() => requireYearRangeArguments(2023, 2021))).toEqual({
      message: 'fromYear (2023) is after toYear (2021).',
      extensions: { code: 'BAD_USER_INPUT', argument: 'fromYear' },
    });
    expect(refusal(() => requireYearRangeArguments(2023, 2022, 'filter.'))?.message).toBe(
      'filter.fromYear (2023) is after filter.toYear (2022).',
    );
  });
});
