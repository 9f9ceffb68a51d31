import { ErrorCode, requireYearRangeArguments, userError, widenedBy } from '@regiograph/shared';
import { builder } from '../builder';
import { assertActivePeriod } from '../filters';
import type { FundingTotal } from '../context';
import { assertProgrammeExists, UNKNOWN_PROGRAMME_NOTE, FundingProgrammeType, ProjectType } from './project';
import { CooperationRef, IndicatorRef, ProjectKindEnum, ProjectStatusEnum, ProjectTopicEnum, RegionRef } from './refs';

/** The commitment years of a funding query: shared's one bound of year arguments. */
export const assertYearRange = requireYearRangeArguments;

export const FundingTotalType = builder.objectRef<FundingTotal>('FundingTotal').implement({
  description: 'Funding committed by one programme in one year, summed exactly in cents.',
  fields: (t) => ({
    programme: t.field({
      type: FundingProgrammeType,
      description: 'The programme.',
      resolve: async (total, _args, ctx) => (await ctx.loaders.programmeByCode.load(total.programmeCode))!,
    }),
    year: t.exposeInt('year', { description: 'The commitment year.' }),
    amountCents: t.field({ type: 'Cents', description: 'The committed amount in euro cents.', resolve: (total) => total.amountCents }),
    syntheticAmountCents: t.field({
      type: 'Cents',
      description:
        'The part of amountCents committed to synthetic demonstration projects (generated, not real funding); 0 when all of it is real.',
      resolve: (total) => total.syntheticAmountCents,
    }),
    projectCount: t.exposeInt('projectCount', { description: 'How many projects the amount went to.' }),
    fundingCount: t.exposeInt('fundingCount', { description: 'How many funding commitments the amount sums.' }),
  }),
});

/**
 * A condition given under its name or under the deprecated one it replaced: either, not both, since
 * two different days would leave one of them silently unused.
 */
function dateArgument(
  value: Date | null | undefined,
  deprecated: Date | null | undefined,
  name: string,
  deprecatedName: string,
): Date | null {
  if (value != null && deprecated != null) {
    throw userError(`Give ${name} or its former name ${deprecatedName}, not both.`, ErrorCode.BadUserInput, { argument: deprecatedName });
  }
  return value ?? deprecated ?? null;
}

builder.objectFields(RegionRef, (t) => ({
  projects: t.field({
    type: [ProjectType],
    // Nullable like every field added to another subgraph's entity: if this subgraph is down,
    // the gateway can still answer with the entity's own fields.
    nullable: true,
    description: 'Projects this region takes part in (any role), newest start first.',
    // A region's own projects: at most 6 in the shipped portfolio, 25 leaves room for those written
    // through the API. The state with includeDescendants has every project: 150 shipped, 180 leaves
    // room (list-sizes.test.ts holds the data to both).
    directives: widenedBy(['includeDescendants'], { narrowSize: 25, wideSize: 180 }),
    args: {
      status: t.arg({ type: ProjectStatusEnum, required: false, description: 'Only projects with this status.' }),
      kind: t.arg({ type: ProjectKindEnum, required: false, description: 'Only projects of this kind.' }),
      topic: t.arg({ type: ProjectTopicEnum, required: false, description: 'Only projects with this topic.' }),
      activeFrom: t.arg({
        type: 'Date',
        required: false,
        description: 'Only projects still running on or after this date (or open-ended), as ProjectFilter.activeFrom.',
      }),
      activeTo: t.arg({
        type: 'Date',
        required: false,
        description: 'Only projects started on or before this date, as ProjectFilter.activeTo.',
      }),
      // The names ProjectFilter had already given the same two conditions: one idea, one name.
      from: t.arg({
        type: 'Date',
        required: false,
        description: 'Only projects still running on or after this date (or open-ended).',
        deprecationReason: 'Use activeFrom, the name ProjectFilter gives it.',
      }),
      to: t.arg({
        type: 'Date',
        required: false,
        description: 'Only projects started on or before this date.',
        deprecationReason: 'Use activeTo, the name ProjectFilter gives it.',
      }),
      includeDescendants: t.arg.boolean({
        required: false,
        defaultValue: false,
        description: 'Also projects of every region below this one (by ARS prefix).',
      }),
    },
    resolve: (region, args, ctx) => {
      const from = dateArgument(args.activeFrom, args.from, 'activeFrom', 'from');
      const to = dateArgument(args.activeTo, args.to, 'activeTo', 'to');
      assertActivePeriod(from, to, '');
      return ctx.loaders.regionProjects.load({
        code: region.code,
        conditions: {
          status: args.status ?? null,
          kind: args.kind ?? null,
          topic: args.topic ?? null,
          activeFrom: from,
          activeTo: to,
          includeDescendants: args.includeDescendants ?? false,
        },
      });
    },
  }),
  fundingTotals: t.field({
    type: [FundingTotalType],
    nullable: true,
    description:
      'Funding of the projects this region leads, by programme and year. Funding is attributed in full to a ' +
      'project’s lead region, so totals of different regions never double count.',
    // A row per programme and year: the state with includeDescendants has the most, 47 in the
    // shipped data (6 of the 8 programmes, commitments 2014–2027); 60 leaves room. A region's own
    // fit in 25 (list-sizes.test.ts holds the data to both).
    directives: widenedBy(['includeDescendants'], { narrowSize: 25, wideSize: 60 }),
    args: {
      programme: t.arg.id({ required: false, description: `Only this programme (code). ${UNKNOWN_PROGRAMME_NOTE}` }),
      fromYear: t.arg.int({ required: false, description: 'Only commitments from this year on.' }),
      toYear: t.arg.int({ required: false, description: 'Only commitments up to this year.' }),
      includeDescendants: t.arg.boolean({
        required: false,
        defaultValue: false,
        description: 'Also projects led by any region below this one (by ARS prefix).',
      }),
    },
    resolve: async (region, args, ctx) => {
      if (args.programme != null) await assertProgrammeExists(ctx, String(args.programme), 'programme');
      assertYearRange(args.fromYear, args.toYear);
      return ctx.loaders.regionFundingTotals.load({
        code: region.code,
        conditions: {
          programme: args.programme != null ? String(args.programme) : null,
          fromYear: args.fromYear ?? null,
          toYear: args.toYear ?? null,
          includeDescendants: args.includeDescendants ?? false,
        },
      });
    },
  }),
}));

builder.objectFields(IndicatorRef, (t) => ({
  projects: t.field({
    type: [ProjectType],
    nullable: true,
    description: 'Projects that aim to move this indicator, newest start first.',
    resolve: (indicator, _args, ctx) => ctx.loaders.projectsByIndicatorCode.load(indicator.code),
  }),
}));

builder.objectFields(CooperationRef, (t) => ({
  projects: t.field({
    type: [ProjectType],
    nullable: true,
    description: 'Projects this cooperation carries, newest start first.',
    args: {
      startingBefore: t.arg({
        type: 'Date',
        required: false,
        description:
          'Only projects that start before this day: those a founding day on it would contradict, which cooperations asks about before a founding day moves later.',
      }),
    },
    resolve: async (cooperation, args, ctx) => {
      const carried = await ctx.loaders.projectsByCooperationId.load(cooperation.id);
      // Filtered here, so the cooperations of one request still share the loader's one statement.
      const before = args.startingBefore;
      return before ? carried.filter((project) => project.startDate < before) : carried;
    },
  }),
}));
