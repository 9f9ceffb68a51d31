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
  type EntityLinks,
  type PeerUrl,
} from '@regiograph/subgraph-kit';
import { COOPERATION_FEED } from './change-feed';
import { projectLinks } from './context';
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
  /**
   * Cooperations no longer shipped that the seed left in place, with why: projects still link to
   * them, or projects could not be asked. A later start removes them (the fingerprint is not recorded).
   */
  held: HeldRemoval[];
  /** The fingerprint of what was loaded (the last of SHIPPED_DATA_FINGERPRINTS when the shipped data is in step). */
  fingerprint: string;
}

export interface HeldRemoval {
  key: string;
  reason: string;
}

export interface SeedLinks {
  /** Asked which projects still link to a cooperation the seed would remove; absent: nothing is removed. */
  projects?: EntityLinks;
  /** Takes one line per cooperation left in place, with its reason. */
  logger?: Pick<Logger, 'warn'>;
}

/**
 * Loads the offices, strategies, the real cooperations (Zukunftsregionen, Metropolregionen, LEADER
 * regions) and the synthetic ones, and stores the fingerprint of what it loaded. Idempotent:
 * reference rows are upserted, and a seeded cooperation is written again (with its memberships and
 * actors, at the next version, reported in the change feed) only when the shipped data changed it;
 * synthetic ones of an earlier generator version (their source is the synthetic source line) are
 * removed. Cooperations people wrote (created, changed or deleted through the API) are left as they
 * are, also when the shipped data changed them. A synthetic one that projects still link to, or that
 * cannot be asked about (`links`), is left in place too, and the fingerprint then not recorded: the
 * next start seeds again and asks again. With `onlyIfBehind` (a start's seed: the release's
 * fingerprints) it writes nothing when another replica seeded while it waited (SeededMeanwhile).
 */
export async function seedCooperations(
  prisma: PrismaClient,
  catalogue: RegionCatalogue = regionCatalogue(),
  onlyIfBehind?: readonly string[],
  links: SeedLinks = {},
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
  const shippedIds = cooperations.map((cooperation) => cooperation.id);
  // Asked before the transaction, so that no row lock waits on another subgraph's answer.
  const unlinked = await unlinkedRemovals(await removalCandidates(prisma, shippedIds), links.projects);
  let plan: ReseedPlan = { write: [], remove: [], kept: [] };
  let held: HeldRemoval[] = [];
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
      const shippedById = new Map(cooperations.map((cooperation) => [cooperation.id, cooperation]));
      // Replicas of the release before may take writes while this one seeds (a rolling upgrade). The
      // seeded rows are locked before anything is read, as every write locks its cooperation's row:
      // an editor's write either committed before, and is seen and kept below, or waits for this seed.
      await tx.$queryRaw`SELECT id FROM cooperations.cooperation WHERE id = ANY(${shippedIds}::text[]) OR source = ${SYNTHETIC_SOURCE} FOR UPDATE`;
      const stored = await tx.cooperation.findMany({
        where: { OR: [{ id: { in: shippedIds } }, { source: SYNTHETIC_SOURCE }] },
        include: { memberships: true, actors: true },
      });
      const planned = planReseed(
        new Map(cooperations.map((cooperation) => [cooperation.id, formOf(cooperation, membershipsOf, actorsOf)])),
        new Map(stored.map((row) => [row.id, storedFormOf(row, shippedById, membershipsOf, actorsOf)])),
        new Set([
          ...(await keysWrittenByPeople(tx, COOPERATION_FEED, 'COOPERATION')),
          // Editors' writes from before the change feed existed name their editor in the row itself.
          ...stored.filter((row) => row.updatedBy !== null).map((row) => row.id),
        ]),
      );
      // A candidate that appeared after the question (another release's seed meanwhile) was not asked about.
      held = planned.remove
        .filter((key) => !unlinked.removable.has(key))
        .map((key) => ({ key, reason: unlinked.held.get(key) ?? 'not asked of projects before the seed' }));
      plan = { ...planned, remove: planned.remove.filter((key) => unlinked.removable.has(key)) };
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
      // Recorded only when the data is all this release ships: a removal held back is asked about again at the next start.
      if (held.length === 0) await recordSeededFingerprint(tx, COOPERATION_FEED.schema, fingerprint);
    },
    { timeout: 60_000 },
  );
  for (const { key, reason } of held) links.logger?.warn(`cooperations seed: kept ${key}, no longer shipped: ${reason}`, { key, reason });
  return {
    offices: offices.length,
    strategies: strategies.length,
    fieldsOfAction: fieldsOfAction.length,
    cooperations: synthetic.cooperations.length,
    realCooperations: real.cooperations.length,
    memberships: memberships.length,
    actors: synthetic.actors.length,
    plan,
    held,
    fingerprint,
  };
}

/**
 * The stored synthetic cooperations the shipped data no longer has and people did not write: what
 * the seed's plan removes, read without locks before its transaction to ask projects about them.
 */
async function removalCandidates(prisma: PrismaClient, shippedIds: readonly string[]): Promise<string[]> {
  const rows = await prisma.cooperation.findMany({
    where: { source: SYNTHETIC_SOURCE, id: { notIn: [...shippedIds] }, updatedBy: null },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
  if (rows.length === 0) return [];
  const people = await keysWrittenByPeople(prisma, COOPERATION_FEED, 'COOPERATION');
  return rows.map((row) => row.id).filter((id) => !people.has(id));
}

/**
 * Which of `keys` no project links to, asked of projects one key at a time (removals are rare), and
 * why each other one stays. Nothing is removable without an answer: the seed runs at start, often
 * before projects is up, and must neither fail the start nor leave projects pointing at nothing.
 */
async function unlinkedRemovals(
  keys: readonly string[],
  projects: EntityLinks | undefined,
): Promise<{ removable: Set<string>; held: Map<string, string> }> {
  const removable = new Set<string>();
  if (!projects) return { removable, held: new Map(keys.map((key) => [key, 'no projects subgraph to ask'])) };
  const held = new Map<string, string>();
  let unanswered: string | null = null;
  for (const key of keys) {
    if (unanswered === null) {
      try {
        const linking = await projects.linking(key);
        if (linking.length === 0) removable.add(key);
        else held.set(key, `projects still link to it (${linking.slice(0, 10).join(', ')}${linking.length > 10 ? ', …' : ''})`);
        continue;
      } catch (error) {
        // Once it does not answer, the remaining keys are not asked: each would wait for its timeout.
        unanswered = `projects could not be asked: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    held.set(key, unanswered);
  }
  return { removable, held };
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
 * seeded by an earlier release, or before fingerprints were kept, or a removal was held back then.
 * One lookup on other starts. Without `peerUrl`, no synthetic cooperation is removed (SeedLinks).
 */
export async function seedCooperationsIfEmpty(
  { prisma }: BulkWriter,
  logger?: Pick<Logger, 'info' | 'warn'>,
  peerUrl?: PeerUrl,
): Promise<boolean> {
  const links: SeedLinks = { projects: peerUrl ? projectLinks(peerUrl) : undefined, logger };
  const summary = await seedIfBehind(prisma, COOPERATION_FEED.schema, SHIPPED_DATA_FINGERPRINTS, logger, (onlyIfBehind) =>
    seedCooperations(prisma, regionCatalogue(), onlyIfBehind, links),
  );
  if (summary) logger?.info(describeReseed('cooperations', 'cooperation(s)', summary.plan));
  return summary !== null;
}
