/** WCAG 2's contrast of colours (#rrggbb), for the map's fills and the outlines drawn on them. */

type Rgb = [number, number, number];

/** A colour's linear sRGB channels, 0 … 1. */
function linearRgb(colour: string): Rgb {
  const channels = [1, 3, 5].map((start) => Number.parseInt(colour.slice(start, start + 2), 16) / 255);
  return channels.map((channel) => (channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4)) as Rgb;
}

/** Relative luminance (WCAG 2, sRGB). */
export function luminance(colour: string): number {
  const [r, g, b] = linearRgb(colour);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The colour-vision deficiencies a map's palette is checked under: about 1 % of men each for the first two. */
export type Vision = 'normal' | 'protanopia' | 'deuteranopia' | 'tritanopia';

/**
 * Machado, Oliveira and Fernandes (2009), "A physiologically-based model for simulation of color vision
 * deficiency", severity 1.0, on linear RGB: what a dichromat sees of a colour.
 */
const DICHROMAT: Record<Exclude<Vision, 'normal'>, readonly Rgb[]> = {
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
};

/** CIELAB (D65) of linear sRGB. */
function lab([r, g, b]: Rgb): Rgb {
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  const x = f((0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047);
  const y = f(0.2126729 * r + 0.7151522 * g + 0.072175 * b);
  const z = f((0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

/** A colour in CIELAB as a reader with `vision` sees it. */
export function seenLab(colour: string, vision: Vision = 'normal'): Rgb {
  const linear = linearRgb(colour);
  if (vision === 'normal') return lab(linear);
  const seen = DICHROMAT[vision].map((row) => Math.min(1, Math.max(0, row[0] * linear[0] + row[1] * linear[1] + row[2] * linear[2])));
  return lab(seen as Rgb);
}

/**
 * CIEDE2000 colour difference of two CIELAB colours (Sharma, Wu and Dalal 2005): about 1 is the least a
 * viewer notices side by side; classes of a map read apart at a glance from about 10.
 */
export function deltaE2000([l1, a1, b1]: Rgb, [l2, a2, b2]: Rgb): number {
  const radians = Math.PI / 180;
  const c7 = (c: number) => c ** 7 / (c ** 7 + 25 ** 7);
  const g = 0.5 * (1 - Math.sqrt(c7((Math.hypot(a1, b1) + Math.hypot(a2, b2)) / 2)));
  const [a1p, a2p] = [(1 + g) * a1, (1 + g) * a2];
  const [c1, c2] = [Math.hypot(a1p, b1), Math.hypot(a2p, b2)];
  const hue = (b: number, a: number) => (b === 0 && a === 0 ? 0 : (Math.atan2(b, a) / radians + 360) % 360);
  const [h1, h2] = [hue(b1, a1p), hue(b2, a2p)];
  const chromatic = c1 * c2 !== 0;
  let dh = chromatic ? h2 - h1 : 0;
  if (dh > 180) dh -= 360;
  else if (dh < -180) dh += 360;
  const dH = 2 * Math.sqrt(c1 * c2) * Math.sin((dh * radians) / 2);
  const meanL = (l1 + l2) / 2;
  const meanC = (c1 + c2) / 2;
  const meanH = !chromatic ? h1 + h2 : Math.abs(h1 - h2) <= 180 ? (h1 + h2) / 2 : (h1 + h2 + (h1 + h2 < 360 ? 360 : -360)) / 2;
  const t =
    1 -
    0.17 * Math.cos((meanH - 30) * radians) +
    0.24 * Math.cos(2 * meanH * radians) +
    0.32 * Math.cos((3 * meanH + 6) * radians) -
    0.2 * Math.cos((4 * meanH - 63) * radians);
  const rotation = -Math.sin(2 * 30 * Math.exp(-(((meanH - 275) / 25) ** 2)) * radians) * 2 * Math.sqrt(c7(meanC));
  const sl = 1 + (0.015 * (meanL - 50) ** 2) / Math.sqrt(20 + (meanL - 50) ** 2);
  const sc = 1 + 0.045 * meanC;
  const sh = 1 + 0.015 * meanC * t;
  const [dl, dc, dhs] = [(l2 - l1) / sl, (c2 - c1) / sc, dH / sh];
  return Math.sqrt(dl ** 2 + dc ** 2 + dhs ** 2 + rotation * dc * dhs);
}

/** How far apart neighbouring classes of a palette are for a reader with `vision` (CIEDE2000). */
export function classDifferences(palette: readonly string[], vision: Vision): number[] {
  const seen = palette.map((colour) => seenLab(colour, vision));
  return seen.slice(1).map((colour, index) => deltaE2000(seen[index]!, colour));
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
