import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DATA_DIR } from './region-catalogue';

/** Checked-in neighbourhoods derived from the BKG boundaries (scripts/derive-adjacency.ts). */
export const ADJACENCY_FILE = path.join(DATA_DIR, 'adjacency.json');

export interface Adjacency {
  /** How the file was made, and from what. */
  source: string;
  /** ARS of each municipality -> ARS of the municipalities sharing a boundary with it, sorted. */
  municipalities: Record<string, string[]>;
  /** ARS of each county -> ARS of the neighbouring counties, sorted. */
  counties: Record<string, string[]>;
}

interface Feature {
  properties: { ars: string };
  geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };
}

/** Two areas are neighbours when they share at least this many boundary vertices, i.e. a boundary segment, not one point. */
const SHARED_VERTICES = 2;

/**
 * Neighbours of every area of a GeoJSON FeatureCollection. The BKG boundaries are topologically
 * clean (neighbours share their boundary vertices exactly), so shared vertices are shared boundaries;
 * islands come out without neighbours, as they should.
 */
export function neighboursOf(geojson: { features: Feature[] }): Record<string, string[]> {
  const areasByVertex = new Map<string, Set<string>>();
  for (const feature of geojson.features) {
    const polygons = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
    for (const ring of polygons.flat()) {
      for (const [x, y] of ring) {
        const key = `${x},${y}`;
        const areas = areasByVertex.get(key) ?? new Set<string>();
        areas.add(feature.properties.ars);
        areasByVertex.set(key, areas);
      }
    }
  }
  const shared = new Map<string, number>();
  for (const areas of areasByVertex.values()) {
    const sorted = [...areas].sort();
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length; j++) {
        const pair = `${sorted[i]}|${sorted[j]}`;
        shared.set(pair, (shared.get(pair) ?? 0) + 1);
      }
    }
  }
  const result: Record<string, string[]> = {};
  for (const feature of [...geojson.features].sort((a, b) => a.properties.ars.localeCompare(b.properties.ars)))
    result[feature.properties.ars] = [];
  for (const [pair, count] of [...shared.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (count < SHARED_VERTICES) continue;
    const [a = '', b = ''] = pair.split('|');
    result[a]!.push(b);
    result[b]!.push(a);
  }
  for (const list of Object.values(result)) list.sort();
  return result;
}

export const ADJACENCY_SOURCE =
  'Derived by scripts/derive-adjacency.ts from the boundaries of the regions subgraph (BKG VG5000, 01.01.2021; ' +
  '© GeoBasis-DE / BKG 2021 (Daten verändert), dl-de/by-2-0): areas sharing a boundary segment are neighbours.';

/** Derives the adjacency from the regions subgraph's GeoJSON files (their text). */
export function deriveAdjacency(municipalitiesGeojson: string, countiesGeojson: string): Adjacency {
  return {
    source: ADJACENCY_SOURCE,
    municipalities: neighboursOf(JSON.parse(municipalitiesGeojson) as { features: Feature[] }),
    counties: neighboursOf(JSON.parse(countiesGeojson) as { features: Feature[] }),
  };
}

/** One area per line: small diffs when boundaries change, and a file a reviewer can read. */
export function serialiseAdjacency(adjacency: Adjacency): string {
  const block = (map: Record<string, string[]>) =>
    Object.entries(map)
      .map(([code, neighbours]) => `  ${JSON.stringify(code)}: ${JSON.stringify(neighbours)}`)
      .join(',\n');
  return `{\n "source": ${JSON.stringify(adjacency.source)},\n "municipalities": {\n${block(adjacency.municipalities)}\n },\n "counties": {\n${block(adjacency.counties)}\n }\n}\n`;
}

let cached: Adjacency | null = null;

/** The checked-in adjacency, read once per process. */
export function adjacency(): Adjacency {
  cached ??= JSON.parse(readFileSync(ADJACENCY_FILE, 'utf8')) as Adjacency;
  return cached;
}
