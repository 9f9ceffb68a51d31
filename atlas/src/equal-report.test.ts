import { computedRegionsNote, equalFileName, equalYears, referenceNote, unmeasurableReason } from './equal-report';

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

describe('unmeasurableReason', () => {
  it('tells one region, a mean of 0 and negative values apart', () => {
    expect(unmeasurableReason(1, 5)).toBe('nicht berechenbar: weniger als zwei Regionen mit Wert');
    expect(unmeasurableReason(0, 0)).toBe('nicht berechenbar: weniger als zwei Regionen mit Wert');
    expect(unmeasurableReason(45, 0)).toBe('nicht berechenbar: Mittel der Regionen 0 oder negative Werte');
    expect(unmeasurableReason(45, 1.5)).toBe('nicht berechenbar: negative Werte (die Maße setzen Werte ab 0 voraus)');
    expect(unmeasurableReason(45, -2)).toBe('nicht berechenbar: negative Werte (die Maße setzen Werte ab 0 voraus)');
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
