import DataLoader from 'dataloader';
import type { Indicator, PrismaClient } from '@regiograph/db';
import type { Pool } from 'pg';
import type { ObservationRecord } from './definitions';
import { regionDirectory, type RegionDirectory } from './regions';

export type IndicatorRow = Indicator;
export type ObservationRow = ObservationRecord;

export interface ValueKey {
  regionCode: string;
  indicatorCode: string;
  /** Null asks for the latest year with a value. */
  year: number | null;
}

export interface CrossSectionKey {
  indicatorCode: string;
  year: number;
}

export interface SeriesArguments {
  indicatorCodes: string[];
  fromYear: number | null;
  toYear: number | null;
  latest: boolean;
}

export interface IndicatorLoaders {
  /** The whole catalogue (a few dozen rows): one statement per request, however often it is asked. */
  catalogue(): Promise<Map<string, IndicatorRow>>;
  /** One observation per region, indicator and year (or latest year). */
  value: DataLoader<ValueKey, ObservationRow | null, string>;
  /** All regions' observations of one indicator in one year, by region code (rankings, comparisons). */
  crossSection: DataLoader<CrossSectionKey, Map<string, ObservationRow>, string>;
  /** A region's observations for one set of arguments; one loader per distinct set in a request. */
  series(args: SeriesArguments): DataLoader<string, ObservationRow[]>;
}

export interface IndicatorsContext {
  prisma: PrismaClient;
  /**
   * Bulk reads (tens of thousands of observations) go straight to node-postgres: mapping them
   * through Prisma's result layer costs seconds.
   */
  pool: Pool;
  regions: RegionDirectory;
  loaders: IndicatorLoaders;
  /** Results computed once per request and shared by many fields (e.g. one ranking for 967 regions). */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

export const OBSERVATION_COLUMNS = `o.indicator_code AS "indicatorCode", o.region_code AS "regionCode", o.year, o.value, o.status::text AS status, o.missing_reason AS "missingReason"`;

async function loadValues(pool: Pool, keys: readonly ValueKey[]): Promise<(ObservationRow | null)[]> {
  // One statement for any mix of keys: each key takes its year, or its latest year with a value
  // (falling back to the latest null), through the (region, indicator, year) primary key.
  const { rows } = await pool.query<ObservationRow & { ordinal: string }>(
    `SELECT k.ordinal, ${OBSERVATION_COLUMNS}
     FROM unnest($1::text[], $2::text[], $3::int[]) WITH ORDINALITY AS k(region_code, indicator_code, year, ordinal)
     CROSS JOIN LATERAL (
       SELECT * FROM indicators.observation o
       WHERE o.region_code = k.region_code AND o.indicator_code = k.indicator_code AND (k.year IS NULL OR o.year = k.year)
       ORDER BY o.value IS NULL, o.year DESC
       LIMIT 1
     ) o`,
    [keys.map((key) => key.regionCode), keys.map((key) => key.indicatorCode), keys.map((key) => key.year)],
  );
  const byOrdinal = new Map(rows.map(({ ordinal, ...row }) => [Number(ordinal), row]));
  return keys.map((_key, index) => byOrdinal.get(index + 1) ?? null);
}

async function loadCrossSections(pool: Pool, keys: readonly CrossSectionKey[]): Promise<Map<string, ObservationRow>[]> {
  const { rows } = await pool.query<ObservationRow>(
    `SELECT ${OBSERVATION_COLUMNS}
     FROM unnest($1::text[], $2::int[]) AS k(indicator_code, year)
     JOIN indicators.observation o ON o.indicator_code = k.indicator_code AND o.year = k.year`,
    [keys.map((key) => key.indicatorCode), keys.map((key) => key.year)],
  );
  const sections = new Map<string, Map<string, ObservationRow>>();
  for (const row of rows) {
    const id = `${row.indicatorCode}|${row.year}`;
    let section = sections.get(id);
    if (!section) sections.set(id, (section = new Map()));
    section.set(row.regionCode, row);
  }
  return keys.map((key) => sections.get(`${key.indicatorCode}|${key.year}`) ?? new Map());
}

/** Observations of regions × indicators within a year range (either bound optional), in one statement. */
export async function queryObservations(
  pool: Pool,
  regionCodes: readonly string[],
  indicatorCodes: readonly string[],
  fromYear: number | null,
  toYear: number | null,
): Promise<ObservationRow[]> {
  const { rows } = await pool.query<ObservationRow>(
    `SELECT ${OBSERVATION_COLUMNS} FROM indicators.observation o
     WHERE o.region_code = ANY($1::text[]) AND o.indicator_code = ANY($2::text[])
       AND ($3::int IS NULL OR o.year >= $3) AND ($4::int IS NULL OR o.year <= $4)
     ORDER BY o.region_code, o.indicator_code, o.year`,
    [regionCodes, indicatorCodes, fromYear, toYear],
  );
  return rows;
}

async function loadSeries(pool: Pool, args: SeriesArguments, regionCodes: readonly string[]): Promise<ObservationRow[][]> {
  const rows = await queryObservations(pool, regionCodes, args.indicatorCodes, args.fromYear, args.toYear);
  const byRegion = new Map<string, ObservationRow[]>();
  for (const row of rows) {
    const list = byRegion.get(row.regionCode);
    if (list) list.push(row);
    else byRegion.set(row.regionCode, [row]);
  }
  const order = new Map(args.indicatorCodes.map((code, index) => [code, index]));
  return regionCodes.map((code) => {
    const series = byRegion.get(code) ?? [];
    const picked = args.latest ? latestPerIndicator(series) : series;
    return [...picked].sort((a, b) => order.get(a.indicatorCode)! - order.get(b.indicatorCode)! || a.year - b.year);
  });
}

/** Per indicator the newest observation with a value, else the newest at all. */
function latestPerIndicator(series: ObservationRow[]): ObservationRow[] {
  const best = new Map<string, ObservationRow>();
  for (const row of series) {
    const current = best.get(row.indicatorCode);
    const better =
      !current || (current.value === null && row.value !== null) || ((current.value === null) === (row.value === null) && row.year > current.year);
    if (better) best.set(row.indicatorCode, row);
  }
  return [...best.values()];
}

/** Fresh loaders for every request: batching within it, and no data cached across callers. */
export function createLoaders(prisma: PrismaClient, pool: Pool): IndicatorLoaders {
  let catalogue: Promise<Map<string, IndicatorRow>> | null = null;
  const seriesLoaders = new Map<string, DataLoader<string, ObservationRow[]>>();
  return {
    catalogue() {
      catalogue ??= prisma.indicator.findMany({ orderBy: { code: 'asc' } }).then((rows) => new Map(rows.map((row) => [row.code, row])));
      return catalogue;
    },
    value: new DataLoader((keys) => loadValues(pool, keys), {
      cacheKeyFn: (key) => `${key.regionCode}|${key.indicatorCode}|${key.year ?? 'latest'}`,
    }),
    crossSection: new DataLoader((keys) => loadCrossSections(pool, keys), {
      cacheKeyFn: (key) => `${key.indicatorCode}|${key.year}`,
    }),
    series(args) {
      const id = JSON.stringify(args);
      let loader = seriesLoaders.get(id);
      if (!loader) {
        loader = new DataLoader((codes) => loadSeries(pool, args, codes));
        seriesLoaders.set(id, loader);
      }
      return loader;
    },
  };
}

export function createContext(prisma: PrismaClient, pool: Pool): IndicatorsContext {
  const memos = new Map<string, Promise<unknown>>();
  return {
    prisma,
    pool,
    regions: regionDirectory(),
    loaders: createLoaders(prisma, pool),
    memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
      let result = memos.get(key) as Promise<T> | undefined;
      if (!result) memos.set(key, (result = compute()));
      return result;
    },
  };
}
