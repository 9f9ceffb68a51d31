import { classOf, classRanges, colourOf, PALETTE, quantileClasses, quantileScale, rangeLabel, roundedClasses } from './breaks';

describe('class breaks', () => {
  it('splits values into five quantile classes and leaves missing values out', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, null, undefined];
    const classes = quantileClasses(values)!;
    expect(classes).toEqual({ breaks: [2, 4, 6, 8], min: 1, max: 10 });
    expect(classOf(1, classes)).toBe(0);
    expect(classOf(3, classes)).toBe(1);
    expect(classOf(10, classes)).toBe(4);
    expect(classOf(null, classes)).toBeNull();
    expect(classRanges(classes)).toEqual([
      { from: 1, to: 2, aboveFrom: false },
      { from: 2, to: 4, aboveFrom: true },
      { from: 4, to: 6, aboveFrom: true },
      { from: 6, to: 8, aboveFrom: true },
      { from: 8, to: 10, aboveFrom: true },
    ]);
  });

  it('labels classes of whole numbers so that no number seems to belong to two of them', () => {
    // Schools per municipality: many 0 and 1; the classes hold 0, 1, 2–3 and 4–200 (before: "0 – 0", "0 – 1", "1 – 3", "3 – 200").
    const classes = quantileClasses([0, 0, 0, 0, 1, 1, 2, 3, 4, 200])!;
    expect(classes).toEqual({ breaks: [0, 1, 3], min: 0, max: 200 });
    expect(classRanges(classes).map((range) => rangeLabel(range, 0))).toEqual(['0', 'über 0 – 1', 'über 1 – 3', 'über 3 – 200']);
    expect(rangeLabel({ from: 1.25, to: 2.5, aboveFrom: false }, 1)).toBe('1,3 – 2,5');
  });

  it('draws a zero as a value, not as missing', () => {
    const classes = quantileClasses([0, 0, 5, 10])!;
    expect(classOf(0, classes)).toBe(0);
    expect(classOf(undefined, classes)).toBeNull();
  });

  it('collapses classes when values repeat and keeps the darkest colour for the top class', () => {
    const classes = quantileClasses([3, 3, 3, 3, 7])!;
    expect(classes.breaks).toEqual([3]);
    expect(colourOf(0, classes)).toBe(PALETTE[0]);
    expect(colourOf(1, classes)).toBe(PALETTE[PALETTE.length - 1]);
  });

  it('has no classes without values', () => {
    expect(quantileClasses([null, undefined])).toBeNull();
    expect(classOf(4, null)).toBeNull();
  });
});

describe('quantileScale', () => {
  it("gives the indicator map's classes, colours, legend lines and value labels", () => {
    const scale = quantileScale([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, null], 0, 'Personen')!;
    expect(scale.classOf(3)).toBe(1);
    expect(scale.classOf(null)).toBeNull();
    expect(scale.colourOf(4)).toBe(PALETTE[4]);
    expect(scale.legend.map((line) => line.label)).toEqual(['1 – 2', 'über 2 – 4', 'über 4 – 6', 'über 6 – 8', 'über 8 – 10']);
    expect(scale.note).toBe('Klassen: Quantile (je Klasse etwa gleich viele Regionen), Grenzen gerundet');
    expect(scale.format(1234)).toBe('1.234 Personen');
    expect(quantileScale([null], 0, 'Personen')).toBeNull();
  });
});

describe('class limits as a published map prints them', () => {
  // The counties' population 2018 as GENESIS 12411-0015 gives it (44 of 45: Göttingen's is summed from age groups).
  const population = [
    48424, 50195, 56882, 70975, 76278, 77607, 88624, 91307, 92572, 98460, 104948, 113517, 119960, 121386, 124071, 124151, 130144, 132765,
    133965, 136511, 136792, 137014, 139755, 141598, 148559, 157781, 163455, 164748, 168210, 169348, 169809, 175920, 178936, 183372, 189848,
    198213, 203102, 216886, 248292, 252776, 276594, 325657, 357343, 1157624,
  ];

  it('rounds the quantile limits of a skewed indicator to two significant digits of its span, each class keeping regions', () => {
    const scale = quantileScale(population, 0, 'Personen')!;
    expect(scale.legend.map((line) => line.label)).toEqual([
      '48.424 – 90.000',
      'über 90.000 – 130.000',
      'über 130.000 – 160.000',
      'über 160.000 – 200.000',
      'über 200.000 – 1.157.624',
    ]);
    // Before: "48.424 – 92.572", "über 92.572 – 132.765", "über 132.765 – 163.455", "über 163.455 – 198.213", …
    // The regions are classed by the limits the legend prints.
    expect(scale.classOf(124151)).toBe(1);
    expect(scale.classOf(130144)).toBe(2);
    expect(population.filter((value) => scale.classOf(value) === 0)).toHaveLength(7);
  });

  it('never prints a limit with more decimals than the values, nor one that puts a value shown alike in two classes', () => {
    // Rates with one decimal: the limit 4.349 was printed "4,3", yet 4.31 and 4.35 (both shown "4,3") fell on either side of it.
    const classes = roundedClasses(
      { breaks: [4.349, 6.02, 7.77, 9.051], min: 2.1, max: 14.2 },
      [2.1, 4.31, 4.35, 6, 7, 8, 8.5, 9.5, 14.2],
      1,
    );
    expect(classes.breaks).toEqual([4, 6, 8, 9]);
    const fine = roundedClasses({ breaks: [1.04, 1.06, 1.08, 1.1], min: 1.01, max: 1.12 }, [1.01, 1.05, 1.07, 1.09, 1.12], 1);
    // Rounded to the one decimal shown, the limits repeat: they collapse into fewer classes, as repeating quantiles do.
    expect(fine.breaks).toEqual([1.1]);
  });

  it('keeps limits that are already round', () => {
    const classes = quantileClasses([0, 0, 0, 0, 1, 1, 2, 3, 4, 200])!;
    expect(roundedClasses(classes, [0, 0, 0, 0, 1, 1, 2, 3, 4, 200], 0).breaks).toEqual([0, 1, 3]);
  });
});
