import { Prisma, type RawExecutor } from '@regiograph/db';
import { CODE_LENGTH_OF_LEVEL, REGION_LEVELS } from '@regiograph/shared';
import { storedMissingReason } from './missing-reasons';
import type { IndicatorDefinition, KeepableCatalogueColumn, ObservationCell, ObservationRecord } from './definitions';

/** The import's transaction: a node-postgres one (`inRawTransaction`), or Prisma's. */
type Transaction = RawExecutor;

/** shared's levelOfCode in SQL: the RegionLevel name of an ARS column's codes, by their length (CODE_LENGTH_OF_LEVEL). */
function levelOfCodeSql(column: 'region_code' | 'o.region_code'): Prisma.Sql {
  const cases = REGION_LEVELS.map((level) => `WHEN ${CODE_LENGTH_OF_LEVEL[level]} THEN '${level}'`).join(' ');
  return Prisma.raw(`CASE length(${column}) ${cases} END`);
}

/** What a write changed per indicator: the years and levels of the values written or removed, and how many of each. */
export type ObservationChanges = Map<string, { years: Set<number>; levels: Set<string>; written: number; removed: number }>;

/** The entry of `indicator` in `changes` (created when absent), with these years and levels added. */
export function noteChanges(changes: ObservationChanges, indicator: string, years: readonly number[], levels: readonly string[]) {
  let entry = changes.get(indicator);
  if (!entry) changes.set(indicator, (entry = { years: new Set(), levels: new Set(), written: 0, removed: 0 }));
  for (const year of years) entry.years.add(year);
  for (const level of levels) entry.levels.add(level);
  return entry;
}

/** Rows per INSERT: big enough for few round trips, small enough for a bounded parameter size. */
export const OBSERVATION_BATCH_SIZE = 50_000;

/** The catalogue columns an import sets, in the order the INSERT below selects them. */
const CATALOGUE_COLUMNS = [
  'name',
  'description',
  'theme',
  'unit',
  'decimals',
  'polarity',
  'aggregation',
  'weight_indicator_code',
  'source_publisher',
  'source_title',
  'source_licence',
  'source_url',
  'source_attribution',
  'source_reference_date',
  'official',
  'source_code',
  'reference_period',
  'break_notes',
  'formula',
  'derived_from',
];
const columnList = (prefix: string, columns: readonly string[]) => Prisma.raw(columns.map((name) => prefix + name).join(', '));

/**
 * Inserts or updates catalogue entries by code in one statement. unnest cannot take a text[][]
 * apart row by row, so each entry's formula inputs travel as one space-separated string.
 * An update leaves the `kept` columns as stored (those the catalogue file left out).
 * Returns the codes of the entries inserted or changed: an entry stored exactly so already is not
 * rewritten, and the change feed does not announce it.
 */
export async function upsertIndicators(
  tx: Transaction,
  definitions: IndicatorDefinition[],
  kept: readonly KeepableCatalogueColumn[] = [],
): Promise<string[]> {
  if (definitions.length === 0) return [];
  const updated = CATALOGUE_COLUMNS.filter((name) => !(kept as readonly string[]).includes(name));
  const column = <K extends keyof IndicatorDefinition>(key: K) => definitions.map((definition) => definition[key]);
  const written = await tx.$queryRaw<{ code: string }>`
    INSERT INTO indicators.indicator AS stored (code, ${columnList('', CATALOGUE_COLUMNS)})
    SELECT u.code, u.name, u.description, u.theme, u.unit, u.decimals, u.polarity, u.aggregation, u.weight, u.publisher, u.title,
      u.licence, u.url, u.attribution, u.reference_date, u.official, u.source_code, u.reference_period, u.break_notes, u.formula,
      COALESCE(string_to_array(NULLIF(u.derived_from, ''), ' '), '{}')
    FROM unnest(
      ${column('code')}::text[], ${column('name')}::text[], ${column('description')}::text[],
      ${column('theme')}::indicators."IndicatorTheme"[], ${column('unit')}::text[], ${column('decimals')}::int[],
      ${column('polarity')}::indicators."IndicatorPolarity"[], ${column('aggregation')}::indicators."IndicatorAggregation"[],
      ${column('weightIndicatorCode')}::text[], ${column('sourcePublisher')}::text[], ${column('sourceTitle')}::text[],
      ${column('sourceLicence')}::text[], ${column('sourceUrl')}::text[], ${column('sourceAttribution')}::text[],
      ${column('sourceReferenceDate')}::date[], ${column('official')}::boolean[],
      ${column('sourceCode')}::text[], ${column('referencePeriod')}::text[], ${column('breakNotes')}::text[], ${column('formula')}::text[],
      ${definitions.map((definition) => definition.derivedFrom.join(' '))}::text[])
      AS u(code, name, description, theme, unit, decimals, polarity, aggregation, weight, publisher, title, licence, url, attribution,
        reference_date, official, source_code, reference_period, break_notes, formula, derived_from)
    ON CONFLICT (code) DO UPDATE SET (${columnList('', updated)}) = (${columnList('EXCLUDED.', updated)})
    WHERE (${columnList('stored.', updated)}) IS DISTINCT FROM (${columnList('EXCLUDED.', updated)})
    RETURNING code`;
  return written.map((row) => row.code);
}

/** Separates the values of one column sent as a single text parameter (never occurs in data). */
const FIELD_SEPARATOR = '\u001f';
/** Marks a null value within such a column. */
const NULL_MARK = '\u001e';

/**
 * A column as one text parameter: a driver turns a 50,000-element array parameter into that many
 * bound values, a single string costs it nothing; PostgreSQL splits it again with string_to_array.
 */
function packColumn(values: readonly (string | number | null)[]): string {
  return values.map((value) => (value === null ? NULL_MARK : String(value))).join(FIELD_SEPARATOR);
}

/** Primary-key order: region, then indicator, then year. */
function byPrimaryKey(a: ObservationRecord, b: ObservationRecord): number {
  if (a.regionCode !== b.regionCode) return a.regionCode < b.regionCode ? -1 : 1;
  if (a.indicatorCode !== b.indicatorCode) return a.indicatorCode < b.indicatorCode ? -1 : 1;
  return a.year - b.year;
}

/**
 * Inserts or updates observations by (region, indicator, year), in batches of one unnest INSERT
 * each. Rows must be unique by key within one call (PostgreSQL refuses to update a row twice).
 * They are written in primary-key order, so that the series of one region lie in neighbouring heap
 * pages: a table or a region's values then read a few pages instead of one page per row (written
 * indicator by indicator, a region's rows were spread over the whole table).
 * A row whose value, status and reason are already stored is left as it is: importing the same
 * file again rewrites nothing (an update would write a new row version and new index entries for
 * each, about four times the work of the comparison, and leave the old versions to vacuum).
 * Returns how many rows were inserted or changed, and the indicators they belong to.
 */
export async function upsertObservations(
  tx: Transaction,
  unordered: readonly ObservationRecord[],
  onProgress?: (written: number, total: number) => void,
  /** The import (indicators.import) the rows written are stamped with; null for the seed. Unchanged rows keep theirs. */
  importId: number | null = null,
): Promise<{ written: number; indicators: Set<string>; changed: ObservationChanges }> {
  const rows = [...unordered].sort(byPrimaryKey);
  let written = 0;
  const indicators = new Set<string>();
  const changed: ObservationChanges = new Map();
  for (let start = 0; start < rows.length; start += OBSERVATION_BATCH_SIZE) {
    const batch = rows.slice(start, start + OBSERVATION_BATCH_SIZE);
    const reasons = batch.map((row) => storedMissingReason(row.missingReason));
    const column = (values: (string | number | null)[]) =>
      Prisma.sql`string_to_array(${packColumn(values)}, ${FIELD_SEPARATOR}, ${NULL_MARK})`;
    // RETURNING yields the rows inserted or updated, not those the WHERE left alone; counted per
    // indicator in the same statement, so that a batch's answer is a few rows.
    const perIndicator = await tx.$queryRaw<{ indicator: string; rows: number; years: number[]; levels: string[] }>`
      WITH written AS (
        INSERT INTO indicators.observation AS stored (region_code, indicator_code, year, value, status, missing_reason, own_missing_reason, aggregated, derived, import_id)
        SELECT *, ${importId}::int FROM unnest(
          ${column(batch.map((row) => row.regionCode))}, ${column(batch.map((row) => row.indicatorCode))},
          ${column(batch.map((row) => row.year))}::int[], ${column(batch.map((row) => row.value))}::float8[],
          ${column(batch.map((row) => row.status))}::indicators."ObservationStatus"[], ${column(reasons.map((reason) => reason.text))},
          ${column(reasons.map((reason) => (reason.own ? JSON.stringify(reason.own) : null)))}::jsonb[],
          ${column(batch.map((row) => (row.aggregated ? 1 : 0)))}::int[]::boolean[],
          ${column(batch.map((row) => (row.derived ? 1 : 0)))}::int[]::boolean[])
        ON CONFLICT (region_code, indicator_code, year) DO UPDATE SET
          value = EXCLUDED.value, status = EXCLUDED.status, missing_reason = EXCLUDED.missing_reason,
          own_missing_reason = EXCLUDED.own_missing_reason, aggregated = EXCLUDED.aggregated, derived = EXCLUDED.derived,
          import_id = EXCLUDED.import_id
        WHERE (stored.value, stored.status, stored.missing_reason, stored.own_missing_reason, stored.aggregated, stored.derived)
          IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.status, EXCLUDED.missing_reason, EXCLUDED.own_missing_reason, EXCLUDED.aggregated,
                            EXCLUDED.derived)
        RETURNING indicator_code, region_code, year)
      SELECT indicator_code AS indicator, count(*)::int AS rows, array_agg(DISTINCT year) AS years,
             array_agg(DISTINCT ${levelOfCodeSql('region_code')}) AS levels
      FROM written GROUP BY indicator_code`;
    for (const { indicator, rows: count, years, levels } of perIndicator) {
      written += count;
      indicators.add(indicator);
      noteChanges(changed, indicator, years, levels).written += count;
    }
    onProgress?.(start + batch.length, rows.length);
  }
  return { written, indicators, changed };
}

/** Deletes the given observations; answers how many were stored, and their indicators. */
export async function deleteObservations(
  tx: Transaction,
  cells: readonly ObservationCell[],
): Promise<{ removed: number; indicators: Set<string>; changed: ObservationChanges }> {
  const changed: ObservationChanges = new Map();
  if (cells.length === 0) return { removed: 0, indicators: new Set(), changed };
  const deleted = await tx.$queryRaw<{ indicator_code: string; year: number; level: string }>`
    DELETE FROM indicators.observation o
     USING unnest(${cells.map((cell) => cell.indicatorCode)}::text[], ${cells.map((cell) => cell.regionCode)}::text[],
                  ${cells.map((cell) => cell.year)}::int[]) AS gone(indicator_code, region_code, year)
     WHERE (o.indicator_code, o.region_code, o.year) = (gone.indicator_code, gone.region_code, gone.year)
    RETURNING o.indicator_code, o.year, ${levelOfCodeSql('o.region_code')} AS level`;
  for (const row of deleted) noteChanges(changed, row.indicator_code, [row.year], [row.level]).removed += 1;
  return { removed: deleted.length, indicators: new Set(deleted.map((row) => row.indicator_code)), changed };
}

/**
 * Recomputes the stored levels and years of the given indicators from their observations. A MISSING
 * row (a placeholder saying why there is no value, e.g. a state sum that a county's gap prevents)
 * covers nothing: `indicators(level: STATE)` would list indicators whose state answer is always
 * empty. A SUPPRESSED value exists, and counts.
 */
export async function refreshCoverage(tx: Transaction, codes: string[]): Promise<void> {
  if (codes.length === 0) return;
  await tx.$executeRaw`
    UPDATE indicators.indicator i SET
      coverage_years = COALESCE((
        SELECT array_agg(DISTINCT o.year ORDER BY o.year) FROM indicators.observation o
        WHERE o.indicator_code = i.code AND o.status <> 'MISSING'), '{}'),
      coverage_levels = COALESCE((
        SELECT array_agg(DISTINCT ${levelOfCodeSql('o.region_code')})
        FROM indicators.observation o WHERE o.indicator_code = i.code AND o.status <> 'MISSING'), '{}')
    WHERE i.code = ANY(${codes}::text[])`;
}
