import { comparesWithParents, indicatorOptions, levelNames, syntheticNote, themeGroups } from './catalogue';

const catalogue = [
  { code: 'population', name: 'Bevölkerung', levels: ['STATE', 'COUNTY', 'MUNICIPALITY'] },
  { code: 'unemployment_rate', name: 'Arbeitslosenquote', levels: ['STATE', 'DISTRICT', 'COUNTY'] },
];

describe('indicatorOptions', () => {
  it('offers the indicators with values at the level', () => {
    expect(indicatorOptions(catalogue, 'COUNTY', 'population').map((option) => [option.code, option.atLevel])).toEqual([
      ['population', true],
      ['unemployment_rate', true],
    ]);
  });

  it('keeps the chosen indicator when the level has none of its values, so the select never names another one', () => {
    expect(indicatorOptions(catalogue, 'MUNICIPALITY', 'unemployment_rate').map((option) => [option.code, option.atLevel])).toEqual([
      ['population', true],
      ['unemployment_rate', false],
    ]);
    expect(indicatorOptions(catalogue, 'MUNICIPALITY', 'population').map((option) => option.code)).toEqual(['population']);
  });
});

describe('levelNames', () => {
  it('names the levels of the map in German, leaving out those the map has no control for', () => {
    expect(levelNames(['STATE', 'DISTRICT', 'COUNTY'])).toBe('Landkreise und kreisfreie Städte');
    expect(levelNames(['COUNTY', 'MUNICIPALITY'])).toBe('Landkreise und kreisfreie Städte, Gemeinden');
    expect(levelNames(['STATE'])).toBe('');
  });
});

describe('syntheticNote', () => {
  it('marks synthetic indicators only', () => {
    expect(syntheticNote({ synthetic: true })).toBe(' – synthetische Daten');
    expect(syntheticNote({ synthetic: false })).toBe('');
  });
});

describe('themeGroups', () => {
  it('groups the options by theme under German names, in the order the catalogue gives', () => {
    const options = [
      { code: 'population', theme: 'DEMOGRAPHY' as const },
      { code: 'unemployment_rate', theme: 'LABOUR_MARKET' as const },
      { code: 'median_age_years', theme: 'DEMOGRAPHY' as const },
    ];
    expect(themeGroups(options).map((group) => [group.label, group.indicators.map((indicator) => indicator.code)])).toEqual([
      ['Bevölkerung', ['population', 'median_age_years']],
      ['Arbeitsmarkt', ['unemployment_rate']],
    ]);
  });
});

describe('comparesWithParents', () => {
  it('leaves totals out of the comparison with parent and state, whose totals dwarf them', () => {
    expect(comparesWithParents({ aggregation: 'SUM' })).toBe(false);
    expect(comparesWithParents({ aggregation: 'WEIGHTED_MEAN' })).toBe(true);
    expect(comparesWithParents({ aggregation: 'NONE' })).toBe(true);
  });
});
