import path from 'node:path';
import { RegionCatalogue } from '@regiograph/shared';

export { ancestorCodesOf, RegionCatalogue, type CatalogueLevel, type CatalogueRegion } from '@regiograph/shared';

/** The copied reference data with its SOURCES.md, shipped inside this package. */
export const DATA_DIR = path.join(__dirname, '..', 'data');

let shared: RegionCatalogue | null = null;

/** The catalogue, read once per process (immutable reference data, not per-request state). */
export function regionCatalogue(): RegionCatalogue {
  shared ??= RegionCatalogue.read(path.join(DATA_DIR, 'regions.csv'));
  return shared;
}

/** The denormalised prefixes stored beside a member's code. */
export function codePrefixes(code: string): { districtCode: string | null; countyCode: string | null; associationCode: string | null } {
  return {
    districtCode: code.length >= 3 ? code.slice(0, 3) : null,
    countyCode: code.length >= 5 ? code.slice(0, 5) : null,
    associationCode: code.length === 12 ? code.slice(0, 9) : null,
  };
}
