import { Prisma } from '@regiograph/db';
import { snapshotsOf, type ChangeFeed } from '@regiograph/subgraph-kit';
import { REGION_LEVELS, type RegionLevelName } from './regions';

export type IndicatorEntity = 'INDICATOR';

/**
 * The indicators subgraph's feed. Its 327k observations are written by imports in bulk, so the feed
 * names the indicator whose definition or series an import (or the seed) wrote, and a follower
 * re-reads that indicator's values; an indicator removed by the seed becomes a tombstone. Beside an
 * import's row it stores what the import changed in the indicator (`details`), so that the follower
 * re-reads only that.
 */
export const INDICATOR_FEED: ChangeFeed<IndicatorEntity> = {
  schema: 'indicators',
  entities: {
    INDICATOR: (sql, keys) =>
      snapshotsOf(
        sql,
        Prisma.sql`SELECT i.code AS key, to_jsonb(i) - 'code' - 'coverage_levels' - 'coverage_years' AS snapshot FROM indicators.indicator i WHERE i.code = ANY(${keys}::text[])`,
      ),
  },
  details: Prisma.sql`(SELECT to_jsonb(d) - 'position' FROM indicators.import_change d WHERE d.position = log.position)`,
};

/** What an import changed in one indicator, as stored beside its change (indicators.import_change). */
export interface ImportChange {
  release: string | null;
  importedAt: Date;
  years: number[];
  levels: RegionLevelName[];
  valuesWritten: number;
  valuesRemoved: number;
  definitionChanged: boolean;
}

/** The import change a feed entry's details hold (the row as JSON); null for a change that is not an import's. */
export function importChangeOf(details: unknown): ImportChange | null {
  if (details === null || typeof details !== 'object') return null;
  const row = details as Record<string, unknown>;
  return {
    release: typeof row.release === 'string' ? row.release : null,
    importedAt: new Date(String(row.imported_at)),
    years: Array.isArray(row.years) ? row.years.map(Number) : [],
    levels: Array.isArray(row.levels) ? REGION_LEVELS.filter((level) => (row.levels as unknown[]).includes(level)) : [],
    valuesWritten: Number(row.values_written),
    valuesRemoved: Number(row.values_removed),
    definitionChanged: row.definition_changed === true,
  };
}
