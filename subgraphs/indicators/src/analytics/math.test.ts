import {
  averageRanks,
  coefficientOfVariation,
  gini,
  mean,
  nearestNeighbours,
  packProfiles,
  pearson,
  percentiles,
  polaritySign,
  profileDistance,
  spearman,
  standardDeviation,
  standardisation,
  theil,
  theilDecomposition,
  unmeasurable,
  weightedCoefficientOfVariation,
  weightedGini,
  weightedTheil,
  weightedUnmeasurable,
  weakestFifth,
  zScore,
} from './math';

// Every expectation below is computed by hand in the comment next to it.

describe('standardisation', () => {
  it('takes the population standard deviation and z-scores against it', () => {
    // 2,4,4,4,5,5,7,9: mean 40/8 = 5; squared deviations 9+1+1+1+0+0+4+16 = 32; 32/8 = 4; sd 2.
    const values = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(values)).toBe(5);
    expect(standardDeviation(values)).toBe(2);
    expect(standardisation([...values, null])).toEqual({ mean: 5, standardDeviation: 2 });
    expect(zScore(9, 5, 2)).toBe(2);
    expect(zScore(2, 5, 2)).toBe(-1.5);
    // z-scores of the whole list add up to 0 and their squares to n.
    const z = values.map((value) => zScore(value, 5, 2));
    expect(z.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
    expect(z.reduce((a, b) => a + b * b, 0)).toBeCloseTo(8, 12);
  });

  it('gives 0 for a spread of zero and nothing for no values', () => {
    expect(zScore(3, 3, 0)).toBe(0);
    expect(standardisation([null, null])).toBeNull();
    expect(mean([])).toBeNull();
  });

  it('flips only LOWER_IS_BETTER', () => {
    expect(polaritySign('LOWER_IS_BETTER')).toBe(-1);
    expect(polaritySign('HIGHER_IS_BETTER')).toBe(1);
    expect(polaritySign('NEUTRAL')).toBe(1);
  });
});

describe('profileDistance', () => {
  it('is the Euclidean distance whose contributions add up to it', () => {
    // (0,0)–(3,4): 3² + 4² = 25, distance 5; shares 9/25 and 16/25.
    const result = profileDistance([0, 0], [3, 4])!;
    expect(result.distance).toBe(5);
    expect(result.compared).toBe(2);
    expect(result.contributions).toEqual([
      { index: 0, difference: -3, share: 9 / 25 },
      { index: 1, difference: -4, share: 16 / 25 },
    ]);
    expect(result.contributions.reduce((total, entry) => total + entry.share, 0)).toBeCloseTo(1, 12);
    expect(result.contributions.reduce((total, entry) => total + entry.difference ** 2, 0)).toBeCloseTo(result.distance ** 2, 12);
  });

  it('is symmetric', () => {
    const a = [0.5, -1, 2, null];
    const b = [1.5, 0, null, 3];
    expect(profileDistance(a, b)!.distance).toBe(profileDistance(b, a)!.distance);
    expect(profileDistance(a, b)!.contributions.map((entry) => entry.share)).toEqual(
      profileDistance(b, a)!.contributions.map((entry) => entry.share),
    );
  });

  it('scales up the distance when values are missing, and refuses fewer than half of the profile', () => {
    // Compared on 2 of 4 indicators: 3² + 4² = 25, scaled by 4/2 to 50, distance √50.
    const partial = profileDistance([0, 0, null, 0], [3, 4, 1, null])!;
    expect(partial.compared).toBe(2);
    expect(partial.distance).toBeCloseTo(Math.sqrt(50), 12);
    expect(partial.contributions.map((entry) => entry.index)).toEqual([0, 1]);
    // 1 of 4 is fewer than half.
    expect(profileDistance([0, null, null, null], [1, 1, 1, 1])).toBeNull();
    // 2 of 3 is enough (half of 3 rounded up is 2), 1 of 3 is not.
    expect(profileDistance([0, 0, null], [1, 1, 1])!.distance).toBeCloseTo(Math.sqrt(3), 12);
    expect(profileDistance([0, null, null], [1, 1, 1])).toBeNull();
  });

  it('gives equal profiles a distance and shares of 0', () => {
    expect(profileDistance([1, 2], [1, 2])).toEqual({
      distance: 0,
      compared: 2,
      contributions: [
        { index: 0, difference: 0, share: 0 },
        { index: 1, difference: 0, share: 0 },
      ],
    });
  });
});

describe('nearestNeighbours', () => {
  // A = (0,0); B = (1,0) and C = (0,1) both at distance 1 from A; D = (3,3) at √18.
  const inOrder = (entries: [string, number[]][]) => packProfiles(new Map(entries));
  const profiles: [string, number[]][] = [
    ['C', [0, 1]],
    ['D', [3, 3]],
    ['B', [1, 0]],
    ['A', [0, 0]],
  ];

  it('never lists a region as its own neighbour and breaks ties by key', () => {
    const neighbours = nearestNeighbours('A', inOrder(profiles), 10);
    expect(neighbours.map((entry) => entry.key)).toEqual(['B', 'C', 'D']);
    expect(neighbours.map((entry) => entry.distance)).toEqual([1, 1, Math.sqrt(18)]);
  });

  it('gives the same order whatever order the candidates come in', () => {
    const reversed = nearestNeighbours('A', inOrder([...profiles].reverse()), 10);
    expect(reversed.map((entry) => entry.key)).toEqual(['B', 'C', 'D']);
    expect(nearestNeighbours('A', inOrder(profiles), 1).map((entry) => entry.key)).toEqual(['B']);
  });

  it('skips what the filter refuses, and knows no neighbours of an unknown origin', () => {
    expect(nearestNeighbours('A', inOrder(profiles), 10, (key) => key !== 'B').map((entry) => entry.key)).toEqual(['C', 'D']);
    expect(nearestNeighbours('X', inOrder(profiles), 10)).toEqual([]);
  });
});

describe('rank correlation', () => {
  it('averages tied ranks', () => {
    expect(averageRanks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
    expect(averageRanks([3, 1, 2])).toEqual([3, 1, 2]);
  });

  it("computes Spearman's rho exactly without ties", () => {
    // d = rank differences −1, 1, −1, 1, 0; Σd² = 4; ρ = 1 − 6·4 / (5·(25 − 1)) = 1 − 24/120 = 0.8.
    expect(spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])).toBeCloseTo(0.8, 14);
    expect(spearman([1, 2, 3], [30, 20, 10])).toBe(-1);
    expect(spearman([1, 2, 3], [1, 4, 9])).toBe(1);
  });

  it("computes Spearman's rho exactly with ties", () => {
    // y = 5, 6, 7, 8, 7 ranks to 1, 2, 3.5, 5, 3.5; deviations from 3: x −2, −1, 0, 1, 2 and y −2, −1, 0.5, 2, 0.5;
    // covariance sum 4 + 1 + 0 + 2 + 1 = 8; Σdx² = 10; Σdy² = 9.5; ρ = 8 / √95.
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(8 / Math.sqrt(95), 14);
  });

  it('has no coefficient without variation or pairs', () => {
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(spearman([1], [2])).toBeNull();
  });
});

describe('disparity measures', () => {
  it('computes the coefficient of variation', () => {
    // sd 2, mean 5 (see above).
    expect(coefficientOfVariation([2, 4, 4, 4, 5, 5, 7, 9])).toBe(0.4);
    expect(coefficientOfVariation([-1, 1])).toBeNull();
  });

  it('computes the Gini coefficient', () => {
    // 1, 2, 3, 4: Σ|xi − xj| over ordered pairs = 2·(1+2+3+1+2+1) = 20; 20 / (2·16·2.5) = 0.25.
    expect(gini([4, 1, 3, 2])).toBeCloseTo(0.25, 14);
    expect(gini([5, 5, 5])).toBe(0);
    // All in one of four: Σ = 2·3·4 = 24; 24 / (2·16·1) = 0.75 = 1 − 1/n.
    expect(gini([0, 0, 0, 4])).toBeCloseTo(0.75, 14);
    expect(gini([-1, 2])).toBeNull();
  });

  it('computes the Theil index', () => {
    expect(theil([3, 3, 3])).toBe(0);
    // All in one of four: mean 1; (1/4)·4·ln 4 = ln 4.
    expect(theil([0, 0, 0, 4])).toBeCloseTo(Math.log(4), 14);
    // 1 and 3: mean 2; (1/2)(0.5 ln 0.5 + 1.5 ln 1.5).
    expect(theil([1, 3])).toBeCloseTo((0.5 * Math.log(0.5) + 1.5 * Math.log(1.5)) / 2, 14);
  });

  // One region is no distribution: "0 = all equal" would read as perfect equality, not as "nothing compared".
  it('has no measure of disparity for fewer than two regions', () => {
    expect(gini([7])).toBeNull();
    expect(theil([7])).toBeNull();
    expect(coefficientOfVariation([7])).toBeNull();
    expect(gini([])).toBeNull();
  });

  // A ratio of spread to mean needs a ratio scale: with a change rate of −1 and +3 the "mean" of 1 is no level.
  it('has no coefficient of variation with negative values, as Gini and Theil have none', () => {
    expect(coefficientOfVariation([-1, 3])).toBeNull();
    expect(coefficientOfVariation([-2, -4])).toBeNull();
    expect(coefficientOfVariation([0, 2])).toBe(1);
  });

  it('says why a measure is null: too few regions, a negative value, a mean of 0', () => {
    expect(unmeasurable([7])).toBe('TOO_FEW_REGIONS');
    expect(unmeasurable([])).toBe('TOO_FEW_REGIONS');
    expect(unmeasurable([-1, 2])).toBe('NEGATIVE_VALUE');
    // Negatives cancelling out to a mean of 0 are negative values first.
    expect(unmeasurable([-2, 2])).toBe('NEGATIVE_VALUE');
    expect(unmeasurable([0, 0])).toBe('ZERO_MEAN');
    expect(unmeasurable([1, 2])).toBeNull();
  });

  // Two regions, 1 with weight 3 and 3 with weight 1: shares 0.75 and 0.25, weighted mean 1.5.
  it('computes Williamson’s coefficient, the weighted Gini and Theil by hand', () => {
    expect(weightedCoefficientOfVariation([1, 3], [3, 1])).toBeCloseTo(Math.sqrt(0.75 * 0.5 ** 2 + 0.25 * 1.5 ** 2) / 1.5, 14);
    expect(weightedGini([1, 3], [3, 1])).toBeCloseTo((2 * 0.75 * 0.25 * 2) / (2 * 1.5), 14);
    expect(weightedGini([3, 1], [1, 3])).toBeCloseTo(0.25, 14);
    expect(weightedTheil([1, 3], [3, 1])).toBeCloseTo(0.75 * (1 / 1.5) * Math.log(1 / 1.5) + 0.25 * 2 * Math.log(2), 14);
  });

  it('equals the unweighted measure of the values repeated by integer weights, ties included', () => {
    const values = [2, 5, 2, 0];
    const weights = [1, 1, 2, 3];
    const repeated = [2, 5, 2, 2, 0, 0, 0];
    expect(weightedGini(values, weights)).toBeCloseTo(gini(repeated)!, 14);
    expect(weightedTheil(values, weights)).toBeCloseTo(theil(repeated)!, 14);
    expect(weightedCoefficientOfVariation(values, weights)).toBeCloseTo(coefficientOfVariation(repeated)!, 14);
    // Equal weights of any size give the unweighted measures.
    expect(weightedGini([4, 1, 3, 2], [7, 7, 7, 7])).toBeCloseTo(gini([4, 1, 3, 2])!, 14);
  });

  it('has no weighted measure without a weight for every region, and says why', () => {
    expect(weightedUnmeasurable([1, 2], [1, null])).toBe('WEIGHTS_MISSING');
    expect(weightedUnmeasurable([1, 2], [1, -1])).toBe('WEIGHTS_MISSING');
    expect(weightedUnmeasurable([1, 2], [0, 0])).toBe('WEIGHTS_MISSING');
    expect([weightedGini([1, 2], [1, null]), weightedTheil([1, 2], [0, 0]), weightedCoefficientOfVariation([1, 2], [1, -1])]).toEqual([
      null,
      null,
      null,
    ]);
    // The unweighted reason comes first: it holds whatever the weights.
    expect(weightedUnmeasurable([7], [null])).toBe('TOO_FEW_REGIONS');
    expect(weightedUnmeasurable([-1, 2], [null, 1])).toBe('NEGATIVE_VALUE');
    // The only region above 0 weighs nothing: a weighted mean of 0.
    expect(weightedUnmeasurable([0, 2], [1, 0])).toBe('ZERO_MEAN');
    expect(weightedGini([0, 2], [1, 0])).toBeNull();
    expect(weightedUnmeasurable([1, 2], [1, 0])).toBeNull();
  });

  it('marks the weakest fifth, ties alike', () => {
    // Ten scores: a fifth is 2; the two lowest have fewer than 2 scores below them.
    expect(weakestFifth([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual([true, true, false, false, false, false, false, false, false, false]);
    // Five scores: a fifth is 1; the three tied lowest have none below.
    expect(weakestFifth([5, 1, 1, 5, 1])).toEqual([false, true, true, false, true]);
  });

  it('gives percentiles of the others below', () => {
    expect(percentiles([10, 30, 20, 20])).toEqual([0, 100, 100 / 3, 100 / 3]);
    expect(percentiles([7])).toEqual([100]);
  });
});

describe('Theil decomposition', () => {
  it('puts a spread inside one group within, and a spread between equal groups between', () => {
    // [1, 3 | 2, 2]: μ = 2, both group means 2, so between = 0; T_A = ½ (½ ln ½ + 1.5 ln 1.5) = 0.130812,
    // s_A = s_B = ½, within = ½ · 0.130812 = 0.065406 = T.
    const inside = theilDecomposition([1, 3, 2, 2], null, ['A', 'A', 'B', 'B'])!;
    expect(inside.between).toBeCloseTo(0, 12);
    expect(inside.within).toBeCloseTo(0.065406, 6);
    expect(inside.within).toBeCloseTo(theil([1, 3, 2, 2])!, 12);
    expect(inside.groups.map((group) => [group.group, group.regionCount, group.mean, group.totalShare])).toEqual([
      ['A', 2, 2, 0.5],
      ['B', 2, 2, 0.5],
    ]);
    expect(inside.groups[0]!.theil).toBeCloseTo(0.130812, 6);
    expect(inside.groups[1]!.theil).toBe(0);
    // [1, 1 | 3, 3]: μ_A = 1, μ_B = 3, s_A = ½ · 1/2 = ¼, s_B = ¾: between = ¼ ln ½ + ¾ ln 1.5 = 0.130812, within = 0.
    const apart = theilDecomposition([1, 1, 3, 3], null, ['A', 'A', 'B', 'B'])!;
    expect(apart.between).toBeCloseTo(0.130812, 6);
    expect(apart.within).toBeCloseTo(0, 12);
    expect(apart.groups.map((group) => group.totalShare)).toEqual([0.25, 0.75]);
  });

  it('weighs the regions as the weighted Theil does', () => {
    // Values 1 and 3 with weights 3 and 1: p = ¾, ¼, μ_w = 1.5; each group one region (T_g = 0);
    // s_A = ¾ · 1/1.5 = ½, s_B = ¼ · 3/1.5 = ½: between = ½ ln(2/3) + ½ ln 2 = 0.143841 = weighted T.
    const weighted = theilDecomposition([1, 3], [3, 1], ['A', 'B'])!;
    expect(weighted.between).toBeCloseTo(0.143841, 6);
    expect(weighted.between).toBeCloseTo(weightedTheil([1, 3], [3, 1])!, 12);
    expect(weighted.within).toBe(0);
    expect(weighted.groups.map((group) => group.weightShare)).toEqual([0.75, 0.25]);
  });

  it('adds up to the index for any grouping, weighted or not', () => {
    // A fixed pseudo-random sample (a linear congruential sequence), so a failure can be replayed.
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let round = 0; round < 20; round += 1) {
      const n = 2 + Math.floor(next() * 40);
      const values = Array.from({ length: n }, () => (next() < 0.1 ? 0 : next() * 100));
      const weights = Array.from({ length: n }, () => next() * 1000);
      const groups = Array.from({ length: n }, () => `g${Math.floor(next() * 5)}`);
      const plain = theilDecomposition(values, null, groups);
      const weighted = theilDecomposition(values, weights, groups);
      expect(plain!.between + plain!.within).toBeCloseTo(theil(values)!, 10);
      expect(weighted!.between + weighted!.within).toBeCloseTo(weightedTheil(values, weights)!, 10);
      // Between groups the index is never negative (Jensen), and nor is any group's own.
      expect(plain!.between).toBeGreaterThanOrEqual(-1e-12);
      expect(weighted!.groups.every((group) => group.theil >= -1e-12)).toBe(true);
    }
  });

  it('is null where the index is, for the same reasons', () => {
    expect(theilDecomposition([5], null, ['A'])).toBeNull();
    expect(theilDecomposition([-1, 3], null, ['A', 'B'])).toBeNull();
    expect(theilDecomposition([0, 0], null, ['A', 'B'])).toBeNull();
    expect(theilDecomposition([1, 3], [1, null], ['A', 'B'])).toBeNull();
    expect(() => theilDecomposition([1, 3], null, ['A'])).toThrow('values and groups of different length: 2 and 1');
  });
});
