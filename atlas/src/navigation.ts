/** The map's ways for a keyboard: arrow keys between neighbours, a region found by name. Pure functions, tested without a browser. */

/** The arrow keys' directions as (x, y) on the screen (y grows downwards, as in SVG). */
export const ARROWS: Readonly<Record<string, readonly [number, number]>> = {
  ArrowRight: [1, 0],
  ArrowLeft: [-1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

/**
 * The shape an arrow key moves to: the nearest centre within 45° of the key's direction, so that the
 * keyboard walks the map as the eye does. Null at the map's edge, or from a shape without a centre.
 */
export function neighbour<T extends { centre: readonly [number, number] | null }>(
  shapes: readonly T[],
  from: T,
  [dx, dy]: readonly [number, number],
): T | null {
  if (!from.centre) return null;
  let best: T | null = null;
  let bestDistance = Infinity;
  for (const shape of shapes) {
    if (!shape.centre || shape === from) continue;
    const x = shape.centre[0] - from.centre[0];
    const y = shape.centre[1] - from.centre[1];
    const along = x * dx + y * dy;
    const across = Math.abs(x * dy - y * dx);
    if (along <= 0 || across > along) continue;
    // Straight ahead beats a little nearer but off to the side.
    const distance = along + 2 * across;
    if (distance < bestDistance) {
      best = shape;
      bestDistance = distance;
    }
  }
  return best;
}

interface NamedRegion {
  name: string;
  officialType: string;
}

/** A region as the search's suggestions and the shapes' labels name it: the type tells apart Osnabrück (Landkreis) and Osnabrück (Kreisfreie Stadt). */
export function searchLabel(region: NamedRegion): string {
  return `${region.name} (${region.officialType})`;
}

/**
 * The region a search names, ignoring case: its label (a suggestion taken), else its name, else the
 * start of its label, each only when one region matches; 'several' when more do, 'none' when none.
 */
export function findRegion<T extends NamedRegion>(regions: readonly T[], text: string): T | 'none' | 'several' {
  const wanted = text.trim().toLocaleLowerCase('de');
  if (!wanted) return 'none';
  const byLabel = regions.find((region) => searchLabel(region).toLocaleLowerCase('de') === wanted);
  if (byLabel) return byLabel;
  for (const matches of [
    regions.filter((region) => region.name.toLocaleLowerCase('de') === wanted),
    regions.filter((region) => searchLabel(region).toLocaleLowerCase('de').startsWith(wanted)),
  ]) {
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) return 'several';
  }
  return 'none';
}
