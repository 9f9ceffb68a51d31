import { Prisma, type BulkWriter, type PrismaClient } from '@regiograph/db';
import { recordBulkChanges } from '@regiograph/subgraph-kit';
import { PROJECT_FEED } from './change-feed';
import { regionCatalogue } from './region-catalogue';
import { refreshSearchDocuments } from './search-document';
import { programmeSeeds } from './landscape';
import { generateSyntheticPortfolio } from './synthetic';

/**
 * Loads the real funding programmes and the synthetic portfolio. Idempotent: programmes are upserted
 * (programmes of an earlier version that no funding uses any more are removed), the synthetic
 * projects (with their children) are replaced by the generated records; projects entered by editors
 * (synthetic = false) are never touched.
 */
export async function seedProjects(prisma: PrismaClient): Promise<{ programmes: number; projects: number; fundings: number }> {
  const portfolio = generateSyntheticPortfolio(regionCatalogue());
  const programmes = programmeSeeds();
  await prisma.$transaction(
    async (tx) => {
      for (const programme of programmes) {
        await tx.fundingProgramme.upsert({ where: { code: programme.code }, create: programme, update: programme });
      }
      await tx.project.deleteMany({ where: { synthetic: true } });
      await tx.fundingProgramme.deleteMany({
        where: { code: { notIn: programmes.map((programme) => programme.code) }, fundings: { none: {} } },
      });
      await tx.project.createMany({ data: portfolio.projects });
      await tx.projectRegion.createMany({ data: portfolio.regions });
      await tx.finding.createMany({ data: portfolio.findings });
      await tx.projectDocument.createMany({ data: portfolio.documents });
      await tx.projectIndicator.createMany({ data: portfolio.indicators });
      await tx.funding.createMany({ data: portfolio.fundings });
      await refreshSearchDocuments(
        tx,
        portfolio.projects.map((project) => project.id),
      );
      // One set-based statement per entity type, not one tracked write per record: seeding must stay
      // fast, and a seeded record's audit entry needs no field values.
      await recordBulkChanges(
        tx,
        PROJECT_FEED,
        'seed',
        'PROJECT',
        Prisma.sql`SELECT id, version FROM projects.project WHERE synthetic`,
        Prisma.sql`SELECT id FROM projects.project`,
      );
      await recordBulkChanges(
        tx,
        PROJECT_FEED,
        'seed',
        'FUNDING',
        Prisma.sql`SELECT f.id::text, NULL::int FROM projects.funding f JOIN projects.project p ON p.id = f.project_id WHERE p.synthetic`,
        Prisma.sql`SELECT id::text FROM projects.funding`,
      );
    },
    { timeout: 60_000 },
  );
  return { programmes: programmes.length, projects: portfolio.projects.length, fundings: portfolio.fundings.length };
}

/**
 * Seeds a database without the synthetic portfolio, or one seeded before the real programmes (whose
 * portfolio was not coherent with the cooperation landscape): what a first start needs.
 */
export async function seedProjectsIfEmpty({ prisma }: BulkWriter): Promise<boolean> {
  const [projects, realProgrammes] = await Promise.all([
    prisma.project.count({ where: { synthetic: true } }),
    prisma.fundingProgramme.count({ where: { source: { not: null } } }),
  ]);
  if (projects > 0 && realProgrammes > 0) return false;
  await seedProjects(prisma);
  return true;
}
