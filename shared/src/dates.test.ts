import { formatCalendarDate, parseCalendarDate, parseMoment } from './calendar-date';
import { DATE_SCALAR, DATE_TIME_SCALAR } from './schema-file';

describe('calendar dates', () => {
  it('parses real days only', () => {
    expect(parseCalendarDate('2024-02-29')).toEqual(new Date('2024-02-29T00:00:00Z'));
    expect(parseCalendarDate('0001-01-01')).toEqual(new Date('0001-01-01T00:00:00Z'));
    expect(parseCalendarDate('9999-12-31')).toEqual(new Date('9999-12-31T00:00:00Z'));
    // Year 0000 is ISO 8601's 1 BC: PostgreSQL has no such year, and would fail the statement.
    for (const bad of ['2023-02-29', '2021-02-30', '2023-13-01', '23-1-1', '2023-1-01', 'yesterday', '', '0000-01-01', '0000-12-31'])
      expect(parseCalendarDate(bad)).toBeNull();
    // Written back as read.
    for (const day of ['2024-02-29', '0001-01-01', '9999-12-31']) expect(formatCalendarDate(parseCalendarDate(day)!)).toBe(day);
  });

  it('are what the Date scalar hands resolvers, and it refuses impossible days like malformed ones', () => {
    expect(DATE_SCALAR.parseValue('2021-03-01')).toEqual(new Date('2021-03-01T00:00:00Z'));
    expect(DATE_SCALAR.serialize(new Date('2021-03-01T00:00:00Z'))).toBe('2021-03-01');
    for (const bad of ['2021-02-30', '2021-2-3', '0000-01-01', 20210301, null])
      expect(() => DATE_SCALAR.parseValue(bad)).toThrow('Date must be a calendar date, YYYY-MM-DD, of the years 0001–9999');
  });
});

describe('moments', () => {
  it('parse ISO 8601 with a time zone on real days and times', () => {
    expect(parseMoment('2026-12-02T04:30:00Z')).toEqual(new Date('2026-12-02T04:30:00Z'));
    expect(parseMoment('2026-12-02T05:30+01:00')).toEqual(new Date('2026-12-02T04:30:00Z'));
    expect(parseMoment('2024-02-29T23:59:59.999-05:00')).toEqual(new Date('2024-03-01T04:59:59.999Z'));
    expect(parseMoment('0001-01-01T00:00:00Z')).toEqual(new Date('0001-01-01T00:00:00Z'));
  });

  it('take the widest offsets and the last moment of year 9999', () => {
    expect(parseMoment('2026-12-02T23:59+23:59')).toEqual(new Date('2026-12-02T00:00:00Z'));
    expect(parseMoment('9999-12-31T23:59:59Z')).toEqual(new Date('9999-12-31T23:59:59Z'));
  });

  it('refuse what JavaScript would quietly move to another moment, and what PostgreSQL cannot store', () => {
    for (const bad of [
      '2026-02-30T00:00:00Z', // JavaScript: 2 March
      '2026-01-01T24:00:00Z', // JavaScript: the next day
      '2026-01-01T10:60:00Z',
      '2026-01-01T10:00:60Z',
      '2026-01-01T10:00:00+24:00',
      '2026-01-01T10:00:00', // no time zone: the reader's local time
      '0000-01-01T00:00:00Z',
      '0001-01-01T00:30:00+01:00', // year 0000 in UTC
      '9999-12-31T23:30:00-01:00', // year 10000 in UTC
      'yesterday',
    ])
      expect(parseMoment(bad)).toBeNull();
  });

  it('are what the DateTime scalar hands resolvers, and it refuses the rest with its reason', () => {
    expect(DATE_TIME_SCALAR.parseValue('2026-12-02T04:30:00Z')).toEqual(new Date('2026-12-02T04:30:00Z'));
    for (const bad of ['2026-02-30T00:00:00Z', '0000-01-01T00:00:00Z', 1764649800000, null])
      expect(() => DATE_TIME_SCALAR.parseValue(bad)).toThrow(
        'DateTime must be an ISO 8601 moment with a time zone, on a real day of the years 0001–9999, e.g. 2026-12-02T04:30:00Z',
      );
  });
});
