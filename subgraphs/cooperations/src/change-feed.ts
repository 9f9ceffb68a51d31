import { Prisma } from '@regiograph/db';
import { snapshotsOf, type ChangeFeed } from '@regiograph/subgraph-kit';

export type CooperationEntity = 'COOPERATION' | 'MEMBERSHIP';

/**
 * The cooperations subgraph's feed. A cooperation's audited state is its row without the derived
 * folded name; a membership is its row. A membership change increments its cooperation's version,
 * so it is a MEMBERSHIP change and a COOPERATION change.
 */
export const COOPERATION_FEED: ChangeFeed<CooperationEntity> = {
  schema: 'cooperations',
  updatedByTables: ['cooperation'],
  entities: {
    COOPERATION: (sql, keys) =>
      snapshotsOf(
        sql,
        Prisma.sql`SELECT c.id AS key, to_jsonb(c) - 'name_folded' - 'id' AS snapshot FROM cooperations.cooperation c WHERE c.id = ANY(${keys}::text[])`,
      ),
    MEMBERSHIP: (sql, keys) =>
      snapshotsOf(
        sql,
        Prisma.sql`SELECT m.id AS key, to_jsonb(m) - 'id' AS snapshot FROM cooperations.membership m WHERE m.id = ANY(${keys}::text[])`,
      ),
  },
};
