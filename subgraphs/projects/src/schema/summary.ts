import { Prisma, type ProjectKind, type ProjectStatus, type ProjectTopic } from '@regiograph/db';
import { ErrorCode, sizedBy, userError } from '@regiograph/shared';
import { builder } from '../builder';
import type { ProjectsContext } from '../context';
import { assertRegionCodeArgument, leadRegionSql, projectConditionsSql } from '../filters';
import { CODE_LENGTH_OF_LEVEL, type CatalogueLevel } from '../region-catalogue';
import { assertYearRange } from './extensions';
import { assertProgrammeExists, UNKNOWN_PROGRAMME_NOTE, FundingProgrammeType } from './project';
import { ProjectKindEnum, ProjectStatusEnum, ProjectTopicEnum, RegionLevelEnum, RegionRef } from './refs';

type Grouping = 'REGION' | 'DISTRICT' | 'PROGRAMME' | 'YEAR' | 'TOPIC';

const FundingGroupByEnum = builder.enumType('FundingGroupBy', {
  description: 'How the funding summary groups the money.',
  values: {
    REGION: { description: 'By lead region (optionally rolled up to a level, see filter.level).' },
    DISTRICT: { description: 'By responsible ArL district.' },
    PROGRAMME: { description: 'By funding programme.' },
    YEAR: { description: 'By commitment year.' },
    TOPIC: { description: 'By project topic. A project with several topics counts in each, so groups overlap.' },
  } as const,
});

interface FundingGroup {
  groupBy: Grouping;
  key: string;
  amountCents: bigint;
  syntheticAmountCents: bigint;
  projectCount: number;
  fundingCount: number;
}

interface FundingSummary {
  groupBy: Grouping;
  groups: FundingGroup[];
  totalAmountCents: bigint;
  totalSyntheticAmountCents: bigint;
  projectCount: number;
  fundingCount: number;
}

const SYNTHETIC_PART = 'committed to synthetic demonstration projects (generated, not real funding); 0 when all of it is real.';

const FundingGroupType = builder.objectRef<FundingGroup>('FundingGroup').implement({
  description: 'The funding of one group: its key, exact sum in cents and counts.',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The group’s key: region code, district code, programme code, year or topic.' }),
    amountCents: t.field({
      type: 'Cents',
      description: 'The committed amount in euro cents (summed exactly).',
      resolve: (group) => group.amountCents,
    }),
    syntheticAmountCents: t.field({
      type: 'Cents',
      description: `The part of amountCents ${SYNTHETIC_PART}`,
      resolve: (group) => group.syntheticAmountCents,
    }),
    projectCount: t.exposeInt('projectCount', { description: 'How many projects the amount went to.' }),
    fundingCount: t.exposeInt('fundingCount', { description: 'How many funding commitments the amount sums.' }),
    region: t.field({
      type: RegionRef,
      nullable: true,
      description:
        'The region (REGION and DISTRICT groups), resolved by the regions subgraph — join names and indicator values through it.',
      resolve: (group) => (group.groupBy === 'REGION' || group.groupBy === 'DISTRICT' ? { code: group.key } : null),
    }),
    programme: t.field({
      type: FundingProgrammeType,
      nullable: true,
      description: 'The programme (PROGRAMME groups).',
      resolve: (group, _args, ctx) => (group.groupBy === 'PROGRAMME' ? ctx.loaders.programmeByCode.load(group.key) : null),
    }),
    year: t.int({
      nullable: true,
      description: 'The commitment year (YEAR groups).',
      resolve: (group) => (group.groupBy === 'YEAR' ? Number(group.key) : null),
    }),
    topic: t.field({
      type: ProjectTopicEnum,
      nullable: true,
      description: 'The topic (TOPIC groups).',
      resolve: (group) => (group.groupBy === 'TOPIC' ? (group.key as ProjectTopic) : null),
    }),
  }),
});

const FundingSummaryType = builder.objectRef<FundingSummary>('FundingSummary').implement({
  description: 'Funding summed by group, with the overall total.',
  fields: (t) => ({
    groupBy: t.field({ type: FundingGroupByEnum, description: 'How the groups are formed.', resolve: (summary) => summary.groupBy }),
    groups: t.field({ type: [FundingGroupType], description: 'The groups, ordered by key.', resolve: (summary) => summary.groups }),
    totalAmountCents: t.field({
      type: 'Cents',
      description: 'All money matching the filter, counted once (also for overlapping TOPIC groups).',
      resolve: (summary) => summary.totalAmountCents,
    }),
    totalSyntheticAmountCents: t.field({
      type: 'Cents',
      description: `The part of totalAmountCents ${SYNTHETIC_PART}`,
      resolve: (summary) => summary.totalSyntheticAmountCents,
    }),
    projectCount: t.exposeInt('projectCount', { description: 'How many distinct projects the total went to.' }),
    fundingCount: t.exposeInt('fundingCount', { description: 'How many funding commitments the total sums.' }),
  }),
});

const FundingSummaryFilter = builder.inputType('FundingSummaryFilter', {
  description: 'Narrows the funding summarised; all given conditions must hold.',
  fields: (t) => ({
    programme: t.id({
      required: false,
      description: `Only money from this programme (code), e.g. "ZUKUNFTSREGIONEN". ${UNKNOWN_PROGRAMME_NOTE}`,
    }),
    level: t.field({
      type: RegionLevelEnum,
      required: false,
      description:
        'For REGION groups: roll lead regions up to this level (e.g. COUNTY groups money of municipality-led projects under their county). ' +
        'Projects led by a region above the level are left out. Without it, groups are the lead regions themselves.',
    }),
    regionCode: t.id({ required: false, description: 'Only projects led by this region (and, by default, regions below it).' }),
    includeDescendants: t.boolean({
      required: false,
      defaultValue: true,
      description: 'With regionCode: include projects led by regions below it (default true).',
    }),
    districtCode: t.id({ required: false, description: 'Only projects of this ArL district (031–034).' }),
    status: t.field({ type: ProjectStatusEnum, required: false, description: 'Only projects with this status.' }),
    kind: t.field({ type: ProjectKindEnum, required: false, description: 'Only projects of this kind.' }),
    topic: t.field({ type: ProjectTopicEnum, required: false, description: 'Only projects with this topic.' }),
    fromYear: t.int({ required: false, description: 'Only commitments from this year on.' }),
    toYear: t.int({ required: false, description: 'Only commitments up to this year.' }),
  }),
});

interface SummaryFilterInput {
  programme?: string | number | null;
  level?: CatalogueLevel | null;
  regionCode?: string | number | null;
  includeDescendants?: boolean | null;
  districtCode?: string | number | null;
  status?: ProjectStatus | null;
  kind?: ProjectKind | null;
  topic?: ProjectTopic | null;
  fromYear?: number | null;
  toYear?: number | null;
}

interface SummarySqlRow {
  group_key: string | null;
  amount_cents: string;
  synthetic_amount_cents: string;
  project_count: number;
  funding_count: number;
  is_total: boolean;
}

/** One statement: the groups and the de-duplicated total (UNION ALL over one filtered CTE). */
async function summarise(ctx: ProjectsContext, groupBy: Grouping, filter: SummaryFilterInput | null | undefined): Promise<FundingSummary> {
  const conditions: Prisma.Sql[] = projectConditionsSql(
    {
      status: filter?.status,
      kind: filter?.kind,
      topic: filter?.topic,
      districtCode: filter?.districtCode != null ? String(filter.districtCode) : null,
    },
    'filter',
  );
  if (filter?.programme != null) {
    await assertProgrammeExists(ctx, String(filter.programme), 'filter.programme');
    conditions.push(Prisma.sql`f.programme_code = ${String(filter.programme)}`);
  }
  if (filter?.regionCode != null) {
    const code = String(filter.regionCode);
    assertRegionCodeArgument(code, 'filter.regionCode');
    conditions.push(leadRegionSql(code, filter.includeDescendants ?? true));
  }
  assertYearRange(filter?.fromYear, filter?.toYear, 'filter.');
  if (filter?.fromYear != null) conditions.push(Prisma.sql`f.commitment_year >= ${filter.fromYear}`);
  if (filter?.toYear != null) conditions.push(Prisma.sql`f.commitment_year <= ${filter.toYear}`);

  let key: Prisma.Sql;
  switch (groupBy) {
    case 'REGION': {
      if (filter?.level) {
        const length = CODE_LENGTH_OF_LEVEL[filter.level];
        // Only real regions of the level: a 9-digit prefix is not always a Samtgemeinde.
        const codes = ctx.catalogue.atLevel(filter.level).map((region) => region.code);
        key = Prisma.sql`left(lead.region_code, ${length}::int)`;
        conditions.push(Prisma.sql`left(lead.region_code, ${length}::int) = ANY(${codes}::text[])`);
      } else {
        key = Prisma.sql`lead.region_code`;
      }
      break;
    }
    case 'DISTRICT':
      key = Prisma.sql`p.district_code`;
      break;
    case 'PROGRAMME':
      key = Prisma.sql`f.programme_code`;
      break;
    case 'YEAR':
      key = Prisma.sql`f.commitment_year::text`;
      break;
    case 'TOPIC':
      key = Prisma.sql`p.topics::text[]`;
      break;
  }
  if (filter?.level && groupBy !== 'REGION') {
    throw userError('filter.level only applies to groupBy: REGION.', ErrorCode.BadUserInput, { argument: 'filter.level' });
  }
  const where = conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
  const groupSource =
    groupBy === 'TOPIC'
      ? Prisma.sql`SELECT topic.value AS group_key, s.project_id, s.amount_cents, s.synthetic FROM selected s CROSS JOIN LATERAL unnest(s.group_key) AS topic(value)`
      : Prisma.sql`SELECT s.group_key, s.project_id, s.amount_cents, s.synthetic FROM selected s`;
  const rows = await ctx.prisma.$queryRaw<SummarySqlRow[]>`
    WITH selected AS (
      SELECT ${key} AS group_key, f.project_id, f.amount_cents, p.synthetic
      FROM projects.funding f
      JOIN projects.project p ON p.id = f.project_id
      JOIN projects.project_region lead ON lead.project_id = f.project_id AND lead.role = 'LEAD'
      ${where}
    )
    SELECT g.group_key::text AS group_key, SUM(g.amount_cents)::text AS amount_cents,
           COALESCE(SUM(g.amount_cents) FILTER (WHERE g.synthetic), 0)::text AS synthetic_amount_cents,
           COUNT(DISTINCT g.project_id)::int AS project_count, COUNT(*)::int AS funding_count, false AS is_total
    FROM (${groupSource}) g
    GROUP BY g.group_key
    UNION ALL
    SELECT NULL, COALESCE(SUM(s.amount_cents), 0)::text, COALESCE(SUM(s.amount_cents) FILTER (WHERE s.synthetic), 0)::text,
           COUNT(DISTINCT s.project_id)::int, COUNT(*)::int, true
    FROM selected s
    ORDER BY 6, 1`;
  const total = rows.find((row) => row.is_total)!;
  return {
    groupBy,
    groups: rows
      .filter((row) => !row.is_total)
      .map((row) => ({
        groupBy,
        key: row.group_key!,
        amountCents: BigInt(row.amount_cents),
        syntheticAmountCents: BigInt(row.synthetic_amount_cents),
        projectCount: row.project_count,
        fundingCount: row.funding_count,
      })),
    totalAmountCents: BigInt(total.amount_cents),
    totalSyntheticAmountCents: BigInt(total.synthetic_amount_cents),
    projectCount: total.project_count,
    fundingCount: total.funding_count,
  };
}

builder.queryFields((t) => ({
  fundingSummary: t.field({
    type: FundingSummaryType,
    description:
      'Funding summed by region, district, programme, year or topic, in exact cents. Money is attributed in full to a project’s ' +
      'lead region. For "funding per inhabitant by county", group by REGION with level COUNTY and read ' +
      '`region { value(indicator: "population") { value } }` from the indicators subgraph.',
    // At most one group per region of filter.level, else per region (1,133 bound every other grouping too).
    directives: sizedBy({ arguments: ['filter'], sizedFields: ['groups'] }, 1133),
    args: {
      groupBy: t.arg({ type: FundingGroupByEnum, required: true, description: 'How to group.' }),
      filter: t.arg({ type: FundingSummaryFilter, required: false, description: 'Which funding to include.' }),
    },
    resolve: (_root, args, ctx) => summarise(ctx, args.groupBy, args.filter),
  }),
}));
