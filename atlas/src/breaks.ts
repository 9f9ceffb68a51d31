/** Class breaks and number formatting for the choropleth: pure functions, tested without a browser. */

/** Sequential palette (ColorBrewer YlGnBu, 5 classes): light = low, dark = high. */
export const PALETTE = ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494'];

export interface Classes {
  /** Upper bounds of the classes but the last, ascending: values <= breaks[i] fall in class i. */
  breaks: number[];
  min: number;
  max: number;
}

/**
 * Quantile breaks: each class holds about as many regions. Missing values are not part of the
 * distribution (they are drawn as missing, never as 0). Duplicate bounds collapse, so a variable with
 * few distinct values gets fewer classes.
 */
export function quantileClasses(values: readonly (number | null | undefined)[], count = PALETTE.length): Classes | null {
  const present = values.filter((value): value is number => typeof value === 'number' && Number.isFinite(value)).sort((a, b) => a - b);
  if (present.length === 0) return null;
  const breaks: number[] = [];
  for (let i = 1; i < count; i++) {
    const bound = present[Math.min(present.length - 1, Math.ceil((i * present.length) / count) - 1)]!;
    if (bound < present[present.length - 1]! && (breaks.length === 0 || bound > breaks[breaks.length - 1]!)) breaks.push(bound);
  }
  return { breaks, min: present[0]!, max: present[present.length - 1]! };
}

/**
 * The breaks rounded to the coarsest power of ten (at most two significant digits of the values' span,
 * at least the indicator's decimals) at which they stay distinct, within the values and every class
 * keeps a region: "über 90.000 – 130.000" rather than "über 92.894 – 132.091", digits no reader of a
 * class limit needs and a publication does not print. The regions are classed by the rounded breaks, so
 * that the legend says exactly which class a value is in (a value shown as "4,3" is never in "über 4,3").
 * Where no such rounding exists the breaks are rounded to the decimals shown and repeats collapse.
 */
export function roundedClasses(classes: Classes, values: readonly number[], decimals: number): Classes {
  const { min, max } = classes;
  const roundTo = (value: number, step: number) => Number((Math.round(value / step) * step).toFixed(Math.max(0, -Math.log10(step))));
  const holdsEveryClass = (breaks: number[]) =>
    [...breaks, max].every((upper, index) => values.some((value) => value <= upper && (index === 0 || value > breaks[index - 1]!)));
  const finest = -decimals;
  const coarsest = Math.max(finest, Math.floor(Math.log10(Math.max(max - min, Number.MIN_VALUE))) - 1);
  for (let power = coarsest; power >= finest; power--) {
    const step = 10 ** power;
    const breaks = classes.breaks.map((bound) => roundTo(bound, step));
    const distinct = breaks.every((bound, index) => bound >= min && bound < max && (index === 0 || bound > breaks[index - 1]!));
    if (distinct && holdsEveryClass(breaks)) return { ...classes, breaks };
  }
  const shown = classes.breaks.map((bound) => roundTo(bound, 10 ** finest)).filter((bound) => bound >= min && bound < max);
  return { ...classes, breaks: shown.filter((bound, index) => index === 0 || bound > shown[index - 1]!) };
}

/** The class of a value (0-based), or null for a missing value. */
export function classOf(value: number | null | undefined, classes: Classes | null): number | null {
  if (value === null || value === undefined || !Number.isFinite(value) || !classes) return null;
  const index = classes.breaks.findIndex((bound) => value <= bound);
  return index === -1 ? classes.breaks.length : index;
}

/** The colour of a class spread over the palette when there are fewer classes than colours. */
export function colourOf(classIndex: number, classes: Classes): string {
  const total = classes.breaks.length + 1;
  const position = total === 1 ? PALETTE.length - 1 : Math.round((classIndex * (PALETTE.length - 1)) / (total - 1));
  return PALETTE[position]!;
}

/**
 * The legend's lines: lower and upper bound of each class. Every class but the first holds values
 * above its lower bound (`aboveFrom`: that bound is the previous class's upper one), so that the
 * lines of whole numbers do not read "0 – 1" beside "1 – 4".
 */
export function classRanges(classes: Classes): { from: number; to: number; aboveFrom: boolean }[] {
  const bounds = [classes.min, ...classes.breaks, classes.max];
  return bounds.slice(0, -1).map((from, index) => ({ from, to: bounds[index + 1]!, aboveFrom: index > 0 }));
}

/** A legend line in German: "0", "0 – 2", "über 2 – 4". */
export function rangeLabel(range: { from: number; to: number; aboveFrom: boolean }, decimals: number): string {
  const to = formatNumber(range.to, decimals);
  if (!range.aboveFrom) return range.from === range.to ? to : `${formatNumber(range.from, decimals)} – ${to}`;
  return `über ${formatNumber(range.from, decimals)} – ${to}`;
}

/** How values become colours, and the legend that says so. */
export interface MapScale {
  /** The class of a value, null for a missing one (drawn hatched as "keine Angabe"). */
  classOf(value: number | null): number | null;
  colourOf(classIndex: number): string;
  legend: { index: number; colour: string; label: string }[];
  /** How the classes are made, beneath the legend ("Klassen: Quantile"). */
  note: string;
  /** A value as labels and the tooltip read it, with its unit or its meaning. */
  format(value: number): string;
}

/** The choropleth's scale for an indicator's values: quantile classes on the sequential palette. */
export function quantileScale(values: readonly (number | null | undefined)[], decimals: number, unit: string): MapScale | null {
  const quantiles = quantileClasses(values);
  if (!quantiles) return null;
  const present = values.filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
  const classes = roundedClasses(quantiles, present, decimals);
  return {
    classOf: (value) => classOf(value, classes),
    colourOf: (classIndex) => colourOf(classIndex, classes),
    legend: classRanges(classes).map((range, index) => ({ index, colour: colourOf(index, classes), label: rangeLabel(range, decimals) })),
    // The method named as a reader of a published map expects it: what the classes hold, and that their limits are rounded.
    note: 'Klassen: Quantile (je Klasse etwa gleich viele Regionen), Grenzen gerundet',
    format: (value) => `${formatNumber(value, decimals)} ${unit}`,
  };
}

/** German number format with the indicator's decimals. */
export function formatNumber(value: number | null | undefined, decimals = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'keine Angabe';
  return value.toLocaleString('de-DE', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export function formatEuro(cents: string | number): string {
  return (Number(cents) / 100).toLocaleString('de-DE', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
}
