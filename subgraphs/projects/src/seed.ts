import type { PrismaClient } from '@regiograph/db';
import { regionCatalogue } from './region-catalogue';
import { refreshSearchDocuments } from './search-document';
import { FUNDING_PROGRAMMES, generateSyntheticPortfolio } from './synthetic';

/**
 * Loads the funding programmes and the synthetic portfolio. Idempotent: programmes are upserted, the
 * synthetic projects (with their children) are replaced by the same generated records; projects
 * entered by editors (synthetic = false) are never touched.
 */
export async function seedProjects(prisma: PrismaClient): Promise<{ programmes: number; projects: number; fundings: number }> {
  const portfolio = generateSyntheticPortfolio(regionCatalogue());
  await prisma.$transaction(
    async (tx) => {
      for (const programme of FUNDING_PROGRAMMES) {
        await tx.fundingProgramme.upsert({ where: { code: programme.code }, create: programme, update: programme });
      }
      await tx.project.deleteMany({ where: { synthetic: true, id: { in: portfolio.projects.map((project) => project.id) } } });
      await tx.project.createMany({ data: portfolio.projects });
      await tx.projectRegion.createMany({ data: portfolio.regions });
      await tx.finding.createMany({ data: portfolio.findings });
      await tx.projectDocument.createMany({ data: portfolio.documents });
      await tx.projectIndicator.createMany({ data: portfolio.indicators });
      await tx.funding.createMany({ data: portfolio.fundings });
      await refreshSearchDocuments(tx, portfolio.projects.map((project) => project.id));
    },
    { timeout: 60_000 },
  );
  return { programmes: FUNDING_PROGRAMMES.length, projects: portfolio.projects.length, fundings: portfolio.fundings.length };
}

/** Seeds only a database without the synthetic portfolio: what a first start needs. */
export async function seedProjectsIfEmpty(prisma: PrismaClient): Promise<boolean> {
  if ((await prisma.project.count({ where: { synthetic: true } })) > 0) return false;
  await seedProjects(prisma);
  return true;
}
