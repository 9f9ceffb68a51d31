import path from 'node:path';
import { RegionCatalogue } from '@regiograph/shared';

export { CODE_LENGTH_OF_LEVEL, RegionCatalogue, type CatalogueLevel, type CatalogueRegion } from '@regiograph/shared';

/** The copied reference data with its SOURCES.md, shipped inside this package. */
export const DATA_DIR = path.join(__dirname, '..', 'data');

let shared: RegionCatalogue | null = null;

/** The catalogue, read once per process (immutable reference data, not per-request state). */
export function regionCatalogue(): RegionCatalogue {
  shared ??= RegionCatalogue.read(path.join(DATA_DIR, 'regions.csv'));
  return shared;
}
