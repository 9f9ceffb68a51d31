import { equalFileName, equalYears, referenceNote } from './equal-report';

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
