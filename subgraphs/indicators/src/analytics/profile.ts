/**
 * Indicator profiles of all regions of one level: the values of several indicators, each in one
 * year, z-standardised across the level. The base of similar regions, disparities and transfer
 * candidates; read in one SQL statement.
 */
import { STATE_CODE } from '@regiograph/shared';
import { takeWorkTurn } from '@regiograph/subgraph-kit';
import type { IndicatorRow, IndicatorsContext } from '../context';
import { isSyntheticIndicator } from '../definitions';
import type { RegionLevelName } from '../regions';
import { packProfiles, standardisation, zScore, type PackedProfiles } from './math';

/**
 * The profile used when no indicators are given: density, age structure, unemployment, GDP per
 * inhabitant, GP density and childcare — the structure a region's development depends on, with
 * official sources for every county (INKAR, Regionaldatenbank). GDP per inhabitant is the regional
 * accounts' (Regionaldatenbank 82111-01-05-4, to 2017), not INKAR's longer series: INKAR's
 * Braunschweig is 38–60 % above it in every year both have, unexplained (gdp_per_inhabitant_inkar's
 * break notes), and would set Braunschweig's GDP z-score apart by that error.
 */
export const DEFAULT_PROFILE = [
  'population_density',
  'share_65plus',
  'unemployment_rate',
  'gdp_per_inhabitant',
  'gp_per_100k',
  'childcare_rate_under3',
] as const;

/** ARS code length per level: regions of a level are told apart by it in SQL. */
const CODE_LENGTH: Record<RegionLevelName, number> = { STATE: 2, DISTRICT: 3, COUNTY: 5, MUNICIPAL_ASSOCIATION: 9, MUNICIPALITY: 12 };

export interface ProfileColumn {
  indicator: IndicatorRow;
  /** The year whose values are used (see YEAR_RULE). */
  year: number;
  /** Regions of the level with a value that year. */
  regionCount: number;
  /**
   * Of those, the regions whose value RegioGraph computed from the regions within (Observation.aggregated:
   * a county or Samtgemeinde the source gives no value for), not published: the measures then mix both.
   */
  aggregatedRegionCount: number;
  mean: number;
  standardDeviation: number;
  /** The state's own observation that year; null when the state has none. */
  stateValue: number | null;
  /** True when stateValue was computed from the counties (Observation.aggregated), not published for the state. */
  stateValueAggregated: boolean;
}

export interface Profiles {
  level: RegionLevelName;
  columns: ProfileColumn[];
  /** Asked-for indicators without any value at this level: left out of every computation. */
  omitted: IndicatorRow[];
  /** Region codes of the level in code order. */
  regionCodes: string[];
  /** Per region, the values in the order of the columns (null = missing). */
  values: Map<string, (number | null)[]>;
  /** Per region, the z-scores in the order of the columns (null = missing). */
  zScores: Map<string, (number | null)[]>;
  /** True when any column's indicator is synthetic demonstration data. */
  synthetic: boolean;
  /**
   * Per column, the weight of each region of the level (its weight indicator's value in the column's
   * year; regions without one are absent), when the read was asked for weights (`loadProfiles`'
   * `weights`); else empty.
   */
  weights: ReadonlyMap<string, number>[];
  /** Per column, the year its weights were read in (see WeightYearRule); null where none was read. */
  weightYears: (number | null)[];
}

/**
 * Which year of the weight indicator weighs a column's values: SAME_YEAR only the values' own year;
 * NEAREST_YEAR that year where the weight indicator has values of the level, else the nearest year
 * that has (the earlier on a tie).
 */
export type WeightYearRule = 'SAME_YEAR' | 'NEAREST_YEAR';

export const YEAR_RULE =
  "Each indicator is read in one year for all regions: the asked year's latest year with values at the level " +
  '(the year itself, else the newest before it, else the oldest after it); without a year, its newest year with values at the level.';

export const MISSING_RULE =
  'A region without a value for an indicator is left out of that indicator only; two regions are compared on the indicators both have ' +
  'and their squared distance is scaled by (profile length / compared indicators); a pair sharing fewer than half of the profile ' +
  '(rounded up) is not compared. Indicators without any value at the level are left out and listed in omittedIndicators.';

/** YEAR_RULE in German (a method text's `language: DE`). */
export const YEAR_RULE_DE =
  'Jeder Indikator wird für alle Regionen in einem Jahr gelesen: im gefragten Jahr, wenn er darin Werte auf der Ebene hat, sonst im ' +
  'neuesten Jahr davor, sonst im ältesten danach; ohne gefragtes Jahr in seinem neuesten Jahr mit Werten auf der Ebene.';

/** MISSING_RULE in German. */
export const MISSING_RULE_DE =
  'Eine Region ohne Wert für einen Indikator bleibt nur bei diesem Indikator außen vor; zwei Regionen werden auf den Indikatoren ' +
  'verglichen, für die beide einen Wert haben, und ihr quadrierter Abstand wird mit (Länge des Profils / verglichene Indikatoren) ' +
  'hochgerechnet; ein Paar, das weniger als die Hälfte des Profils (aufgerundet) gemeinsam hat, wird nicht verglichen. Indikatoren ' +
  'ohne jeden Wert auf der Ebene bleiben außen vor und werden als nicht verglichen genannt.';

interface ProfileRow {
  indicatorCode: string;
  regionCode: string;
  year: number;
  value: number;
  /** Absent in rows built without a database (tests): read as false. */
  aggregated?: boolean;
  /** True for a weight of the column `indicatorCode` (its weight indicator's value), not a value; absent: false. */
  weight?: boolean;
}

/** The last profile read of each request (its context): the next one waits for it. */
const profileReads = new WeakMap<object, Promise<unknown>>();

/**
 * Runs a request's profile reads one after the other. Each reads a whole level (up to 967
 * municipalities × 30 indicators) and standardises it; a request may ask for dozens (aliases, each in
 * another year). Sent at once, a probe's 30 took every connection of the pool and a cheap query of
 * another caller waited for all of them (2.4 s); one at a time, a request holds one connection for
 * them and others' statements and callbacks pass between its reads. A caller that hangs up stops the
 * reads not yet started: each of a probe's 30 took a connection only to have its statement refused.
 */
function oneReadAtATime<T>(ctx: object, read: () => Promise<T>): Promise<T> {
  const previous = profileReads.get(ctx) ?? Promise.resolve();
  // A read waits for the request's turn as its searches do (takeWorkTurn, with no work of its own):
  // once the caller has hung up, the reads still queued reject with REQUEST_ABANDONED and never start.
  const next = previous.then(() => takeWorkTurn(ctx, 0)).then(read);
  profileReads.set(
    ctx,
    next.catch(() => undefined),
  );
  return next;
}

/**
 * Reads and standardises the profile, memoised per request (several fields of one request share it),
 * and one profile of a request at a time (oneReadAtATime).
 * One statement: per indicator the year by YEAR_RULE (an index scan that stops at the first matching
 * row), then that year's values of the level and of the state. With `upToYear`, a year after `year`
 * is never taken: an indicator without values up to it is omitted (funding against need must not
 * read a need measured after the funding). With `weights` (a weight indicator code per indicator),
 * the same statement reads each weight indicator's values of the level in its indicator's year, or
 * with `weightYears: 'NEAREST_YEAR'` in the nearest year the weight indicator has values of the level
 * (the weighted disparity measures): no statement more.
 */
export function loadProfiles(
  ctx: IndicatorsContext,
  indicators: IndicatorRow[],
  level: RegionLevelName,
  year: number | null,
  {
    upToYear = false,
    weights = [],
    weightYears = 'SAME_YEAR',
  }: { upToYear?: boolean; weights?: readonly string[]; weightYears?: WeightYearRule } = {},
): Promise<Profiles> {
  const codes = indicators.map((indicator) => indicator.code);
  const memoKey =
    `profile|${codes.join(',')}|${level}|${year ?? 'latest'}|${upToYear ? 'up-to' : 'nearest'}|` + `${weights.join(',')}|${weightYears}`;
  return ctx.memo(memoKey, () =>
    oneReadAtATime(ctx, async () => {
      const length = CODE_LENGTH[level];
      const { rows } = await ctx.pool.query<ProfileRow>(
        `WITH chosen AS (
         SELECT k.code, k.weight, COALESCE(
           (SELECT o.year FROM indicators.observation o
             WHERE o.indicator_code = k.code AND ($2::int IS NULL OR o.year <= $2) AND o.value IS NOT NULL AND length(o.region_code) = $3
             ORDER BY o.year DESC LIMIT 1),
           (SELECT o.year FROM indicators.observation o
             WHERE NOT $5::boolean AND o.indicator_code = k.code AND o.year > $2 AND o.value IS NOT NULL AND length(o.region_code) = $3
             ORDER BY o.year LIMIT 1)) AS year
         FROM unnest($1::text[], $6::text[]) AS k(code, weight)
       ),
       weighed AS (
         -- The weights' year: the values' year, or with NEAREST_YEAR the nearest year with weights of
         -- the level (two index scans that stop at their first row, as the values' year above).
         SELECT c.code, c.weight, CASE WHEN NOT $7::boolean THEN c.year ELSE (
           SELECT n.year FROM (
             (SELECT o.year FROM indicators.observation o
               WHERE o.indicator_code = c.weight AND o.year <= c.year AND o.value IS NOT NULL AND length(o.region_code) = $3
               ORDER BY o.year DESC LIMIT 1)
             UNION ALL
             (SELECT o.year FROM indicators.observation o
               WHERE o.indicator_code = c.weight AND o.year > c.year AND o.value IS NOT NULL AND length(o.region_code) = $3
               ORDER BY o.year LIMIT 1)) n
           ORDER BY abs(n.year - c.year), n.year LIMIT 1) END AS year
         FROM chosen c
         WHERE c.weight IS NOT NULL
       )
       SELECT o.indicator_code AS "indicatorCode", o.region_code AS "regionCode", o.year, o.value, o.aggregated, false AS weight
       FROM chosen c
       JOIN indicators.observation o ON o.indicator_code = c.code AND o.year = c.year
       WHERE o.value IS NOT NULL AND (length(o.region_code) = $3 OR o.region_code = $4)
       UNION ALL
       SELECT w.code, o.region_code, o.year, o.value, o.aggregated, true
       FROM weighed w
       JOIN indicators.observation o ON o.indicator_code = w.weight AND o.year = w.year
       WHERE o.value IS NOT NULL AND length(o.region_code) = $3`,
        // Without weights the second array is empty: unnest pads it with nulls, which join nothing.
        [codes, year, length, STATE_CODE, upToYear, weights, weightYears === 'NEAREST_YEAR'],
      );
      return standardise(
        indicators,
        level,
        ctx.regions.ofLevel(level).map((region) => region.code),
        rows,
      );
    }),
  );
}

/** Builds the profile from the rows read (exported for tests without a database). */
export function standardise(indicators: IndicatorRow[], level: RegionLevelName, regionCodes: string[], rows: ProfileRow[]): Profiles {
  const byIndicator = new Map<
    string,
    { year: number; values: Map<string, number>; aggregated: Set<string>; state: number | null; stateAggregated: boolean }
  >();
  const weightsByIndicator = new Map<string, Map<string, number>>();
  const weightYearByIndicator = new Map<string, number>();
  for (const row of rows) {
    if (row.weight === true) {
      let weights = weightsByIndicator.get(row.indicatorCode);
      if (!weights) weightsByIndicator.set(row.indicatorCode, (weights = new Map()));
      weights.set(row.regionCode, row.value);
      weightYearByIndicator.set(row.indicatorCode, row.year);
      continue;
    }
    let entry = byIndicator.get(row.indicatorCode);
    if (!entry)
      byIndicator.set(
        row.indicatorCode,
        (entry = { year: row.year, values: new Map(), aggregated: new Set(), state: null, stateAggregated: false }),
      );
    if (row.regionCode === STATE_CODE) entry.stateAggregated = row.aggregated === true;
    if (row.regionCode === STATE_CODE && level !== 'STATE') entry.state = row.value;
    else {
      entry.values.set(row.regionCode, row.value);
      if (row.aggregated === true) entry.aggregated.add(row.regionCode);
    }
  }
  const known = new Set(regionCodes);
  const columns: ProfileColumn[] = [];
  const omitted: IndicatorRow[] = [];
  const columnValues: Map<string, number>[] = [];
  for (const indicator of indicators) {
    const entry = byIndicator.get(indicator.code);
    const present = entry ? [...entry.values].filter(([code]) => known.has(code)) : [];
    const spread = standardisation(present.map(([, value]) => value));
    if (!entry || !spread) {
      omitted.push(indicator);
      continue;
    }
    const stateValue = level === 'STATE' ? (entry.values.get(STATE_CODE) ?? null) : entry.state;
    const stateValueAggregated = stateValue !== null && entry.stateAggregated;
    const aggregatedRegionCount = present.filter(([code]) => entry.aggregated.has(code)).length;
    columns.push({
      indicator,
      year: entry.year,
      regionCount: present.length,
      aggregatedRegionCount,
      ...spread,
      stateValue,
      stateValueAggregated,
    });
    columnValues.push(new Map(present));
  }
  const values = new Map<string, (number | null)[]>();
  const zScores = new Map<string, (number | null)[]>();
  for (const code of regionCodes) {
    const own = columnValues.map((column) => column.get(code) ?? null);
    values.set(code, own);
    zScores.set(
      code,
      own.map((value, index) => (value === null ? null : zScore(value, columns[index]!.mean, columns[index]!.standardDeviation))),
    );
  }
  return {
    level,
    columns,
    omitted,
    regionCodes,
    values,
    zScores,
    synthetic: columns.some((column) => isSyntheticIndicator(column.indicator)),
    weights: columns.map((column) => weightsByIndicator.get(column.indicator.code) ?? new Map<string, number>()),
    weightYears: columns.map((column) => weightYearByIndicator.get(column.indicator.code) ?? null),
  };
}

const packedZScores = new WeakMap<Profiles, PackedProfiles>();

/**
 * The z-scores of `profiles` packed for the nearest-neighbour search: once per profile (a request may
 * search from hundreds of origins), and only for a profile that is searched (a disparities report
 * never is).
 */
export function packedZScoresOf(profiles: Profiles): PackedProfiles {
  let packed = packedZScores.get(profiles);
  if (!packed) {
    packed = packProfiles(profiles.zScores);
    packedZScores.set(profiles, packed);
  }
  return packed;
}
