import DataLoader from 'dataloader';
import type { Indicator, PrismaClient } from '@regiograph/db';
import type { Pool } from 'pg';
import type { ObservationRecord } from './definitions';
import { indexBy, manyByKey, oneByKey } from '@regiograph/shared';
import type { CatalogueCache } from './catalogue';
import { MISSING_REASON_COLUMN, type MissingReason } from './missing-reasons';
import { levelOfCode, REGION_LEVELS, regionDirectory, type RegionDirectory } from './regions';

export type IndicatorRow = Indicator;
export type ObservationRow = ObservationRecord & {
  /** The import that last wrote it (indicators.import); null for the seed's rows, absent where not read. */
  importId?: number | null;
};

/** One run of the importer: the release of official data it brought, as the steward named it, and when. */
export interface ImportRow {
  id: number;
  release: string | null;
  importedAt: Date;
}

/**
 * Years as runs, e.g. "1983, 1987, 1994–2021, 2023": a survey every other year (2015, 2017, 2019)
 * or a year no source covers (2022) lies between the first and the last, and "2015–2019" beside
 * "no values in 2016" would contradict itself.
 */
function yearRunsText(years: readonly number[]): string {
  const sorted = [...new Set(years)].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let start = 0; start < sorted.length;) {
    let end = start;
    while (end + 1 < sorted.length && sorted[end + 1] === sorted[end]! + 1) end += 1;
    runs.push(end === start ? String(sorted[start]) : `${sorted[start]}–${sorted[end]}`);
    start = end + 1;
  }
  return runs.join(', ');
}

/**
 * What answers for a region of an asked set that has no stored observation of an indicator in a
 * year: MISSING with the reason, so lists that must name every region (a ranking's withoutValue,
 * the table's long form) need not drop it. Nothing is stored for it; the reason tells apart a
 * region whose key did not exist yet, a level or a year the indicator has no values at all for
 * (a county-only indicator asked for municipalities, a year past its last), and a gap in the data:
 * "no value for this region and year" alone sent readers looking for a gap where there is none.
 */
export function absentObservation(
  regions: RegionDirectory,
  indicator: Pick<IndicatorRow, 'code' | 'aggregation' | 'coverageLevels' | 'coverageYears'>,
  regionCode: string,
  year: number,
): ObservationRow {
  return {
    indicatorCode: indicator.code,
    regionCode,
    year,
    value: null,
    status: 'MISSING',
    missingReason: absence(regions, indicator, regionCode, year),
  };
}

function absence(
  regions: RegionDirectory,
  indicator: Pick<IndicatorRow, 'code' | 'aggregation' | 'coverageLevels' | 'coverageYears'>,
  regionCode: string,
  year: number,
): MissingReason {
  if (!regions.existedAtEndOf(regionCode, year)) return { kind: 'keyNotYetValid', year };
  const level = levelOfCode(regionCode);
  if (level && !indicator.coverageLevels.includes(level)) {
    if (indicator.coverageLevels.length === 0) return { kind: 'noLevels', indicator: indicator.code };
    const covered = REGION_LEVELS.filter((candidate) => indicator.coverageLevels.includes(candidate));
    const coveredBelow = covered.some((candidate) => REGION_LEVELS.indexOf(candidate) > REGION_LEVELS.indexOf(level));
    return {
      kind: 'onlyLevels',
      indicator: indicator.code,
      levels: covered,
      notAggregatedAbove: indicator.aggregation === 'NONE' && coveredBelow,
    };
  }
  if (indicator.coverageYears.length > 0 && !indicator.coverageYears.includes(year)) {
    return { kind: 'notInYear', indicator: indicator.code, year, years: yearRunsText(indicator.coverageYears) };
  }
  return { kind: 'noValue' };
}

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
  /**
   * The whole catalogue (a few dozen rows): one statement per request, however often it is asked,
   * and the rows themselves only when they changed since another request read them (catalogue.ts).
   */
  catalogue(): Promise<ReadonlyMap<string, IndicatorRow>>;
  /** One observation per region, indicator and year (or latest year). */
  value: DataLoader<ValueKey, ObservationRow | null, string>;
  /** All regions' observations of one indicator in one year, by region code (rankings, comparisons). */
  crossSection: DataLoader<CrossSectionKey, Map<string, ObservationRow>, string>;
  /** A region's observations for one set of arguments; one loader per distinct set in a request. */
  series(args: SeriesArguments): DataLoader<string, ObservationRow[]>;
  /** The imports observations name (ObservationRow.importId): one statement for all a request asks for. */
  imports: DataLoader<number, ImportRow | null>;
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

export const OBSERVATION_COLUMNS = `o.indicator_code AS "indicatorCode", o.region_code AS "regionCode", o.year, o.value, o.status::text AS status, ${MISSING_REASON_COLUMN} AS "missingReason", o.aggregated, o.derived, o.import_id AS "importId"`;

/** The id a value key and the observation answering it share. */
const valueKeyId = (regionCode: string, indicatorCode: string, year: number | null) => `${regionCode}|${indicatorCode}|${year ?? 'latest'}`;

/**
 * The newest observation with a value of each (region, indicator) pair in `pairs`, else its newest
 * at all, within `years`: backwards along the (region, indicator, year) primary key, so a series'
 * latest costs a row or two whatever its length (the second branch runs only when the first found
 * nothing). `pairs` is a FROM item naming region_code and indicator_code.
 */
function latestObservationOf(pairs: string, years: string): string {
  return `CROSS JOIN LATERAL (
       (SELECT * FROM indicators.observation o
        WHERE o.region_code = ${pairs}.region_code AND o.indicator_code = ${pairs}.indicator_code AND ${years} AND o.value IS NOT NULL
        ORDER BY o.year DESC LIMIT 1)
       UNION ALL
       (SELECT * FROM indicators.observation o
        WHERE o.region_code = ${pairs}.region_code AND o.indicator_code = ${pairs}.indicator_code AND ${years}
        ORDER BY o.year DESC LIMIT 1)
       LIMIT 1
     ) o`;
}

async function findValues(pool: Pool, keys: readonly ValueKey[]): Promise<(ObservationRow & { askedYear: number | null })[]> {
  // One statement for any mix of keys: each key takes its year, or its latest year with a value
  // (falling back to the latest null), through the (region, indicator, year) primary key.
  const { rows } = await pool.query<ObservationRow & { askedYear: number | null }>(
    `SELECT k.year AS "askedYear", ${OBSERVATION_COLUMNS}
     FROM unnest($1::text[], $2::text[], $3::int[]) AS k(region_code, indicator_code, year)
     ${latestObservationOf('k', '(k.year IS NULL OR o.year = k.year)')}`,
    [keys.map((key) => key.regionCode), keys.map((key) => key.indicatorCode), keys.map((key) => key.year)],
  );
  return rows;
}

async function findCrossSections(pool: Pool, keys: readonly CrossSectionKey[]): Promise<ObservationRow[]> {
  const { rows } = await pool.query<ObservationRow>(
    `SELECT ${OBSERVATION_COLUMNS}
     FROM unnest($1::text[], $2::int[]) AS k(indicator_code, year)
     JOIN indicators.observation o ON o.indicator_code = k.indicator_code AND o.year = k.year`,
    [keys.map((key) => key.indicatorCode), keys.map((key) => key.year)],
  );
  return rows;
}

/**
 * Observations of regions × indicators within a year range, in no particular order: the caller
 * places them by position. One bitmap scan; ordering here cost PostgreSQL an external sort of up
 * to 100,000 rows, and joining the asked orders in made it hash the rows of whole indicators.
 */
export async function queryTableObservations(
  pool: Pool,
  regionCodes: readonly string[],
  indicatorCodes: readonly string[],
  fromYear: number,
  toYear: number,
  /** Only the values an import wrote after this moment (indicators.import.imported_at); null: all. */
  importedAfter: Date | null = null,
): Promise<ObservationRow[]> {
  const { rows } = await pool.query<ObservationRow>(
    `SELECT ${OBSERVATION_COLUMNS} FROM indicators.observation o
     WHERE o.region_code = ANY($1::text[]) AND o.indicator_code = ANY($2::text[]) AND o.year BETWEEN $3 AND $4
       AND ($5::timestamptz IS NULL OR o.import_id IN (SELECT id FROM indicators.import WHERE imported_at > $5::timestamptz))`,
    [regionCodes, indicatorCodes, fromYear, toYear, importedAfter],
  );
  return rows;
}

/**
 * The regions' observations of the series' indicators, ordered by region, indicator as asked and
 * year; with `latest` only the newest with a value per indicator, chosen in SQL.
 */
async function findSeries(pool: Pool, args: SeriesArguments, regionCodes: readonly string[]): Promise<ObservationRow[]> {
  const years = '($3::int IS NULL OR o.year >= $3) AND ($4::int IS NULL OR o.year <= $4)';
  const { rows } = await pool.query<ObservationRow>(
    args.latest
      ? `SELECT ${OBSERVATION_COLUMNS}
         FROM unnest($1::text[]) AS r(region_code)
         CROSS JOIN unnest($2::text[]) WITH ORDINALITY AS i(indicator_code, position)
         CROSS JOIN LATERAL (SELECT r.region_code, i.indicator_code) AS pair
         ${latestObservationOf('pair', years)}
         ORDER BY r.region_code, i.position`
      : `SELECT ${OBSERVATION_COLUMNS}
         FROM unnest($2::text[]) WITH ORDINALITY AS i(indicator_code, position)
         JOIN indicators.observation o ON o.indicator_code = i.indicator_code
         WHERE o.region_code = ANY($1::text[]) AND ${years}
         ORDER BY o.region_code, i.position, o.year`,
    [regionCodes, args.indicatorCodes, args.fromYear, args.toYear],
  );
  return rows;
}

const crossSectionId = (key: { indicatorCode: string; year: number }) => `${key.indicatorCode}|${key.year}`;

/**
 * Fresh loaders for every request: batching within it, and no data cached across callers but the
 * catalogue, which `catalogues` holds only as long as its version in the database is unchanged.
 */
export function createLoaders(pool: Pool, catalogues: CatalogueCache): IndicatorLoaders {
  let catalogue: Promise<ReadonlyMap<string, IndicatorRow>> | null = null;
  const seriesLoaders = new Map<string, DataLoader<string, ObservationRow[]>>();
  return {
    catalogue() {
      catalogue ??= catalogues.read(pool);
      return catalogue;
    },
    value: new DataLoader(
      oneByKey(
        (keys) => findValues(pool, keys),
        (row) => valueKeyId(row.regionCode, row.indicatorCode, row.askedYear),
        (key: ValueKey) => valueKeyId(key.regionCode, key.indicatorCode, key.year),
      ),
      { cacheKeyFn: (key) => valueKeyId(key.regionCode, key.indicatorCode, key.year) },
    ),
    crossSection: new DataLoader(
      async (keys: readonly CrossSectionKey[]) => {
        const sections = await manyByKey(
          (batch: CrossSectionKey[]) => findCrossSections(pool, batch),
          (row) => crossSectionId(row),
          crossSectionId,
        )(keys);
        return sections.map((rows) => indexBy(rows, (row) => row.regionCode));
      },
      { cacheKeyFn: crossSectionId },
    ),
    imports: new DataLoader(
      oneByKey(
        async (ids: number[]) =>
          (
            await pool.query<ImportRow>(
              `SELECT id, release, imported_at AS "importedAt" FROM indicators.import WHERE id = ANY($1::int[])`,
              [ids],
            )
          ).rows,
        (row) => row.id,
      ),
    ),
    series(args) {
      const id = JSON.stringify(args);
      let loader = seriesLoaders.get(id);
      if (!loader) {
        loader = new DataLoader(
          manyByKey(
            (codes: string[]) => findSeries(pool, args, codes),
            (row) => row.regionCode,
          ),
        );
        seriesLoaders.set(id, loader);
      }
      return loader;
    },
  };
}

export function createContext(prisma: PrismaClient, pool: Pool, catalogues: CatalogueCache): IndicatorsContext {
  const memos = new Map<string, Promise<unknown>>();
  return {
    prisma,
    pool,
    regions: regionDirectory(),
    loaders: createLoaders(pool, catalogues),
    memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
      let result = memos.get(key) as Promise<T> | undefined;
      if (!result) memos.set(key, (result = compute()));
      return result;
    },
  };
}
