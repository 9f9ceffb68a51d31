/** The equal-chances map's diverging scale around 0 (= the state): pure functions, tested without a browser. */
import { formatNumber } from './breaks';

/**
 * Diverging palette (ColorBrewer PuOr, 7 classes, safe for the common colour-vision deficiencies):
 * orange = behind the state, grey = about the state, purple = ahead of it.
 */
export const DIVERGING_PALETTE = ['#b35806', '#f1a340', '#fee0b6', '#f7f7f7', '#d8daeb', '#998ec3', '#542788'];

/** The centre class: the values about the state's, drawn neutral. */
export const CENTRE_CLASS = (DIVERGING_PALETTE.length - 1) / 2;

export interface DivergingClasses {
  /** Upper bounds of the classes but the last, ascending and symmetric around 0: values <= breaks[i] fall in class i. */
  breaks: number[];
  /** The width of a class (the centre class spans −step/2 … +step/2). */
  step: number;
}

/** The largest of 1, 2, 5 × 10^k not above a value: class bounds a reader takes in at a glance. */
function niceStep(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  return [5, 2, 1].map((factor) => factor * power).find((step) => step <= value * (1 + 1e-9))!;
}

/**
 * Seven classes symmetric around 0: the centre class holds values about the state's, three on each
 * side, the outer ones open-ended. The width covers the largest deviation of either sign, so that
 * equal colours mean equal distance from the state on both sides. Null without any value.
 */
export function divergingClasses(values: readonly (number | null | undefined)[]): DivergingClasses | null {
  const present = values.filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
  if (present.length === 0) return null;
  const largest = Math.max(...present.map(Math.abs));
  // The outermost closed bound (2.5 steps) at or below the largest deviation, so the outer classes are not all empty.
  const step = niceStep(Math.max(largest, 1e-6) / (CENTRE_CLASS - 0.5));
  const half = [0.5, 1.5, 2.5].map((factor) => round(factor * step));
  return { breaks: [...half.map((bound) => -bound).reverse(), ...half], step };
}

function round(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

/**
 * The class of a value (0-based), or null for a missing value. A value on a bound falls in the class
 * nearer 0, on either side alike: −x and x always lie in mirrored classes.
 */
export function divergingClassOf(value: number | null | undefined, classes: DivergingClasses | null): number | null {
  if (value === null || value === undefined || !Number.isFinite(value) || !classes) return null;
  const upper = classes.breaks.slice(CENTRE_CLASS);
  const outwards = upper.filter((bound) => Math.abs(value) > bound).length;
  return value < 0 ? CENTRE_CLASS - outwards : CENTRE_CLASS + outwards;
}

export function divergingColourOf(classIndex: number): string {
  return DIVERGING_PALETTE[classIndex]!;
}

/** Where a class lies from the state, in words: the colour is never the only carrier of the meaning. */
export function sideOf(classIndex: number): string {
  return classIndex < CENTRE_CLASS ? 'hinter dem Land' : classIndex > CENTRE_CLASS ? 'vor dem Land' : 'etwa wie das Land';
}

/** A composite index in words, for labels and tooltips: "−0,42 (hinter dem Land)". */
export function indexLabel(value: number | null | undefined, classes: DivergingClasses | null): string {
  const index = divergingClassOf(value, classes);
  if (index === null) return 'keine Angabe';
  return `${signed(value!, 2)} (${sideOf(index)})`;
}

/** A number with its sign, also for positive values: a deviation reads "+0,30", not "0,30". */
export function signed(value: number, decimals: number): string {
  const zero = formatNumber(0, decimals);
  const magnitude = formatNumber(Math.abs(value), decimals);
  if (magnitude === zero) return zero;
  return `${value < 0 ? '−' : '+'}${magnitude}`;
}

/** The legend's lines, weakest first: each class's range and its side of the state in words. */
export function divergingLegend(classes: DivergingClasses, decimals = 2): { index: number; colour: string; label: string }[] {
  const { breaks } = classes;
  const last = breaks.length;
  const text = (bound: number) => signed(bound, decimals);
  return DIVERGING_PALETTE.map((colour, index) => {
    const range =
      index === 0
        ? `unter ${text(breaks[0]!)}`
        : index < CENTRE_CLASS
          ? `${text(breaks[index - 1]!)} bis unter ${text(breaks[index]!)}`
          : index === CENTRE_CLASS
            ? `${text(breaks[index - 1]!)} bis ${text(breaks[index]!)}`
            : index < last
              ? `über ${text(breaks[index - 1]!)} bis ${text(breaks[index]!)}`
              : `über ${text(breaks[last - 1]!)}`;
    return { index, colour, label: `${range} (${sideOf(index)})` };
  });
}
