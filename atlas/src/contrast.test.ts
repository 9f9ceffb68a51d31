import { PALETTE } from './breaks';
import { contrastRatio, outlineOf } from './contrast';
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
