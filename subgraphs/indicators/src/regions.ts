import path from 'node:path';
import { regionCatalogue, STATE_CODE, type RegionLevelName } from '@regiograph/shared';

export { levelOfCode, REGION_LEVELS, type RegionLevelName } from '@regiograph/shared';

/** This package's own data (the monitoring) with its SOURCES.md; the region directory is shared's. */
export const DATA_DIR = path.join(__dirname, '..', 'data');

export interface RegionEntry {
  code: string;
  /** The official name, for the text exports (the disparities CSV); the API's Region.name comes from the regions subgraph. */
  name: string;
  level: RegionLevelName;
  /** The official designation, e.g. "Landkreis", "Gemeindefreies Gebiet". */
  officialType: string;
  /** The Amtlicher Gemeindeschlüssel (8 digits for a municipality) that statistics publish; empty for districts and Samtgemeinden. */
  ags: string;
  /**
   * The first day the region's key exists (shared's RegionCatalogue.keyExistsSince); null when it
   * is older than any data. The directory is the territorial status of 01.01.2021 and knows no end
   * dates: a region in it is valid from this day on.
   */
  keySince: Date | null;
}

/**
 * The region keys this subgraph needs, indexed from shared's region catalogue: which codes exist,
 * at which level, under which AGS and name. It never asks the regions subgraph or its schema.
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
   * Whether the region's key existed on 31 December of the year: the reference date of most
   * official series (catalogue reference_period "31.12."), whose values describe the territory of
   * that date (e.g. today's Göttingen 03159, formed 01.11.2016, first in 2016). An unknown code
   * never did.
   */
  existedAtEndOf(code: string, year: number): boolean {
    const entry = this.byCode.get(code);
    if (!entry) return false;
    return entry.keySince === null || entry.keySince.getTime() <= Date.UTC(year, 11, 31);
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

export function readRegionDirectory(): RegionDirectory {
  const catalogue = regionCatalogue();
  return new RegionDirectory(
    catalogue.regions.map(({ code, name, level, officialType, ags }) => ({
      code,
      name,
      level,
      officialType,
      ags,
      keySince: catalogue.keyExistsSince(code) ?? null,
    })),
  );
}

let shared: RegionDirectory | null = null;

/** The directory is static reference data shipped with the package: read once per process. */
export function regionDirectory(): RegionDirectory {
  shared ??= readRegionDirectory();
  return shared;
}
