import type { GeoJsonGeometry } from './builder';

type Position = [number, number];

function perpendicularDistance(point: Position, start: Position, end: Position): number {
  const [x, y] = point;
  const [x1, y1] = start;
  const [x2, y2] = end;
  const dx = x2 - x1;
  const dy = y2 - y1;
  if (dx === 0 && dy === 0) return Math.hypot(x - x1, y - y1);
  return Math.abs(dy * x - dx * y + x2 * y1 - y2 * x1) / Math.hypot(dx, dy);
}

/** Douglas–Peucker on one line (iterative: rings of thousands of points must not overflow the stack). */
export function simplifyLine(points: Position[], tolerance: number): Position[] {
  if (points.length <= 2) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length > 0) {
    const [first, last] = stack.pop()!;
    let farthest = -1;
    let farthestDistance = tolerance;
    for (let i = first + 1; i < last; i++) {
      const distance = perpendicularDistance(points[i]!, points[first]!, points[last]!);
      if (distance > farthestDistance) {
        farthest = i;
        farthestDistance = distance;
      }
    }
    if (farthest !== -1) {
      keep[farthest] = 1;
      stack.push([first, farthest], [farthest, last]);
    }
  }
  return points.filter((_, index) => keep[index] === 1);
}

/** A closed ring keeps at least four positions (a triangle), or it is no longer a polygon. */
function simplifyRing(ring: Position[], tolerance: number): Position[] {
  const simplified = simplifyLine(ring, tolerance);
  return simplified.length >= 4 ? simplified : ring;
}

/** Simplifies a Polygon or MultiPolygon; other geometries come back unchanged. */
export function simplifyGeometry(geometry: GeoJsonGeometry, tolerance: number): GeoJsonGeometry {
  if (tolerance <= 0) return geometry;
  if (geometry.type === 'Polygon') {
    return { type: 'Polygon', coordinates: (geometry.coordinates as Position[][]).map((ring) => simplifyRing(ring, tolerance)) };
  }
  if (geometry.type === 'MultiPolygon') {
    return {
      type: 'MultiPolygon',
      coordinates: (geometry.coordinates as Position[][][]).map((polygon) => polygon.map((ring) => simplifyRing(ring, tolerance))),
    };
  }
  return geometry;
}
