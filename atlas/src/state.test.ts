import { ignoredParams, parseState } from './state';

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
