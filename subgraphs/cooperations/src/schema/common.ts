import type { Prisma } from '@regiograph/db';
import { ActorSector, CooperationKind, CooperationStatus, MembershipRole } from '@regiograph/db';
import { LANGUAGE_ENUM, levelOfCode as levelOfSharedCode, REGION_LEVEL_ENUM, type RegionLevelName } from '@regiograph/shared';
import { builder } from '../builder';
import type { CooperationRow, MembershipRow } from '../context';

export const CooperationKindEnum = builder.enumType(CooperationKind, {
  name: 'CooperationKind',
  description: 'What kind of cooperation a network of regions is.',
  values: {
    INTER_MUNICIPAL: { description: 'Municipalities or Samtgemeinden cooperating on shared tasks (interkommunale Kooperation).' },
    CROSS_COUNTY_REGION: { description: 'Counties cooperating as a region across county borders.' },
    METROPOLITAN_REGION: { description: 'A metropolitan region or network of many counties.' },
    LEADER_ILE_REGION: { description: 'A LEADER or ILE region of rural development.' },
    ZUKUNFTSREGION: { description: 'A Zukunftsregion of the state programme of regional development.' },
    OTHER: { description: 'Any other cooperation, e.g. a thematic network.' },
  },
});

export const CooperationStatusEnum = builder.enumType(CooperationStatus, {
  name: 'CooperationStatus',
  description: 'Lifecycle of a cooperation.',
  values: {
    ACTIVE: { description: 'Founded and working.' },
    DISSOLVED: { description: 'Ended; `dissolvedOn` says when.' },
    PLANNED: { description: 'Agreed on but not founded yet.' },
  },
});

export const MembershipRoleEnum = builder.enumType(MembershipRole, {
  name: 'MembershipRole',
  description: 'The part a member region plays in a cooperation.',
  values: {
    LEAD: { description: 'Leads or hosts the cooperation (federführend).' },
    MEMBER: { description: 'An ordinary member.' },
  },
});

export const ActorSectorEnum = builder.enumType(ActorSector, {
  name: 'ActorSector',
  description: 'The sector an actor of a cooperation belongs to.',
  values: {
    ADMINISTRATION: { description: 'Public administration.' },
    POLITICS: { description: 'Councils, district assemblies and other political bodies.' },
    BUSINESS: { description: 'Companies, chambers and business development agencies.' },
    CIVIL_SOCIETY: { description: 'Associations, initiatives and volunteers.' },
    SCIENCE: { description: 'Universities and research institutes.' },
  },
});

export type RegionLevelValue = RegionLevelName;

export const RegionLevelEnum = builder.enumType('RegionLevel', REGION_LEVEL_ENUM);
export const LanguageEnum = builder.enumType('Language', LANGUAGE_ENUM);

/** The level follows from the length of the ARS (shared's levelOfCode); a code of no level is a bug here. */
export function levelOfCode(code: string): RegionLevelValue {
  const level = levelOfSharedCode(code);
  if (!level) throw new Error(`${code} is not an ARS code`);
  return level;
}

/**
 * The one day rule of a cooperation: it is active on a day when it is not merely planned, was not
 * dissolved before the day (`dissolvedOn` is its last day), and was founded by then. When its
 * founding day is unknown (`founded: null`, as for real records whose source states none), the
 * only evidence the data holds is its memberships: it counts as active on a day on which one of
 * them is valid. Unknown is never read as "since forever" (nor as "never").
 *
 * `memberships` are the cooperation's memberships, or at least those valid on the day; they are
 * read only when the founding day is unknown. `cooperationActiveWhere` is the same rule as a
 * filter, and the network's statement applies it to the memberships it joins (network.ts).
 */
export function cooperationActiveOn(cooperation: CooperationRow, day: Date, memberships: readonly MembershipRow[]): boolean {
  return (
    cooperation.status !== 'PLANNED' &&
    (cooperation.dissolvedOn === null || cooperation.dissolvedOn >= day) &&
    (cooperation.founded === null
      ? memberships.some((membership) => membership.cooperationId === cooperation.id && membershipActiveOn(membership, day))
      : cooperation.founded <= day)
  );
}

/** `cooperationActiveOn` as a filter of the cooperation list (the tests hold the two against each other). */
export function cooperationActiveWhere(day: Date): Prisma.CooperationWhereInput {
  return {
    status: { not: 'PLANNED' },
    OR: [{ founded: { lte: day } }, { founded: null, memberships: { some: membershipActiveWhere(day) } }],
    AND: [{ OR: [{ dissolvedOn: null }, { dissolvedOn: { gte: day } }] }],
  };
}

/** A membership is active from `validFrom` through `validUntil` (both inclusive; no end = open). */
export function membershipActiveOn(membership: MembershipRow, day: Date): boolean {
  return membership.validFrom <= day && (membership.validUntil === null || membership.validUntil >= day);
}

export function membershipActiveWhere(day: Date): Prisma.CooperationMembershipWhereInput {
  return { validFrom: { lte: day }, OR: [{ validUntil: null }, { validUntil: { gte: day } }] };
}
