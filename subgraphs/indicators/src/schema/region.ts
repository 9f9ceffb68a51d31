import {
  ErrorCode,
  InputRefusalReason,
  requireRegionCodeArguments,
  requireYearArgument,
  requireYearRangeArguments,
  sizedBy,
  STATE_CODE,
  userError,
} from '@regiograph/shared';
import { rankByPolarity, type Ranked } from '../analysis';
import { builder } from '../builder';
import { absentObservation, type IndicatorRow, type IndicatorsContext, type ObservationRow } from '../context';
import { levelOfCode, type RegionDirectory, type RegionLevelName } from '../regions';
import { requireIndicator, requireIndicators, requireRegionsBelow, REGION_LEVEL_DEPTH } from './arguments';
import { RegionLevelEnum } from './enums';
import { IndicatorType, ObservationType, RegionRef, regionReference } from './refs';

export interface RankingScope {
  indicator: IndicatorRow;
  year: number;
  level: RegionLevelName;
  withinParent: string | null;
}

export interface PeerRanking {
  ranked: Ranked<ObservationRow>[];
  byRegion: Map<string, Ranked<ObservationRow>>;
  withoutValue: ObservationRow[];
}

/**
 * Ranks all peers of a scope that have a value, from one cross-section (one statement per batch);
 * computed once per request and scope however many regions ask. Every other peer is in
 * withoutValue, a stored null and no observation at all alike: a reader must see that the
 * ranking is over fewer regions than the level has.
 */
export function rankPeers(ctx: IndicatorsContext, scope: RankingScope): Promise<PeerRanking> {
  return ctx.memo(`ranking|${scope.indicator.code}|${scope.year}|${scope.level}|${scope.withinParent ?? ''}`, async () => {
    const section = await ctx.loaders.crossSection.load({ indicatorCode: scope.indicator.code, year: scope.year });
    const withValue: { item: ObservationRow; value: number }[] = [];
    const withoutValue: ObservationRow[] = [];
    for (const peer of ctx.regions.ofLevel(scope.level, scope.withinParent)) {
      const observation = section.get(peer.code) ?? absentObservation(ctx.regions, scope.indicator, peer.code, scope.year);
      if (observation.value === null) withoutValue.push(observation);
      else withValue.push({ item: observation, value: observation.value });
    }
    const ranked = rankByPolarity(withValue, scope.indicator.polarity);
    return { ranked, byRegion: new Map(ranked.map((entry) => [entry.item.regionCode, entry])), withoutValue };
  });
}

/**
 * A parent code must name a region above the ranked level (and, for one region, one of its
 * ancestors) that has regions of that level below it.
 */
export function requireWithinParent(
  regions: RegionDirectory,
  code: string | number | null | undefined,
  level: RegionLevelName,
  regionCode?: string,
): string | null {
  if (code == null) return null;
  const [parent] = requireRegionCodeArguments([code], 'withinParent');
  if (
    REGION_LEVEL_DEPTH[levelOfCode(parent!)!] >= REGION_LEVEL_DEPTH[level] ||
    (regionCode !== undefined && !regionCode.startsWith(parent!))
  ) {
    throw userError(`withinParent ${parent} is not above ${regionCode ?? `the level ${level}`}.`, ErrorCode.BadUserInput, {
      argument: 'withinParent',
      reason: InputRefusalReason.ParentNotAbove,
    });
  }
  requireRegionsBelow(regions, level, parent!, 'withinParent');
  return parent!;
}

export interface RankingRow {
  scope: RankingScope;
  observation: ObservationRow;
  rank: number;
  of: number;
  percentile: number;
}

export const RankingType = builder.objectRef<RankingRow>('Ranking').implement({
  description: "A region's place among its peers (regions of the same level, optionally within a parent) for one indicator and year.",
  fields: (t) => ({
    indicator: t.field({ type: IndicatorType, description: 'The indicator ranked by.', resolve: (row) => row.scope.indicator }),
    year: t.int({ description: 'The year ranked.', resolve: (row) => row.scope.year }),
    level: t.field({ type: RegionLevelEnum, description: 'The level of the peers.', resolve: (row) => row.scope.level }),
    withinParent: t.field({
      type: RegionRef,
      nullable: true,
      description: 'The region the peers lie in; null for all regions of the level in the state.',
      resolve: (row) => (row.scope.withinParent ? regionReference(row.scope.withinParent) : null),
    }),
    region: t.field({ type: RegionRef, description: 'The region ranked.', resolve: (row) => regionReference(row.observation.regionCode) }),
    regionCode: t.id({ description: 'The ARS code of the region ranked.', resolve: (row) => row.observation.regionCode }),
    value: t.float({ description: "The region's value.", resolve: (row) => row.observation.value! }),
    observation: t.field({ type: ObservationType, description: 'The observation ranked.', resolve: (row) => row.observation }),
    rank: t.exposeInt('rank', {
      description: '1 = best by the polarity (largest value first unless LOWER_IS_BETTER); ties share the better rank.',
    }),
    of: t.exposeInt('of', { description: 'How many peers have a value and were ranked.' }),
    percentile: t.exposeFloat('percentile', {
      description:
        '100 = best, 0 = worst: 100 × (of − rank) / (of − 1), the share of the other ranked peers placed below it or tied with it, in percent ' +
        '(tied peers share the better rank, and so the higher percentile); 100 when it is the only one ranked.',
    }),
  }),
});

interface ComparisonRow {
  indicator: IndicatorRow;
  year: number;
  regionCode: string;
  value: number | null;
  parentCode: string | null;
  parentValue: number | null;
  stateValue: number | null;
}

const difference = (value: number | null, other: number | null) => (value === null || other === null ? null : value - other);
const relative = (value: number | null, other: number | null) =>
  value === null || other === null || other === 0 ? null : (100 * (value - other)) / other;

const ComparisonType = builder.objectRef<ComparisonRow>('RegionComparison').implement({
  description:
    "A region's value next to its parent's (the district for a county, the county for a municipality or Samtgemeinde, the state for a district) and the state's.",
  fields: (t) => ({
    indicator: t.field({ type: IndicatorType, description: 'The indicator compared.', resolve: (row) => row.indicator }),
    year: t.exposeInt('year', { description: 'The year compared.' }),
    value: t.exposeFloat('value', { nullable: true, description: "The region's value; null when it has none." }),
    parent: t.field({
      type: RegionRef,
      nullable: true,
      description: 'The region compared with; null for the state.',
      resolve: (row) => (row.parentCode ? regionReference(row.parentCode) : null),
    }),
    parentCode: t.exposeID('parentCode', { nullable: true, description: 'The ARS code of the region compared with.' }),
    parentValue: t.exposeFloat('parentValue', { nullable: true, description: "The parent's value; null when it has none." }),
    differenceToParent: t.float({
      nullable: true,
      description: 'value − parentValue.',
      resolve: (row) => difference(row.value, row.parentValue),
    }),
    relativeDifferenceToParent: t.float({
      nullable: true,
      description: '(value − parentValue) / parentValue in percent.',
      resolve: (row) => relative(row.value, row.parentValue),
    }),
    stateValue: t.exposeFloat('stateValue', { nullable: true, description: "The state's value; null when it has none." }),
    differenceToState: t.float({
      nullable: true,
      description: 'value − stateValue.',
      resolve: (row) => difference(row.value, row.stateValue),
    }),
    relativeDifferenceToState: t.float({
      nullable: true,
      description: '(value − stateValue) / stateValue in percent.',
      resolve: (row) => relative(row.value, row.stateValue),
    }),
  }),
});

function regionLevel(code: string): RegionLevelName {
  const level = levelOfCode(code);
  if (!level)
    throw userError(`${JSON.stringify(code)} is not an ARS code.`, ErrorCode.BadUserInput, {
      key: code,
      reason: InputRefusalReason.NotARegionCode,
    });
  return level;
}

builder.objectFields(RegionRef, (t) => ({
  value: t.field({
    type: ObservationType,
    nullable: true,
    description:
      'The observation of an indicator in a year, or in the latest year with a value when year is omitted; null when there is none.',
    args: {
      indicator: t.arg.id({ required: true, description: 'The indicator code.' }),
      year: t.arg.int({ required: false, description: 'The year; omitted = the latest year with a value.' }),
    },
    resolve: async (region, args, ctx) => {
      const indicator = await requireIndicator(ctx, args.indicator);
      const year = args.year == null ? null : requireYearArgument(args.year, 'year');
      return ctx.loaders.value.load({ regionCode: region.code, indicatorCode: indicator.code, year });
    },
  }),
  values: t.field({
    type: [ObservationType],
    // Nullable like every field added to another subgraph's entity: if this subgraph is down,
    // the gateway can still answer with the region's own fields.
    nullable: true,
    description:
      'Observations of several indicators, ordered by indicator (as asked) and year; only the latest per indicator with latest: true.',
    directives: sizedBy({ arguments: ['indicators', 'fromYear', 'toYear'] }),
    args: {
      indicators: t.arg.idList({ required: true, description: 'Indicator codes.' }),
      fromYear: t.arg.int({ required: false, description: 'First year (inclusive).' }),
      toYear: t.arg.int({ required: false, description: 'Last year (inclusive).' }),
      latest: t.arg.boolean({
        required: false,
        defaultValue: false,
        description: 'Only the latest observation with a value per indicator within the range.',
      }),
    },
    resolve: async (region, args, ctx) => {
      const indicators = await requireIndicators(ctx, args.indicators, 'indicators');
      requireYearRangeArguments(args.fromYear, args.toYear);
      return ctx.loaders
        .series({
          indicatorCodes: indicators.map((row) => row.code),
          fromYear: args.fromYear ?? null,
          toYear: args.toYear ?? null,
          latest: args.latest ?? false,
        })
        .load(region.code);
    },
  }),
  rank: t.field({
    type: RankingType,
    nullable: true,
    description: 'The rank among regions of the same level (within a parent when given); null when the region has no value.',
    args: {
      indicator: t.arg.id({ required: true, description: 'The indicator code.' }),
      year: t.arg.int({ required: true, description: 'The year.' }),
      withinParent: t.arg.id({ required: false, description: 'Rank only among peers below this region (an ancestor of this region).' }),
    },
    resolve: async (region, args, ctx) => {
      const indicator = await requireIndicator(ctx, args.indicator);
      const level = regionLevel(region.code);
      const scope = {
        indicator,
        year: requireYearArgument(args.year, 'year'),
        level,
        withinParent: requireWithinParent(ctx.regions, args.withinParent, level, region.code),
      };
      const { ranked, byRegion } = await rankPeers(ctx, scope);
      const entry = byRegion.get(region.code);
      return entry ? { scope, observation: entry.item, rank: entry.rank, of: ranked.length, percentile: entry.percentile } : null;
    },
  }),
  comparison: t.field({
    type: ComparisonType,
    nullable: true,
    description: "The region's value next to its parent's and the state's for an indicator and year.",
    args: {
      indicator: t.arg.id({ required: true, description: 'The indicator code.' }),
      year: t.arg.int({ required: true, description: 'The year.' }),
    },
    resolve: async (region, args, ctx) => {
      const indicator = await requireIndicator(ctx, args.indicator);
      const year = requireYearArgument(args.year, 'year');
      const section = await ctx.loaders.crossSection.load({ indicatorCode: indicator.code, year });
      const parentCode = ctx.regions.comparisonParentOf(region.code);
      return {
        indicator,
        year,
        regionCode: region.code,
        value: section.get(region.code)?.value ?? null,
        parentCode,
        parentValue: parentCode ? (section.get(parentCode)?.value ?? null) : null,
        stateValue: section.get(STATE_CODE)?.value ?? null,
      };
    },
  }),
}));
