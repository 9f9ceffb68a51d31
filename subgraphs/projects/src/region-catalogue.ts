import path from 'node:path';

export { regionCatalogue, CODE_LENGTH_OF_LEVEL, RegionCatalogue, type CatalogueLevel, type CatalogueRegion } from '@regiograph/shared';

/** This package's own data with its SOURCES.md; the region directory is shared's (REGIONS_CSV). */
export const DATA_DIR = path.join(__dirname, '..', 'data');
