/** WCAG 2's contrast of colours (#rrggbb), for the map's fills and the outlines drawn on them. */

/** Relative luminance (WCAG 2, sRGB). */
export function luminance(colour: string): number {
  const channels = [1, 3, 5].map((start) => Number.parseInt(colour.slice(start, start + 2), 16) / 255);
  const [r, g, b] = channels.map((channel) => (channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4)) as [
    number,
    number,
    number,
  ];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The contrast ratio of two colours, 1 … 21. */
export function contrastRatio(one: string, other: string): number {
  const [lighter, darker] = [luminance(one), luminance(other)].sort((a, b) => b - a) as [number, number];
  return (lighter + 0.05) / (darker + 0.05);
}

/** The greys an outline may take, black first: of two equally good, the darker reads as a line. */
const GREYS = Array.from({ length: 256 }, (_, level) => `#${level.toString(16).padStart(2, '0').repeat(3)}`);
const outlines = new Map<string, string>();

/**
 * The outline of a shape filled with `fill` on a `page` of that colour: the grey that stands out most
 * from both, the fill (two neighbours of one class stay apart) and the page (the state's edge), at
 * least 3:1 for the palettes' fills (WCAG 1.4.11). Black for all but the darkest classes, a middle grey
 * for those. One grey for every fill cannot do it: against the middle classes any grey light enough
 * for the dark ones falls below 3:1.
 */
export function outlineOf(fill: string, page = '#ffffff'): string {
  const key = `${fill}/${page}`;
  let outline = outlines.get(key);
  if (outline === undefined) {
    const worst = (grey: string) => Math.min(contrastRatio(grey, fill), contrastRatio(grey, page));
    outline = GREYS.reduce((best, grey) => (worst(grey) > worst(best) ? grey : best));
    outlines.set(key, outline);
  }
  return outline;
}
