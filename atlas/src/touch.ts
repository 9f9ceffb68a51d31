/**
 * Half of a finger's target, 24 CSS px (WCAG 2.2, 2.5.8): a tap this close to a region may have meant
 * it. Many municipalities are smaller than that on a phone's state-wide map.
 */
export const FINGER_RADIUS = 12;

/** The grid's spacing: a region at least this wide within the radius is found. */
const STEP = 3;

/** The points a tap stands for: a grid of STEP px over the finger's disc, its own point first, then outwards. */
export function fingerPoints(x: number, y: number, radius = FINGER_RADIUS): [number, number][] {
  const offsets: [number, number][] = [];
  for (let dx = -radius; dx <= radius; dx += STEP)
    for (let dy = -radius; dy <= radius; dy += STEP) if (Math.hypot(dx, dy) <= radius) offsets.push([dx, dy]);
  offsets.sort((a, b) => Math.hypot(...a) - Math.hypot(...b));
  return offsets.map(([dx, dy]) => [x + dx, y + dy]);
}

/** The regions under a finger tapping at (x, y), nearest first, each once; `codeAt` names the region drawn at a point. */
export function regionsUnderFinger(
  x: number,
  y: number,
  codeAt: (x: number, y: number) => string | null,
  radius = FINGER_RADIUS,
): string[] {
  const codes: string[] = [];
  for (const [px, py] of fingerPoints(x, y, radius)) {
    const code = codeAt(px, py);
    if (code !== null && !codes.includes(code)) codes.push(code);
  }
  return codes;
}
