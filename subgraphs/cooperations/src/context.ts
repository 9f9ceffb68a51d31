import type { IncomingMessage } from 'node:http';
import DataLoader from 'dataloader';
import type {
  Cooperation,
  CooperationActor,
  CooperationMembership,
  FieldOfAction,
  Office,
  Prisma,
  PrismaClient,
  RegionalStrategy,
} from '@regiograph/db';
import { lazyCaller, manyByKey, oneByKey, type Caller, type TokenVerifier } from '@regiograph/shared';
import { entityLinks, readAfterLsnOf, type EntityLinks, type PeerUrl } from '@regiograph/subgraph-kit';
import { ancestorCodesOf } from './region-catalogue';

export type CooperationRow = Cooperation;
export type MembershipRow = CooperationMembership;
export type ActorRow = CooperationActor;
export type StrategyRow = RegionalStrategy;
export type FieldOfActionRow = FieldOfAction;
export type OfficeRow = Office;

/** Which memberships count for a region: its own, those of the regions above or below it, or all. */
export type Reach = 'SELF' | 'ANCESTORS' | 'DESCENDANTS' | 'ALL';

export interface ReachKey {
  code: string;
  reach: Reach;
}

export interface CooperationsContext {
  prisma: PrismaClient;
  loaders: CooperationLoaders;
  /**
   * The authenticated caller, verified on first use (shared's lazyCaller): a read never fails because
   * of a token it does not need, while a broken token on a mutation is UNAUTHENTICATED rather than
   * silently anonymous.
   */
  caller: () => Caller | null;
  /**
   * Asks the subgraphs that link to cooperations which of their records still do: a cooperation's
   * projects, all of them before a delete, those starting before a new founding day before it moves later.
   */
  links: CooperationLinks;
  /** The client's last write position (x-read-after-lsn), passed on to those checks. */
  readAfterLsn: string | null;
}

export interface CooperationLinks {
  projects: EntityLinks;
}

/** How the server's writes and the seed ask projects which of its projects link to a cooperation. */
export function projectLinks(peerUrl: PeerUrl): EntityLinks {
  return entityLinks({
    from: 'cooperations',
    linker: 'projects',
    typename: 'Cooperation',
    key: 'id',
    field: 'projects',
    fieldKey: 'id',
    // Before a founding day moves later: only the carried projects that would start before it.
    arguments: { startingBefore: 'Date' },
    peerUrl,
  });
}

export interface CooperationLoaders {
  cooperationById: DataLoader<string, CooperationRow | null>;
  membershipsByCooperation: DataLoader<string, MembershipRow[]>;
  actorsByCooperation: DataLoader<string, ActorRow[]>;
  membershipsByReach: DataLoader<ReachKey, MembershipRow[], string>;
  strategyByDistrict: DataLoader<string, StrategyRow | null>;
  fieldsOfActionByDistrict: DataLoader<string, FieldOfActionRow[]>;
  officeByDistrict: DataLoader<string, OfficeRow | null>;
}

/** Memberships of regions strictly below `code`, through the indexed prefix columns. */
export function descendantMembershipWhere(code: string): Prisma.CooperationMembershipWhereInput | null {
  switch (code.length) {
    case 2:
      return { NOT: { regionCode: code } };
    case 3:
      return { districtCode: code, NOT: { regionCode: code } };
    case 5:
      return { countyCode: code, NOT: { regionCode: code } };
    case 9:
      return { associationCode: code };
    default:
      return null;
  }
}

export function membershipMatchesReach(membership: MembershipRow, key: ReachKey): boolean {
  const member = membership.regionCode;
  const self = member === key.code;
  const ancestor = member !== key.code && key.code.startsWith(member);
  const descendant = member !== key.code && member.startsWith(key.code);
  switch (key.reach) {
    case 'SELF':
      return self;
    case 'ANCESTORS':
      return ancestor;
    case 'DESCENDANTS':
      return descendant;
    case 'ALL':
      return self || ancestor || descendant;
  }
}

/** One statement for any mix of regions and reaches; rows are filed under every key they match. */
async function loadMembershipsByReach(prisma: PrismaClient, keys: readonly ReachKey[]): Promise<MembershipRow[][]> {
  const exactCodes = new Set<string>();
  const below: Prisma.CooperationMembershipWhereInput[] = [];
  for (const key of keys) {
    if (key.reach === 'SELF' || key.reach === 'ALL') exactCodes.add(key.code);
    if (key.reach === 'ANCESTORS' || key.reach === 'ALL') for (const code of ancestorCodesOf(key.code)) exactCodes.add(code);
    if (key.reach === 'DESCENDANTS' || key.reach === 'ALL') {
      const where = descendantMembershipWhere(key.code);
      if (where) below.push(where);
    }
  }
  const rows = await prisma.cooperationMembership.findMany({
    where: { OR: [{ regionCode: { in: [...exactCodes] } }, ...below] },
    orderBy: [{ cooperationId: 'asc' }, { regionCode: 'asc' }, { validFrom: 'asc' }],
  });
  return keys.map((key) => rows.filter((row) => membershipMatchesReach(row, key)));
}

/** Fresh loaders for every request: batching within it, and no data cached across callers. */
export function createLoaders(prisma: PrismaClient): CooperationLoaders {
  return {
    cooperationById: new DataLoader(
      oneByKey(
        (ids) => prisma.cooperation.findMany({ where: { id: { in: ids } } }),
        (row) => row.id,
      ),
    ),
    membershipsByCooperation: new DataLoader(
      manyByKey(
        (ids) =>
          prisma.cooperationMembership.findMany({
            where: { cooperationId: { in: ids } },
            orderBy: [{ role: 'asc' }, { regionCode: 'asc' }, { validFrom: 'asc' }],
          }),
        (row) => row.cooperationId,
      ),
    ),
    actorsByCooperation: new DataLoader(
      manyByKey(
        (ids) => prisma.cooperationActor.findMany({ where: { cooperationId: { in: ids } }, orderBy: { id: 'asc' } }),
        (row) => row.cooperationId,
      ),
    ),
    membershipsByReach: new DataLoader((keys) => loadMembershipsByReach(prisma, keys), {
      cacheKeyFn: (key) => `${key.code}:${key.reach}`,
    }),
    strategyByDistrict: new DataLoader(
      oneByKey(
        (codes) => prisma.regionalStrategy.findMany({ where: { districtCode: { in: codes } } }),
        (row) => row.districtCode,
      ),
    ),
    fieldsOfActionByDistrict: new DataLoader(
      manyByKey(
        (codes) =>
          prisma.fieldOfAction.findMany({
            where: { districtCode: { in: codes } },
            orderBy: [{ districtCode: 'asc' }, { position: 'asc' }],
          }),
        (row) => row.districtCode,
      ),
    ),
    officeByDistrict: new DataLoader(
      oneByKey(
        (codes) => prisma.office.findMany({ where: { districtCode: { in: codes } } }),
        (row) => row.districtCode,
      ),
    ),
  };
}

export function createContext(
  prisma: PrismaClient,
  verifier: TokenVerifier,
  links: CooperationLinks,
  request?: IncomingMessage,
): CooperationsContext {
  return {
    prisma,
    loaders: createLoaders(prisma),
    caller: lazyCaller(verifier, request?.headers.authorization),
    links,
    readAfterLsn: readAfterLsnOf(request),
  };
}
