import { classOf, classRanges, colourOf, PALETTE, quantileClasses, quantileScale, rangeLabel } from './breaks';

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
    expect(scale.note).toBe('Klassen: Quantile');
    expect(scale.format(1234)).toBe('1.234 Personen');
    expect(quantileScale([null], 0, 'Personen')).toBeNull();
  });
});
