import DataLoader from 'dataloader';
import { Prisma, type Indicator, type PrismaClient } from '@regiograph/db';
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
  regions: RegionDirectory;
  loaders: IndicatorLoaders;
}

const OBSERVATION_COLUMNS = Prisma.sql`o.indicator_code AS "indicatorCode", o.region_code AS "regionCode", o.year, o.value, o.status::text AS status, o.missing_reason AS "missingReason"`;

async function loadValues(prisma: PrismaClient, keys: readonly ValueKey[]): Promise<(ObservationRow | null)[]> {
  // One statement for any mix of keys: each key takes its year, or its latest year with a value
  // (falling back to the latest null), through the (region, indicator, year) primary key.
  const rows = await prisma.$queryRaw<(ObservationRow & { ordinal: bigint })[]>`
    SELECT k.ordinal, ${OBSERVATION_COLUMNS}
    FROM unnest(${keys.map((key) => key.regionCode)}::text[], ${keys.map((key) => key.indicatorCode)}::text[], ${keys.map((key) => key.year)}::int[])
      WITH ORDINALITY AS k(region_code, indicator_code, year, ordinal)
    CROSS JOIN LATERAL (
      SELECT * FROM indicators.observation o
      WHERE o.region_code = k.region_code AND o.indicator_code = k.indicator_code AND (k.year IS NULL OR o.year = k.year)
      ORDER BY o.value IS NULL, o.year DESC
      LIMIT 1
    ) o`;
  const byOrdinal = new Map(rows.map(({ ordinal, ...row }) => [Number(ordinal), row]));
  return keys.map((_key, index) => byOrdinal.get(index + 1) ?? null);
}

async function loadCrossSections(prisma: PrismaClient, keys: readonly CrossSectionKey[]): Promise<Map<string, ObservationRow>[]> {
  const rows = await prisma.$queryRaw<ObservationRow[]>`
    SELECT ${OBSERVATION_COLUMNS}
    FROM unnest(${keys.map((key) => key.indicatorCode)}::text[], ${keys.map((key) => key.year)}::int[]) AS k(indicator_code, year)
    JOIN indicators.observation o ON o.indicator_code = k.indicator_code AND o.year = k.year`;
  const sections = new Map<string, Map<string, ObservationRow>>();
  for (const row of rows) {
    const id = `${row.indicatorCode}|${row.year}`;
    let section = sections.get(id);
    if (!section) sections.set(id, (section = new Map()));
    section.set(row.regionCode, row);
  }
  return keys.map((key) => sections.get(`${key.indicatorCode}|${key.year}`) ?? new Map());
}

async function loadSeries(prisma: PrismaClient, args: SeriesArguments, regionCodes: readonly string[]): Promise<ObservationRow[][]> {
  const rows = await prisma.indicatorObservation.findMany({
    where: {
      regionCode: { in: [...regionCodes] },
      indicatorCode: { in: args.indicatorCodes },
      year: { gte: args.fromYear ?? undefined, lte: args.toYear ?? undefined },
    },
    orderBy: [{ regionCode: 'asc' }, { indicatorCode: 'asc' }, { year: 'asc' }],
  });
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
export function createLoaders(prisma: PrismaClient): IndicatorLoaders {
  let catalogue: Promise<Map<string, IndicatorRow>> | null = null;
  const seriesLoaders = new Map<string, DataLoader<string, ObservationRow[]>>();
  return {
    catalogue() {
      catalogue ??= prisma.indicator.findMany({ orderBy: { code: 'asc' } }).then((rows) => new Map(rows.map((row) => [row.code, row])));
      return catalogue;
    },
    value: new DataLoader((keys) => loadValues(prisma, keys), {
      cacheKeyFn: (key) => `${key.regionCode}|${key.indicatorCode}|${key.year ?? 'latest'}`,
    }),
    crossSection: new DataLoader((keys) => loadCrossSections(prisma, keys), {
      cacheKeyFn: (key) => `${key.indicatorCode}|${key.year}`,
    }),
    series(args) {
      const id = JSON.stringify(args);
      let loader = seriesLoaders.get(id);
      if (!loader) {
        loader = new DataLoader((codes) => loadSeries(prisma, args, codes));
        seriesLoaders.set(id, loader);
      }
      return loader;
    },
  };
}

export function createContext(prisma: PrismaClient): IndicatorsContext {
  return { prisma, regions: regionDirectory(), loaders: createLoaders(prisma) };
}
