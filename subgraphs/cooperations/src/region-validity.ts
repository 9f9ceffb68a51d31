import { readFileSync } from 'node:fs';
import { parseCsvRecords, REGIONS_CSV } from '@regiograph/shared';
import type { RegionCatalogue } from './region-catalogue';

/** A county key that replaced older keys within the years memberships can lie in. */
export interface KeySuccession {
  /** The key of today's county. */
  code: string;
  /** The first day the key is used. */
  since: Date;
  /** The counties it replaced, with their keys, as text: their keys are not in the region directory. */
  predecessors: string;
}

/*
 * The county keys of Lower Saxony date from the district reform of 1977; the official county series
 * from 1995 on (subgraphs/indicators/data/monitoring/NOTES.md) carry today's 45 keys throughout,
 * except these two, which replaced dissolved ones: Region Hannover (formed 01.11.2001; 03201/03253
 * until 2000) and Landkreis Göttingen (merger effective 01.11.2016; 03152/03156 until 2015). The region directory (BKG VG5000, 01.01.2021) holds only
 * today's regions, so the predecessors cannot be members here.
 */
export const KEY_SUCCESSIONS: readonly KeySuccession[] = [
  {
    code: '03241',
    since: new Date(Date.UTC(2001, 10, 1)),
    predecessors: 'Landeshauptstadt Hannover (03201) and Landkreis Hannover (03253)',
  },
  {
    code: '03159',
    since: new Date(Date.UTC(2016, 10, 1)),
    predecessors: 'Landkreis Göttingen (03152) and Landkreis Osterode am Harz (03156)',
  },
];

let validSince: Map<string, Date> | null = null;

/** valid_since of regions.csv per code: the catalogue does not carry it. */
function validSinceByCode(): Map<string, Date> {
  validSince ??= new Map(
    parseCsvRecords(readFileSync(REGIONS_CSV, 'utf8'))
      .filter(({ record }) => record.ars && record.valid_since)
      .map(({ record }) => [record.ars!, new Date(`${record.valid_since!}T00:00:00Z`)]),
  );
  return validSince;
}

/**
 * The first day a region's code can be a member, or null when the key is older than any membership.
 *
 * For a county (or the state, a district) the directory's valid_since is the day of its latest change
 * — a merger of municipalities inside it, a new name (Soltau-Fallingbostel became Heidekreis under the
 * same key in 2011) — not the day of its key, which counts here (KEY_SUCCESSIONS). A municipality's or
 * Samtgemeinde's key carries its Samtgemeinde and county digits, so it changes with its form:
 * valid_since is taken as the key's first day. That may be later than the key really is, never
 * earlier, so a membership from then on never names a code that did not exist.
 */
export function keyExistsSince(code: string, catalogue: RegionCatalogue): Date | null {
  const region = catalogue.get(code);
  if (!region) return null;
  const county = KEY_SUCCESSIONS.find((succession) => code.startsWith(succession.code))?.since ?? null;
  if (region.level === 'STATE' || region.level === 'DISTRICT' || region.level === 'COUNTY') return county;
  const own = validSinceByCode().get(code) ?? null;
  if (own === null || county === null) return own ?? county;
  return own > county ? own : county;
}

/** The succession that introduced a county's key, when one did. */
export function successionOf(code: string): KeySuccession | undefined {
  return KEY_SUCCESSIONS.find((succession) => succession.code === code);
}

/** "2016-10-31": the last day before a key's first day, for texts naming the predecessors. */
export function dayBefore(day: Date): string {
  return new Date(day.getTime() - 86_400_000).toISOString().slice(0, 10);
}
