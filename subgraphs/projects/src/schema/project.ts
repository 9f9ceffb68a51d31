import type { Prisma } from '@regiograph/db';
import { checkedSearchText, decodeCursor, ErrorCode, notFound, parseCalendarDate, userError } from '@regiograph/shared';
import { DEFAULT_PAGE_SIZE, defineConnection, PAGED_LIST_SIZE, pageSizeOf, provenanceFields, type Page } from '@regiograph/subgraph-kit';
import { builder } from '../builder';
import type { DocumentRow, FindingRow, FundingRow, ProgrammeRow, ProjectRegionRow, ProjectRow, ProjectsContext } from '../context';
import { projectWhere, type ProjectConditions } from '../filters';
import { programmeProvenance, projectProvenance } from './provenance';
import {
  CooperationRef,
  FundingLevelEnum,
  LanguageEnum,
  ProjectKindEnum,
  ProjectRegionRoleEnum,
  ProjectStatusEnum,
  ProjectTopicEnum,
  RegionRef,
} from './refs';

export const MAX_PAGE_SIZE = 200;
export const MAX_SEARCH_LENGTH = 200;

export const ProjectType = builder.objectRef<ProjectRow>('Project');
export const FundingType = builder.objectRef<FundingRow>('Funding');
export const FundingProgrammeType = builder.objectRef<ProgrammeRow>('FundingProgramme');

FundingProgrammeType.implement({
  description: 'A funding programme: an EU fund, a federal or a state programme (real programme names).',
  fields: (t) => ({
    code: t.exposeID('code', { description: 'Stable short code, e.g. "ZUKUNFTSREGIONEN", "GRW", "MULTIFONDS_EFRE_ESF".' }),
    name: t.exposeString('name', { description: 'The programme’s official name.' }),
    level: t.expose('level', { type: FundingLevelEnum, description: 'The government level running the programme.' }),
    description: t.exposeString('description', { description: 'Who runs the programme and what it funds, as the pages read state it.' }),
    period: t.exposeString('period', { nullable: true, description: 'The programme period in the source’s words, e.g. "2021-2027".' }),
    budgetAsStated: t.exposeString('budgetAsStated', {
      nullable: true,
      description: 'The total budget in the source’s words; "not stated" when no page read gives it (never estimated).',
    }),
    source: t.exposeString('source', {
      nullable: true,
      description: 'The page(s) the programme’s facts were read from, separated by " | ".',
    }),
    ...provenanceFields(t, programmeProvenance, LanguageEnum),
  }),
});

FundingType.implement({
  description: 'Money a programme committed to a project in one year.',
  fields: (t) => ({
    id: t.id({ description: 'Identifier of this funding commitment.', resolve: (funding) => String(funding.id) }),
    programme: t.field({
      type: FundingProgrammeType,
      description: 'The programme the money comes from.',
      resolve: async (funding, _args, ctx) => {
        const programme = await ctx.loaders.programmeByCode.load(funding.programmeCode);
        if (!programme) throw new Error(`programme ${funding.programmeCode} of funding ${funding.id} is missing`);
        return programme;
      },
    }),
    amountCents: t.field({ type: 'Cents', description: 'The committed amount in euro cents.', resolve: (funding) => funding.amountCents }),
    coFinancingShare: t.float({
      description: 'The share of the project cost the programme co-finances, 0–1 (four decimals).',
      resolve: (funding) => funding.coFinancingShare.toNumber(),
    }),
    commitmentYear: t.exposeInt('commitmentYear', { description: 'The year the money was committed.' }),
    synthetic: t.boolean({
      description: 'True when this commitment belongs to a synthetic demonstration project: generated, not real funding.',
      resolve: async (funding, _args, ctx) => (await ctx.loaders.projectById.load(funding.projectId))!.synthetic,
    }),
    project: t.field({
      type: ProjectType,
      description: 'The funded project.',
      resolve: async (funding, _args, ctx) => (await ctx.loaders.projectById.load(funding.projectId))!,
    }),
  }),
});

const ProjectRegionType = builder.objectRef<ProjectRegionRow>('ProjectRegion').implement({
  description: 'A region taking part in a project, with its role.',
  fields: (t) => ({
    region: t.field({
      type: RegionRef,
      description: 'The region (resolved by the regions subgraph).',
      resolve: (row) => ({ code: row.regionCode }),
    }),
    role: t.expose('role', { type: ProjectRegionRoleEnum, description: 'The part the region plays.' }),
  }),
});

const FindingType = builder.objectRef<FindingRow>('ProjectFinding').implement({
  description: 'A transferable finding of a project: what other regions can learn from it.',
  fields: (t) => ({
    text: t.exposeString('text', { description: 'The finding.' }),
    topic: t.expose('topic', { type: ProjectTopicEnum, description: 'The theme the finding is about.' }),
  }),
});

const DocumentType = builder.objectRef<DocumentRow>('ProjectDocument').implement({
  description: 'A link to a document of a project (report, final study).',
  fields: (t) => ({
    title: t.exposeString('title', { description: 'The document’s title.' }),
    url: t.exposeString('url', { description: 'Where the document can be read.' }),
  }),
});

ProjectType.implement({
  description:
    'A study, model project or other project of regional development, with its regions, findings and funding. ' +
    'Every project says whether it is synthetic demonstration data (`synthetic`) and where it comes from (`source`).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The key, e.g. "P-2019-001" (start year and a sequence number).' }),
    title: t.exposeString('title', {
      description: 'The title; synthetic records end in "(synthetic)", which an edit of the title keeps (see UpdateProjectInput.title).',
    }),
    summary: t.exposeString('summary', { description: 'What the project does and why.' }),
    kind: t.expose('kind', { type: ProjectKindEnum, description: 'Study, model project or other.' }),
    status: t.expose('status', { type: ProjectStatusEnum, description: 'Where the project stands.' }),
    topics: t.field({ type: [ProjectTopicEnum], description: 'The themes the project addresses.', resolve: (project) => project.topics }),
    startDate: t.expose('startDate', { type: 'Date', description: 'When the project starts.' }),
    endDate: t.expose('endDate', { type: 'Date', nullable: true, description: 'When the project ends; null while open.' }),
    districtCode: t.exposeID('districtCode', { description: 'The responsible ArL district (031–034), the district of the lead region.' }),
    district: t.field({
      type: RegionRef,
      description: 'The responsible ArL district as a region.',
      resolve: (project) => ({ code: project.districtCode }),
    }),
    regions: t.field({
      type: [ProjectRegionType],
      description: 'The regions involved with their roles, the lead region first.',
      resolve: (project, _args, ctx) => ctx.loaders.regionsByProjectId.load(project.id),
    }),
    leadRegion: t.field({
      type: RegionRef,
      nullable: true,
      description: 'The lead region, to which the project’s funding is attributed.',
      resolve: async (project, _args, ctx) => {
        const lead = (await ctx.loaders.regionsByProjectId.load(project.id)).find((region) => region.role === 'LEAD');
        return lead ? { code: lead.regionCode } : null;
      },
    }),
    cooperation: t.field({
      type: CooperationRef,
      nullable: true,
      description: 'The cooperation carrying the project (resolved by the cooperations subgraph); null if none.',
      resolve: (project) => (project.cooperationId ? { id: project.cooperationId } : null),
    }),
    findings: t.field({
      type: [FindingType],
      description: 'Transferable findings, in order.',
      resolve: (project, _args, ctx) => ctx.loaders.findingsByProjectId.load(project.id),
    }),
    documents: t.field({
      type: [DocumentType],
      description: 'Links to the project’s documents.',
      resolve: (project, _args, ctx) => ctx.loaders.documentsByProjectId.load(project.id),
    }),
    funding: t.field({
      type: [FundingType],
      description: 'The funding commitments, by year.',
      resolve: (project, _args, ctx) => ctx.loaders.fundingsByProjectId.load(project.id),
    }),
    totalFundingCents: t.field({
      type: 'Cents',
      description: 'All funding committed to the project, in euro cents (summed exactly).',
      resolve: async (project, _args, ctx) =>
        (await ctx.loaders.fundingsByProjectId.load(project.id)).reduce((sum, funding) => sum + funding.amountCents, 0n),
    }),
    version: t.exposeInt('version', { description: 'Increments with every change; pass it as expectedVersion when editing.' }),
    updatedAt: t.field({
      type: 'DateTime',
      description: 'When the project (or its funding) was last written; `projects(updatedSince:)` filters on it.',
      resolve: (project) => project.updatedAt,
    }),
    synthetic: t.exposeBoolean('synthetic', { description: 'True for generated demonstration data that describes no real project.' }),
    source: t.exposeString('source', { description: 'Where the record comes from.' }),
    ...provenanceFields(t, projectProvenance, LanguageEnum),
  }),
});

builder.asEntity(ProjectType, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (reference, ctx) => ctx.loaders.projectById.load(reference.id),
});

export const ProjectFilter = builder.inputType('ProjectFilter', {
  description: 'Narrows a list of projects; all given conditions must hold.',
  fields: (t) => ({
    status: t.field({ type: ProjectStatusEnum, required: false, description: 'Only projects with this status.' }),
    kind: t.field({ type: ProjectKindEnum, required: false, description: 'Only projects of this kind.' }),
    topic: t.field({ type: ProjectTopicEnum, required: false, description: 'Only projects with this topic.' }),
    districtCode: t.id({ required: false, description: 'Only projects of this ArL district (031–034).' }),
    regionCode: t.id({ required: false, description: 'Only projects this region takes part in (any role).' }),
    includeDescendants: t.boolean({
      required: false,
      defaultValue: false,
      description: 'With regionCode: also projects of every region below it (by ARS prefix).',
    }),
    programme: t.id({ required: false, description: `Only projects funded by this programme (code). ${UNKNOWN_PROGRAMME_NOTE}` }),
    activeFrom: t.field({
      type: 'Date',
      required: false,
      description: 'Only projects still running on or after this date (or open-ended).',
    }),
    activeTo: t.field({ type: 'Date', required: false, description: 'Only projects started on or before this date.' }),
    cooperationId: t.id({
      required: false,
      description:
        'Only projects carried by this cooperation. An id no cooperation has answers an empty page, not an error: the cooperations ' +
        'are another subgraph’s, which checking the id would ask on every filtered list.',
    }),
    search: t.string({
      required: false,
      description:
        'German full-text search in title, summary and findings: words match their inflected forms (stemming); ' +
        'several words must all occur; "quotes", OR and -exclusion work as in web search. Case does not matter, ' +
        'and "ae", "oe", "ue" are read as umlauts ("Aerzte" finds "Ärzte").',
    }),
  }),
});

const ORDERS = {
  START_DATE_DESC: [{ startDate: 'desc' }, { id: 'asc' }],
  START_DATE_ASC: [{ startDate: 'asc' }, { id: 'asc' }],
  END_DATE_DESC: [{ endDate: { sort: 'desc', nulls: 'first' } }, { id: 'asc' }],
  TITLE_ASC: [{ title: 'asc' }, { id: 'asc' }],
  ID_ASC: [{ id: 'asc' }],
} satisfies Record<string, Prisma.ProjectOrderByWithRelationInput[]>;

const ProjectOrderEnum = builder.enumType('ProjectOrder', {
  description: 'Orders for the project list; ties are broken by id, so pages are stable.',
  values: {
    START_DATE_DESC: { description: 'Newest start first (the default).' },
    START_DATE_ASC: { description: 'Oldest start first.' },
    END_DATE_DESC: { description: 'Latest end first; open-ended projects first of all.' },
    TITLE_ASC: { description: 'By title, in German alphabetical order (umlauts beside their base letters).' },
    ID_ASC: { description: 'By id.' },
  } as const,
});

type ProjectOrder = keyof typeof ORDERS;

interface ProjectPage extends Page<ProjectRow> {
  order: ProjectOrder;
  where: Prisma.ProjectWhereInput;
}

/**
 * Cursors of the project list carry the page's last project as its place in the order: the value it
 * is sorted by and its id (keyset paging). An offset would shift under a concurrent delete or insert
 * before the cursor: a partner copying every project page by page while one was deleted skipped an
 * unrelated project for good, since nothing changed it and the change feed never named it. The
 * cursor names its order too, so a cursor of another order is refused instead of read as a place in
 * this one.
 */
const CURSOR_KIND = 'projects';

/** The sort value of a project in an order (null: no end date); ID_ASC sorts by id alone. */
function sortValueOf(row: ProjectRow, order: ProjectOrder): string | null {
  switch (order) {
    case 'START_DATE_DESC':
    case 'START_DATE_ASC':
      return row.startDate.toISOString().slice(0, 10);
    case 'END_DATE_DESC':
      return row.endDate ? row.endDate.toISOString().slice(0, 10) : null;
    case 'TITLE_ASC':
      return row.title;
    case 'ID_ASC':
      return null;
  }
}

interface ProjectPlace {
  value: string | null;
  id: string;
}

function placeOf(row: ProjectRow, order: ProjectOrder): string {
  return JSON.stringify([order, sortValueOf(row, order), row.id]);
}

/** The place a cursor's text names in `order`; null for the text of another order or list. */
function parsePlace(position: string, order: ProjectOrder): ProjectPlace | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(position);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== order) return null;
  const [, value, id] = parsed as unknown[];
  if (typeof id !== 'string' || (value !== null && typeof value !== 'string')) return null;
  const day = order === 'START_DATE_DESC' || order === 'START_DATE_ASC' || order === 'END_DATE_DESC';
  // A real day, by the one parser of dates: a crafted "9999-99-99" or "0000-01-01" passed a pattern
  // and reached the database as an invalid date (INTERNAL_SERVER_ERROR, found by a probe).
  if (day && value !== null && !parseCalendarDate(value)) return null;
  if ((order === 'START_DATE_DESC' || order === 'START_DATE_ASC' || order === 'TITLE_ASC') && value === null) return null;
  return { value, id };
}

/** The place a cursor of `order` names; BAD_USER_INPUT (argument `after`) for any other cursor. */
function decodePlace(cursor: string, order: ProjectOrder): ProjectPlace {
  return parsePlace(
    decodeCursor(CURSOR_KIND, cursor, (position) => parsePlace(position, order) !== null),
    order,
  )!;
}

/** The projects after `place` in `order` (every order ends with the id, so the place is unique). */
function afterPlace(order: ProjectOrder, { value, id }: ProjectPlace): Prisma.ProjectWhereInput {
  // parsePlace admitted only real days.
  const day = (text: string) => parseCalendarDate(text)!;
  switch (order) {
    case 'START_DATE_DESC':
      return { OR: [{ startDate: { lt: day(value!) } }, { startDate: day(value!), id: { gt: id } }] };
    case 'START_DATE_ASC':
      return { OR: [{ startDate: { gt: day(value!) } }, { startDate: day(value!), id: { gt: id } }] };
    case 'END_DATE_DESC':
      // Open-ended projects (no end date) come first of all.
      return value === null
        ? { OR: [{ endDate: null, id: { gt: id } }, { endDate: { not: null } }] }
        : { OR: [{ endDate: { lt: day(value) } }, { endDate: day(value), id: { gt: id } }] };
    case 'TITLE_ASC':
      // The column's German collation orders these comparisons as it orders the list.
      return { OR: [{ title: { gt: value! } }, { title: value!, id: { gt: id } }] };
    case 'ID_ASC':
      return { id: { gt: id } };
  }
}

const ProjectConnection = defineConnection(builder, {
  node: ProjectType,
  name: 'Project',
  singular: 'project',
  plural: 'projects',
  description: 'A page of projects.',
  cursorKind: CURSOR_KIND,
  positionOf: (page: ProjectPage, index) => placeOf(page.nodes[index]!, page.order),
  totalCount: (page, ctx) => ctx.prisma.project.count({ where: page.where }),
});

export interface ProjectFilterInput extends ProjectConditions {
  search?: string | null;
}

/** Ids of projects matching a German full-text query (one statement, GIN index). */
async function searchProjectIds(ctx: ProjectsContext, search: string): Promise<string[]> {
  const text = checkedSearchText(search, 'filter.search', MAX_SEARCH_LENGTH);
  // One statement answers both whether the query has searchable words and which projects match.
  const [result] = await ctx.prisma.$queryRaw<{ terms: number; ids: string[] }[]>`
    WITH q AS (SELECT websearch_to_tsquery('german', projects.search_text(${text})) AS query)
    SELECT numnode(q.query) AS terms,
           ARRAY(SELECT p.id FROM projects.project p WHERE p.search_document @@ q.query) AS ids
    FROM q`;
  if (!result || result.terms === 0) {
    throw userError(
      'filter.search contains no searchable words: only stop words (such as "und" or "der"), which are not searched.',
      ErrorCode.BadUserInput,
      {
        argument: 'filter.search',
      },
    );
  }
  return result.ids;
}

/**
 * `extensions.reason` of the NOT_FOUND an unknown programme code gets. NOT_FOUND is the code of a lookup
 * by key, where region and indicator codes in arguments get UNKNOWN_REGION_CODES and
 * UNKNOWN_INDICATOR_CODES; switching the code would break clients that branch on NOT_FOUND, so the
 * code it will become is announced here first (docs/api-changes.md), with the codes where theirs are.
 */
export const UNKNOWN_PROGRAMME_CODES = 'UNKNOWN_PROGRAMME_CODES';

/** What a programme argument's description says of an unknown code. */
export const UNKNOWN_PROGRAMME_NOTE =
  'A code no programme has is refused with NOT_FOUND, extensions.reason UNKNOWN_PROGRAMME_CODES and the code in extensions.codes ' +
  '(announced: the code itself will become UNKNOWN_PROGRAMME_CODES).';

/** Refuses an unknown programme code instead of answering with a silently empty result. */
export async function assertProgrammeExists(ctx: ProjectsContext, code: string, argument: string): Promise<void> {
  if (!(await ctx.loaders.programmeByCode.load(code))) {
    throw userError(`${argument} ${JSON.stringify(code)} is not a funding programme code (see fundingProgrammes).`, ErrorCode.NotFound, {
      argument,
      key: code,
      reason: UNKNOWN_PROGRAMME_CODES,
      codes: [code],
    });
  }
}

export async function whereWithSearch(
  ctx: ProjectsContext,
  filter: ProjectFilterInput | null | undefined,
): Promise<Prisma.ProjectWhereInput> {
  const where = projectWhere(filter);
  if (filter?.search == null) return where;
  const ids = await searchProjectIds(ctx, filter.search);
  return { AND: [where, { id: { in: ids } }] };
}

builder.queryFields((t) => ({
  project: t.field({
    type: ProjectType,
    nullable: true,
    description: 'One project by id. An unknown id is answered with a NOT_FOUND error.',
    args: { id: t.arg.id({ required: true, description: 'The project id, e.g. "P-2019-001".' }) },
    resolve: async (_root, args, ctx) => {
      const id = String(args.id);
      const project = await ctx.loaders.projectById.load(id);
      if (!project) throw notFound('Project', id);
      return project;
    },
  }),
  projects: t.field({
    type: ProjectConnection,
    description: 'A page of projects, filtered and ordered.',
    directives: PAGED_LIST_SIZE,
    args: {
      filter: t.arg({ type: ProjectFilter, required: false, description: 'Conditions the projects must meet.' }),
      orderBy: t.arg({ type: ProjectOrderEnum, required: false, defaultValue: 'START_DATE_DESC', description: 'The order of the list.' }),
      first: t.arg.int({ required: false, defaultValue: DEFAULT_PAGE_SIZE, description: `Page size, 1–${MAX_PAGE_SIZE}.` }),
      after: t.arg.string({ required: false, description: 'The endCursor of the previous page.' }),
      updatedSince: t.arg({
        type: 'DateTime',
        required: false,
        description:
          'Only projects written at or after this moment (simple polling; deletions and exact commit order need projectChanges).',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const first = pageSizeOf(args.first, MAX_PAGE_SIZE);
      const order: ProjectOrder = args.orderBy ?? 'START_DATE_DESC';
      const place = args.after ? decodePlace(args.after, order) : null;
      const filter = args.filter
        ? {
            ...args.filter,
            districtCode: args.filter.districtCode?.toString(),
            regionCode: args.filter.regionCode?.toString(),
            programme: args.filter.programme?.toString(),
            cooperationId: args.filter.cooperationId?.toString(),
          }
        : null;
      if (filter?.programme) await assertProgrammeExists(ctx, filter.programme, 'filter.programme');
      const filtered = await whereWithSearch(ctx, filter);
      const where = args.updatedSince ? { AND: [filtered, { updatedAt: { gte: args.updatedSince } }] } : filtered;
      const rows = await ctx.prisma.project.findMany({
        where: place ? { AND: [where, afterPlace(order, place)] } : where,
        orderBy: ORDERS[order],
        take: first + 1,
      });
      for (const row of rows) ctx.loaders.projectById.prime(row.id, row);
      return { nodes: rows.slice(0, first), order, hasNextPage: rows.length > first, where };
    },
  }),
  fundingProgrammes: t.field({
    type: [FundingProgrammeType],
    description: 'All funding programmes, by code.',
    resolve: (_root, _args, ctx) => ctx.prisma.fundingProgramme.findMany({ orderBy: { code: 'asc' } }),
  }),
}));
