import { parseCalendarDate } from './calendar-date';
import { DATE_SCALAR } from './schema-file';

describe('calendar dates', () => {
  it('parses real days only', () => {
    expect(parseCalendarDate('2024-02-29')).toEqual(new Date('2024-02-29T00:00:00Z'));
    for (const bad of ['2023-02-29', '2021-02-30', '2023-13-01', '23-1-1', '2023-1-01', 'yesterday', ''])
      expect(parseCalendarDate(bad)).toBeNull();
  });

  it('are what the Date scalar hands resolvers, and it refuses impossible days like malformed ones', () => {
    expect(DATE_SCALAR.parseValue('2021-03-01')).toEqual(new Date('2021-03-01T00:00:00Z'));
    expect(DATE_SCALAR.serialize(new Date('2021-03-01T00:00:00Z'))).toBe('2021-03-01');
    for (const bad of ['2021-02-30', '2021-2-3', 20210301, null])
      expect(() => DATE_SCALAR.parseValue(bad)).toThrow('Date must be a calendar date, YYYY-MM-DD');
  });
});
