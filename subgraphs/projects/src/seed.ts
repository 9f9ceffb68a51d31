import { Prisma, type BulkWriter, type PrismaClient } from '@regiograph/db';
import { groupBy, SEED_ACTOR, type Logger } from '@regiograph/shared';
import {
  describeReseed,
  keysWrittenByPeople,
  lockSeed,
  nextSeedVersions,
  planReseed,
  type ReseedPlan,
  recordBulkChanges,
  recordForm,
  recordSeededFingerprint,
  seedIfBehind,
  shippedDataFingerprint,
} from '@regiograph/subgraph-kit';
import { PROJECT_FEED } from './change-feed';
import { regionCatalogue } from './region-catalogue';
import { refreshSearchDocuments } from './search-document';
import { programmeSeeds } from './landscape';
import { SHIPPED_DATA_FINGERPRINTS } from './shipped-data';
import { generateSyntheticPortfolio } from './synthetic';

/**
 * Loads the real funding programmes and the synthetic portfolio, and stores the fingerprint of what
 * it loaded. Idempotent: programmes are upserted (programmes of an earlier version that no funding
 * uses any more are removed); a synthetic project is written again (with its regions, findings,
 * documents, indicators and fundings, at the next version, reported in the change feed) only when
 * the generated portfolio changed it, and synthetic projects it no longer has are removed. Projects
 * people wrote (entered, changed or deleted through the API) are left as they are. With
 * `onlyIfBehind` (a start's seed: the release's fingerprints) it writes nothing when another replica
 * seeded while it waited (SeededMeanwhile).
 */
export async function seedProjects(
  prisma: PrismaClient,
  onlyIfBehind?: readonly string[],
): Promise<{
  programmes: number;
  projects: number;
  fundings: number;
  /** The synthetic projects written (new, or changed by the generator), removed, and kept as people left them. */
  plan: ReseedPlan;
  fingerprint: string;
}> {
  const portfolio = generateSyntheticPortfolio(regionCatalogue());
  const programmes = programmeSeeds();
  const fingerprint = shippedDataFingerprint({ programmes, ...portfolio });
  const children = [portfolio.regions, portfolio.findings, portfolio.documents, portfolio.indicators, portfolio.fundings].map((list) =>
    groupBy<{ projectId: string }, string>(list, (child) => child.projectId),
  );
  const childrenOf = (id: string) => children.map((byProject) => byProject.get(id) ?? []);
  const shippedById = new Map(portfolio.projects.map((project) => [project.id, project]));
  let plan: ReseedPlan = { write: [], remove: [], kept: [] };
  await prisma.$transaction(
    async (tx) => {
      await lockSeed(tx, PROJECT_FEED.schema, onlyIfBehind);
      for (const programme of programmes) {
        await tx.fundingProgramme.upsert({ where: { code: programme.code }, create: programme, update: programme });
      }
      // Replicas of the release before may take writes while this one seeds (a rolling upgrade). The
      // synthetic rows are locked before anything is read, as every write locks its project's row: an
      // editor's write either committed before, and is seen and kept below, or waits for this seed.
      await tx.$queryRaw`SELECT id FROM projects.project WHERE synthetic FOR UPDATE`;
      const stored = await tx.project.findMany({
        where: { synthetic: true },
        include: { regions: true, findings: true, documents: true, indicators: true, fundings: true },
      });
      const storedVersions = new Map(stored.map((row) => [row.id, row.version]));
      plan = planReseed(
        new Map(portfolio.projects.map((project) => [project.id, recordForm(project, childrenOf(project.id))])),
        new Map(
          stored.map((row) => {
            const record = shippedById.get(row.id);
            const form = record
              ? recordForm(row, [row.regions, row.findings, row.documents, row.indicators, row.fundings], {
                  record,
                  children: childrenOf(row.id).map((list) => list[0]),
                })
              : '';
            return [row.id, form];
          }),
        ),
        new Set([
          ...(await keysWrittenByPeople(tx, PROJECT_FEED, 'PROJECT')),
          // A project people entered under a key the portfolio now uses (entered before the change
          // feed existed, or a key the generator takes later) is theirs.
          ...(await tx.project.findMany({ where: { synthetic: false, id: { in: [...shippedById.keys()] } }, select: { id: true } })).map(
            (row) => row.id,
          ),
        ]),
      );
      const written = new Set(plan.write);
      const versionOf = await nextSeedVersions(tx, PROJECT_FEED, 'PROJECT', plan.write, storedVersions);
      const writtenChild = (child: { projectId: string }) => written.has(child.projectId);
      await tx.project.deleteMany({ where: { id: { in: [...plan.write, ...plan.remove] }, synthetic: true } });
      await tx.fundingProgramme.deleteMany({
        where: { code: { notIn: programmes.map((programme) => programme.code) }, fundings: { none: {} } },
      });
      await tx.project.createMany({
        data: portfolio.projects
          .filter((project) => written.has(project.id))
          // A record written again is a new version of the one partners and editors read.
          .map((project) => ({ ...project, version: versionOf(project.id) })),
      });
      await tx.projectRegion.createMany({ data: portfolio.regions.filter(writtenChild) });
      await tx.finding.createMany({ data: portfolio.findings.filter(writtenChild) });
      await tx.projectDocument.createMany({ data: portfolio.documents.filter(writtenChild) });
      await tx.projectIndicator.createMany({ data: portfolio.indicators.filter(writtenChild) });
      await tx.funding.createMany({ data: portfolio.fundings.filter(writtenChild) });
      await refreshSearchDocuments(tx, plan.write);
      // One set-based statement per entity type, not one tracked write per record: seeding must stay
      // fast, and a seeded record's audit entry needs no field values.
      await recordBulkChanges(
        tx,
        PROJECT_FEED,
        SEED_ACTOR,
        'PROJECT',
        Prisma.sql`SELECT id, version FROM projects.project WHERE id = ANY(${plan.write}::text[])`,
        Prisma.sql`SELECT id FROM projects.project`,
      );
      await recordBulkChanges(
        tx,
        PROJECT_FEED,
        SEED_ACTOR,
        'FUNDING',
        Prisma.sql`SELECT id::text, NULL::int FROM projects.funding WHERE project_id = ANY(${plan.write}::text[])`,
        Prisma.sql`SELECT id::text FROM projects.funding`,
      );
      await recordSeededFingerprint(tx, PROJECT_FEED.schema, fingerprint);
    },
    { timeout: 60_000 },
  );
  return {
    programmes: programmes.length,
    projects: portfolio.projects.length,
    fundings: portfolio.fundings.length,
    plan,
    fingerprint,
  };
}

/**
 * Seeds the projects when the shipped data is not what was last seeded: an empty database, one
 * seeded by an earlier release, or before fingerprints were kept. One lookup on other starts.
 */
export async function seedProjectsIfEmpty({ prisma }: BulkWriter, logger?: Pick<Logger, 'info' | 'warn'>): Promise<boolean> {
  const summary = await seedIfBehind(prisma, PROJECT_FEED.schema, SHIPPED_DATA_FINGERPRINTS, logger, (onlyIfBehind) =>
    seedProjects(prisma, onlyIfBehind),
  );
  if (summary) logger?.info(describeReseed('projects', 'synthetic project(s)', summary.plan));
  return summary !== null;
}
