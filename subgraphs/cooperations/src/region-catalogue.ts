import path from 'node:path';
import { countyCodeOf, districtCodeOf } from '@regiograph/shared';

export { regionCatalogue, ancestorCodesOf, RegionCatalogue, type CatalogueLevel, type CatalogueRegion } from '@regiograph/shared';

/** This package's own data with its SOURCES.md; the region directory is shared's (REGIONS_CSV). */
export const DATA_DIR = path.join(__dirname, '..', 'data');

/** The denormalised prefixes stored beside a member's code. */
export function codePrefixes(code: string): { districtCode: string | null; countyCode: string | null; associationCode: string | null } {
  return {
    districtCode: districtCodeOf(code),
    countyCode: countyCodeOf(code),
    associationCode: code.length === 12 ? code.slice(0, 9) : null,
  };
}
