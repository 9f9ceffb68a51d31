import { formatState, ignoredParams, parseState } from './state';

describe('ignoredParams', () => {
  it('names each parameter of a link that the Atlas does not understand and therefore leaves out', () => {
    const search = '?view=karte&indicator=population&year=1800&level=KREIS&area=03241&region=3241&compare=03241,x&indikator=foo';
    expect(ignoredParams(search)).toEqual(['view=karte', 'year=1800', 'level=KREIS', 'region=3241', 'compare=x', 'indikator=foo']);
    // What parseState made of the same link: the defaults in place of the parameters named.
    expect(parseState(search)).toMatchObject({ view: 'map', year: null, level: 'COUNTY', region: null, compare: ['03241'] });
  });

  it('names nothing in a link the Atlas wrote itself', () => {
    expect(
      ignoredParams('?view=map&indicator=population&year=2021&level=COUNTY&area=03&region=03241&series=population&compare=03241&embed=1'),
    ).toEqual([]);
    expect(ignoredParams('')).toEqual([]);
  });
});

describe('compare codes beyond six', () => {
  it('names the codes a link holds beyond the six regions the comparison takes', () => {
    const search = '?view=compare&compare=03241,03459,03403,03101,03102,03103,03151,03152';
    expect(parseState(search).compare).toEqual(['03241', '03459', '03403', '03101', '03102', '03103']);
    expect(ignoredParams(search)).toEqual(['compare=03151', 'compare=03152']);
  });
});

describe("the equal-chances view's indicators", () => {
  it('keeps the chosen indicators in the link, in their order, and none for the default profile', () => {
    const state = parseState('?view=equal&indicators=unemployment_rate,share_65plus&level=COUNTY&area=03');
    expect(state).toMatchObject({ view: 'equal', indicators: ['unemployment_rate', 'share_65plus'] });
    expect(formatState(state)).toBe('?view=equal&indicator=population&level=COUNTY&area=03&indicators=unemployment_rate%2Cshare_65plus');
    expect(parseState(formatState(state))).toEqual(state);
    expect(parseState('?view=equal').indicators).toEqual([]);
    expect(formatState(parseState('?view=equal'))).not.toContain('indicators');
    expect(ignoredParams('?view=equal&indicators=gp_per_100k,bad-code')).toEqual(['indicators=bad-code']);
  });
});

describe('the year of each view', () => {
  it('opens the equal-chances view with the newest values from a map of 2021, and the map keeps its year', () => {
    const map = parseState('?view=map&indicator=population&year=2021&level=COUNTY&area=03');
    const equal = { ...map, view: 'equal' as const };
    expect(equal.equalYear).toBeNull();
    // The link of the report names no year (the newest values) and keeps the map's.
    const link = formatState(equal);
    expect(new URLSearchParams(link).get('year')).toBeNull();
    expect(parseState(link)).toEqual(equal);
    expect(parseState(formatState({ ...parseState(link), view: 'map' })).year).toBe(2021);
    expect(ignoredParams(link)).toEqual([]);
  });

  it('reads `year` as the year of the view shown, so that an older link of the report keeps its year', () => {
    expect(parseState('?view=equal&year=2019')).toMatchObject({ equalYear: 2019, year: null });
    const both = { ...parseState('?view=equal&year=2019&mapYear=2015'), view: 'map' as const };
    expect(both).toMatchObject({ year: 2015, equalYear: 2019 });
    expect(parseState(formatState(both))).toEqual(both);
    expect(ignoredParams(formatState(both))).toEqual([]);
  });
});

describe("the equal-chances view's weights year", () => {
  it('keeps the nearest-year weights in the link, and leaves the default (the values’ year) out', () => {
    expect(parseState('?view=equal').weightYears).toBe('SAME_YEAR');
    expect(formatState(parseState('?view=equal'))).not.toContain('weights');
    const nearest = parseState('?view=equal&indicators=gp_per_100k&weights=nearest');
    expect(nearest.weightYears).toBe('NEAREST_YEAR');
    expect(new URLSearchParams(formatState(nearest)).get('weights')).toBe('nearest');
    expect(parseState(formatState(nearest))).toEqual(nearest);
    expect(ignoredParams(formatState(nearest))).toEqual([]);
    // Anything else is said to be ignored, not silently read as one of the two.
    expect(parseState('?view=equal&weights=same').weightYears).toBe('SAME_YEAR');
    expect(ignoredParams('?view=equal&weights=2021')).toEqual(['weights=2021']);
  });
});
