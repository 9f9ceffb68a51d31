import { readFileSync } from 'node:fs';
import { parseCsvRecords } from './csv';

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
 * The official regions (BKG VG5000, 01.01.2021) from a package's copy of regions.csv. Subgraphs
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

  static read(csvPath: string): RegionCatalogue {
    return new RegionCatalogue(
      parseCsvRecords(readFileSync(csvPath, 'utf8')).map(({ line, record }) => {
        const level = LEVELS[record.level ?? ''];
        if (!level || !record.ars || !record.name) throw new Error(`${csvPath} line ${line}: incomplete record`);
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
