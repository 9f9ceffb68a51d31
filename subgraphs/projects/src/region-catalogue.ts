import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsvRecords } from '@regiograph/shared';

/** The copied reference data with its SOURCES.md, shipped inside this package. */
export const DATA_DIR = path.join(__dirname, '..', 'data');

export type CatalogueLevel = 'STATE' | 'DISTRICT' | 'COUNTY' | 'MUNICIPAL_ASSOCIATION' | 'MUNICIPALITY';

export interface CatalogueRegion {
  code: string;
  name: string;
  officialType: string;
  level: CatalogueLevel;
}

const LEVELS: Record<string, CatalogueLevel> = {
  state: 'STATE',
  district: 'DISTRICT',
  county: 'COUNTY',
  municipal_association: 'MUNICIPAL_ASSOCIATION',
  municipality: 'MUNICIPALITY',
};

/** The ARS length of each level: a region's code starts with the codes of all regions above it. */
export const CODE_LENGTH_OF_LEVEL: Record<CatalogueLevel, number> = {
  STATE: 2,
  DISTRICT: 3,
  COUNTY: 5,
  MUNICIPAL_ASSOCIATION: 9,
  MUNICIPALITY: 12,
};

/**
 * The official regions (BKG VG5000, copied from the regions subgraph's source data), used to
 * validate region codes on write and to name synthetic records. This subgraph never queries the
 * regions schema: region data stays owned by the regions subgraph.
 */
export class RegionCatalogue {
  readonly regions: readonly CatalogueRegion[];
  private readonly byCode: Map<string, CatalogueRegion>;

  constructor(regions: CatalogueRegion[]) {
    this.regions = regions;
    this.byCode = new Map(regions.map((region) => [region.code, region]));
  }

  static load(dataDir: string = DATA_DIR): RegionCatalogue {
    const text = readFileSync(path.join(dataDir, 'regions.csv'), 'utf8');
    return new RegionCatalogue(
      parseCsvRecords(text).map(({ line, record }) => {
        const level = LEVELS[record.level ?? ''];
        if (!level || !record.ars || !record.name) throw new Error(`regions.csv line ${line}: incomplete record`);
        return { code: record.ars, name: record.name, officialType: record.type ?? '', level };
      }),
    );
  }

  get(code: string): CatalogueRegion | undefined {
    return this.byCode.get(code);
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  ofLevel(level: CatalogueLevel): CatalogueRegion[] {
    return this.regions.filter((region) => region.level === level);
  }

  /** Regions strictly below `code`. */
  below(code: string, level?: CatalogueLevel): CatalogueRegion[] {
    return this.regions.filter((region) => region.code.length > code.length && region.code.startsWith(code) && (!level || region.level === level));
  }
}

let shared: RegionCatalogue | null = null;

/** The catalogue, read once per process (immutable reference data, not per-request state). */
export function regionCatalogue(): RegionCatalogue {
  shared ??= RegionCatalogue.load();
  return shared;
}
