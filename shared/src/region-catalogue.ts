import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsvRecords } from './csv';
import type { RegionLevelName } from './region-codes';

/**
 * The one copy of the official region directory (BKG VG5000, 01.01.2021; see data/SOURCES.md
 * beside it): the regions subgraph seeds its tables from it, the others read it as reference data.
 */
export const REGIONS_CSV = path.join(__dirname, '..', 'data', 'regions.csv');

export type CatalogueLevel = RegionLevelName;

export interface CatalogueRegion {
  code: string;
  name: string;
  officialType: string;
  level: CatalogueLevel;
  parentCode: string | null;
  /** The Amtlicher Gemeindeschlüssel statistics publish (8 digits for a municipality); empty for districts and Samtgemeinden. */
  ags: string;
}

const LEVELS: Record<string, CatalogueLevel> = {
  state: 'STATE',
  district: 'DISTRICT',
  county: 'COUNTY',
  municipal_association: 'MUNICIPAL_ASSOCIATION',
  municipality: 'MUNICIPALITY',
};

/**
 * The official regions (BKG VG5000, 01.01.2021) from regions.csv (REGIONS_CSV). Subgraphs
 * other than regions validate region codes and name synthetic records with it: immutable reference
 * data, read once, so no subgraph queries another's schema.
 */
export class RegionCatalogue {
  readonly regions: readonly CatalogueRegion[];
  private readonly byCode: Map<string, CatalogueRegion>;

  constructor(regions: CatalogueRegion[]) {
    this.regions = regions;
    this.byCode = new Map(regions.map((region) => [region.code, region]));
  }

  static read(csvPath: string = REGIONS_CSV): RegionCatalogue {
    return new RegionCatalogue(
      parseCsvRecords(readFileSync(csvPath, 'utf8')).map(({ line, record }) => {
        const level = LEVELS[record.level ?? ''];
        if (!level || !record.ars || !record.name) throw new Error(`${csvPath} line ${line}: incomplete record`);
        return {
          code: record.ars,
          name: record.name,
          officialType: record.type ?? '',
          level,
          parentCode: record.parent_ars || null,
          ags: record.ags ?? '',
        };
      }),
    );
  }

  get(code: string): CatalogueRegion | undefined {
    return this.byCode.get(code);
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  atLevel(level: CatalogueLevel): CatalogueRegion[] {
    return this.regions.filter((region) => region.level === level);
  }

  /** Regions strictly below `ancestorCode` (an ARS starts with the ARS of every region above it). */
  below(ancestorCode: string, level?: CatalogueLevel): CatalogueRegion[] {
    return this.regions.filter(
      (region) => region.code !== ancestorCode && region.code.startsWith(ancestorCode) && (!level || region.level === level),
    );
  }
}

let catalogue: RegionCatalogue | null = null;

/** The catalogue of REGIONS_CSV, read once per process (immutable reference data, not per-request state). */
export function regionCatalogue(): RegionCatalogue {
  catalogue ??= RegionCatalogue.read();
  return catalogue;
}
