import {
  computedRegionsNote,
  equalFileName,
  equalYears,
  formatShare,
  referenceNote,
  theilExplanation,
  unmeasurableText,
  weightLabel,
  weightingText,
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
    weightYears: 'SAME_YEAR',
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

  it("names the nearest year's weights as such, and says when no year has any", () => {
    const nearest = { ...weighting, weightYears: 'NEAREST_YEAR' as const };
    expect(unmeasurableText('WEIGHTS_MISSING', { ...nearest, year: 2021, weightedRegionCount: 44 })).toBe(
      'nicht berechenbar: Bevölkerung 2021 (nächstgelegenes Jahr) fehlt für 1 von 45 Regionen mit Wert',
    );
    expect(unmeasurableText('WEIGHTS_MISSING', nearest)).toBe('nicht berechenbar: Bevölkerung liegt in keinem Jahr für diese Regionen vor');
  });
});

describe('weightingText', () => {
  it("names the values' year bare, and another year's weights plainly as those of the nearest year", () => {
    const population = { code: 'population', name: 'Bevölkerung' };
    expect(weightingText({ ...population, year: 2021, valueYear: 2021 })).toBe('bevölkerungsgewichtet (2021)');
    expect(weightingText({ ...population, year: 2021, valueYear: 2022 })).toBe(
      'bevölkerungsgewichtet, Gewichte 2021 (nächstgelegenes Jahr; Werte 2022)',
    );
    expect(weightingText({ ...population, year: null, valueYear: 2022 })).toBe('bevölkerungsgewichtet');
  });
});

describe('the Theil decomposition', () => {
  it('gives shares as German percentages with one decimal, and a dash for none', () => {
    expect(formatShare(0.025212382838717982)).toBe('2,5 %');
    expect(formatShare(0.18538156898217403)).toBe('18,5 %');
    expect(formatShare(1)).toBe('100,0 %');
    expect(formatShare(null)).toBe('–');
  });

  it('says in one sentence what "zwischen" and "innerhalb" mean, by the groups', () => {
    expect(theilExplanation('DISTRICT')).toBe(
      'Der Theil-Index zerfällt in zwei Teile: „zwischen“ ist die Ungleichheit, die bliebe, wenn jede Region das Mittel ihres ' +
        'ArL-Bezirks hätte, „innerhalb“ die Ungleichheit der Regionen um das Mittel ihres ArL-Bezirks.',
    );
    expect(theilExplanation('COUNTY')).toContain('das Mittel ihres Landkreises oder ihrer kreisfreien Stadt hätte');
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
