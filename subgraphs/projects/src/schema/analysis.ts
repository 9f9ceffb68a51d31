// The projects' part of the analyses: the facts the indicators subgraph needs (by @requires) to
// find transfer candidates and to set funding against need. This subgraph never reads indicators.
import { ErrorCode, levelReport, listSize, userError, REGION_LEVEL_ENUM } from '@regiograph/shared';
import { builder } from '../builder';
import type { LeadRegionFundingResult } from '../context';
import { assertProgrammeExists, UNKNOWN_PROGRAMME_NOTE, ProjectType } from './project';
import { assertYearRange } from './extensions';
import { RegionLevelEnum } from './refs';

type RegionLevelName = keyof typeof REGION_LEVEL_ENUM.values;

builder.objectFields(ProjectType, (t) => ({
  leadRegionCode: t.id({
    nullable: true,
    description: 'The ARS code of the lead region; null if the project has none.',
    resolve: async (project, _args, ctx) =>
      (await ctx.loaders.regionsByProjectId.load(project.id)).find((region) => region.role === 'LEAD')?.regionCode ?? null,
  }),
  startYear: t.int({ description: 'The year the project starts.', resolve: (project) => project.startDate.getUTCFullYear() }),
  indicatorCodes: t.idList({
    description: 'The codes of the indicators the project aims to move.',
    resolve: (project, _args, ctx) => ctx.loaders.indicatorCodesByProjectId.load(project.id),
  }),
  topicRegionCodes: t.idList({
    description:
      'The ARS codes of every region taking part (any role) in a project on all of this one’s topics (this one included): the regions that already have a project on these topics.',
    resolve: (project, _args, ctx) => ctx.loaders.topicRegionCodesByProjectId.load(project.id),
  }),
}));

interface Targeting {
  indicatorCode: string;
  level: RegionLevelName;
  programmeCode: string | null;
  fromYear: number | null;
  toYear: number | null;
}

/** The entity key: the arguments in a fixed order, so equal questions are the same entity. */
function targetingId(target: Targeting): string {
  return JSON.stringify([target.indicatorCode, target.level, target.programmeCode, target.fromYear, target.toYear]);
}

function parseTargetingId(id: string): Targeting | null {
  try {
    const [indicatorCode, level, programmeCode, fromYear, toYear] = JSON.parse(id) as [
      string,
      RegionLevelName,
      string | null,
      number | null,
      number | null,
    ];
    if (typeof indicatorCode !== 'string' || !(level in REGION_LEVEL_ENUM.values)) return null;
    return { indicatorCode, level, programmeCode, fromYear, toYear };
  } catch {
    return null;
  }
}

const LeadRegionFundingType = builder.objectRef<LeadRegionFundingResult['rows'][number]>('LeadRegionFunding').implement({
  description: 'Funding committed to the projects one region leads (funding is attributed in full to the lead region).',
  shareable: true,
  fields: (t) => ({
    regionCode: t.exposeID('regionCode', { description: 'The ARS code of the lead region.' }),
    amountCents: t.field({ type: 'Cents', description: 'The committed amount in euro cents.', resolve: (row) => row.amountCents }),
  }),
});

const FundingTargetingType = builder.objectRef<Targeting>('FundingTargeting').implement({
  description: 'Funding against need for one indicator, level, programme and period: keyed by these arguments.',
  fields: (t) => ({
    id: t.id({ description: 'The key: the arguments as a JSON array.', resolve: targetingId }),
    indicatorCode: t.exposeID('indicatorCode', { description: 'The need indicator (the indicators subgraph validates and reads it).' }),
    level: t.field({ type: RegionLevelEnum, description: 'The level of the regions compared.', resolve: (target) => target.level }),
    programmeCode: t.exposeID('programmeCode', { nullable: true, description: 'Only funding of this programme; null for all programmes.' }),
    fromYear: t.exposeInt('fromYear', { nullable: true, description: 'Only commitments from this year on.' }),
    toYear: t.exposeInt('toYear', { nullable: true, description: 'Only commitments up to this year.' }),
    leadRegionFunding: t.field({
      type: [LeadRegionFundingType],
      description: 'Funding summed per lead region over the programme and years, by region code; regions without funding are not listed.',
      // A row per lead region with funding whatever the level: 102 in the shipped data (one lead per
      // project, 150 projects); 125 leaves room (list-sizes.test.ts holds the data to it).
      directives: listSize({ assumedSize: 125 }),
      resolve: async (target, _args, ctx) => (await ctx.loaders.leadRegionFunding.load(target)).rows,
    }),
    syntheticFunding: t.boolean({
      description: 'True when any of the funding counted belongs to a synthetic demonstration project.',
      resolve: async (target, _args, ctx) => (await ctx.loaders.leadRegionFunding.load(target)).synthetic,
    }),
  }),
});

builder.asEntity(FundingTargetingType, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (reference) => {
    const target = parseTargetingId(reference.id);
    if (!target) throw userError(`Unknown FundingTargeting ${JSON.stringify(reference.id)}.`, ErrorCode.NotFound, { key: reference.id });
    // A key sent to this subgraph directly is held to the rules of the query that makes it.
    assertYearRange(target.fromYear, target.toYear);
    return target;
  },
});

builder.queryFields((t) => ({
  fundingTargeting: t.field({
    type: FundingTargetingType,
    description:
      'Funding against need: per region of a level the funding per inhabitant next to a need indicator, their rank correlation ' +
      "(Spearman) and the regions with high need and low funding first. Funding is attributed to each project's lead region; the " +
      'indicators subgraph sets it against the monitoring (the method is in the field descriptions there). Demand control prices it at a ' +
      'point per region of the level, whatever is selected (the need of every region is read), plus what `regions` holds.',
    args: {
      indicator: t.arg.id({ required: true, description: 'The need indicator code, e.g. "unemployment_rate".' }),
      level: t.arg({ type: RegionLevelEnum, required: true, description: 'The level of the regions compared.' }),
      programme: t.arg.id({
        required: false,
        description: `Only funding of this programme (code); default all programmes. ${UNKNOWN_PROGRAMME_NOTE}`,
      }),
      fromYear: t.arg.int({ required: false, description: 'Only commitments from this year on.' }),
      toYear: t.arg.int({ required: false, description: 'Only commitments up to this year; also the latest year of need and population.' }),
    },
    // Its regions (which the indicators subgraph adds) are every region of the level: sized so for
    // demand control, or all that a query nests under them counts as 25 regions; and the report a
    // point per region, as the indicators subgraph reads the whole level for it whatever is selected.
    directives: levelReport(['regions']),
    resolve: async (_root, args, ctx) => {
      const programmeCode = args.programme != null ? String(args.programme) : null;
      if (programmeCode != null) await assertProgrammeExists(ctx, programmeCode, 'programme');
      assertYearRange(args.fromYear, args.toYear);
      const level = args.level;
      if (level === 'STATE')
        throw userError('fundingTargeting compares the regions of a level below the state.', ErrorCode.BadUserInput, { argument: 'level' });
      return { indicatorCode: String(args.indicator), level, programmeCode, fromYear: args.fromYear ?? null, toYear: args.toYear ?? null };
    },
  }),
}));
