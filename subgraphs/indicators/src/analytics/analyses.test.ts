import { SeededRandom } from '@regiograph/shared';
import type { IndicatorRow } from '../context';
import { SYNTHETIC_SOURCE } from '../definitions';
import { disparities, fundingTargeting, similarityContributions, similarRegions } from './analyses';
import { profileDistance } from './math';
import { standardise, type Profiles } from './profile';

// Hand-computed fixtures; the arithmetic is in the comments.
// Synthetic is told by the publisher (isSyntheticIndicator), not by `official` alone.
const indicator = (code: string, polarity: IndicatorRow['polarity'], official = true) =>
  ({ code, polarity, official, sourcePublisher: official ? 'Statistik' : SYNTHETIC_SOURCE.sourcePublisher }) as IndicatorRow;
const A = indicator('a', 'HIGHER_IS_BETTER');
const B = indicator('b', 'LOWER_IS_BETTER', false);
const N = indicator('n', 'NEUTRAL');
const CODES = ['03101', '03102', '03103', '03151'];
// a: 1, 2, 3, 6 (state 3): mean 3, squared deviations 4 + 1 + 0 + 9 = 14, sd √3.5.
// b: 4, 4, 2, missing (no state value): mean 10/3, squared deviations 4/9 + 4/9 + 16/9 = 24/9, sd √(8/9).
const rows = [
  ...[1, 2, 3, 6].map((value, index) => ({ indicatorCode: 'a', regionCode: CODES[index]!, year: 2020, value })),
  { indicatorCode: 'a', regionCode: '03', year: 2020, value: 3 },
  ...[4, 4, 2].map((value, index) => ({ indicatorCode: 'b', regionCode: CODES[index]!, year: 2019, value })),
];
const sdA = Math.sqrt(3.5);
const sdB = Math.sqrt(8 / 9);

describe('standardise', () => {
  const profiles = standardise([A, B, N], 'COUNTY', CODES, rows);

  it('standardises each indicator over the regions of the level and leaves out indicators without values', () => {
    expect(profiles.columns.map((column) => [column.indicator.code, column.year, column.regionCount, column.stateValue])).toEqual([
      ['a', 2020, 4, 3],
      ['b', 2019, 3, null],
    ]);
    expect(profiles.columns[0]!.mean).toBe(3);
    expect(profiles.columns[0]!.standardDeviation).toBeCloseTo(sdA, 12);
    expect(profiles.columns[1]!.standardDeviation).toBeCloseTo(sdB, 12);
    expect(profiles.omitted.map((row) => row.code)).toEqual(['n']);
    expect(profiles.zScores.get('03151')).toEqual([3 / sdA, null]);
    expect(profiles.synthetic).toBe(true);
  });

  // A county the source gives no value for may hold one RegioGraph computed from its municipalities:
  // a disparity measure over the level then mixes published and computed values, and must say how many.
  it('counts the regions whose value RegioGraph computed from the regions within', () => {
    const mixed = standardise([A], 'COUNTY', CODES, [
      ...rows.filter((row) => row.indicatorCode === 'a'),
      { indicatorCode: 'a', regionCode: '03151', year: 2020, value: 6, aggregated: true },
    ]);
    expect(mixed.columns[0]!.aggregatedRegionCount).toBe(1);
    // The state's computed value is the reference's business (stateValueAggregated), not a region's.
    const stateComputed = standardise([A], 'COUNTY', CODES, [
      ...rows.filter((row) => row.indicatorCode === 'a' && row.regionCode !== '03'),
      { indicatorCode: 'a', regionCode: '03', year: 2020, value: 3, aggregated: true },
    ]);
    expect(stateComputed.columns[0]!.aggregatedRegionCount).toBe(0);
    expect(profiles.columns.map((column) => column.aggregatedRegionCount)).toEqual([0, 0]);
  });
});

describe('similarRegions', () => {
  const profiles = standardise([A, B], 'COUNTY', CODES, rows);

  it('explains each distance by contributions that add up, and ranks without the region itself', () => {
    const result = similarRegions(profiles, '03101', 10);
    // 03102: differences −1/√3.5 and 0: distance 1/√3.5 ≈ 0.5345. 03103: −2/√3.5 and (4 − 2)/√(8/9) = 2.1213: √(4/3.5 + 4.5) ≈ 2.3755.
    // 03151: only a is shared (1 of 2 = half): difference −5/√3.5, scaled by 2/1: √(2 · 25/3.5) ≈ 3.7796.
    expect(result.map((row) => row.regionCode)).toEqual(['03102', '03103', '03151']);
    expect(result.map((row) => row.rank)).toEqual([1, 2, 3]);
    expect(result[0]!.distance).toBeCloseTo(1 / sdA, 12);
    expect(result[1]!.distance).toBeCloseTo(Math.sqrt(4 / 3.5 + 4.5), 12);
    expect(result[2]!.distance).toBeCloseTo(Math.sqrt(50 / 3.5), 12);
    expect(result[2]!.compared).toBe(1);
    for (const row of result) {
      const shares = similarityContributions(row).reduce((total, contribution) => total + contribution.share, 0);
      expect(shares).toBeCloseTo(1, 12);
      const squares = similarityContributions(row).reduce((total, contribution) => total + contribution.difference ** 2, 0);
      expect(squares * (2 / row.compared)).toBeCloseTo(row.distance ** 2, 12);
    }
    expect(similarityContributions(result[1]!).map((contribution) => [contribution.value, contribution.candidateValue])).toEqual([
      [1, 3],
      [4, 2],
    ]);
  });

  it('is symmetric and respects the filter', () => {
    const there = similarRegions(profiles, '03101', 10).find((row) => row.regionCode === '03103')!;
    const back = similarRegions(profiles, '03103', 10).find((row) => row.regionCode === '03101')!;
    expect(back.distance).toBe(there.distance);
    expect(similarRegions(profiles, '03101', 10, (code) => code !== '03102').map((row) => row.regionCode)).toEqual(['03103', '03151']);
  });
});

/**
 * The search as it was before it was packed: every pair measured from the arrays of
 * number-or-null, all candidates sorted, the chosen explained by profileDistance. The answers of the
 * packed search must be the same regions, distances and order.
 */
function similarRegionsBefore(profiles: Profiles, origin: string, first: number, admit: (code: string) => boolean = () => true) {
  const own = profiles.zScores.get(origin);
  if (!own) return [];
  const measured: { key: string; squared: number }[] = [];
  for (const [key, profile] of profiles.zScores) {
    if (key === origin || !admit(key)) continue;
    let sum = 0;
    let compared = 0;
    for (let index = 0; index < own.length; index += 1) {
      const value = own[index];
      const other = profile[index];
      if (value == null || other == null) continue;
      sum += (value - other) * (value - other);
      compared += 1;
    }
    if (compared === 0 || compared < Math.ceil(own.length / 2)) continue;
    measured.push({ key, squared: (sum * own.length) / compared });
  }
  measured.sort((x, y) => x.squared - y.squared || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return measured.slice(0, Math.max(0, first)).map(({ key }, index) => {
    const distance = profileDistance(own, profiles.zScores.get(key)!)!;
    return {
      regionCode: key,
      rank: index + 1,
      distance: distance.distance,
      compared: distance.compared,
      contributions: distance.contributions,
    };
  });
}

describe('similarRegions against the search before it was packed', () => {
  // 300 regions on 12 indicators, a tenth of the values missing, and every fifth region a copy of
  // another (ties in distance, broken by code).
  const random = new SeededRandom('similar-regions-equivalence');
  const codes = Array.from({ length: 300 }, (_, index) => `03${String(1000 + index)}`);
  const columns = Array.from({ length: 12 }, (_, index) => indicator(`i${index}`, 'NEUTRAL'));
  const drawn = new Map(codes.map((code) => [code, columns.map(() => (random.chance(0.1) ? null : random.normal(50, 20)))]));
  codes.forEach((code, index) => {
    if (index % 5 === 4) drawn.set(code, [...drawn.get(codes[index - 3]!)!]);
  });
  const profileRows = codes.flatMap((code) =>
    columns.flatMap((column, index) => {
      const value = drawn.get(code)![index];
      return value == null ? [] : [{ indicatorCode: column.code, regionCode: code, year: 2020, value }];
    }),
  );
  const profiles = standardise(columns, 'COUNTY', codes, profileRows);

  it('finds the same regions with the same distances in the same order, explained alike', () => {
    for (const origin of codes) {
      for (const first of [1, 10, 200]) {
        const before = similarRegionsBefore(profiles, origin, first);
        const now = similarRegions(profiles, origin, first);
        expect(now.map((row) => [row.regionCode, row.rank, row.distance, row.compared])).toEqual(
          before.map((row) => [row.regionCode, row.rank, row.distance, row.compared]),
        );
        if (first === 10) {
          now.forEach((row, index) => {
            expect(similarityContributions(row).map((contribution) => [contribution.difference, contribution.share])).toEqual(
              before[index]!.contributions.map((contribution) => [contribution.difference, contribution.share]),
            );
          });
        }
      }
    }
    const admit = (code: string) => !code.endsWith('7');
    expect(similarRegions(profiles, codes[0]!, 50, admit)).toEqual(
      similarRegionsBefore(profiles, codes[0]!, 50, admit).map(({ contributions: _explained, ...row }) => ({
        ...row,
        originCode: codes[0],
        profiles,
      })),
    );
  });
});

describe('disparities', () => {
  const profiles = standardise([A, B, N], 'COUNTY', CODES, rows);
  const report = disparities(profiles, CODES);

  it('measures against the state value, else the mean, in standard deviations adjusted by polarity', () => {
    expect(report.columns.map((column) => [column.reference, column.referenceIsStateObservation])).toEqual([
      [3, true],
      [10 / 3, false],
    ]);
    const first = report.regions.find((row) => row.regionCode === '03101')!;
    expect(first.scores[0]!.zScore).toBeCloseTo(-2 / sdA, 12);
    expect(first.scores[0]!.adjustedZScore).toBeCloseTo(-2 / sdA, 12);
    // b is LOWER_IS_BETTER: 4 against 10/3 is (2/3)/√(8/9) = 0.7071 above, adjusted −0.7071.
    expect(first.scores[1]!.zScore).toBeCloseTo(2 / 3 / sdB, 12);
    expect(first.scores[1]!.adjustedZScore).toBeCloseTo(-2 / 3 / sdB, 12);
    // Composite: the mean of both adjusted z-scores.
    expect(first.compositeIndex).toBeCloseTo((-2 / sdA - 2 / 3 / sdB) / 2, 12);
  });

  it('ranks the weakest first and counts the weakest fifths', () => {
    // Composites: 03101 −0.888, 03102 −0.621, 03103 (0 + 1.414)/2 = 0.707, 03151 3/√3.5 = 1.604 (b missing).
    expect(report.regions.map((row) => [row.regionCode, row.rankFromWeakest])).toEqual([
      ['03101', 1],
      ['03102', 2],
      ['03103', 3],
      ['03151', 4],
    ]);
    expect(report.regions.find((row) => row.regionCode === '03151')!.compositeIndex).toBeCloseTo(3 / sdA, 12);
    // a: a fifth of 4 is 0.8, only 03101 has none below. b (turned): −4, −4, −2, a fifth of 3 is 0.6: both 4s have none below.
    expect(report.regions.map((row) => row.weakestFifthCount)).toEqual([2, 1, 0, 0]);
    // The ranks' denominator: every region with a composite index.
    expect(report.rankedRegionCount).toBe(4);
  });

  it('computes the disparity measures of each indicator', () => {
    // a = 1, 2, 3, 6: Gini = ((−3)·1 + (−1)·2 + 1·3 + 3·6) / (16 · 3) = 16/48; CV = √3.5 / 3.
    expect(report.columns[0]!.gini).toBeCloseTo(1 / 3, 12);
    expect(report.columns[0]!.coefficientOfVariation).toBeCloseTo(sdA / 3, 12);
    expect(report.columns[0]!.theil).toBeCloseTo((Math.log(1 / 3) / 3 + (2 / 3) * Math.log(2 / 3) + 2 * Math.log(2)) / 4, 12);
  });

  it('lists only the regions asked for, keeping the state-wide ranks', () => {
    // "Rank 4 of 4", not "of 2": the denominator counts the level, not the regions listed.
    expect(disparities(profiles, ['03151', '03102']).rankedRegionCount).toBe(4);
    expect(disparities(profiles, ['03151', '03102']).regions.map((row) => [row.regionCode, row.rankFromWeakest])).toEqual([
      ['03102', 2],
      ['03151', 4],
    ]);
  });
});

describe('fundingTargeting', () => {
  // EUR 0, 10, 20, 40 over 10, 10, 10, 20 inhabitants: 0, 1, 2, 2 per inhabitant. Need (LOWER_IS_BETTER, e.g. unemployment): 8, 6, 4, 2.
  const inputs = [
    { regionCode: 'R1', cents: 0n, population: 10, need: 8 },
    { regionCode: 'R2', cents: 1_000n, population: 10, need: 6 },
    { regionCode: 'R3', cents: 2_000n, population: 10, need: 4 },
    { regionCode: 'R4', cents: 4_000n, population: 20, need: 2 },
    { regionCode: 'R0', cents: 500n, population: null, need: 9 },
  ];

  it('sets funding per inhabitant against need, the neediest with least funding first', () => {
    const result = fundingTargeting(inputs, 'LOWER_IS_BETTER');
    expect(result.rows.map((row) => row.regionCode)).toEqual(['R1', 'R2', 'R3', 'R4', 'R0']);
    expect(result.rows.map((row) => row.perInhabitant)).toEqual([0, 1, 2, 2, null]);
    // Need percentiles 100, 66.7, 33.3, 0; funding percentiles 0, 33.3, 66.7, 66.7 (tied 2s).
    expect(result.rows.map((row) => row.gap)).toEqual([100, 100 / 3, -100 / 3, -200 / 3, null]);
    expect(result.compared).toBe(4);
    // Ranks: need 4, 3, 2, 1; funding 1, 2, 3.5, 3.5. Deviations 1.5, 0.5, −0.5, −1.5 and −1.5, −0.5, 1, 1:
    // covariance −2.25 − 0.25 − 0.5 − 1.5 = −4.5; Σ 5 and 4.5; ρ = −4.5 / √22.5.
    expect(result.spearman).toBeCloseTo(-4.5 / Math.sqrt(22.5), 14);
  });

  it('turns HIGHER_IS_BETTER indicators so that low values are need', () => {
    const result = fundingTargeting(
      inputs.map((input) => ({ ...input, need: input.need === null ? null : -input.need })),
      'HIGHER_IS_BETTER',
    );
    expect(result.rows.map((row) => row.regionCode)).toEqual(['R1', 'R2', 'R3', 'R4', 'R0']);
    expect(result.spearman).toBeCloseTo(-4.5 / Math.sqrt(22.5), 14);
  });
});
