import {
  Prisma,
  type BulkWriter,
  type Cooperation,
  type CooperationActor,
  type CooperationMembership,
  type PrismaClient,
} from '@regiograph/db';
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
import { COOPERATION_FEED } from './change-feed';
import { realLandscape, type RealCooperation } from './real-data';
import { officeSeeds, strategySeeds } from './reference-data';
import { SHIPPED_DATA_FINGERPRINTS } from './shipped-data';
import { regionCatalogue, type RegionCatalogue } from './region-catalogue';
import { generateSyntheticCooperations, SYNTHETIC_SOURCE, type ActorSeed, type CooperationSeed, type MembershipSeed } from './synthetic';

export interface SeedSummary {
  offices: number;
  strategies: number;
  fieldsOfAction: number;
  cooperations: number;
  realCooperations: number;
  memberships: number;
  actors: number;
  /** The seeded cooperations written (new, or changed by the shipped data), removed, and kept as people left them. */
  plan: ReseedPlan;
  /** The fingerprint of what was loaded (the last of SHIPPED_DATA_FINGERPRINTS when the shipped data is in step). */
  fingerprint: string;
}

/**
 * Loads the offices, strategies, the real cooperations (Zukunftsregionen, Metropolregionen, LEADER
 * regions) and the synthetic ones, and stores the fingerprint of what it loaded. Idempotent:
 * reference rows are upserted, and a seeded cooperation is written again (with its memberships and
 * actors, at the next version, reported in the change feed) only when the shipped data changed it;
 * synthetic ones of an earlier generator version (their source is the synthetic source line) are
 * removed. Cooperations people wrote (created, changed or deleted through the API) are left as they
 * are, also when the shipped data changed them. With `onlyIfBehind` (a start's seed: the release's
 * fingerprints) it writes nothing when another replica seeded while it waited (SeededMeanwhile).
 */
export async function seedCooperations(
  prisma: PrismaClient,
  catalogue: RegionCatalogue = regionCatalogue(),
  onlyIfBehind?: readonly string[],
): Promise<SeedSummary> {
  const offices = officeSeeds();
  const { strategies, fieldsOfAction } = strategySeeds();
  const synthetic = generateSyntheticCooperations(catalogue);
  const real = realLandscape(catalogue);
  const cooperations = [...real.cooperations, ...synthetic.cooperations];
  const memberships: MembershipSeed[] = [...real.memberships, ...synthetic.memberships];
  const fingerprint = shippedDataFingerprint({ offices, strategies, fieldsOfAction, cooperations, memberships, actors: synthetic.actors });
  const membershipsOf = groupBy(memberships, (membership) => membership.cooperationId);
  const actorsOf = groupBy(synthetic.actors, (actor) => actor.cooperationId);
  let plan: ReseedPlan = { write: [], remove: [], kept: [] };
  await prisma.$transaction(
    async (tx) => {
      await lockSeed(tx, COOPERATION_FEED.schema, onlyIfBehind);
      for (const office of offices) {
        await tx.office.upsert({ where: { districtCode: office.districtCode }, create: office, update: office });
      }
      for (const strategy of strategies) {
        await tx.regionalStrategy.upsert({ where: { districtCode: strategy.districtCode }, create: strategy, update: strategy });
      }
      await tx.fieldOfAction.deleteMany({ where: { districtCode: { in: strategies.map((strategy) => strategy.districtCode) } } });
      await tx.fieldOfAction.createMany({ data: fieldsOfAction });
      const shippedIds = cooperations.map((cooperation) => cooperation.id);
      const shippedById = new Map(cooperations.map((cooperation) => [cooperation.id, cooperation]));
      // Replicas of the release before may take writes while this one seeds (a rolling upgrade). The
      // seeded rows are locked before anything is read, as every write locks its cooperation's row:
      // an editor's write either committed before, and is seen and kept below, or waits for this seed.
      await tx.$queryRaw`SELECT id FROM cooperations.cooperation WHERE id = ANY(${shippedIds}::text[]) OR source = ${SYNTHETIC_SOURCE} FOR UPDATE`;
      const stored = await tx.cooperation.findMany({
        where: { OR: [{ id: { in: shippedIds } }, { source: SYNTHETIC_SOURCE }] },
        include: { memberships: true, actors: true },
      });
      plan = planReseed(
        new Map(cooperations.map((cooperation) => [cooperation.id, formOf(cooperation, membershipsOf, actorsOf)])),
        new Map(stored.map((row) => [row.id, storedFormOf(row, shippedById, membershipsOf, actorsOf)])),
        new Set([
          ...(await keysWrittenByPeople(tx, COOPERATION_FEED, 'COOPERATION')),
          // Editors' writes from before the change feed existed name their editor in the row itself.
          ...stored.filter((row) => row.updatedBy !== null).map((row) => row.id),
        ]),
      );
      const written = new Set(plan.write);
      const versionOf = await nextSeedVersions(
        tx,
        COOPERATION_FEED,
        'COOPERATION',
        plan.write,
        new Map(stored.map((row) => [row.id, row.version])),
      );
      await tx.cooperation.deleteMany({ where: { id: { in: [...plan.write, ...plan.remove] } } });
      await tx.cooperation.createMany({
        data: cooperations
          .filter((cooperation) => written.has(cooperation.id))
          .map((cooperation): Prisma.CooperationCreateManyInput => ({
            ...cooperation,
            otherMembers: ('otherMembers' in cooperation ? cooperation.otherMembers : []) as unknown as Prisma.InputJsonValue,
            // A record written again is a new version of the one partners and editors read.
            version: versionOf(cooperation.id),
          })),
      });
      await tx.cooperationMembership.createMany({ data: memberships.filter((membership) => written.has(membership.cooperationId)) });
      await tx.cooperationActor.createMany({ data: synthetic.actors.filter((actor) => written.has(actor.cooperationId)) });
      // One set-based statement per entity type, not one tracked write per record: seeding thousands
      // of records must stay fast, and a seeded record's audit entry needs no field values.
      await recordBulkChanges(
        tx,
        COOPERATION_FEED,
        SEED_ACTOR,
        'COOPERATION',
        Prisma.sql`SELECT id, version FROM cooperations.cooperation WHERE id = ANY(${plan.write}::text[])`,
        Prisma.sql`SELECT id FROM cooperations.cooperation`,
      );
      await recordBulkChanges(
        tx,
        COOPERATION_FEED,
        SEED_ACTOR,
        'MEMBERSHIP',
        Prisma.sql`SELECT id, NULL::int FROM cooperations.membership WHERE cooperation_id = ANY(${plan.write}::text[])`,
        Prisma.sql`SELECT id FROM cooperations.membership`,
      );
      await recordSeededFingerprint(tx, COOPERATION_FEED.schema, fingerprint);
    },
    { timeout: 60_000 },
  );
  return {
    offices: offices.length,
    strategies: strategies.length,
    fieldsOfAction: fieldsOfAction.length,
    cooperations: synthetic.cooperations.length,
    realCooperations: real.cooperations.length,
    memberships: memberships.length,
    actors: synthetic.actors.length,
    plan,
    fingerprint,
  };
}

/** A shipped cooperation with its memberships and actors as one comparable text. */
function formOf(
  cooperation: RealCooperation | CooperationSeed,
  membershipsOf: Map<string, MembershipSeed[]>,
  actorsOf: Map<string, ActorSeed[]>,
): string {
  return recordForm(cooperation, [membershipsOf.get(cooperation.id) ?? [], actorsOf.get(cooperation.id) ?? []]);
}

/** A stored cooperation in the form of its shipped record (the fields the seed writes); '' when none is shipped. */
function storedFormOf(
  row: Cooperation & { memberships: CooperationMembership[]; actors: CooperationActor[] },
  shipped: Map<string, RealCooperation | CooperationSeed>,
  membershipsOf: Map<string, MembershipSeed[]>,
  actorsOf: Map<string, ActorSeed[]>,
): string {
  const record = shipped.get(row.id);
  if (!record) return '';
  return recordForm(row, [row.memberships, row.actors], {
    record,
    children: [membershipsOf.get(row.id)?.[0], actorsOf.get(row.id)?.[0]],
  });
}

/**
 * Seeds the cooperations when the shipped data is not what was last seeded: an empty database, one
 * seeded by an earlier release, or before fingerprints were kept. One lookup on other starts.
 */
export async function seedCooperationsIfEmpty({ prisma }: BulkWriter, logger?: Pick<Logger, 'info' | 'warn'>): Promise<boolean> {
  const summary = await seedIfBehind(prisma, COOPERATION_FEED.schema, SHIPPED_DATA_FINGERPRINTS, logger, (onlyIfBehind) =>
    seedCooperations(prisma, regionCatalogue(), onlyIfBehind),
  );
  if (summary) logger?.info(describeReseed('cooperations', 'cooperation(s)', summary.plan));
  return summary !== null;
}
