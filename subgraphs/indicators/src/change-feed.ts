import { Prisma } from '@regiograph/db';
import { snapshotsOf, type ChangeFeed } from '@regiograph/subgraph-kit';

export type IndicatorEntity = 'INDICATOR';

/**
 * The indicators subgraph's feed. Its 327k observations are written by imports in bulk, so the feed
 * names the indicator whose definition or series an import (or the seed) wrote, and a follower
 * re-reads that indicator's values; an indicator removed by the seed becomes a tombstone.
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
};
