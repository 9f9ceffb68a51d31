import { Prisma } from '@regiograph/db';
import { serialKey, snapshotsOf, type ChangeFeed } from '@regiograph/subgraph-kit';

export type ProjectEntity = 'PROJECT' | 'FUNDING';

/**
 * The projects subgraph's feed. A project's audited state is its row (without the derived search
 * document) with its regions, findings, documents and indicator codes; a funding is its row. Adding
 * or changing a funding is a FUNDING change and, as it increments the project's version, a PROJECT
 * change too.
 */
export const PROJECT_FEED: ChangeFeed<ProjectEntity> = {
  schema: 'projects',
  updatedByTables: ['project'],
  entities: {
    PROJECT: (sql, keys) =>
      snapshotsOf(
        sql,
        Prisma.sql`
          SELECT p.id AS key, (to_jsonb(p) - 'search_document') || jsonb_build_object(
            'regions', (SELECT coalesce(jsonb_agg(jsonb_build_object('region_code', r.region_code, 'role', r.role) ORDER BY r.region_code), '[]') FROM projects.project_region r WHERE r.project_id = p.id),
            'findings', (SELECT coalesce(jsonb_agg(jsonb_build_object('text', f.text, 'topic', f.topic) ORDER BY f.position), '[]') FROM projects.finding f WHERE f.project_id = p.id),
            'documents', (SELECT coalesce(jsonb_agg(jsonb_build_object('title', d.title, 'url', d.url) ORDER BY d.position), '[]') FROM projects.project_document d WHERE d.project_id = p.id),
            'indicator_codes', (SELECT coalesce(jsonb_agg(i.indicator_code ORDER BY i.indicator_code), '[]') FROM projects.project_indicator i WHERE i.project_id = p.id)
          ) AS snapshot
          FROM projects.project p WHERE p.id = ANY(${keys}::text[])`,
      ),
    FUNDING: (sql, keys) =>
      snapshotsOf(
        sql,
        Prisma.sql`SELECT f.id::text AS key, to_jsonb(f) - 'id' AS snapshot FROM projects.funding f WHERE f.id = ANY(${keys.map(serialKey).filter((id) => id !== null)}::int[])`,
      ),
  },
};
