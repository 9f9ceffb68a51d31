import { PALETTE } from './breaks';
import { classDifferences, contrastRatio, deltaE2000, outlineOf, seenLab } from './contrast';
import { DIVERGING_PALETTE } from './diverging';

const round = (ratio: number) => Math.round(ratio * 100) / 100;

describe("the map's colours (WCAG 1.4.11, 3:1 for the parts of a graphic)", () => {
  it("measures WCAG's own examples", () => {
    expect(round(contrastRatio('#000000', '#ffffff'))).toBe(21);
    expect(round(contrastRatio('#767676', '#ffffff'))).toBe(4.54);
  });

  it.each([
    ['sequential', PALETTE],
    ['diverging', DIVERGING_PALETTE],
  ])('outlines every %s class at 3:1 against its own fill and the page, so that neighbours of one class stay apart', (_name, palette) => {
    const weak = palette.filter((fill) => Math.min(contrastRatio(fill, outlineOf(fill)), contrastRatio('#ffffff', outlineOf(fill))) < 3);
    expect(weak).toEqual([]);
    // Black wherever it does: a line, not a second shade.
    expect(palette.filter((fill) => contrastRatio(fill, '#000000') >= 3).map((fill) => outlineOf(fill))).toEqual(
      palette.filter((fill) => contrastRatio(fill, '#000000') >= 3).map(() => '#000000'),
    );
  });

  it.each([
    ['sequential', PALETTE, [1.55, 1.52, 1.8, 2.42]],
    ['diverging', DIVERGING_PALETTE, [2.33, 1.65, 1.18, 1.29, 2.16, 3.47]],
  ])(
    // Five (seven) classes 3:1 apart would need a range of 3^4 = 81 (3^3 = 27 on each side of the centre)
    // where black to white spans 21: no palette can. The classes are told apart by the legend's
    // highlight instead (MapView), and the values are text in the tooltip, the shapes' names and the table.
    'keeps %s neighbouring classes below 3:1, as no palette of this many classes can avoid',
    (_name, palette, expected) => {
      expect(palette.slice(1).map((fill, index) => round(contrastRatio(palette[index]!, fill)))).toEqual(expected);
    },
  );
});

describe("the map's colours for readers with a colour-vision deficiency", () => {
  const round1 = (value: number) => Math.round(value * 10) / 10;

  it("measures CIEDE2000 as Sharma, Wu and Dalal's test data do", () => {
    expect(deltaE2000([50, 2.6772, -79.7751], [50, 0, -82.7485]).toFixed(4)).toBe('2.0425');
    expect(deltaE2000([50, 2.5, 0], [73, 25, -18]).toFixed(4)).toBe('27.1492');
    expect(deltaE2000([2.0776, 0.0795, -1.135], [0.9033, -0.0636, -0.5514]).toFixed(4)).toBe('0.9082');
  });

  it('sees a red–green palette collapse under deuteranopia, as it does for a reader with it', () => {
    // ColorBrewer RdYlGn's ends: far apart in normal vision, close for a deuteranope.
    expect(deltaE2000(seenLab('#d7191c'), seenLab('#1a9641'))).toBeGreaterThan(50);
    expect(deltaE2000(seenLab('#d7191c', 'deuteranopia'), seenLab('#1a9641', 'deuteranopia'))).toBeLessThan(15);
  });

  it.each([
    [
      'sequential',
      PALETTE,
      { normal: [17.7, 22.6, 22.8, 26.5], protanopia: [10.2, 24.8, 18.3, 21.6], deuteranopia: [13.3, 26.8, 17.8, 19.2] },
    ],
    [
      'diverging',
      DIVERGING_PALETTE,
      {
        normal: [23.7, 18.3, 16.5, 9.8, 22.4, 34.2],
        protanopia: [24.9, 19, 16.3, 9.4, 21.3, 32.7],
        deuteranopia: [21, 16.3, 16.5, 9.6, 21.2, 32.5],
      },
    ],
  ])(
    'keeps every pair of neighbouring %s classes apart for protanopes and deuteranopes as in normal vision',
    (_name, palette, expected) => {
      for (const vision of ['normal', 'protanopia', 'deuteranopia'] as const)
        expect(classDifferences(palette, vision).map(round1)).toEqual(expected[vision]);
      // None closer than 7 for any of the three (the diverging centre's grey beside its lightest purple: 9.8 in normal
      // vision, 7.1 for a tritanope).
      for (const vision of ['protanopia', 'deuteranopia', 'tritanopia'] as const)
        expect(Math.min(...classDifferences(palette, vision))).toBeGreaterThan(7);
    },
  );

  it('tells the hatching of a missing value from every class also under each deficiency', () => {
    // The hatch's stripes (#999) against the classes, its ground (#f4f4f4) against the lightest one: the pattern adds the rest.
    for (const vision of ['normal', 'protanopia', 'deuteranopia', 'tritanopia'] as const) {
      expect(Math.min(...PALETTE.map((fill) => deltaE2000(seenLab('#999999', vision), seenLab(fill, vision))))).toBeGreaterThan(10);
    }
  });
});
