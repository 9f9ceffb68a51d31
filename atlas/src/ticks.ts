/** The labelled ticks of the line charts' axes: pure functions, tested without a browser. */

/** A round step (1, 2 or 5 times a power of ten) giving about `count` ticks over a span. */
function roundStep(span: number, count: number): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  const factor = error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1;
  return factor * power;
}

/** The multiples of `step` from `from` to `to`; the step's decimals are rounded off, not accumulated. */
function multiples(from: number, to: number, step: number): number[] {
  const ticks: number[] = [];
  for (let index = Math.ceil(from / step); index * step <= to; index++) ticks.push(Number((index * step).toPrecision(12)));
  return ticks;
}

/** Round values between the bottom and the top of a value axis (about five), e.g. 0, 2 Mio., 4 Mio. */
export function valueTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  return multiples(min, max, roundStep(max - min, count));
}

/** Whole years between the first and the last at a round step (1, 2, 5, 10 …), about five. */
export function yearTicks(first: number, last: number, count = 5): number[] {
  if (!(last > first)) return [first];
  return multiples(first, last, Math.max(1, roundStep(last - first, count)));
}
