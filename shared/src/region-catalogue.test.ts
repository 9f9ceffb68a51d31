import { KEY_SUCCESSIONS, regionCatalogue, successorOfFormerRegionCode } from './region-catalogue';

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

describe('successorOfFormerRegionCode', () => {
  it('names the county each dissolved key merged into and the day, for the keys the official county series end with', () => {
    const catalogue = regionCatalogue();
    const former = KEY_SUCCESSIONS.flatMap((succession) => succession.formerCodes.map((code) => code.code));
    expect(former).toEqual(['03201', '03253', '03152', '03156']);
    // A former key is no key of the directory, and its successor is one.
    expect(former.filter((code) => catalogue.has(code))).toEqual([]);
    expect(successorOfFormerRegionCode('03156')).toEqual({
      code: '03156',
      name: 'Landkreis Osterode am Harz',
      successorCodes: ['03159'],
      since: new Date(Date.UTC(2016, 10, 1)),
    });
    expect(successorOfFormerRegionCode('03201')?.successorCodes).toEqual(['03241']);
    expect(successorOfFormerRegionCode('03159')).toBeUndefined();
    expect(KEY_SUCCESSIONS[1]?.predecessors).toBe('Landkreis Göttingen (03152) and Landkreis Osterode am Harz (03156)');
  });
});
