import { Prisma, type PrismaClient } from '@regiograph/db';

type Executor = Pick<PrismaClient, '$executeRaw'>;

/**
 * Rebuilds the German full-text documents of the given projects (all when `ids` is null) from title,
 * summary and findings. Documents and queries pass through the same SQL function, `projects.search_text`
 * (migration 20261205110000: case under the C locale, and "ae", "oe", "ue" read as umlauts), so the
 * two cannot drift apart. Called in the same transaction as every write that changes them, since
 * a generated column cannot reach the findings table.
 */
export async function refreshSearchDocuments(db: Executor, ids: string[] | null): Promise<void> {
  await db.$executeRaw`
    UPDATE projects.project p
    SET search_document =
      setweight(to_tsvector('german', projects.search_text(p.title)), 'A') ||
      setweight(to_tsvector('german', projects.search_text(p.summary)), 'B') ||
      setweight(to_tsvector('german', projects.search_text(coalesce((SELECT string_agg(f.text, ' ' ORDER BY f.position) FROM projects.finding f WHERE f.project_id = p.id), ''))), 'C')
    ${ids === null ? Prisma.empty : Prisma.sql`WHERE p.id = ANY(${ids}::text[])`}`;
}
