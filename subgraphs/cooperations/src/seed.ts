import { Prisma, type BulkWriter, type PrismaClient } from '@regiograph/db';
import { recordBulkChanges } from '@regiograph/subgraph-kit';
import { COOPERATION_FEED } from './change-feed';
import { realLandscape } from './real-data';
import { officeSeeds, strategySeeds } from './reference-data';
import { regionCatalogue, type RegionCatalogue } from './region-catalogue';
import { generateSyntheticCooperations, SYNTHETIC_SOURCE } from './synthetic';

export interface SeedSummary {
  offices: number;
  strategies: number;
  fieldsOfAction: number;
  cooperations: number;
  realCooperations: number;
  memberships: number;
  actors: number;
}

/**
 * Loads the offices, strategies, the real cooperations (Zukunftsregionen, Metropolregionen, LEADER
 * regions) and the synthetic ones. Idempotent: reference rows are upserted, and the seeded
 * cooperations are replaced as a whole (with their memberships and actors), so running it again
 * leaves exactly the same state. Cooperations created by editors are kept; synthetic ones of an
 * earlier generator version (their source is the synthetic source line) are replaced too.
 */
export async function seedCooperations(prisma: PrismaClient, catalogue: RegionCatalogue = regionCatalogue()): Promise<SeedSummary> {
  const offices = officeSeeds();
  const { strategies, fieldsOfAction } = strategySeeds();
  const synthetic = generateSyntheticCooperations(catalogue);
  const real = realLandscape(catalogue);
  await prisma.$transaction(
    async (tx) => {
      for (const office of offices) {
        await tx.office.upsert({ where: { districtCode: office.districtCode }, create: office, update: office });
      }
      for (const strategy of strategies) {
        await tx.regionalStrategy.upsert({ where: { districtCode: strategy.districtCode }, create: strategy, update: strategy });
      }
      await tx.fieldOfAction.deleteMany({ where: { districtCode: { in: strategies.map((strategy) => strategy.districtCode) } } });
      await tx.fieldOfAction.createMany({ data: fieldsOfAction });
      const seeded = [...real.cooperations, ...synthetic.cooperations].map((cooperation) => cooperation.id);
      await tx.cooperation.deleteMany({ where: { OR: [{ id: { in: seeded } }, { source: SYNTHETIC_SOURCE }] } });
      await tx.cooperation.createMany({
        data: [
          ...real.cooperations.map((cooperation) => ({
            ...cooperation,
            otherMembers: cooperation.otherMembers as unknown as Prisma.InputJsonValue,
          })),
          ...synthetic.cooperations,
        ],
      });
      await tx.cooperationMembership.createMany({ data: [...real.memberships, ...synthetic.memberships] });
      await tx.cooperationActor.createMany({ data: synthetic.actors });
      // One set-based statement per entity type, not one tracked write per record: seeding thousands
      // of records must stay fast, and a seeded record's audit entry needs no field values.
      await recordBulkChanges(
        tx,
        COOPERATION_FEED,
        'seed',
        'COOPERATION',
        Prisma.sql`SELECT id, version FROM cooperations.cooperation WHERE id = ANY(${seeded}::text[])`,
        Prisma.sql`SELECT id FROM cooperations.cooperation`,
      );
      await recordBulkChanges(
        tx,
        COOPERATION_FEED,
        'seed',
        'MEMBERSHIP',
        Prisma.sql`SELECT id, NULL::int FROM cooperations.membership WHERE cooperation_id = ANY(${seeded}::text[])`,
        Prisma.sql`SELECT id FROM cooperations.membership`,
      );
    },
    { timeout: 60_000 },
  );
  return {
    offices: offices.length,
    strategies: strategies.length,
    fieldsOfAction: fieldsOfAction.length,
    cooperations: synthetic.cooperations.length,
    realCooperations: real.cooperations.length,
    memberships: real.memberships.length + synthetic.memberships.length,
    actors: synthetic.actors.length,
  };
}

/**
 * Seeds an empty database, or one seeded before the real landscape was loaded (no real
 * Zukunftsregion yet): what a first start needs, at one lookup on later starts.
 */
export async function seedCooperationsIfEmpty({ prisma }: BulkWriter): Promise<boolean> {
  if ((await prisma.cooperation.count({ where: { kind: 'ZUKUNFTSREGION', synthetic: false } })) > 0) return false;
  await seedCooperations(prisma);
  return true;
}
