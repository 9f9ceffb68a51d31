import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatCalendarDate } from './calendar-date';
import { parseCsvRecords } from './csv';
import type { RegionLevelName } from './region-codes';

/**
 * The one copy of the official region directory (BKG VG5000, 01.01.2021; see data/SOURCES.md
 * beside it): the regions subgraph seeds its tables from it, the others read it as reference data.
 */
export const REGIONS_CSV = path.join(__dirname, '..', 'data', 'regions.csv');

export type CatalogueLevel = RegionLevelName;

/** The licence's own name: its attribution clause requires it (or "dl-de/by-2-0") beside the provider, with the licence text's address. */
export const DL_DE_BY_2_0_NAME = 'Datenlizenz Deutschland – Namensnennung – Version 2.0';

/**
 * What dl-de/by-2-0 asks of whoever shows the regions and boundaries: the provider with the note of
 * change, the licence by name with where its text is, and the data set — in the form of the
 * indicators' attributions ("© …; Datenlizenz Deutschland – Namensnennung – Version 2.0; …").
 */
export const BKG_ATTRIBUTION = `© GeoBasis-DE / BKG 2021 (Daten verändert); ${DL_DE_BY_2_0_NAME} (www.govdata.de/dl-de/by-2-0); VG5000, Stand 01.01.2021`;

export const BKG_SOURCE = {
  id: 'bkg-vg5000-2021',
  publisher: 'Bundesamt für Kartographie und Geodäsie (BKG)',
  title: 'Verwaltungsgebiete 1:5 000 000 (VG5000), Stand 01.01.2021',
  licence: `${DL_DE_BY_2_0_NAME} (dl-de/by-2-0)`,
  licenceUrl: 'https://www.govdata.de/dl-de/by-2-0',
  url: 'https://www.bkg.bund.de',
  attribution: BKG_ATTRIBUTION,
  referenceDate: new Date('2021-01-01T00:00:00Z'),
  official: true,
};

export interface CatalogueRegion {
  code: string;
  name: string;
  officialType: string;
  level: CatalogueLevel;
  parentCode: string | null;
  /** The Amtlicher Gemeindeschlüssel statistics publish (8 digits for a municipality); empty for districts and Samtgemeinden. */
  ags: string;
  /** The NUTS code (NUTS-1 the state, NUTS-2 an ArL district, NUTS-3 a county, which the regions below it carry too), by which EU funding data name regions. */
  nuts: string;
  /**
   * The directory's "valid since" (ISO date): the day of the region's latest change, not the first
   * day of its key (see keyExistsSince); null for the ArL districts, which the directory dates not.
   */
  validSince: string | null;
}

/** A county key that a merger dissolved: the official county series name it until the merger. */
export interface FormerRegionCode {
  /** The dissolved county's key (5 digits), not in the region directory. */
  code: string;
  /** Its official name until the merger. */
  name: string;
}

/** A county key that replaced older keys within the years the data reaches back to. */
export interface KeySuccession {
  /** The key of today's county. */
  code: string;
  /** The first day the key is used. */
  since: Date;
  /** The keys it replaced (merged into it on `since`): their keys are not in the region directory. */
  formerCodes: readonly FormerRegionCode[];
  /** The counties it replaced, with their keys, as text (formerCodes in words). */
  predecessors: string;
}

/**
 * Where the former keys and the merger days come from: the official county series GENESIS 12411-0015
 * (Destatis; subgraphs/indicators/data/monitoring/NOTES.md, source 1) carry 03201 and 03253 up to
 * 2000 and 03241 from 2001, 03152 and 03156 up to 2015 and 03159 from 2016 (merger of 01.11.2016).
 */
export const FORMER_REGION_CODES_SOURCE =
  'Statistisches Bundesamt (Destatis), GENESIS-Online 12411-0015 (population of the counties on 31.12., 1995–2018): ' +
  'the dissolved keys run until the year before the merger, the new key from the year of the merger';

function keySuccession(code: string, since: Date, formerCodes: readonly FormerRegionCode[]): KeySuccession {
  return {
    code,
    since,
    formerCodes,
    predecessors: formerCodes.map((former) => `${former.name} (${former.code})`).join(' and '),
  };
}

/**
 * The county keys of Lower Saxony date from the district reform of 1977; the official county series
 * from 1995 on (subgraphs/indicators/data/monitoring/NOTES.md) carry today's 45 keys throughout,
 * except these two, which replaced dissolved ones (FORMER_REGION_CODES_SOURCE). The directory (as of
 * 01.01.2021) holds only today's regions, so the predecessors' keys are not in it. The official files
 * shipped name no former key of a municipality or Samtgemeinde: the consolidated municipality values
 * hold only the directory's keys.
 */
export const KEY_SUCCESSIONS: readonly KeySuccession[] = [
  keySuccession('03241', new Date(Date.UTC(2001, 10, 1)), [
    { code: '03201', name: 'Landeshauptstadt Hannover' },
    { code: '03253', name: 'Landkreis Hannover' },
  ]),
  keySuccession('03159', new Date(Date.UTC(2016, 10, 1)), [
    { code: '03152', name: 'Landkreis Göttingen' },
    { code: '03156', name: 'Landkreis Osterode am Harz' },
  ]),
];

/** What became of a former key: the region(s) its area belongs to since the merger, and that day. */
export interface RegionCodeSuccessor {
  /** The former key. */
  code: string;
  /** Its official name until the merger. */
  name: string;
  /** The keys of the regions its area belongs to since `since`, in the region directory. */
  successorCodes: readonly string[];
  /** The day of the merger: the first day of the successors' keys. */
  since: Date;
}

/** The successor of a key a merger dissolved (KEY_SUCCESSIONS); undefined for any other code. */
export function successorOfFormerRegionCode(code: string): RegionCodeSuccessor | undefined {
  for (const succession of KEY_SUCCESSIONS) {
    const former = succession.formerCodes.find((candidate) => candidate.code === code);
    if (former) return { code, name: former.name, successorCodes: [succession.code], since: succession.since };
  }
  return undefined;
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
  private municipalitiesByAgs: Map<string, CatalogueRegion> | undefined;
  private regionsByNuts: Map<string, CatalogueRegion> | undefined;

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
          nuts: record.nuts ?? '',
          validSince: record.valid_since || null,
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

  /** The region whose NUTS code this is, in any case ("de929" as "DE929"); undefined for any other text. */
  regionOfNuts(nuts: string): CatalogueRegion | undefined {
    if (!this.regionsByNuts) {
      // The regions below a county carry its NUTS-3 code too: the code is the highest one's, the county's.
      this.regionsByNuts = new Map();
      for (const region of this.regions) {
        const held = this.regionsByNuts.get(region.nuts);
        if (region.nuts && (!held || region.code.length < held.code.length)) this.regionsByNuts.set(region.nuts, region);
      }
    }
    return this.regionsByNuts.get(nuts.toUpperCase());
  }

  /** The municipality whose 8-digit AGS this is (statistics key municipalities by it); undefined for any other text. */
  municipalityOfAgs(ags: string): CatalogueRegion | undefined {
    this.municipalitiesByAgs ??= new Map(this.atLevel('MUNICIPALITY').map((region) => [region.ags, region]));
    return this.municipalitiesByAgs.get(ags);
  }

  atLevel(level: CatalogueLevel): CatalogueRegion[] {
    return this.regions.filter((region) => region.level === level);
  }

  /**
   * The first day a region's key can be named (a member, a project's region, a value of a year), or
   * null when the key is older than any such record; undefined for a code the directory lacks.
   *
   * For the state, a district or a county the directory's valid_since is the day of its latest
   * change (a merger of municipalities inside it, a new name: Soltau-Fallingbostel became Heidekreis
   * under the same key in 2011), not the day of its key: county keys date from 1977 but for
   * KEY_SUCCESSIONS. A municipality's or Samtgemeinde's key carries its Samtgemeinde and county
   * digits, so it changes with its form: its valid_since is taken as the key's first day. That may be
   * later than the key really is, never earlier, so a record from then on never names a code that
   * did not exist.
   */
  keyExistsSince(code: string): Date | null | undefined {
    const region = this.byCode.get(code);
    if (!region) return undefined;
    const county = KEY_SUCCESSIONS.find((succession) => code.startsWith(succession.code))?.since ?? null;
    if (region.level === 'STATE' || region.level === 'DISTRICT' || region.level === 'COUNTY') return county;
    const own = region.validSince ? new Date(`${region.validSince}T00:00:00Z`) : null;
    if (own === null || county === null) return own ?? county;
    return own > county ? own : county;
  }

  /**
   * Why a record starting on `day` (a membership, a project) cannot name `code`: its key came into
   * use only later. The message every subgraph refuses it with (OUT_OF_RANGE), so the rule reads the
   * same wherever it applies; null when the key existed on that day, or the code is not in the
   * directory (refused as unknown instead). `subject` names the start when the error is reported at
   * another field than the day itself (a project's region code, not its startDate).
   */
  keyMissingOn(code: string, day: Date, subject?: string): string | null {
    const since = this.keyExistsSince(code);
    if (!since || day >= since) return null;
    return `${subject ? `${subject} ` : ''}must not be before ${code} existed (its key since ${formatCalendarDate(since)}).`;
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
