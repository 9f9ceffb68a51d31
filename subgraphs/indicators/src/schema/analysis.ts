import {
  BKG_SOURCE,
  CODE_LENGTH_OF_LEVEL,
  cost,
  csvNotesHint,
  csvStart,
  ErrorCode,
  InputRefusalReason,
  formatCsvLine,
  formatCsvNote,
  indicatorSourceNote,
  levelReport,
  LEVEL_READ_WEIGHT_PER_INDICATOR,
  readsLevel,
  readsParentLevel,
  regionsOfLargestLevel,
  REPORT_WEIGHT_PER_REGION,
  listSize,
  regionSourceNote,
  requireYearArgument,
  LANGUAGE_ARGUMENT,
  userError,
  type CsvDialect,
  type Language,
} from '@regiograph/shared';
import { takeWorkTurn } from '@regiograph/subgraph-kit';
import {
  disparities,
  fundingTargeting,
  similarityContributions,
  similarRegions,
  type DisparityColumnRow,
  type DisparityScoreRow,
  type FundingNeedRow,
  type RegionDisparityRow,
  type SimilarityContributionRow,
  type SimilarRegionRow,
  weightIndicatorOf,
} from '../analytics/analyses';
import { neighbourSearchWork, theilDecomposition, type TheilDecomposition, type TheilGroup } from '../analytics/math';
import {
  DEFAULT_PROFILE,
  loadProfiles,
  MISSING_RULE,
  MISSING_RULE_DE,
  packedZScoresOf,
  YEAR_RULE,
  YEAR_RULE_DE,
  type ProfileColumn,
  type Profiles,
} from '../analytics/profile';
import { builder } from '../builder';
import type { IndicatorRow, IndicatorsContext } from '../context';
import { isSyntheticIndicator } from '../definitions';
import { LEVEL_NAMES_DE } from '../missing-reasons';
import { levelOfCode, type RegionDirectory, type RegionLevelName } from '../regions';
import { requireIndicator, requireIndicators, WITHOUT_REGIONS_BELOW_NOTE } from './arguments';
import { CsvDialectEnum, LanguageEnum, RegionLevelEnum } from './enums';
import { indicatorAttribution, indicatorPublisher } from './indicator';
import { IndicatorType, RegionRef, regionReference } from './refs';
import { requireWithinParent } from './region';

/** The most regions one similarity answer lists. */
export const MAX_SIMILAR = 200;
/** The regions one similarity answer lists when `first` is not given. */
const DEFAULT_SIMILAR = 10;

/**
 * What one similarity search weighs in demand control besides the regions it lists. It measures the
 * origin against every region of its level on every indicator: up to 967 municipalities × 30
 * indicators, about 0.1–0.2 ms of CPU, as much as some 50 objects of an answer cost the subgraph and
 * the gateway (a table of 100,000 cells takes a few hundred ms to shape). A fixed weight, because the
 * level is the parent region's, which the estimate cannot see. Unpriced, 1,000 searches for the 200
 * nearest were estimated at 27,001 points and held the subgraph for seconds.
 */
export const SIMILARITY_SEARCH_WEIGHT = 50;

/** `directives` of a similarity field: its weight, and `first` (default 10) as the size of its `regions`. */
const SIMILARITY_COST = {
  ...cost(SIMILARITY_SEARCH_WEIGHT),
  ...listSize({ slicingArguments: ['first'], assumedSize: DEFAULT_SIMILAR, sizedFields: ['regions'], requireOneSlicingArgument: false }),
};

const SIMILARITY_COST_NOTE =
  `Demand control prices each call at ${SIMILARITY_SEARCH_WEIGHT} points (the search compares against every region of the level) ` +
  'plus its regions, `first` of them, times what each region selects.';
const LEVEL_READ_COST_NOTE =
  `Each place a query selects it adds ${LEVEL_READ_WEIGHT_PER_INDICATOR} points per indicator compared (${DEFAULT_PROFILE.length} for ` +
  'the default profile), once for all the regions it is selected on there: it reads those indicators over the whole level, once ' +
  'per level, year and indicators of a request.';
const TRANSFER_COST_NOTE =
  `Demand control prices each project's call at ${SIMILARITY_SEARCH_WEIGHT} points plus ${REPORT_WEIGHT_PER_REGION} point per region ` +
  `of the largest level (${regionsOfLargestLevel()}), plus its regions, \`first\` of them, times what each region selects: each project ` +
  'reads the whole level of its lead region in its own start year on its own indicators (as disparities does), which projects ' +
  'share only when all three are equal.';
/** The most indicators one profile takes. */
export const MAX_PROFILE = 30;
/**
 * The size of a list with an item per indicator of a profile (its indicators, omitted indicators, a
 * region's scores or contributions): at most MAX_PROFILE, which the arguments enforce. Counted as the
 * default 25, a profile of 30 indicators was underestimated.
 */
const PROFILE_LIST_SIZE = listSize({ assumedSize: MAX_PROFILE });

const DISTANCE_METHOD =
  'Every indicator is z-standardised across all regions of the level (population standard deviation), so units do not matter; ' +
  'the distance is the Euclidean distance of the z-scores. ' +
  MISSING_RULE +
  ' ' +
  YEAR_RULE +
  ' Ties in distance are broken by ARS code; a region is never its own neighbour.';

/** DISTANCE_METHOD in each language of the Language enum (the `method` field's `language` argument). */
const DISTANCE_METHOD_TEXT: Record<Language, string> = {
  EN: DISTANCE_METHOD,
  DE:
    'Jeder Indikator wird über alle Regionen der Ebene z-standardisiert (Standardabweichung der Grundgesamtheit), sodass seine ' +
    'Einheit keine Rolle spielt; der Abstand ist der euklidische Abstand der z-Werte. ' +
    MISSING_RULE_DE +
    ' ' +
    YEAR_RULE_DE +
    ' Bei gleichem Abstand entscheidet der Regionalschlüssel (ARS); eine Region ist nie ihre eigene Nachbarin.',
};

// ---- shared parts -------------------------------------------------------------------------------

const ProfileIndicatorType = builder.objectRef<ProfileColumn>('AnalysisIndicator').implement({
  description: 'An indicator as an analysis used it: the year read and its spread across the regions of the level.',
  fields: (t) => ({
    indicator: t.field({
      type: IndicatorType,
      description: 'The indicator (its source, licence and attribution are on it).',
      resolve: (column) => column.indicator,
    }),
    indicatorCode: t.id({ description: 'The indicator code.', resolve: (column) => column.indicator.code }),
    year: t.exposeInt('year', { description: 'The year whose values were used (the rule is in the method text).' }),
    regionCount: t.exposeInt('regionCount', {
      description:
        'Regions of the level with a value that year: the n of every measure over the level (regions without a value are left out).',
    }),
    aggregatedRegionCount: t.exposeInt('aggregatedRegionCount', {
      description:
        'Of those, the regions whose value is not published by the source but computed by RegioGraph from the regions within them ' +
        '(Observation.aggregated, e.g. a county from its municipalities; for a weighted mean an approximation): above 0, the ' +
        'standardisation and the disparity measures mix published and computed values.',
    }),
    mean: t.exposeFloat('mean', {
      description: 'The unweighted mean over those regions (each region counts once, whatever its population).',
    }),
    standardDeviation: t.exposeFloat('standardDeviation', {
      description: 'The population standard deviation over those regions: one z-score unit.',
    }),
    stateValue: t.exposeFloat('stateValue', { nullable: true, description: "The state's own value that year; null when there is none." }),
    stateValueAggregated: t.exposeBoolean('stateValueAggregated', {
      description:
        'True when stateValue is not a figure the source publishes for the state but one RegioGraph computed from the ' +
        'counties by the indicator’s aggregation rule (Observation.aggregated; for a weighted mean an approximation); ' +
        'false when it is published, or null.',
    }),
    synthetic: t.boolean({
      description: 'True when the indicator is synthetic demonstration data: then every result built on it is demonstration only.',
      resolve: (column) => isSyntheticIndicator(column.indicator),
    }),
  }),
});

interface IndicatorSelection {
  indicators: IndicatorRow[];
  usedDefault: boolean;
}

/** The asked indicators, or the default profile; at most MAX_PROFILE. */
async function requireProfile(ctx: IndicatorsContext, codes: readonly (string | number)[] | null | undefined): Promise<IndicatorSelection> {
  if (codes != null && codes.length > MAX_PROFILE) {
    throw userError(`indicators is limited to ${MAX_PROFILE} codes.`, ErrorCode.TooManyItems, {
      argument: 'indicators',
      limit: MAX_PROFILE,
    });
  }
  if (codes == null || codes.length === 0)
    return { indicators: await requireIndicators(ctx, DEFAULT_PROFILE, 'indicators'), usedDefault: true };
  return { indicators: await requireIndicators(ctx, codes, 'indicators'), usedDefault: false };
}

function requireFirst(first: number | null | undefined, fallback: number): number {
  const value = first ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > MAX_SIMILAR) {
    throw userError(`first must be between 1 and ${MAX_SIMILAR}.`, ErrorCode.BadUserInput, { argument: 'first' });
  }
  return value;
}

// ---- similar regions (also transfer candidates) ---------------------------------------------------

export interface SimilarityResult {
  originCode: string;
  profiles: Profiles;
  year: number | null;
  usedDefault: boolean;
  regions: SimilarRegionRow[];
  /** Regions left out because they already have a project on the topics (transfer candidates only). */
  excluded: string[];
  /**
   * Transfer candidates only: the project is synthetic, or regions were left out for the projects of
   * the portfolio, which holds the synthetic demonstration projects.
   */
  syntheticProjects?: boolean;
}

const ContributionType = builder.objectRef<SimilarityContributionRow>('SimilarityContribution').implement({
  description: "One indicator's part in the distance of two regions: why they are alike or not.",
  fields: (t) => ({
    indicator: t.field({ type: IndicatorType, description: 'The indicator.', resolve: (row) => row.column.indicator }),
    indicatorCode: t.id({ description: 'The indicator code.', resolve: (row) => row.column.indicator.code }),
    year: t.int({ description: 'The year of both values.', resolve: (row) => row.column.year }),
    value: t.exposeFloat('value', { description: "The origin region's value." }),
    candidateValue: t.exposeFloat('candidateValue', { description: "The similar region's value." }),
    zScore: t.exposeFloat('zScore', { description: "The origin region's z-score: (value − mean) / standard deviation of the level." }),
    candidateZScore: t.exposeFloat('candidateZScore', { description: "The similar region's z-score." }),
    difference: t.exposeFloat('difference', { description: 'zScore − candidateZScore: the gap in standard deviations.' }),
    share: t.exposeFloat('share', {
      description:
        "The indicator's share of the squared distance, 0–1 (difference² / Σ difference²); the shares of a result add up to 1 (all 0 for identical regions).",
    }),
  }),
});

const SimilarRegionType = builder.objectRef<SimilarRegionRow>('SimilarRegion').implement({
  description: 'A region structurally similar to another, with its distance and what it is made of.',
  fields: (t) => ({
    region: t.field({ type: RegionRef, description: 'The similar region.', resolve: (row) => regionReference(row.regionCode) }),
    regionCode: t.exposeID('regionCode', { description: 'Its ARS code.' }),
    rank: t.exposeInt('rank', { description: '1 = the most similar.' }),
    distance: t.exposeFloat('distance', {
      description:
        'Euclidean distance of the z-scores, scaled to the whole profile when values are missing: 0 = identical; about √(2 × indicators) for two typical regions.',
    }),
    comparedIndicators: t.int({ description: 'How many indicators both regions have a value for.', resolve: (row) => row.compared }),
    contributions: t.field({
      type: [ContributionType],
      description: 'Every compared indicator, in the order of the profile.',
      directives: PROFILE_LIST_SIZE,
      resolve: similarityContributions,
    }),
  }),
});

const SimilarityType = builder.objectRef<SimilarityResult>('SimilarityAnalysis').implement({
  description: 'Regions of the same level ranked by their structural distance to one region, explained indicator by indicator.',
  fields: (t) => ({
    origin: t.field({ type: RegionRef, description: 'The region compared with.', resolve: (result) => regionReference(result.originCode) }),
    originCode: t.exposeID('originCode', { description: 'Its ARS code.' }),
    level: t.field({
      type: RegionLevelEnum,
      description: 'The level of the compared regions.',
      resolve: (result) => result.profiles.level,
    }),
    year: t.exposeInt('year', { nullable: true, description: 'The year asked; null for the newest values.' }),
    method: t.string({
      description: 'How the distance is computed, with the missing-value and year rules.',
      args: {
        language: t.arg({ type: LanguageEnum, ...LANGUAGE_ARGUMENT }),
      },
      resolve: (_result, { language }) => DISTANCE_METHOD_TEXT[language],
    }),
    usedDefaultProfile: t.boolean({
      description: `True when no indicators were given and the default profile was used (${DEFAULT_PROFILE.join(', ')}).`,
      resolve: (result) => result.usedDefault,
    }),
    indicators: t.field({
      type: [ProfileIndicatorType],
      description: 'The indicators compared, with the year read.',
      directives: PROFILE_LIST_SIZE,
      resolve: (result) => result.profiles.columns,
    }),
    omittedIndicators: t.field({
      type: [IndicatorType],
      description: 'Indicators asked for that have no value at this level: not compared.',
      directives: PROFILE_LIST_SIZE,
      resolve: (result) => result.profiles.omitted,
    }),
    syntheticInputs: t.boolean({
      description:
        'True when any compared indicator is synthetic demonstration data, or (transfer candidates) the project is, or regions were ' +
        'left out for projects of the portfolio, which holds the synthetic demonstration projects: the answer then demonstrates ' +
        'the method, not real similarity.',
      resolve: (result) => result.profiles.synthetic || (result.syntheticProjects ?? false),
    }),
    excludedRegionCodes: t.idList({
      description:
        'Regions of the level left out because they (or a region within them) already take part in a project on all of the project’s topics; empty for similarRegions.',
      resolve: (result) => result.excluded,
    }),
    regions: t.field({
      type: [SimilarRegionType],
      description: 'The most similar regions, nearest first.',
      resolve: (result) => result.regions,
    }),
  }),
});

async function similarity(
  ctx: IndicatorsContext,
  originCode: string,
  selection: IndicatorSelection,
  year: number | null,
  first: number,
  excluded: string[] = [],
): Promise<SimilarityResult | null> {
  const level = levelOfCode(originCode);
  if (!level || !ctx.regions.has(originCode)) return null;
  const profiles = await loadProfiles(ctx, selection.indicators, level, year);
  const refused = new Set(excluded);
  // Searches from many origins of one request (a list of regions, `_entities`) take turns, so they
  // neither hold the event loop for seconds nor go on once the caller has hung up.
  await takeWorkTurn(ctx, neighbourSearchWork(packedZScoresOf(profiles)));
  const regions = similarRegions(profiles, originCode, first, (code) => !refused.has(code));
  return { originCode, profiles, year, usedDefault: selection.usedDefault, regions, excluded };
}

builder.objectFields(RegionRef, (t) => ({
  similarRegions: t.field({
    type: SimilarityType,
    nullable: true,
    description:
      'Regions of the same level that are structurally most similar to this one (none for the state, the only region of its level). ' +
      DISTANCE_METHOD +
      ' ' +
      SIMILARITY_COST_NOTE +
      ' ' +
      LEVEL_READ_COST_NOTE,
    // The level's profile read per distinct year and indicators, priced by the indicators it reads (shared's readsLevel says why).
    directives: {
      ...SIMILARITY_COST,
      ...readsLevel('indicators', DEFAULT_PROFILE.length, ['indicators', 'omittedIndicators', 'regions.contributions']),
    },
    args: {
      indicators: t.arg.idList({
        required: false,
        description: `The indicators to compare on (at most ${MAX_PROFILE}); default the profile ${DEFAULT_PROFILE.join(', ')}.`,
      }),
      year: t.arg.int({ required: false, description: 'The year; default the newest values of each indicator.' }),
      first: t.arg.int({ required: false, defaultValue: DEFAULT_SIMILAR, description: `How many regions, 1–${MAX_SIMILAR}.` }),
    },
    resolve: async (region, args, ctx) => {
      const year = args.year == null ? null : requireYearArgument(args.year, 'year');
      const first = requireFirst(args.first, DEFAULT_SIMILAR);
      return similarity(ctx, region.code, await requireProfile(ctx, args.indicators), year, first);
    },
  }),
}));

// ---- a project's indicators and transfer candidates (Project, owned by the projects subgraph) -----

const TARGET_INDICATORS_DESCRIPTION =
  'The indicators the project aims to move, as the catalogue holds them. A code the catalogue does not hold (mistyped when ' +
  'written, or its indicator removed since) is left out; indicatorCodes lists every code as written.';

interface ProjectRequirements {
  id: string;
  leadRegionCode?: string | null;
  startYear?: number;
  indicatorCodes?: string[];
  topicRegionCodes?: string[];
  synthetic?: boolean;
}

/**
 * Project is owned by the projects subgraph. Its fields below arrive with the entity reference
 * (@requires), so this subgraph never reads the projects' tables and never calls that subgraph.
 */
builder.externalRef('Project', builder.selection<{ id: string }>('id')).implement({
  description:
    'A study, model project or other project of regional development, with its regions, findings and funding. ' +
    'Every project says whether it is synthetic demonstration data (`synthetic`) and where it comes from (`source`).',
  // The owner's descriptions, repeated so that composition has nothing to choose between.
  externalFields: (t) => ({
    leadRegionCode: t.id({ nullable: true, description: 'The ARS code of the lead region; null if the project has none.' }),
    startYear: t.int({ description: 'The year the project starts.' }),
    indicatorCodes: t.idList({ description: 'The codes of the indicators the project aims to move.' }),
    topicRegionCodes: t.idList({
      description:
        'The ARS codes of every region taking part (any role) in a project on all of this one’s topics (this one included): the regions that already have a project on these topics.',
    }),
    synthetic: t.boolean({ description: 'True for generated demonstration data that describes no real project.' }),
  }),
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The key, e.g. "P-2019-001" (start year and a sequence number).' }),
    // Resolved here, where the catalogue is: a reference to a code it does not hold would otherwise
    // be null in a list of non-null indicators, and the gateway would null the whole project.
    indicators: t.field({
      type: [IndicatorType],
      requires: builder.selection<{ indicatorCodes: string[] }>('indicatorCodes'),
      description: `${TARGET_INDICATORS_DESCRIPTION} Non-null, so when the indicators subgraph does not answer the null climbs to the project and, in a list of projects, to the whole answer's data; targetIndicators is the same list, nullable.`,
      deprecationReason:
        'Use targetIndicators: the same list, but nullable, so that an outage of the indicators subgraph costs only that field, not the project and the whole answer.',
      resolve: (project, _args, ctx) => targetIndicators(ctx, project.indicatorCodes),
    }),
    // The non-null `indicators` could not be made nullable without breaking typed clients (a change of
    // an output type), so the nullable list is a field of its own and the old one is deprecated.
    targetIndicators: t.field({
      type: [IndicatorType],
      nullable: true,
      requires: builder.selection<{ indicatorCodes: string[] }>('indicatorCodes'),
      description:
        `${TARGET_INDICATORS_DESCRIPTION} Null, with an error, only when the indicators subgraph that resolves it does not answer: ` +
        'like every field a subgraph adds to another’s entity, so an outage costs this field and keeps the project (it replaces the non-null indicators).',
      resolve: (project, _args, ctx) => targetIndicators(ctx, project.indicatorCodes),
    }),
    transferCandidates: t.field({
      type: SimilarityType,
      nullable: true,
      requires: builder.selection<Required<Omit<ProjectRequirements, 'id'>>>(
        'leadRegionCode startYear indicatorCodes topicRegionCodes synthetic',
      ),
      description:
        "Where the project's findings could transfer: regions of the lead region's level structurally similar to the lead region in the " +
        "project's start year, over the indicators the project aims at (the default profile when it names none or none of them has " +
        'values at that level), that take no part in any project on all of its topics yet (nor does a region within them). ' +
        'Ranked by distance, each with its explanation. Null for a project without a lead region. ' +
        DISTANCE_METHOD +
        ' ' +
        TRANSFER_COST_NOTE,
      // Each project may read another level, year and indicator set: its read is priced per project (shared's readsParentLevel says why).
      directives: { ...SIMILARITY_COST, ...readsParentLevel(SIMILARITY_SEARCH_WEIGHT) },
      args: {
        first: t.arg.int({ required: false, defaultValue: DEFAULT_SIMILAR, description: `How many regions, 1–${MAX_SIMILAR}.` }),
      },
      resolve: async (project, args, ctx) => {
        const first = requireFirst(args.first, DEFAULT_SIMILAR);
        if (!project.leadRegionCode || project.startYear == null) return null;
        const level = levelOfCode(project.leadRegionCode);
        if (!level) return null;
        const catalogue = await ctx.loaders.catalogue();
        const named = (project.indicatorCodes ?? []).filter((code) => catalogue.has(code));
        let selection: IndicatorSelection =
          named.length > 0
            ? { indicators: named.map((code) => catalogue.get(code)!), usedDefault: false }
            : await requireProfile(ctx, null);
        const excluded = excludedRegions(ctx, level, project.topicRegionCodes ?? [], project.leadRegionCode);
        let result = await similarity(ctx, project.leadRegionCode, selection, project.startYear, first, excluded);
        if (result && result.profiles.columns.length === 0 && !selection.usedDefault) {
          // None of the project's indicators has values at the lead region's level: compare on the default profile.
          selection = await requireProfile(ctx, null);
          result = await similarity(ctx, project.leadRegionCode, selection, project.startYear, first, excluded);
        }
        return result && { ...result, syntheticProjects: project.synthetic || excluded.length > 0 };
      },
    }),
  }),
});

/** The catalogue's indicators of a project's codes, in the project's order; codes it does not hold left out. */
async function targetIndicators(ctx: IndicatorsContext, codes: readonly string[]) {
  const catalogue = await ctx.loaders.catalogue();
  return codes.flatMap((code) => catalogue.get(code) ?? []);
}

/** Regions of the level that take part in a project on the topics, or contain a region that does. */
function excludedRegions(ctx: IndicatorsContext, level: RegionLevelName, topicRegionCodes: readonly string[], leadCode: string): string[] {
  return ctx.regions
    .ofLevel(level)
    .map((region) => region.code)
    .filter((code) => code !== leadCode && topicRegionCodes.some((taking) => taking.startsWith(code)));
}

// ---- disparities -----------------------------------------------------------------------------------

const DISPARITY_METHOD =
  'Per region and indicator: z = (value − state value) / standard deviation over all regions of the level; the state value is the ' +
  "state's own observation, else the mean of the regions. adjustedZScore = z for HIGHER_IS_BETTER, −z for LOWER_IS_BETTER, none for " +
  'NEUTRAL (no direction): positive = better than the state. compositeIndex = the mean of the adjusted z-scores present (equal weights). ' +
  'weakestFifthCount = the directed indicators in which fewer than a fifth of the regions of the level are worse. Standardisation and ' +
  'fifths are always state-wide; withinParent only selects the regions listed. Only rates, shares and per-inhabitant values ' +
  'are compared: counts summed over the regions (aggregation SUM) are refused, as their state value is the state total. ' +
  'Disparity measures per indicator over the n regions of the level with a value (regionCount; regions without one are left out), ' +
  'unweighted (each region counts once, whatever its population; not the inequality between inhabitants): coefficient of variation = ' +
  'population standard deviation / mean; Gini = Σi Σj |xi − xj| / (2n² mean); Theil = (1/n) Σ (xi/mean) ln(xi/mean) (natural ' +
  'logarithm); each null for fewer than two regions, a negative value or a mean of 0. ' +
  'Beside them the weighted measures (with population weights the inequality between inhabitants): each region weighted by its ' +
  'weight indicator in the same year as the values (weightIndicatorCode, weightYear: for an indicator aggregated as WEIGHTED_MEAN ' +
  'its own weight indicator, else population; with weightYears: NEAREST_YEAR in the nearest year with weights where that year has ' +
  'none), pi = wi / Σ w, mean_w = Σ pi xi; weighted coefficient of variation (Williamson) = ' +
  '√(Σ pi (xi − mean_w)²) / mean_w; weighted Gini = Σi Σj pi pj |xi − xj| / (2 mean_w); weighted Theil = Σ pi (xi/mean_w) ' +
  'ln(xi/mean_w); each null as the unweighted ones, and when a region with a value has no weight in weightYear (weightedRegionCount ' +
  'below regionCount), a weight is negative or all are 0. unmeasurableReason and weightedUnmeasurableReason say why a measure is ' +
  'null. Values RegioGraph computed from the regions ' +
  'within (aggregatedRegionCount) enter like published ones. ' +
  YEAR_RULE;

/** DISPARITY_METHOD in each language of the Language enum. */
const DISPARITY_METHOD_TEXT: Record<Language, string> = {
  EN: DISPARITY_METHOD,
  DE:
    'Je Region und Indikator: z = (Wert − Landeswert) / Standardabweichung über alle Regionen der Ebene; der Landeswert ist der vom ' +
    'Land selbst beobachtete Wert, sonst das Mittel der Regionen. Angepasster z-Wert = z, wenn ein höherer Wert besser ist, −z, wenn ' +
    'ein niedrigerer besser ist, keiner bei Indikatoren ohne Richtung: positiv = besser als das Land. Gesamtindex = das Mittel der ' +
    'vorhandenen angepassten z-Werte (gleich gewichtet). Schwächstes Fünftel: die gerichteten Indikatoren, in denen weniger als ein ' +
    'Fünftel der Regionen der Ebene schlechter ist. Standardisierung und Fünftel beziehen sich stets auf das ganze Land; die Wahl ' +
    'eines Gebiets darin wählt nur die aufgeführten Regionen aus. Verglichen werden nur Quoten, Anteile und Werte je Einwohner: über ' +
    'die Regionen summierte Zahlen (Aggregation SUM) werden abgelehnt, weil ihr Landeswert die Summe des Landes ist. ' +
    'Disparitätsmaße je Indikator über die n Regionen der Ebene mit Wert (regionCount; Regionen ohne Wert bleiben außen vor), ' +
    'ungewichtet (jede Region zählt einmal, gleich wie viele Einwohner sie hat; nicht die Ungleichheit zwischen Einwohnern): ' +
    'Variationskoeffizient = Standardabweichung der Grundgesamtheit / Mittel; Gini = Σi Σj |xi − xj| / (2n² Mittel); Theil = ' +
    '(1/n) Σ (xi/Mittel) ln(xi/Mittel) (natürlicher Logarithmus); jeweils null bei weniger als zwei Regionen, einem negativen ' +
    'Wert oder einem Mittel von 0. ' +
    'Daneben die gewichteten Maße (mit der Bevölkerung gewichtet die Ungleichheit zwischen Einwohnern): jede Region gewichtet mit ' +
    'ihrem Gewichtsindikator im selben Jahr wie die Werte (weightIndicatorCode, weightYear: bei einem als gewichtetes Mittel ' +
    '(WEIGHTED_MEAN) aggregierten Indikator sein eigener Gewichtsindikator, sonst population; mit weightYears: NEAREST_YEAR im ' +
    'nächsten Jahr mit Gewichten, wo das Jahr der Werte keine hat), pi = wi / Σ w, Mittel_w = Σ pi xi; ' +
    'gewichteter Variationskoeffizient (Williamson) = √(Σ pi (xi − Mittel_w)²) / Mittel_w; gewichteter Gini = Σi Σj pi pj |xi − xj| ' +
    '/ (2 Mittel_w); gewichteter Theil = Σ pi (xi/Mittel_w) ln(xi/Mittel_w); jeweils null wie die ungewichteten und wenn eine ' +
    'Region mit Wert in dem Jahr kein Gewicht hat (weightedRegionCount unter regionCount), ein Gewicht negativ ist oder alle 0 ' +
    'sind. unmeasurableReason und weightedUnmeasurableReason nennen den Grund eines fehlenden Maßes. ' +
    'Von RegioGraph aus den Regionen darin berechnete Werte (aggregatedRegionCount) gehen wie ' +
    'veröffentlichte ein. ' +
    YEAR_RULE_DE,
};

/**
 * Refuses counts in a disparity report. A SUM indicator's state value is the sum over all regions of
 * the level, so no region can come near it: every z-score would be dozens of standard deviations
 * below the state and the composite would rank regions by size, not by disparity. Derived
 * indicators computed from a count (its rates, shares and per-inhabitant values) are named as the
 * comparable alternative.
 */
/**
 * Refuses counts summed over the regions (population, gdp, unemployed, …) where an analysis needs a
 * rate: a count grows with a region's size. The refusal names the per-inhabitant indicators derived
 * from each count.
 */
async function refuseCounts(
  ctx: IndicatorsContext,
  indicators: readonly IndicatorRow[],
  refusal: { analysis: string; reason: string; argument: string },
): Promise<void> {
  const counts = indicators.filter((indicator) => indicator.aggregation === 'SUM');
  if (counts.length === 0) return;
  const catalogue = await ctx.loaders.catalogue();
  const alternatives = (code: string): string[] =>
    [...catalogue.values()]
      .filter((candidate) => candidate.aggregation !== 'SUM' && candidate.derivedFrom.includes(code))
      .map((candidate) => candidate.code)
      .sort();
  const hints = counts.map((count) => {
    const found = alternatives(count.code);
    return found.length > 0 ? `${count.code} → ${found.join(', ')}` : null;
  });
  const suggestions = hints.filter((hint): hint is string => hint !== null);
  const codes = counts.map((count) => count.code);
  throw userError(
    `${refusal.analysis} needs rates or per-inhabitant indicators, not counts summed over the regions (${codes.join(', ')}): ` +
      `${refusal.reason}. Use a rate, share or per-inhabitant indicator instead` +
      (suggestions.length > 0 ? ` (${suggestions.join('; ')}).` : '.'),
    ErrorCode.BadUserInput,
    { argument: refusal.argument, reason: InputRefusalReason.NotAdditive, codes },
  );
}

interface DisparityReport {
  level: RegionLevelName;
  withinParent: string | null;
  year: number | null;
  usedDefault: boolean;
  profiles: Profiles;
  columns: DisparityColumnRow[];
  regions: RegionDisparityRow[];
  rankedRegionCount: number;
}

const DisparityUnmeasurableEnum = builder.enumType('DisparityUnmeasurable', {
  description: 'Why a disparity measure (coefficient of variation, Gini, Theil) of an indicator has no value.',
  values: {
    TOO_FEW_REGIONS: {
      description: 'Fewer than two regions of the level have a value: one region is no distribution, and its 0 would read as equality.',
    },
    NEGATIVE_VALUE: {
      description: 'A region has a negative value (net migration, a balance): the measures assume a ratio scale, values of 0 and above.',
    },
    ZERO_MEAN: {
      description: 'The (weighted) mean is 0: there is no level to measure the spread relative to (all values 0).',
    },
    WEIGHTS_MISSING: {
      description:
        'Weighted measures only: a region with a value has no value of the weight indicator in the year of the weights ' +
        '(weightIndicatorCode, weightYear; weightedRegionCount < regionCount), a weight is negative, or all weights are 0.',
    },
  } as const,
});

const DisparityWeightYearEnum = builder.enumType('DisparityWeightYear', {
  description:
    'Which year of the weight indicator weighs the values in the weighted disparity measures (DisparityIndicator.weightYear says ' +
    'which was used).',
  values: {
    SAME_YEAR: {
      description: 'Only the year of the values: where the weight indicator has no value of the level that year, WEIGHTS_MISSING.',
    },
    NEAREST_YEAR: {
      description:
        'The year of the values where the weight indicator has values of the level then, else the nearest year that has (the ' +
        'earlier on a tie): 2022 county values weighted by the 2021 population, say. The weights of another year approximate ' +
        'the sizes of the values’ year.',
    },
  } as const,
});

const WEIGHTS_NOTE =
  'Weighted by weightIndicatorCode in weightYear (for a WEIGHTED_MEAN indicator its own weight indicator, else population), ' +
  'pi = wi / Σ w the regions’ shares of the weights, mean_w = Σ pi xi';

/** The groups a Theil index is decomposed by when none is asked for: ArL districts for counties, else counties. */
function defaultTheilGroupLevel(level: RegionLevelName): RegionLevelName | null {
  if (level === 'COUNTY') return 'DISTRICT';
  if (level === 'MUNICIPAL_ASSOCIATION' || level === 'MUNICIPALITY') return 'COUNTY';
  return null;
}

const TheilGroupType = builder.objectRef<TheilGroup>('TheilGroup').implement({
  description: 'One group of a Theil decomposition: the regions of the report’s level within one region of the group level.',
  fields: (t) => ({
    region: t.field({
      type: RegionRef,
      description: 'The region the group’s regions lie in (an ArL district, a county).',
      resolve: (group) => regionReference(group.group),
    }),
    regionCount: t.exposeInt('regionCount', { description: 'The group’s regions with a value (and a weight, weighted).' }),
    weightShare: t.exposeFloat('weightShare', {
      description: 'P_g: the group’s share of the weights (weighted), or of the regions (unweighted).',
    }),
    mean: t.exposeFloat('mean', { description: 'μ_g: the group’s mean (weighted by the weights, when weighted).' }),
    totalShare: t.exposeFloat('totalShare', { description: 's_g = P_g μ_g / μ: the group’s share of the total.' }),
    theil: t.exposeFloat('theil', {
      description: 'T_g: the Theil index within the group (0 for a group of one region); it adds s_g T_g to within.',
    }),
  }),
});

const TheilDecompositionType = builder
  .objectRef<TheilDecomposition & { groupLevel: RegionLevelName; total: number }>('TheilDecomposition')
  .implement({
    description:
      'The Theil index split into the inequality between groups of regions and within them (T = between + within): between = ' +
      'Σg s_g ln(μ_g/μ), the index if every region had its group’s mean; within = Σg s_g T_g, the groups’ own indices weighted by ' +
      'their shares of the total s_g. betweenShare says how much of the disparity lies between, say, the four ArL districts ' +
      'rather than between the counties within each.',
    fields: (t) => ({
      groupLevel: t.field({
        type: RegionLevelEnum,
        description: 'The level whose regions form the groups.',
        resolve: (decomposition) => decomposition.groupLevel,
      }),
      theil: t.exposeFloat('total', { description: 'The Theil index decomposed: theil, or weightedTheil when weighted.' }),
      between: t.exposeFloat('between', { description: 'The part between the groups, Σg s_g ln(μ_g/μ).' }),
      within: t.exposeFloat('within', { description: 'The part within the groups, Σg s_g T_g.' }),
      betweenShare: t.float({
        nullable: true,
        description: 'between / theil: the share of the disparity between the groups; null when the index is 0 (all equal).',
        resolve: (decomposition) => (decomposition.total > 0 ? decomposition.between / decomposition.total : null),
      }),
      groups: t.field({
        type: [TheilGroupType],
        description: 'The groups with a region with a value, by code.',
        // At most the 45 counties (groups of municipalities); the four ArL districts for counties.
        directives: listSize({ assumedSize: 45 }),
        resolve: (decomposition) => decomposition.groups,
      }),
    }),
  });

const DisparityIndicatorType = builder.objectRef<DisparityColumnRow>('DisparityIndicator').implement({
  description: 'An indicator of a disparity report: the reference it is measured against and how unequal the regions are.',
  fields: (t) => ({
    indicator: t.field({
      type: ProfileIndicatorType,
      description: 'The indicator with its year and spread.',
      resolve: (row) => row.column,
    }),
    reference: t.exposeFloat('reference', {
      description: 'The value deviations are measured from: the state value, else the mean of the regions.',
    }),
    referenceIsStateObservation: t.exposeBoolean('referenceIsStateObservation', {
      description:
        "True when the reference is the state's own observation, false when it is the unweighted mean of the regions. " +
        'The state’s observation may itself be computed from the counties: see indicator.stateValueAggregated.',
    }),
    coefficientOfVariation: t.exposeFloat('coefficientOfVariation', {
      nullable: true,
      description:
        'Population standard deviation (divides by n) / mean over the regions of the level, unweighted (each region counts once, ' +
        'whatever its population); null for fewer than two regions, a negative value or a mean of 0.',
    }),
    gini: t.exposeFloat('gini', {
      nullable: true,
      description:
        'Gini coefficient of the regional values, Σi Σj |xi − xj| / (2n² mean), unweighted (each region counts once, whatever its ' +
        'population): 0 = all equal, at most 1 − 1/n; null for fewer than two regions, a negative value or a mean of 0.',
    }),
    theil: t.exposeFloat('theil', {
      nullable: true,
      description:
        'Theil index T = (1/n) Σ (xi/mean) ln(xi/mean), natural logarithm, 0 · ln 0 = 0, unweighted: 0 = all equal, ln n = all in ' +
        'one region; null for fewer than two regions, a negative value or a mean of 0.',
    }),
    unmeasurableReason: t.field({
      type: DisparityUnmeasurableEnum,
      nullable: true,
      description: 'Why coefficientOfVariation, gini and theil are null (never WEIGHTS_MISSING); null when they have values.',
      resolve: (row) => row.unmeasurableReason,
    }),
    weightIndicatorCode: t.exposeID('weightIndicatorCode', {
      description:
        'The indicator the weighted measures weigh the regions by: for an indicator aggregated as WEIGHTED_MEAN its own weight ' +
        'indicator (population for most rates per inhabitant; area_km2 for population_density: inequality between square ' +
        'kilometres, not inhabitants; population_under_3 for childcare_rate_under3), for any other the population.',
    }),
    weightYear: t.exposeInt('weightYear', {
      nullable: true,
      description:
        'The year of the weights: the year of the values (indicator.year), or with weightYears: NEAREST_YEAR the nearest year the ' +
        'weight indicator has values of the level; null when none was read (SAME_YEAR and no value of the level that year).',
    }),
    weightedRegionCount: t.exposeInt('weightedRegionCount', {
      description:
        'Regions with both a value and a weight in that year: the n of the weighted measures, which exist only when this equals ' +
        'indicator.regionCount (otherwise WEIGHTS_MISSING: a region left out would change what they describe).',
    }),
    weightedCoefficientOfVariation: t.exposeFloat('weightedCoefficientOfVariation', {
      nullable: true,
      description:
        'Weighted coefficient of variation (Williamson’s index), √(Σ pi (xi − mean_w)²) / mean_w. ' +
        WEIGHTS_NOTE +
        '. With population weights the spread between inhabitants, not regions. Null as weightedUnmeasurableReason says.',
    }),
    weightedGini: t.exposeFloat('weightedGini', {
      nullable: true,
      description:
        'Weighted (with population weights: population-weighted) Gini coefficient, Σi Σj pi pj |xi − xj| / (2 mean_w): every ' +
        'region’s value held by its share of the weights; equal weights give gini. ' +
        WEIGHTS_NOTE +
        '. 0 = all equal. Null as weightedUnmeasurableReason says.',
    }),
    weightedTheil: t.exposeFloat('weightedTheil', {
      nullable: true,
      description:
        'Weighted Theil index T = Σ pi (xi/mean_w) ln(xi/mean_w), natural logarithm, 0 · ln 0 = 0 (with population weights the ' +
        'population-weighted Theil of a per-inhabitant value). ' +
        WEIGHTS_NOTE +
        '. 0 = all equal. Null as weightedUnmeasurableReason says.',
    }),
    weightedUnmeasurableReason: t.field({
      type: DisparityUnmeasurableEnum,
      nullable: true,
      description:
        'Why weightedCoefficientOfVariation, weightedGini and weightedTheil are null: the unweighted reason first (it holds whatever ' +
        'the weights), then WEIGHTS_MISSING, then ZERO_MEAN for a weighted mean of 0; null when they have values.',
      resolve: (row) => row.weightedUnmeasurableReason,
    }),
    theilDecomposition: t.field({
      type: TheilDecompositionType,
      nullable: true,
      description:
        'theil (or weightedTheil) split into the part between groups of regions and the part within them, over the same regions ' +
        'and values as the index; null where the index is null (see unmeasurableReason, weightedUnmeasurableReason). Computed ' +
        'from the values the report has read: no statement more.',
      args: {
        groupLevel: t.arg({
          type: RegionLevelEnum,
          required: false,
          description:
            'The level whose regions form the groups: DISTRICT (the ArL districts) or COUNTY, above the report’s level; default the ' +
            'ArL districts for counties, the counties for Samtgemeinden and municipalities. Refused with BAD_USER_INPUT otherwise (a ' +
            'report of the districts has no default; Samtgemeinden are no groups, as a municipality outside one has none).',
        }),
        weighted: t.arg.boolean({
          required: true,
          defaultValue: false,
          description: 'Decompose weightedTheil (the weights of weightIndicatorCode in weightYear) instead of theil.',
        }),
      },
      resolve: (row, args) => {
        const { level, codes, values, weights } = row.measured;
        const groupLevel = args.groupLevel ?? defaultTheilGroupLevel(level);
        // Only districts and counties hold every region below them: a municipality outside a Samtgemeinde has none.
        if (
          groupLevel === null ||
          (groupLevel !== 'DISTRICT' && groupLevel !== 'COUNTY') ||
          CODE_LENGTH_OF_LEVEL[groupLevel] >= CODE_LENGTH_OF_LEVEL[level]
        )
          throw userError(
            `theilDecomposition groups the ${level} regions by the ArL districts (DISTRICT) or the counties (COUNTY) above them` +
              (groupLevel === null ? ': the districts have none above them.' : `, not ${groupLevel}.`),
            ErrorCode.BadUserInput,
            { argument: 'groupLevel' },
          );
        const groups = codes.map((code) => code.slice(0, CODE_LENGTH_OF_LEVEL[groupLevel]));
        const decomposition = theilDecomposition(values, args.weighted ? weights : null, groups);
        if (decomposition === null) return null;
        return { ...decomposition, groupLevel, total: (args.weighted ? row.weightedTheil : row.theil) ?? 0 };
      },
    }),
  }),
});

const DisparityScoreType = builder.objectRef<DisparityScoreRow>('DisparityScore').implement({
  description: "A region's deviation from the state for one indicator.",
  fields: (t) => ({
    indicatorCode: t.id({ description: 'The indicator code.', resolve: (row) => row.column.indicator.code }),
    year: t.int({ description: 'The year.', resolve: (row) => row.column.year }),
    value: t.exposeFloat('value', { nullable: true, description: "The region's value; null when it has none." }),
    zScore: t.exposeFloat('zScore', { nullable: true, description: '(value − reference) / standard deviation of the level.' }),
    adjustedZScore: t.exposeFloat('adjustedZScore', {
      nullable: true,
      description: 'zScore turned by polarity, positive = better than the state; null for NEUTRAL indicators and missing values.',
    }),
    inWeakestFifth: t.exposeBoolean('inWeakestFifth', {
      description: 'True when fewer than a fifth of the regions of the level are worse (directed indicators only).',
    }),
  }),
});

const RegionDisparityType = builder.objectRef<RegionDisparityRow>('RegionDisparity').implement({
  description: "One region's standing against the state across the indicators of a disparity report.",
  fields: (t) => ({
    region: t.field({ type: RegionRef, description: 'The region.', resolve: (row) => regionReference(row.regionCode) }),
    regionCode: t.exposeID('regionCode', { description: 'Its ARS code.' }),
    rankFromWeakest: t.exposeInt('rankFromWeakest', {
      nullable: true,
      description:
        '1 = the lowest composite index of all regions of the level (ties share the better rank); null without a composite index.',
    }),
    compositeIndex: t.exposeFloat('compositeIndex', {
      nullable: true,
      description:
        'The mean of the adjusted z-scores (equal weights): 0 = at the state value, negative = behind it; null without any directed value.',
    }),
    weakestFifthCount: t.exposeInt('weakestFifthCount', { description: 'In how many indicators the region is in the weakest fifth.' }),
    scores: t.field({
      type: [DisparityScoreType],
      description: 'Per indicator, in the order of the report.',
      directives: PROFILE_LIST_SIZE,
      resolve: (row) => row.scores,
    }),
  }),
});

/** An indicator's aggregation rule in German words, with its weight indicator where it has one: the enum's names are English. */
const AGGREGATION_DE: Record<IndicatorRow['aggregation'], (weightIndicator: string | null) => string> = {
  SUM: () => 'als Summe',
  WEIGHTED_MEAN: (weightIndicator) => (weightIndicator ? `als mit ${weightIndicator} gewichtetes Mittel` : 'als gewichtetes Mittel'),
  NONE: () => 'ohne Aggregationsregel',
};

/** The words of the report's CSV notes per language (the `csv` field's `language`). */
const DISPARITY_CSV_WORDING: Record<
  Language,
  {
    title(level: RegionLevelName, withinParent: string | null, year: number | null): string;
    synthetic: string;
    stateValueComputed(aggregation: IndicatorRow['aggregation'], weightIndicator: string | null): string;
    method: string;
  }
> = {
  EN: {
    title: (level, withinParent, year) =>
      `RegioGraph disparities report: ${level} level, ${withinParent ? `the regions within ${withinParent}` : 'the whole state'}, ${year ?? 'newest values'}.`,
    synthetic: 'SYNTHETIC inputs: the report demonstrates the method only, its ranks describe no real region.',
    stateValueComputed: (aggregation, weightIndicator) =>
      'the state value the z-scores are measured from is not published by the source; RegioGraph computed it from the county values ' +
      `(aggregation ${aggregation}${weightIndicator ? `, weighted by ${weightIndicator}` : ''}).`,
    method: 'method',
  },
  DE: {
    title: (level, withinParent, year) =>
      `RegioGraph-Bericht zur Gleichwertigkeit: Ebene ${LEVEL_NAMES_DE[level]}, ${withinParent ? `die Regionen in ${withinParent}` : 'ganz Niedersachsen'}, ` +
      `${year ?? 'neueste Werte'}.`,
    synthetic: 'SYNTHETISCHE Eingangsdaten: der Bericht führt nur die Methode vor, seine Ränge beschreiben keine reale Region.',
    stateValueComputed: (aggregation, weightIndicator) =>
      'den Landeswert, von dem aus die z-Werte gemessen werden, veröffentlicht die Quelle nicht; RegioGraph hat ihn aus den Werten der ' +
      `Kreise berechnet (${AGGREGATION_DE[aggregation](weightIndicator)}).`,
    method: 'Methode',
  },
};

/**
 * The report as CSV: notes first (what the report is, then per indicator its year, source, licence and
 * attribution, and whether it is synthetic), then one row per region: the composite and per indicator
 * value, z and adjusted z.
 */
function disparityCsv(report: DisparityReport, regions: RegionDirectory, language: Language, dialect: CsvDialect): string {
  const words = DISPARITY_CSV_WORDING[language];
  const notes = [
    `${words.title(report.level, report.withinParent, report.year)} ${csvNotesHint(language, dialect)}`,
    ...(report.profiles.synthetic ? [words.synthetic] : []),
    // Before the indicators', as in the observations export.
    regionSourceNote(BKG_SOURCE, language),
    ...report.columns.map(({ column }) =>
      indicatorSourceNote(
        {
          code: column.indicator.code,
          name: column.indicator.name,
          unit: column.indicator.unit,
          synthetic: isSyntheticIndicator(column.indicator),
          publisher: indicatorPublisher(column.indicator, language),
          url: column.indicator.sourceUrl,
          licence: column.indicator.sourceLicence,
          attribution: indicatorAttribution(column.indicator, language),
        },
        `${column.indicator.code}_${column.year}`,
        language,
      ),
    ),
    ...report.columns
      .filter(({ column }) => column.stateValueAggregated)
      .map(
        ({ column }) =>
          `${column.indicator.code}_${column.year}: ${words.stateValueComputed(column.indicator.aggregation, column.indicator.weightIndicatorCode)}`,
      ),
    `${words.method}: ${DISPARITY_METHOD_TEXT[language]}`,
  ];
  const header = ['region_code', 'region_name', 'rank_from_weakest', 'composite_index', 'weakest_fifth_count'];
  for (const { column } of report.columns)
    header.push(`${column.indicator.code}_${column.year}`, `${column.indicator.code}_z`, `${column.indicator.code}_adjusted_z`);
  let csv = csvStart(dialect) + notes.map((note) => formatCsvNote(note, dialect)).join('') + formatCsvLine(header, dialect);
  for (const row of report.regions) {
    const cells: (string | number | null | undefined)[] = [
      row.regionCode,
      regions.get(row.regionCode)?.name,
      row.rankFromWeakest,
      row.compositeIndex,
      row.weakestFifthCount,
    ];
    for (const score of row.scores) cells.push(score.value, score.zScore, score.adjustedZScore);
    csv += formatCsvLine(cells, dialect);
  }
  return csv;
}

const DisparityReportType = builder.objectRef<DisparityReport>('DisparityReport').implement({
  description:
    "Equal chances: every region's deviation from the state, per indicator and as a composite index — the state-level counterpart of the " +
    'federal Gleichwertigkeitsbericht.',
  fields: (t) => ({
    level: t.field({ type: RegionLevelEnum, description: 'The level of the regions.', resolve: (report) => report.level }),
    withinParent: t.field({
      type: RegionRef,
      nullable: true,
      description: 'The region whose regions are listed; null for the whole state.',
      resolve: (report) => (report.withinParent ? regionReference(report.withinParent) : null),
    }),
    year: t.exposeInt('year', { nullable: true, description: 'The year asked; null for the newest values.' }),
    method: t.string({
      description: 'How z-scores, the composite index, the weakest fifth and the disparity measures are computed.',
      args: {
        language: t.arg({ type: LanguageEnum, ...LANGUAGE_ARGUMENT }),
      },
      resolve: (_report, { language }) => DISPARITY_METHOD_TEXT[language],
    }),
    usedDefaultProfile: t.boolean({
      description: 'True when no indicators were given and the default profile was used.',
      resolve: (report) => report.usedDefault,
    }),
    syntheticInputs: t.boolean({
      description: 'True when any indicator is synthetic demonstration data: the report then demonstrates the method only.',
      resolve: (report) => report.profiles.synthetic,
    }),
    indicators: t.field({
      type: [DisparityIndicatorType],
      description: 'The indicators with their reference and disparity measures.',
      directives: PROFILE_LIST_SIZE,
      resolve: (report) => report.columns,
    }),
    omittedIndicators: t.field({
      type: [IndicatorType],
      description: 'Indicators asked for without values at this level.',
      directives: PROFILE_LIST_SIZE,
      resolve: (report) => report.profiles.omitted,
    }),
    regions: t.field({
      type: [RegionDisparityType],
      description: 'The regions, the weakest composite index first (ties by code); regions without one last.',
      resolve: (report) => report.regions,
    }),
    rankedRegions: t.exposeInt('rankedRegionCount', {
      description:
        'How many regions of the level have a composite index, state-wide: rankFromWeakest runs from 1 to this (ties share a rank), ' +
        'also when withinParent lists only some of them. "Rank 3 of 45" reads rankFromWeakest and this.',
    }),
    csv: t.string({
      description:
        'The regions as CSV (UTF-8, comma-separated, CRLF line endings). First come notes, lines starting with "# ": what the report is, ' +
        'whether its inputs are synthetic, the source, licence and attribution of the region codes and names (BKG VG5000), per indicator its year, ' +
        'source, licence and attribution (show them wherever the values are shown), and the method. ' +
        'Then a header row and one row per region: region_code, region_name, rank_from_weakest, composite_index, weakest_fifth_count, ' +
        'then per indicator <code>_<year>, <code>_z, <code>_adjusted_z. Read with comment="#" (pandas) or comment.char="#" (R). ' +
        'The notes are in `language`; the column names, codes and the sources’ own texts are the same in every language. ' +
        '`dialect: EXCEL_DE` writes the same notes and rows for Excel with German settings: a byte order mark (U+FEFF) first, so that ' +
        'the text saved as UTF-8 opens with its umlauts, then semicolons, decimal commas and each note as one quoted field.',
      args: {
        language: t.arg({ type: LanguageEnum, ...LANGUAGE_ARGUMENT }),
        dialect: t.arg({
          type: CsvDialectEnum,
          required: true,
          defaultValue: 'RFC4180',
          description: 'How the CSV is written; default RFC4180 (comma, decimal point), EXCEL_DE for Excel with German settings.',
        }),
      },
      // Per row of the level (the report hands its size down): a CSV row is a region's row with its
      // scores, written out. Priced at 0 like any text, 30 aliases of it were admitted as cost 30.
      directives: cost(CSV_ROW_COST),
      resolve: (report, { language, dialect }, ctx) => disparityCsv(report, ctx.regions, language, dialect),
    }),
  }),
});

// ---- funding against need ----------------------------------------------------------------------------

interface LeadFunding {
  regionCode: string;
  /** Cents arrive in the entity representation as a JSON number (or a string of digits). */
  amountCents: number | string | bigint;
}

interface TargetingRequirements {
  id: string;
  indicatorCode?: string;
  level?: RegionLevelName;
  toYear?: number | null;
  leadRegionFunding?: LeadFunding[];
  syntheticFunding?: boolean;
}

interface TargetingResult {
  indicator: IndicatorRow;
  level: RegionLevelName;
  needYear: number | null;
  populationYear: number | null;
  syntheticInputs: boolean;
  /** Funding led by regions above the level (a district, the state): no region of the level can be credited with it. */
  /** Funding no region of the level is credited with, by where its lead region stands (see computeTargeting). */
  unattributed: { fromAbove: bigint; fromOutside: bigint };
  rows: FundingNeedRow[];
  compared: number;
  spearman: number | null;
}

const LeadFundingType = builder.objectRef<LeadFunding>('LeadRegionFunding').implement({
  description: 'Funding committed to the projects one region leads (funding is attributed in full to the lead region).',
  shareable: true,
  fields: (t) => ({
    regionCode: t.exposeID('regionCode', { description: 'The ARS code of the lead region.' }),
    amountCents: t.field({ type: 'Cents', description: 'The committed amount in euro cents.', resolve: (row) => BigInt(row.amountCents) }),
  }),
});

const FundingNeedType = builder.objectRef<FundingNeedRow>('FundingNeed').implement({
  description: "A region's funding per inhabitant next to its need.",
  fields: (t) => ({
    region: t.field({ type: RegionRef, description: 'The region.', resolve: (row) => regionReference(row.regionCode) }),
    regionCode: t.exposeID('regionCode', { description: 'Its ARS code.' }),
    fundingCents: t.field({
      type: 'Cents',
      description: 'Funding of the projects led by the region or a region within it, in euro cents (exact).',
      resolve: (row) => row.cents,
    }),
    population: t.exposeFloat('population', {
      nullable: true,
      description: 'Inhabitants (indicator population, year populationYear); null when unknown.',
    }),
    fundingPerInhabitant: t.float({
      nullable: true,
      description: 'fundingCents / 100 / population, in EUR per inhabitant; null without a population.',
      resolve: (row) => row.perInhabitant,
    }),
    needValue: t.float({
      nullable: true,
      description: "The need indicator's value in needYear; null when the region has none.",
      resolve: (row) => row.need,
    }),
    needPercentile: t.exposeFloat('needPercentile', {
      nullable: true,
      description: '100 = the greatest need among the compared regions, 0 = the least (share of the others with less need).',
    }),
    fundingPercentile: t.exposeFloat('fundingPercentile', {
      nullable: true,
      description: '100 = the most funding per inhabitant among the compared regions, 0 = the least.',
    }),
    gap: t.exposeFloat('gap', {
      nullable: true,
      description:
        'needPercentile − fundingPercentile: positive = more need than funding, up to 100 for the neediest region with the least funding.',
    }),
  }),
});

const TARGETING_METHOD =
  "Funding is attributed in full to the lead region of a project and summed per region of the level (its own and its sub-regions' lead " +
  'projects), over the commitment years and programme asked. Per inhabitant: divided by the indicator population at the level in the ' +
  'latest year with values up to toYear. Need: the indicator in its latest year with values at the level up to toYear, turned so that ' +
  'more need is larger (HIGHER_IS_BETTER negated; NEUTRAL taken as is). No value after toYear is read: without one up to it, needYear ' +
  "(or populationYear) is null and no region is compared. Spearman's rho of need against funding per inhabitant over all " +
  'regions with both (average ranks for ties): +1 = funding follows need exactly, 0 = unrelated, −1 = the opposite. Regions are listed ' +
  'by gap (need percentile − funding percentile), the largest first.';

/** TARGETING_METHOD in each language of the Language enum. */
const TARGETING_METHOD_TEXT: Record<Language, string> = {
  EN: TARGETING_METHOD,
  DE:
    'Die Förderung wird vollständig der federführenden Region eines Projekts zugerechnet und je Region der Ebene summiert (die ' +
    'Projekte, die sie selbst oder eine Region in ihr führt), über die gefragten Bewilligungsjahre und das gefragte Programm. Je ' +
    'Einwohner: geteilt durch den Indikator population auf der Ebene im neuesten Jahr mit Werten bis toYear. Bedarf: der Indikator ' +
    'in seinem neuesten Jahr mit Werten auf der Ebene bis toYear, so gewendet, dass mehr Bedarf größer ist (HIGHER_IS_BETTER ' +
    'negiert, NEUTRAL unverändert). Kein Wert nach toYear wird gelesen: ohne einen Wert bis dahin ist needYear (oder ' +
    'populationYear) null, und keine Region wird verglichen. Spearmans Rangkorrelation (Rho) des Bedarfs mit der Förderung je ' +
    'Einwohner über alle Regionen mit beidem (mittlere Ränge bei Gleichstand): +1 = die Förderung folgt dem Bedarf genau, ' +
    '0 = kein Zusammenhang, −1 = das Gegenteil. Die Regionen sind nach der Lücke (Bedarfsperzentil − Förderperzentil) geordnet, ' +
    'die größte zuerst.',
};

const TARGETING_SELECTION = builder.selection<Required<Omit<TargetingRequirements, 'id'>>>(
  'indicatorCode level toYear leadRegionFunding { regionCode amountCents } syntheticFunding',
);

/**
 * FundingTargeting is owned by the projects subgraph (Query.fundingTargeting), which sums the funding
 * per lead region; the amounts arrive here with the entity (@requires) and are set against the
 * monitoring. Every field below needs the same analysis: it is computed once per request and entity.
 */
builder
  .externalRef(
    'FundingTargeting',
    builder.selection<{ id: string }>('id'),
    // A representation carries the required fields when any field needing them was asked. Analysed
    // here, a bad argument (an unknown indicator, a count) fails the entity once, with one error;
    // thrown by each field, it came back once per field asked (four identical errors for four fields).
    async (reference: TargetingRequirements, ctx) => {
      if (reference.indicatorCode !== undefined) await analyseTargeting(ctx, reference);
      return reference;
    },
  )
  .implement({
    description: 'Funding against need for one indicator, level, programme and period: keyed by these arguments.',
    // The owner's descriptions, repeated so that composition has nothing to choose between.
    externalFields: (t) => ({
      indicatorCode: t.id({ description: 'The need indicator (the indicators subgraph validates and reads it).' }),
      level: t.field({ type: RegionLevelEnum, description: 'The level of the regions compared.' }),
      toYear: t.int({ nullable: true, description: 'Only commitments up to this year.' }),
      leadRegionFunding: t.field({
        type: [LeadFundingType],
        description: 'Funding summed per lead region over the programme and years, by region code; regions without funding are not listed.',
      }),
      syntheticFunding: t.boolean({ description: 'True when any of the funding counted belongs to a synthetic demonstration project.' }),
    }),
    fields: (t) => ({
      id: t.exposeID('id', { description: 'The key: the arguments as a JSON array.' }),
      indicator: t.field({
        type: IndicatorType,
        requires: TARGETING_SELECTION,
        description: 'The need indicator.',
        resolve: async (target, _args, ctx) => (await analyseTargeting(ctx, target)).indicator,
      }),
      needYear: t.int({
        nullable: true,
        requires: TARGETING_SELECTION,
        description: 'The year of the need values; null when the indicator has none at the level up to toYear.',
        resolve: async (target, _args, ctx) => (await analyseTargeting(ctx, target)).needYear,
      }),
      populationYear: t.int({
        nullable: true,
        requires: TARGETING_SELECTION,
        description: 'The year of the population the funding is divided by; null when there is none at the level up to toYear.',
        resolve: async (target, _args, ctx) => (await analyseTargeting(ctx, target)).populationYear,
      }),
      method: t.string({
        description: 'How funding, need and the correlation are computed.',
        args: {
          language: t.arg({ type: LanguageEnum, ...LANGUAGE_ARGUMENT }),
        },
        resolve: (_target, { language }) => TARGETING_METHOD_TEXT[language],
      }),
      syntheticInputs: t.boolean({
        requires: TARGETING_SELECTION,
        description:
          'True when the need indicator or any funding counted is synthetic demonstration data: the answer then demonstrates the method only.',
        resolve: async (target, _args, ctx) => (await analyseTargeting(ctx, target)).syntheticInputs,
      }),
      unattributedFundingCents: t.field({
        type: 'Cents',
        requires: TARGETING_SELECTION,
        description:
          'Funding no region of the level is credited with: led by a region above the level (unattributedFromAboveCents) or, for ' +
          'Samtgemeinden, by a municipality that belongs to none (unattributedFromOutsideCents). ' +
          'The regions’ fundingCents and this add up to all funding of the programme and years.',
        resolve: async (target, _args, ctx) => {
          const { fromAbove, fromOutside } = (await analyseTargeting(ctx, target)).unattributed;
          return fromAbove + fromOutside;
        },
      }),
      unattributedFromAboveCents: t.field({
        type: 'Cents',
        requires: TARGETING_SELECTION,
        description:
          'The part of unattributedFundingCents led by a region of a level above: the state, an ArL district, a county (when comparing ' +
          'Samtgemeinden or municipalities) or a Samtgemeinde (when comparing municipalities).',
        resolve: async (target, _args, ctx) => (await analyseTargeting(ctx, target)).unattributed.fromAbove,
      }),
      unattributedFromOutsideCents: t.field({
        type: 'Cents',
        requires: TARGETING_SELECTION,
        description:
          'The part of unattributedFundingCents led by a region below the level that no region of the level contains: at MUNICIPAL_ASSOCIATION, ' +
          'the municipalities outside every Samtgemeinde (Einheitsgemeinden, kreisfreie Städte); 0 at the other levels.',
        resolve: async (target, _args, ctx) => (await analyseTargeting(ctx, target)).unattributed.fromOutside,
      }),
      comparedRegions: t.int({
        requires: TARGETING_SELECTION,
        description: 'Regions with both a need value and a population: those correlated.',
        resolve: async (target, _args, ctx) => (await analyseTargeting(ctx, target)).compared,
      }),
      spearman: t.float({
        nullable: true,
        requires: TARGETING_SELECTION,
        description:
          "Spearman's rank correlation of need and funding per inhabitant over the compared regions (average ranks for ties): +1 = funding " +
          'follows need exactly, 0 = unrelated, −1 = the opposite; null for fewer than two regions or no variation.',
        resolve: async (target, _args, ctx) => (await analyseTargeting(ctx, target)).spearman,
      }),
      regions: t.field({
        type: [FundingNeedType],
        requires: TARGETING_SELECTION,
        description: 'Every region of the level: the largest gap (high need, low funding) first, ties by code; regions not compared last.',
        resolve: async (target, _args, ctx) => (await analyseTargeting(ctx, target)).rows,
      }),
    }),
  });

function analyseTargeting(ctx: IndicatorsContext, target: TargetingRequirements): Promise<TargetingResult> {
  return ctx.memo(`targeting|${target.id}`, () => computeTargeting(ctx, target));
}

async function computeTargeting(ctx: IndicatorsContext, target: TargetingRequirements): Promise<TargetingResult> {
  const indicator = await requireIndicator(ctx, target.indicatorCode ?? '');
  await refuseCounts(ctx, [indicator], {
    analysis: 'fundingTargeting',
    reason: 'a count grows with the size of a region, so its need percentile would rank the regions by size',
    argument: 'indicator',
  });
  const level = target.level!;
  const toYear = target.toYear ?? null;
  const population = await requireIndicator(ctx, 'population');
  const [need, people] = await Promise.all([
    loadProfiles(ctx, [indicator], level, toYear, { upToYear: true }),
    loadProfiles(ctx, [population], level, toYear, { upToYear: true }),
  ]);
  const regionCodes = need.regionCodes;
  // Attribute each lead region's funding to the region of the level containing it (ARS prefixes nest).
  const funding = new Map<string, bigint>(regionCodes.map((code) => [code, 0n]));
  const prefixLength = CODE_LENGTH_OF_LEVEL[level];
  // Not credited to any region of the level: led from above it, or (for Samtgemeinden) by a
  // municipality that belongs to none.
  const unattributed = { fromAbove: 0n, fromOutside: 0n };
  for (const lead of target.leadRegionFunding ?? []) {
    const amount = BigInt(lead.amountCents);
    if (lead.regionCode.length < prefixLength) {
      unattributed.fromAbove += amount;
      continue;
    }
    const regionOfLevel = lead.regionCode.slice(0, prefixLength);
    const current = funding.get(regionOfLevel);
    if (current !== undefined) funding.set(regionOfLevel, current + amount);
    else unattributed.fromOutside += amount;
  }
  const result = fundingTargeting(
    regionCodes.map((code) => ({
      regionCode: code,
      cents: funding.get(code)!,
      population: people.values.get(code)?.[0] ?? null,
      need: need.values.get(code)?.[0] ?? null,
    })),
    indicator.polarity,
  );
  return {
    indicator,
    level,
    needYear: need.columns[0]?.year ?? null,
    populationYear: people.columns[0]?.year ?? null,
    syntheticInputs: isSyntheticIndicator(indicator) || (target.syntheticFunding ?? false),
    unattributed,
    ...result,
  };
}

/** Demand control's price of one CSV row of a disparities report: a region with its scores, as text. */
const CSV_ROW_COST = 5;

builder.queryFields((t) => ({
  disparities: t.field({
    type: DisparityReportType,
    description:
      "Equal chances: each region's deviation from the state value per indicator, a composite index and its weakest fifths. " +
      DISPARITY_METHOD +
      ' Demand control prices the report at a point per region of the level, whatever is selected (it reads them all), plus what `regions` and `csv` hold.',
    args: {
      indicators: t.arg.idList({
        required: false,
        description:
          `The indicators (at most ${MAX_PROFILE}); default ${DEFAULT_PROFILE.join(', ')}. Counts summed over the regions ` +
          '(aggregation SUM, e.g. population, gdp, unemployed) are refused with BAD_USER_INPUT: use a rate, share or per-inhabitant indicator.',
      }),
      level: t.arg({ type: RegionLevelEnum, required: true, description: 'The level of the regions compared.' }),
      year: t.arg.int({ required: false, description: 'The year; default the newest values of each indicator.' }),
      withinParent: t.arg.id({
        required: false,
        description: 'List only the regions below this region (the standardisation stays state-wide).' + WITHOUT_REGIONS_BELOW_NOTE,
      }),
      weightYears: t.arg({
        type: DisparityWeightYearEnum,
        required: true,
        defaultValue: 'SAME_YEAR',
        description:
          'Which year of the weight indicator the weighted measures use: SAME_YEAR (default) only the values’ year, NEAREST_YEAR ' +
          'the nearest year with weights where the values’ year has none (DisparityIndicator.weightYear says which).',
      }),
    },
    // One row per region of the level for demand control, in `regions` and in the CSV alike (within a
    // parent, fewer: the estimate is then an upper bound), and the report itself a point per region:
    // it reads and standardises the whole level whatever is selected (shared's levelReport says why).
    // A score per region and an entry per indicator asked, or of the default profile.
    directives: levelReport(['regions', 'csv'], {
      argument: 'indicators',
      defaultIndicators: DEFAULT_PROFILE.length,
      sizedFields: ['indicators', 'omittedIndicators', 'regions.scores'],
    }),
    resolve: async (_root, args, ctx) => {
      const level = args.level;
      if (level === 'STATE')
        throw userError('disparities compares the regions of a level below the state.', ErrorCode.BadUserInput, { argument: 'level' });
      const withinParent = requireWithinParent(ctx.regions, args.withinParent, level);
      const year = args.year == null ? null : requireYearArgument(args.year, 'year');
      const selection = await requireProfile(ctx, args.indicators);
      await refuseCounts(ctx, selection.indicators, {
        analysis: 'disparities',
        reason: "a count's state value is the state total, which no region can come near",
        argument: 'indicators',
      });
      // The weights come with the values, in the same statement.
      const profiles = await loadProfiles(ctx, selection.indicators, level, year, {
        weights: selection.indicators.map(weightIndicatorOf),
        weightYears: args.weightYears,
      });
      const listed = withinParent ? ctx.regions.ofLevel(level, withinParent).map((region) => region.code) : profiles.regionCodes;
      const { columns, regions, rankedRegionCount } = disparities(profiles, listed);
      return { level, withinParent, year, usedDefault: selection.usedDefault, profiles, columns, regions, rankedRegionCount };
    },
  }),
}));

/** The analyses' method texts by language, as their `method` fields give them. */
export const METHOD_TEXTS = { similarity: DISTANCE_METHOD_TEXT, disparities: DISPARITY_METHOD_TEXT, targeting: TARGETING_METHOD_TEXT };
