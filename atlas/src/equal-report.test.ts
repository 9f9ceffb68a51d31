import {
  computedRegionsNote,
  equalFileName,
  equalYears,
  referenceNote,
  unmeasurableText,
  weightLabel,
  type Weighting,
} from './equal-report';

describe("the equal-chances view's texts", () => {
  it('says "berechnet" for a reference that is not the state\'s published value', () => {
    expect(referenceNote(true, false)).toBe('');
    expect(referenceNote(true, true)).toBe(' (berechnet aus den Kreisen)');
    expect(referenceNote(false, false)).toBe(' (berechnet: Mittel der Regionen, kein Landeswert)');
  });

  it('names the CSV by level, area and year', () => {
    expect(equalFileName('COUNTY', null, null)).toBe('gleichwertigkeit-kreise-neueste.csv');
    expect(equalFileName('MUNICIPALITY', 2021, '03459')).toBe('gleichwertigkeit-gemeinden-03459-2021.csv');
    expect(equalFileName('COUNTY', 2020, null, true)).toBe('gleichwertigkeit-kreise-2020-excel.csv');
  });
});

describe('computedRegionsNote', () => {
  it('says how many of the n values RegioGraph computed, from the regions the level is made of', () => {
    expect(computedRegionsNote(0, 45, 'COUNTY')).toBe('');
    expect(computedRegionsNote(44, 44, 'COUNTY')).toBe('44 von 44 Werten aus den Gemeinden berechnet');
    expect(computedRegionsNote(3, 1021, 'MUNICIPALITY')).toBe('3 von 1.021 Werten aus den Regionen darin berechnet');
  });
});

describe('unmeasurableText', () => {
  const weighting: Weighting = {
    code: 'population',
    name: 'Bevölkerung',
    year: null,
    valueYear: 2022,
    regionCount: 45,
    weightedRegionCount: 0,
  };

  it('says what the API gives as the reason, without guessing from n and the mean', () => {
    expect(unmeasurableText('TOO_FEW_REGIONS')).toBe('nicht berechenbar: weniger als zwei Regionen mit Wert');
    expect(unmeasurableText('NEGATIVE_VALUE')).toBe('nicht berechenbar: negative Werte (die Maße setzen Werte ab 0 voraus)');
    expect(unmeasurableText('ZERO_MEAN')).toBe('nicht berechenbar: Mittel der Regionen 0');
    expect(unmeasurableText('ZERO_MEAN', weighting)).toBe('nicht berechenbar: gewichtetes Mittel der Regionen 0');
  });

  it('names the missing weight, its year and for how many regions it is missing', () => {
    expect(unmeasurableText('WEIGHTS_MISSING', weighting)).toBe(
      'nicht berechenbar: Bevölkerung 2022 fehlt für 45 von 45 Regionen mit Wert',
    );
    expect(unmeasurableText('WEIGHTS_MISSING', { ...weighting, regionCount: 1021, weightedRegionCount: 20 })).toBe(
      'nicht berechenbar: Bevölkerung 2022 fehlt für 1.001 von 1.021 Regionen mit Wert',
    );
    expect(unmeasurableText('WEIGHTS_MISSING', { ...weighting, year: 2022, weightedRegionCount: 45 })).toBe(
      'nicht berechenbar: Gewichte (Bevölkerung) negativ oder alle 0',
    );
  });
});

describe('weightLabel', () => {
  it('says "bevölkerungsgewichtet" for the population and names any other weight', () => {
    expect(weightLabel({ code: 'population', name: 'Bevölkerung' })).toBe('bevölkerungsgewichtet');
    expect(weightLabel({ code: 'area_km2', name: 'Fläche' })).toBe('gewichtet mit Fläche');
    expect(weightLabel({ code: 'population_under_3', name: 'Bevölkerung unter 3 Jahren' })).toBe(
      'gewichtet mit Bevölkerung unter 3 Jahren',
    );
  });
});

describe('equalYears', () => {
  it('spans the years of the indicators compared, and none without them', () => {
    const catalogue = [
      { code: 'a', firstYear: 2019, lastYear: 2021 },
      { code: 'b', firstYear: 2020, lastYear: 2023 },
      { code: 'c', firstYear: 1990, lastYear: 2000 },
    ];
    expect(equalYears(catalogue, ['a', 'b'])).toEqual([2019, 2020, 2021, 2022, 2023]);
    expect(equalYears(catalogue, [])).toEqual([]);
  });
});
