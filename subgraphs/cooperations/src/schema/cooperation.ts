import type { Prisma } from '@regiograph/db';
import { CooperationKind, CooperationStatus } from '@regiograph/db';
import { decodeCursor, ErrorCode, foldedNameSearch, notFound, requireRegionCodeArguments, sizedBy, userError } from '@regiograph/shared';
import {
  DEFAULT_PAGE_SIZE,
  defineConnection,
  likeLiteral,
  PAGED_LIST_SIZE,
  pageSizeOf,
  provenanceFields,
  type Page,
} from '@regiograph/subgraph-kit';
import { builder } from '../builder';
import type { ActorRow, CooperationRow, CooperationsContext } from '../context';
import { descendantMembershipWhere } from '../context';
import { LIMITS } from '../validation';
import { cooperationProvenance } from './provenance';
import {
  ActorSectorEnum,
  CooperationKindEnum,
  CooperationStatusEnum,
  cooperationActiveOn,
  cooperationActiveWhere,
  LanguageEnum,
  levelOfCode,
  membershipActiveOn,
  membershipActiveWhere,
  MembershipRoleEnum,
  RegionLevelEnum,
} from './common';
import type { OtherMember, OtherMemberKind } from '../real-data';
import { CooperationType, MembershipType, RegionRef } from './refs';

export const MAX_PAGE_SIZE = 200;

const ActorType = builder.objectRef<ActorRow>('CooperationActor').implement({
  description: 'An actor involved in a cooperation, by sector (administration, politics, business, civil society, science).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier of the actor within its cooperation.' }),
    sector: t.expose('sector', { type: ActorSectorEnum, description: 'The sector the actor belongs to.' }),
    name: t.exposeString('name', { description: 'Name or description of the actor (group).' }),
    description: t.exposeString('description', { nullable: true, description: 'What the actor contributes.' }),
    synthetic: t.exposeBoolean('synthetic', { description: 'True for synthetic demonstration data.' }),
  }),
});

const OtherMemberKindEnum = builder.enumType('OtherMemberKind', {
  description: 'What kind of body a member that is not a member region is.',
  values: {
    MUNICIPALITY: { description: 'A municipality named as a partner beside its county (e.g. Stadt Hildesheim).' },
    PUBLIC_BODY: { description: 'A public administration or association of public bodies (e.g. a biosphere reserve administration).' },
    COMPANY: { description: 'A company (GmbH, AG), e.g. one hosting the regional management.' },
    ASSOCIATION: { description: 'Another organisation: a foundation, an association, an existing cooperation.' },
  } as const,
});

const OtherMemberType = builder.objectRef<OtherMember>('OtherMember').implement({
  description: 'A member or partner of a cooperation that is not one of its member regions, as the source names it.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Name as the source gives it.' }),
    kind: t.field({ type: OtherMemberKindEnum, description: 'What kind of body it is.', resolve: (member) => member.kind }),
    regionCode: t.exposeID('regionCode', { nullable: true, description: 'ARS code when the member is a municipality, else null.' }),
  }),
});

const OTHER_MEMBER_KINDS = new Set<string>(['MUNICIPALITY', 'PUBLIC_BODY', 'COMPANY', 'ASSOCIATION']);

/** The JSON column holds what the seed wrote; anything else is skipped rather than shown half-typed. */
function otherMembersOf(value: unknown): OtherMember[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const { name, kind, regionCode } = entry as Record<string, unknown>;
    if (typeof name !== 'string' || typeof kind !== 'string' || !OTHER_MEMBER_KINDS.has(kind)) return [];
    return [{ name, kind: kind as OtherMemberKind, regionCode: typeof regionCode === 'string' ? regionCode : null }];
  });
}

MembershipType.implement({
  description: 'A region’s membership in a cooperation over a period.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier, "<cooperation id>.<n>".' }),
    cooperation: t.field({
      type: CooperationType,
      description: 'The cooperation.',
      resolve: async (membership, _args, ctx) => {
        const cooperation = await ctx.loaders.cooperationById.load(membership.cooperationId);
        if (!cooperation) throw new Error(`cooperation ${membership.cooperationId} of membership ${membership.id} is missing`);
        return cooperation;
      },
    }),
    region: t.field({
      type: RegionRef,
      description: 'The member region (names, populations etc. come from the regions and indicators subgraphs).',
      resolve: (membership) => ({ code: membership.regionCode }),
    }),
    regionCode: t.exposeID('regionCode', { description: 'ARS code of the member region.' }),
    level: t.field({
      type: RegionLevelEnum,
      description: 'The level of the member region, from the length of its code.',
      resolve: (membership) => levelOfCode(membership.regionCode),
    }),
    role: t.expose('role', { type: MembershipRoleEnum, description: 'Lead or ordinary member.' }),
    validFrom: t.expose('validFrom', {
      type: 'Date',
      description:
        'First day of the membership. For a real record whose source states no day, the first day the sources allow ' +
        "(the first of a stated month or year, for a Zukunftsregion not before the programme's first recognition, 19.09.2022: see recognitionNote), " +
        "never before the region's code existed (see unmappedMembers for predecessors).",
    }),
    validUntil: t.expose('validUntil', { type: 'Date', nullable: true, description: 'Last day of the membership; null while it lasts.' }),
  }),
});

CooperationType.implement({
  description:
    'A cooperation of regions: inter-municipal, cross-county, metropolitan, LEADER/ILE, Zukunftsregion or other. ' +
    'Every record says whether it is synthetic demonstration data and where it comes from.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier such as "C-017".' }),
    name: t.exposeString('name', { description: 'Name; synthetic records say "(synthetic)".' }),
    kind: t.expose('kind', { type: CooperationKindEnum, description: 'What kind of cooperation it is.' }),
    description: t.exposeString('description', { description: 'What the cooperation does.' }),
    founded: t.expose('founded', {
      type: 'Date',
      nullable: true,
      description: 'Founding day; null while planned, or when the source states no day (see `recognisedOn` and `activeOn`).',
    }),
    dissolvedOn: t.expose('dissolvedOn', { type: 'Date', nullable: true, description: 'Last day of a dissolved cooperation.' }),
    status: t.expose('status', { type: CooperationStatusEnum, description: 'Planned, active or dissolved.' }),
    contact: t.exposeString('contact', { nullable: true, description: 'Contact address (synthetic records use example.org).' }),
    website: t.exposeString('website', { nullable: true, description: 'Website (synthetic records use example.org).' }),
    version: t.exposeInt('version', { description: 'Incremented by every change; send it as expectedVersion when updating.' }),
    updatedAt: t.field({
      type: 'DateTime',
      description: 'When the cooperation (or a membership) was last written; `cooperations(updatedSince:)` filters on it.',
      resolve: (cooperation) => cooperation.updatedAt,
    }),
    synthetic: t.exposeBoolean('synthetic', { description: 'True for synthetic demonstration data, false for real records.' }),
    source: t.exposeString('source', {
      description: 'Where the record comes from: for real records the URL(s) of the pages read, separated by " | ".',
    }),
    ...provenanceFields(t, cooperationProvenance, LanguageEnum),
    leadPartner: t.exposeString('leadPartner', {
      nullable: true,
      description: 'The lead partner as the source names it; null when the source names none.',
    }),
    otherMembers: t.field({
      type: [OtherMemberType],
      description: 'Members and partners that are not member regions (a municipality beside its county, an administration, a company).',
      resolve: (cooperation) => otherMembersOf(cooperation.otherMembers),
    }),
    unmappedMembers: t.exposeString('unmappedMembers', {
      nullable: true,
      description: 'Members the source names (or describes) that are not mapped to region codes, kept as text, not guessed.',
    }),
    membersComplete: t.exposeBoolean('membersComplete', {
      description:
        'False when the member list is partial: the source lists only some members (or none), or a member takes part only in part.',
    }),
    fieldsOfAction: t.exposeStringList('fieldsOfAction', {
      description: 'The fields of action (Handlungsfelder) as the source names them.',
    }),
    fieldsOfActionComplete: t.exposeBoolean('fieldsOfActionComplete', {
      description: 'False when the fields of action are known only in part or not at all (the list is then partial, never filled in).',
    }),
    budgetAsStated: t.exposeString('budgetAsStated', {
      nullable: true,
      description: 'The (EU) budget in the source’s own words, e.g. "rund 7 Mio. EUR".',
    }),
    budgetEuros: t.float({
      nullable: true,
      description: 'The budget in euros when the source states an amount; an approximate statement ("rund", "knapp") is taken as stated.',
      resolve: (cooperation) => (cooperation.budgetCents === null ? null : Number(cooperation.budgetCents) / 100),
    }),
    recognisedOn: t.exposeString('recognisedOn', {
      nullable: true,
      description: 'Day of recognition as precise as the source states it: "2022-09-26", or only "2022-09" when the day is not printed.',
    }),
    recognitionNote: t.exposeString('recognitionNote', {
      nullable: true,
      description: 'How the recognition date was found, or why it is missing.',
    }),
    activeOn: t.boolean({
      description:
        'Whether the cooperation was active on the day: not planned, founded by then and not dissolved before. When the ' +
        'founding day is unknown (`founded` null), only on a day on which one of its memberships is valid: the data holds no ' +
        'other evidence, and unknown is not read as "since forever".',
      args: { date: t.arg({ type: 'Date', required: true, description: 'The day, YYYY-MM-DD.' }) },
      resolve: async (cooperation, args, ctx) =>
        // Only an unknown founding day makes the rule read the memberships, so only then are they loaded.
        cooperationActiveOn(
          cooperation,
          args.date,
          cooperation.founded === null ? await ctx.loaders.membershipsByCooperation.load(cooperation.id) : [],
        ),
    }),
    members: t.field({
      type: [MembershipType],
      description: 'The memberships, lead first, then by region code.',
      // Sized by the most members one cooperation has (largestMembership), which the gateway reads
      // whenever the data version moves (every write through it bumps the version): a partner may
      // write up to LIMITS.members, and a size from the shipped data (17, once declared 25) priced a
      // cooperation of 120 members for 25. Until the figure is read, or where its read failed,
      // LIMITS.members bounds it (a page of 100 cooperations then prices every one at 500).
      directives: sizedBy({ arguments: [], dataBound: 'largestMembership' }, LIMITS.members),
      args: {
        level: t.arg({ type: RegionLevelEnum, required: false, description: 'Only members of this level, e.g. COUNTY.' }),
        activeOn: t.arg({ type: 'Date', required: false, description: 'Only memberships active on this day.' }),
      },
      resolve: async (cooperation, args, ctx) => {
        const day = args.activeOn ?? null;
        const memberships = await ctx.loaders.membershipsByCooperation.load(cooperation.id);
        return memberships.filter(
          (membership) =>
            (!args.level || levelOfCode(membership.regionCode) === args.level) && (!day || membershipActiveOn(membership, day)),
        );
      },
    }),
    actors: t.field({
      type: [ActorType],
      description: 'The actors involved, by sector.',
      args: { sector: t.arg({ type: ActorSectorEnum, required: false, description: 'Only actors of this sector.' }) },
      resolve: async (cooperation, args, ctx) => {
        const actors = await ctx.loaders.actorsByCooperation.load(cooperation.id);
        return args.sector ? actors.filter((actor) => actor.sector === args.sector) : actors;
      },
    }),
  }),
});

builder.asEntity(CooperationType, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (reference, ctx) => ctx.loaders.cooperationById.load(reference.id),
});

const CooperationFilter = builder.inputType('CooperationFilter', {
  description: 'Narrows the list of cooperations; all given conditions must hold.',
  fields: (t) => ({
    kind: t.field({ type: CooperationKindEnum, required: false, description: 'Only cooperations of this kind.' }),
    status: t.field({ type: CooperationStatusEnum, required: false, description: 'Only cooperations with this status.' }),
    memberRegion: t.id({ required: false, description: 'Only cooperations this region (ARS code) is a member of.' }),
    includeDescendants: t.boolean({
      required: false,
      defaultValue: false,
      description: 'With memberRegion: also cooperations of any region below it (e.g. a county’s municipalities).',
    }),
    activeOn: t.field({
      type: 'Date',
      required: false,
      description:
        'Only cooperations active on this day, by the rule of `Cooperation.activeOn` (one with an unknown founding day only ' +
        'while one of its memberships is valid); with memberRegion, the membership must be active then too.',
    }),
    search: t.string({
      required: false,
      description: 'Part of the name, folded (case, umlauts, ß, hyphens and full stops do not matter), or the exact id.',
    }),
  }),
});

export interface CooperationFilterInput {
  kind?: CooperationKind | null;
  status?: CooperationStatus | null;
  memberRegion?: string | number | null;
  includeDescendants?: boolean | null;
  activeOn?: Date | null;
  search?: string | null;
}

function whereOf(filter: CooperationFilterInput | null | undefined): Prisma.CooperationWhereInput {
  const conditions: Prisma.CooperationWhereInput[] = [];
  const day = filter?.activeOn ?? null;
  if (filter?.kind) conditions.push({ kind: filter.kind });
  if (filter?.status) conditions.push({ status: filter.status });
  if (day) conditions.push(cooperationActiveWhere(day));
  if (filter?.memberRegion != null) {
    const [code] = requireRegionCodeArguments([filter.memberRegion], 'filter.memberRegion') as [string];
    const below = filter.includeDescendants ? descendantMembershipWhere(code) : null;
    const membership: Prisma.CooperationMembershipWhereInput = below ? { OR: [{ regionCode: code }, below] } : { regionCode: code };
    conditions.push({ memberships: { some: day ? { AND: [membership, membershipActiveWhere(day)] } : membership } });
  } else if (filter?.includeDescendants) {
    throw userError('filter.includeDescendants needs filter.memberRegion.', ErrorCode.BadUserInput, {
      argument: 'filter.includeDescendants',
    });
  }
  if (filter?.search != null) {
    const search = foldedNameSearch(filter.search, 'filter.search');
    conditions.push({
      OR: [{ nameFolded: { contains: likeLiteral(search) } }, { id: { equals: likeLiteral(filter.search.trim()), mode: 'insensitive' } }],
    });
  }
  return conditions.length === 0 ? {} : { AND: conditions };
}

/** Cursors of the cooperation list carry the id of the page's last cooperation. */
const CURSOR_KIND = 'cooperation';

interface CooperationPage extends Page<CooperationRow> {
  where: Prisma.CooperationWhereInput;
}

const CooperationConnection = defineConnection(builder, {
  node: CooperationType,
  name: 'Cooperation',
  singular: 'cooperation',
  plural: 'cooperations',
  description: 'A page of cooperations ordered by id.',
  cursorKind: CURSOR_KIND,
  positionOf: (page: CooperationPage, index) => page.nodes[index]!.id,
  totalCount: (page, ctx) => ctx.prisma.cooperation.count({ where: page.where }),
});

builder.queryFields((t) => ({
  largestMembership: t.int({
    description:
      'The most memberships one cooperation has (0 without any): the size of Cooperation.members by which the gateway prices it.',
    // One aggregate over the membership table's (cooperation_id, region_code) index, read by the
    // gateway once per data version.
    resolve: async (_root, _args, ctx) => {
      const [row] = await ctx.prisma.$queryRaw<{ largest: number | null }[]>`
        SELECT max(members)::int AS largest FROM (
          SELECT count(*) AS members FROM cooperations.membership GROUP BY cooperation_id) per_cooperation`;
      return row?.largest ?? 0;
    },
  }),
  cooperation: t.field({
    type: CooperationType,
    nullable: true,
    description: 'One cooperation by id. An unknown id is answered with a NOT_FOUND error.',
    args: { id: t.arg.id({ required: true, description: 'The id, e.g. "C-017".' }) },
    resolve: async (_root, args, ctx) => {
      const cooperation = await ctx.loaders.cooperationById.load(String(args.id));
      if (!cooperation) throw notFound('Cooperation', String(args.id));
      return cooperation;
    },
  }),
  cooperations: t.field({
    type: CooperationConnection,
    description: 'A page of cooperations ordered by id, optionally filtered.',
    directives: PAGED_LIST_SIZE,
    args: {
      filter: t.arg({ type: CooperationFilter, required: false, description: 'Conditions the cooperations must meet.' }),
      first: t.arg.int({ required: false, defaultValue: DEFAULT_PAGE_SIZE, description: `Page size, 1–${MAX_PAGE_SIZE}.` }),
      after: t.arg.string({ required: false, description: 'The endCursor of the previous page.' }),
      updatedSince: t.arg({
        type: 'DateTime',
        required: false,
        description:
          'Only cooperations written at or after this moment (simple polling; deletions and exact commit order need cooperationChanges).',
      }),
    },
    resolve: async (_root, args, ctx: CooperationsContext) => {
      const first = pageSizeOf(args.first, MAX_PAGE_SIZE);
      const filtered = whereOf(args.filter);
      const where = args.updatedSince ? { AND: [filtered, { updatedAt: { gte: args.updatedSince } }] } : filtered;
      const after = args.after ? decodeCursor(CURSOR_KIND, args.after) : null;
      const rows = await ctx.prisma.cooperation.findMany({
        where: after ? { AND: [where, { id: { gt: after } }] } : where,
        orderBy: { id: 'asc' },
        take: first + 1,
      });
      for (const row of rows) ctx.loaders.cooperationById.prime(row.id, row);
      return { nodes: rows.slice(0, first), hasNextPage: rows.length > first, where };
    },
  }),
}));
