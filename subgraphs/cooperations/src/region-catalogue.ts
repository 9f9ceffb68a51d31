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
  parentCode: string | null;
}

const LEVELS: Record<string, CatalogueLevel> = {
  state: 'STATE',
  district: 'DISTRICT',
  county: 'COUNTY',
  municipal_association: 'MUNICIPAL_ASSOCIATION',
  municipality: 'MUNICIPALITY',
};

/**
 * The real regions of Lower Saxony (BKG VG5000, 01.01.2021), read once from this package's copy of
 * regions.csv. It is immutable reference data, not a cache of the database: the subgraph validates
 * member codes against it and names synthetic cooperations after it without querying another schema.
 */
export class RegionCatalogue {
  readonly regions: readonly CatalogueRegion[];
  private readonly byCode: Map<string, CatalogueRegion>;

  constructor(regions: CatalogueRegion[]) {
    this.regions = regions;
    this.byCode = new Map(regions.map((region) => [region.code, region]));
  }

  static read(dataDir: string = DATA_DIR): RegionCatalogue {
    const text = readFileSync(path.join(dataDir, 'regions.csv'), 'utf8');
    return new RegionCatalogue(
      parseCsvRecords(text).map(({ line, record }) => {
        const level = LEVELS[record.level ?? ''];
        if (!level || !record.ars || !record.name) throw new Error(`regions.csv line ${line}: incomplete record`);
        return { code: record.ars, name: record.name, officialType: record.type ?? '', level, parentCode: record.parent_ars || null };
      }),
    );
  }

  get(code: string): CatalogueRegion | undefined {
    return this.byCode.get(code);
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  /** Regions strictly below `ancestorCode` (an ARS starts with the ARS of every region above it). */
  below(ancestorCode: string, level?: CatalogueLevel): CatalogueRegion[] {
    return this.regions.filter(
      (region) => region.code !== ancestorCode && region.code.startsWith(ancestorCode) && (!level || region.level === level),
    );
  }

  atLevel(level: CatalogueLevel): CatalogueRegion[] {
    return this.regions.filter((region) => region.level === level);
  }
}

let shared: RegionCatalogue | null = null;

export function regionCatalogue(): RegionCatalogue {
  shared ??= RegionCatalogue.read();
  return shared;
}

/** ARS lengths of the levels above a region: state, district, county, Samtgemeinde. */
export const ANCESTOR_CODE_LENGTHS = [2, 3, 5, 9] as const;

/** The codes of every level above `code` (whether or not a region exists there, e.g. no Samtgemeinde). */
export function ancestorCodesOf(code: string): string[] {
  return ANCESTOR_CODE_LENGTHS.filter((length) => length < code.length).map((length) => code.slice(0, length));
}

/** The denormalised prefixes stored beside a member's code. */
export function codePrefixes(code: string): { districtCode: string | null; countyCode: string | null; associationCode: string | null } {
  return {
    districtCode: code.length >= 3 ? code.slice(0, 3) : null,
    countyCode: code.length >= 5 ? code.slice(0, 5) : null,
    associationCode: code.length === 12 ? code.slice(0, 9) : null,
  };
}
