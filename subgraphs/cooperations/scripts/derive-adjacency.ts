// Derives data/adjacency.json from the regions subgraph's boundary files, so the synthetic
// inter-municipal cooperations join neighbours without this subgraph reading the regions' tables.
// Run again when the boundaries change: `npm run derive-adjacency -w @regiograph/cooperations`.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ADJACENCY_FILE, deriveAdjacency, serialiseAdjacency } from '../src/adjacency';

const REGIONS_DATA = path.join(__dirname, '..', '..', 'regions', 'data');

const adjacency = deriveAdjacency(
  readFileSync(path.join(REGIONS_DATA, 'municipalities.geojson'), 'utf8'),
  readFileSync(path.join(REGIONS_DATA, 'counties.geojson'), 'utf8'),
);
writeFileSync(ADJACENCY_FILE, serialiseAdjacency(adjacency));
console.log(
  `${path.relative(process.cwd(), ADJACENCY_FILE)}: ${Object.keys(adjacency.municipalities).length} municipalities, ${Object.keys(adjacency.counties).length} counties`,
);
