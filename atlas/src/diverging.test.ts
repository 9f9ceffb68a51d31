import {
  CENTRE_CLASS,
  DIVERGING_PALETTE,
  divergingClasses,
  divergingClassOf,
  divergingColourOf,
  divergingLegend,
  indexLabel,
  signed,
} from './diverging';

describe('the diverging scale of the composite index', () => {
  it('puts 0 (the state) in the centre class, with as many classes on either side', () => {
    const classes = divergingClasses([-0.9, -0.3, 0, 0.2, 0.45, null, undefined])!;
    expect(DIVERGING_PALETTE).toHaveLength(7);
    expect(CENTRE_CLASS).toBe(3);
    expect(classes.breaks).toHaveLength(6);
    expect(divergingClassOf(0, classes)).toBe(CENTRE_CLASS);
    // Symmetric: each bound has its negative, and a value and its negative lie in mirrored classes.
    expect(classes.breaks.map((bound) => -bound).reverse()).toEqual(classes.breaks);
    for (const value of [0.01, 0.1, 0.3, 0.6, 0.9, 5]) {
      expect(divergingClassOf(-value, classes)! + divergingClassOf(value, classes)!).toBe(2 * CENTRE_CLASS);
    }
    // A nice width: the largest deviation (0.9) reaches the outer classes, not beyond all of them.
    expect(classes.step).toBe(0.2);
    expect(classes.breaks).toEqual([-0.5, -0.3, -0.1, 0.1, 0.3, 0.5]);
    expect(divergingClassOf(-0.9, classes)).toBe(0);
    expect(divergingClassOf(null, classes)).toBeNull();
    expect(divergingClasses([null, undefined, Number.NaN])).toBeNull();
  });

  it('scales to the larger deviation of either sign', () => {
    expect(divergingClasses([-2.4, 0.1])!.breaks).toEqual(divergingClasses([2.4, -0.1])!.breaks);
    expect(divergingClasses([0, 0])!.breaks.every((bound, index, all) => index === 0 || bound > all[index - 1]!)).toBe(true);
  });

  it('says in words which side of the state a class is on: the colour is never alone', () => {
    const classes = divergingClasses([-2.6, 1])!;
    const legend = divergingLegend(classes);
    expect(legend.map((line) => line.colour)).toEqual(DIVERGING_PALETTE);
    expect(legend[0]!.label).toBe('unter −2,50 (hinter dem Land)');
    expect(legend[CENTRE_CLASS]!.label).toBe('−0,50 bis +0,50 (etwa wie das Land)');
    expect(legend[6]!.label).toBe('über +2,50 (vor dem Land)');
    expect(legend[2]!.label).toBe('−1,50 bis unter −0,50 (hinter dem Land)');
    expect(legend[4]!.label).toBe('über +0,50 bis +1,50 (vor dem Land)');
    // Neighbouring classes differ in colour, mirrored classes in words.
    expect(new Set(legend.map((line) => line.colour)).size).toBe(7);
    expect(indexLabel(-0.8, classes)).toBe('−0,80 (hinter dem Land)');
    expect(indexLabel(0.8, classes)).toBe('+0,80 (vor dem Land)');
    expect(indexLabel(null, classes)).toBe('keine Angabe');
    expect(divergingColourOf(CENTRE_CLASS)).toBe('#f7f7f7');
  });

  it('signs deviations, and none for a value that rounds to 0', () => {
    expect(signed(0.3, 2)).toBe('+0,30');
    expect(signed(-0.3, 2)).toBe('−0,30');
    expect(signed(-0.001, 2)).toBe('0,00');
  });
});
