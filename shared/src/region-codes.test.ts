import { ancestorCodesOf, countyCodeOf, districtCodeOf, isRegionCode } from './region-codes';

describe('region codes', () => {
  it.each(['03', '034', '03459', '031515401', '031010000000'])('accepts %s', (code) => expect(isRegionCode(code)).toBe(true));
  it.each(['', '3', '04', '0345', '09162', 'abc', '03459x', '0310100000000'])('rejects %s', (code) =>
    expect(isRegionCode(code)).toBe(false),
  );

  it('derives the district and county from the code', () => {
    expect(districtCodeOf('031515401001')).toBe('031');
    expect(countyCodeOf('031515401001')).toBe('03151');
    expect(districtCodeOf('03')).toBeNull();
    expect(countyCodeOf('034')).toBeNull();
  });

  it('derives a district or county from its own code too', () => {
    expect(districtCodeOf('031')).toBe('031');
    expect(countyCodeOf('03151')).toBe('03151');
  });

  it('lists the codes of every level above a region, from the state down, and none above the state', () => {
    expect(ancestorCodesOf('031515401001')).toEqual(['03', '031', '03151', '031515401']);
    expect(ancestorCodesOf('03151')).toEqual(['03', '031']);
    expect(ancestorCodesOf('03')).toEqual([]);
  });
});
