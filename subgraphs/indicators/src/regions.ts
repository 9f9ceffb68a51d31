import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsvRecords, STATE_CODE } from '@regiograph/shared';

/** The copied reference data with its SOURCES.md, shipped inside this package. */
export const DATA_DIR = path.join(__dirname, '..', 'data');

export const REGION_LEVELS = ['STATE', 'DISTRICT', 'COUNTY', 'MUNICIPAL_ASSOCIATION', 'MUNICIPALITY'] as const;
export type RegionLevelName = (typeof REGION_LEVELS)[number];

const LEVEL_OF_CSV: Record<string, RegionLevelName> = {
  state: 'STATE',
  district: 'DISTRICT',
  county: 'COUNTY',
  municipal_association: 'MUNICIPAL_ASSOCIATION',
  municipality: 'MUNICIPALITY',
};

export interface RegionEntry {
  code: string;
  level: RegionLevelName;
  /** The official designation, e.g. "Landkreis", "Gemeindefreies Gebiet". */
  officialType: string;
  /** The Amtlicher Gemeindeschlüssel (8 digits for a municipality) that statistics publish; empty for districts and Samtgemeinden. */
  ags: string;
}

/**
 * The region keys this subgraph needs, read from its copy of regions.csv: which codes exist and
 * at which level. It never asks the regions subgraph or its schema; names stay there.
 */
export class RegionDirectory {
  private readonly byCode: Map<string, RegionEntry>;
  private readonly byLevel = new Map<RegionLevelName, RegionEntry[]>();
  private readonly byAgs = new Map<string, RegionEntry>();

  constructor(entries: RegionEntry[]) {
    const sorted = [...entries].sort((a, b) => a.code.localeCompare(b.code));
    this.byCode = new Map(sorted.map((entry) => [entry.code, entry]));
    for (const entry of sorted) {
      if (entry.ags) this.byAgs.set(entry.ags, entry);
      const list = this.byLevel.get(entry.level);
      if (list) list.push(entry);
      else this.byLevel.set(entry.level, [entry]);
    }
  }

  get(code: string): RegionEntry | undefined {
    return this.byCode.get(code);
  }

  /** The region a published AGS (state, county or municipality key) stands for. */
  getByAgs(ags: string): RegionEntry | undefined {
    return this.byAgs.get(ags);
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  /** All regions of a level, ordered by code; within an ancestor when given (ARS prefixes nest). */
  ofLevel(level: RegionLevelName, ancestorCode?: string | null): RegionEntry[] {
    const all = this.byLevel.get(level) ?? [];
    if (!ancestorCode) return all;
    return all.filter((entry) => entry.code !== ancestorCode && entry.code.startsWith(ancestorCode));
  }

  /**
   * The region a value is compared with: the district for a county, the county for a municipality
   * or Samtgemeinde, the state for a district; none for the state.
   */
  comparisonParentOf(code: string): string | null {
    if (code.length <= 2) return null;
    if (code.length === 3) return STATE_CODE;
    if (code.length === 5) return code.slice(0, 3);
    return code.slice(0, 5);
  }
}

export function levelOfCode(code: string): RegionLevelName | null {
  switch (code.length) {
    case 2:
      return 'STATE';
    case 3:
      return 'DISTRICT';
    case 5:
      return 'COUNTY';
    case 9:
      return 'MUNICIPAL_ASSOCIATION';
    case 12:
      return 'MUNICIPALITY';
    default:
      return null;
  }
}

export function readRegionDirectory(dataDir: string = DATA_DIR): RegionDirectory {
  const text = readFileSync(path.join(dataDir, 'regions.csv'), 'utf8');
  return new RegionDirectory(
    parseCsvRecords(text).map(({ line, record }) => {
      const level = LEVEL_OF_CSV[record.level ?? ''];
      if (!level || !record.ars) throw new Error(`regions.csv line ${line}: unknown level ${JSON.stringify(record.level)}`);
      return { code: record.ars, level, officialType: record.type ?? '', ags: record.ags ?? '' };
    }),
  );
}

let shared: RegionDirectory | null = null;

/** The directory is static reference data shipped with the package: read once per process. */
export function regionDirectory(): RegionDirectory {
  shared ??= readRegionDirectory();
  return shared;
}
