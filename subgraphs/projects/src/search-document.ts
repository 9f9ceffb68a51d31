import { Prisma, type PrismaClient } from '@regiograph/db';

type Executor = Pick<PrismaClient, '$executeRaw'>;

/**
 * Upper-case letters that PostgreSQL's lower() and text search leave as they are under the C
 * locale the databases are created with, and their lower case, in the same order: translated
 * first, "LÜNEBURG" and "Ärzte" are found like "lüneburg" and "ärzte".
 */
export const UPPER_CASE_LETTERS = 'ÄÖÜẞÀÁÂÃÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕØÙÚÛÝŒŠŽ';
export const LOWER_CASE_LETTERS = 'äöüßàáâãåæçèéêëìíîïñòóôõøùúûýœšž';

/** A search text in the case the documents are built in (see UPPER_CASE_LETTERS). */
export function searchCase(text: string): string {
  return text.toLocaleLowerCase('de-DE');
}

/**
 * Rebuilds the German full-text documents of the given projects (all when `ids` is null) from title,
 * summary and findings. Called in the same transaction as every write that changes them, since
 * a generated column cannot reach the findings table.
 */
export async function refreshSearchDocuments(db: Executor, ids: string[] | null): Promise<void> {
  await db.$executeRaw`
    UPDATE projects.project p
    SET search_document =
      setweight(to_tsvector('german', translate(p.title, ${UPPER_CASE_LETTERS}, ${LOWER_CASE_LETTERS})), 'A') ||
      setweight(to_tsvector('german', translate(p.summary, ${UPPER_CASE_LETTERS}, ${LOWER_CASE_LETTERS})), 'B') ||
      setweight(to_tsvector('german', translate(coalesce((SELECT string_agg(f.text, ' ' ORDER BY f.position) FROM projects.finding f WHERE f.project_id = p.id), ''), ${UPPER_CASE_LETTERS}, ${LOWER_CASE_LETTERS})), 'C')
    ${ids === null ? Prisma.empty : Prisma.sql`WHERE p.id = ANY(${ids}::text[])`}`;
}
