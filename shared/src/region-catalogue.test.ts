import { KEY_SUCCESSIONS, regionCatalogue } from './region-catalogue';

describe('RegionCatalogue.keyExistsSince', () => {
  const catalogue = regionCatalogue();
  const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

  it('dates county keys from the 1977 reform, not from the directory’s day of their latest change', () => {
    // Helmstedt's valid_since (2017-07-01) is a merger inside the county; its key is older than any data.
    expect(catalogue.get('03154')?.validSince).toBe('2017-07-01');
    expect(catalogue.keyExistsSince('03154')).toBeNull();
    expect(catalogue.keyExistsSince('03')).toBeNull();
    expect(catalogue.keyExistsSince('031')).toBeNull();
  });

  it('dates the two county keys that replaced older ones, and everything below them, from the succession', () => {
    expect(KEY_SUCCESSIONS.map((succession) => succession.code)).toEqual(['03241', '03159']);
    expect(catalogue.keyExistsSince('03159')).toEqual(day('2016-11-01'));
    expect(catalogue.keyExistsSince('03241')).toEqual(day('2001-11-01'));
    // Adelebsen's own valid_since is the same day as its county's key.
    expect(catalogue.keyExistsSince('031590001001')).toEqual(day('2016-11-01'));
  });

  it('takes a municipality’s valid_since as its key’s first day, and knows no day for a code it lacks', () => {
    expect(catalogue.keyExistsSince('033580024024')).toEqual(day('2020-01-01'));
    expect(catalogue.keyExistsSince('031549502502')).toEqual(day('2009-01-01'));
    expect(catalogue.keyExistsSince('03999')).toBeUndefined();
  });
});

describe('RegionCatalogue.keyMissingOn', () => {
  const catalogue = regionCatalogue();
  const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

  it('says, in the words every subgraph refuses it with, that a key did not exist yet on a day', () => {
    expect(catalogue.keyMissingOn('03159', day('2016-10-31'))).toBe('must not be before 03159 existed (its key since 2016-11-01).');
    expect(catalogue.keyMissingOn('03159', day('2010-01-01'), 'the start')).toBe(
      'the start must not be before 03159 existed (its key since 2016-11-01).',
    );
    expect(catalogue.keyMissingOn('03159', day('2016-11-01'))).toBeNull();
    expect(catalogue.keyMissingOn('03154', day('1990-01-01'))).toBeNull();
    expect(catalogue.keyMissingOn('03999', day('1990-01-01'))).toBeNull();
  });
});
