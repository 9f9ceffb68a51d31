import {
  foldedNameSearch,
  foldGermanText,
  listSize,
  LANGUAGE_ARGUMENT,
  notFound,
  SYNTHETIC_DATA_ATTRIBUTION_DE,
  type Language,
} from '@regiograph/shared';
import { builder } from '../builder';
import type { IndicatorRow } from '../context';
import { isSyntheticIndicator } from '../definitions';
import { REGION_LEVELS } from '../regions';
import { IndicatorAggregationEnum, IndicatorPolarityEnum, IndicatorThemeEnum, LanguageEnum, RegionLevelEnum } from './enums';

/**
 * An indicator's attribution in a language: the provider's text as the provider gives it (a licence's
 * attribution is not translated), RegioGraph's own for synthetic demonstration data in the language asked.
 */
export function indicatorAttribution(row: IndicatorRow, language: Language): string {
  return language === 'DE' && isSyntheticIndicator(row) ? SYNTHETIC_DATA_ATTRIBUTION_DE : row.sourceAttribution;
}

/** SYNTHETIC_SOURCE's publisher in German. */
const SYNTHETIC_PUBLISHER_DE = 'RegioGraph (synthetische Demonstrationsdaten)';

/** An indicator's publisher in a language: a provider's name as it names itself, RegioGraph's for its synthetic data in the language asked. */
export function indicatorPublisher(row: Pick<IndicatorRow, 'sourcePublisher'>, language: Language): string {
  return language === 'DE' && isSyntheticIndicator(row) ? SYNTHETIC_PUBLISHER_DE : row.sourcePublisher;
}

export const ATTRIBUTION_LANGUAGE_NOTE =
  ' In `language` only for synthetic demonstration data: a provider’s attribution is given as the provider gives it.';
import { IndicatorType } from './refs';

const IndicatorDataSourceType = builder.objectRef<IndicatorRow>('IndicatorDataSource').implement({
  description: "Where an indicator's values come from, with the attribution its licence requires.",
  fields: (t) => ({
    publisher: t.string({
      description: 'Who publishes the data. In `language` only for synthetic demonstration data: a provider is named as it names itself.',
      args: {
        language: t.arg({ type: LanguageEnum, ...LANGUAGE_ARGUMENT }),
      },
      resolve: (row, { language }) => indicatorPublisher(row, language),
    }),
    title: t.exposeString('sourceTitle', { description: 'Title of the data set.' }),
    licence: t.exposeString('sourceLicence', { description: 'Licence of the data set, e.g. CC-BY-4.0.' }),
    url: t.exposeString('sourceUrl', { nullable: true, description: 'Where the data set is published; null for synthetic data.' }),
    attribution: t.string({
      description: `The attribution to show wherever the values are shown.${ATTRIBUTION_LANGUAGE_NOTE}`,
      args: {
        language: t.arg({ type: LanguageEnum, ...LANGUAGE_ARGUMENT }),
      },
      resolve: (row, { language }) => indicatorAttribution(row, language),
    }),
    referenceDate: t.expose('sourceReferenceDate', {
      type: 'Date',
      nullable: true,
      description:
        'The one date the data describes, where it has one (e.g. the Zensus 2022 reference date); null for annual series (see referencePeriod).',
    }),
    code: t.exposeString('sourceCode', {
      description:
        'The publisher\'s table or variable code, e.g. "12411-0015" (GENESIS) or "q_alo" (INKAR); several separated by ", " for derived indicators; empty for synthetic data.',
    }),
    referencePeriod: t.exposeString('referencePeriod', {
      description:
        'The date or period each yearly value refers to, e.g. "31.12.", "30.06." or "Jahresdurchschnitt"; empty for synthetic data.',
    }),
    official: t.exposeBoolean('official', {
      description:
        'True for official statistics; false for synthetic demonstration data and for imported data no statistics office published.',
    }),
    synthetic: t.boolean({
      description:
        "True for RegioGraph's synthetic demonstration data (generated, not measured); false for official statistics and for imported data from other sources.",
      resolve: (row) => isSyntheticIndicator(row),
    }),
  }),
});

interface Derivation {
  formula: string;
  inputCodes: string[];
}

const IndicatorDerivationType = builder.objectRef<Derivation>('IndicatorDerivation').implement({
  description:
    'How a derived indicator is computed from other indicators: at load time, for every region and year where all inputs have a value.',
  fields: (t) => ({
    formula: t.exposeString('formula', { description: 'The formula over indicator codes, e.g. "population / area_km2".' }),
    inputCodes: t.exposeStringList('inputCodes', { description: 'The codes of the indicators the formula reads, in formula order.' }),
    inputs: t.field({
      type: [IndicatorType],
      description: 'The indicators the formula reads, in formula order.',
      resolve: async (derivation, _args, ctx) => {
        const catalogue = await ctx.loaders.catalogue();
        return derivation.inputCodes.flatMap((code) => catalogue.get(code) ?? []);
      },
    }),
  }),
});

IndicatorType.implement({
  description: 'An indicator of the regional monitoring: what is measured, how, for which regions and years, and from which source.',
  fields: (t) => ({
    code: t.exposeID('code', { description: 'Stable identifier, e.g. "population" or "unemployment_rate".' }),
    name: t.exposeString('name', { description: 'Name (German, as used in the regional monitoring).' }),
    description: t.exposeString('description', { description: 'What the indicator measures.' }),
    theme: t.expose('theme', { type: IndicatorThemeEnum, description: 'The field of regional development.' }),
    unit: t.exposeString('unit', { description: 'Unit of the values, e.g. "persons", "%", "km²".' }),
    decimals: t.exposeInt('decimals', { description: 'Decimal places to show values with (values themselves are not rounded to it).' }),
    polarity: t.expose('polarity', { type: IndicatorPolarityEnum, description: 'Which direction counts as better.' }),
    aggregation: t.expose('aggregation', {
      type: IndicatorAggregationEnum,
      description: 'How county values make up district and state values.',
    }),
    weightIndicator: t.field({
      type: IndicatorType,
      nullable: true,
      description: 'The indicator weighting a WEIGHTED_MEAN aggregation; null otherwise.',
      resolve: async (row, _args, ctx) =>
        row.weightIndicatorCode ? ((await ctx.loaders.catalogue()).get(row.weightIndicatorCode) ?? null) : null,
    }),
    source: t.field({ type: IndicatorDataSourceType, description: 'Where the values come from.', resolve: (row) => row }),
    attribution: t.string({
      description: `The attribution its licence requires, to show wherever its values are shown (the same as source.attribution).${ATTRIBUTION_LANGUAGE_NOTE}`,
      args: {
        language: t.arg({ type: LanguageEnum, ...LANGUAGE_ARGUMENT }),
      },
      resolve: (row, { language }) => indicatorAttribution(row, language),
    }),
    breakNotes: t.exposeString('breakNotes', {
      description:
        'Breaks in the series: rebasing (e.g. Zensus 2011), territorial changes (e.g. Göttingen/Osterode 2016) and method changes; empty when none are known.',
    }),
    derivedFrom: t.field({
      type: IndicatorDerivationType,
      nullable: true,
      description:
        'For an indicator derived from others (e.g. density = population / area): its formula and inputs; null for one read from a source.',
      resolve: (row) => (row.formula ? { formula: row.formula, inputCodes: row.derivedFrom } : null),
    }),
    official: t.exposeBoolean('official', {
      description:
        'True for official statistics; false for synthetic demonstration data and for imported data no statistics office published.',
    }),
    synthetic: t.boolean({
      description:
        "True for RegioGraph's synthetic demonstration data (generated, not measured); false for official statistics and for imported data from other sources (see source).",
      resolve: (row) => isSyntheticIndicator(row),
    }),
    levels: t.field({
      type: [RegionLevelEnum],
      description:
        'The region levels with observations (a value, or one withheld as SUPPRESSED; rows that only say MISSING do not count), from the top.',
      resolve: (row) => REGION_LEVELS.filter((level) => row.coverageLevels.includes(level)),
    }),
    years: t.intList({
      description: 'The years with observations (as in levels: MISSING rows do not count), ascending.',
      resolve: (row) => row.coverageYears,
    }),
    firstYear: t.int({ nullable: true, description: 'The first year with observations.', resolve: (row) => row.coverageYears[0] ?? null }),
    lastYear: t.int({
      nullable: true,
      description: 'The last year with observations.',
      resolve: (row) => row.coverageYears.at(-1) ?? null,
    }),
  }),
});

builder.asEntity(IndicatorType, {
  key: builder.selection<{ code: string }>('code'),
  resolveReference: async (reference, ctx) => (await ctx.loaders.catalogue()).get(reference.code) ?? null,
});

builder.queryFields((t) => ({
  indicators: t.field({
    type: [IndicatorType],
    description: 'The indicator catalogue ordered by theme and code, optionally filtered.',
    // The shipped catalogue holds 128 indicators (115 official, 13 synthetic): 150 leaves room for
    // those an import adds. Counted as the default 25, every list nested under it (an indicator's
    // projects) was estimated at a fifth of its size; list-sizes.test.ts holds the data to it.
    directives: listSize({ assumedSize: 150 }),
    args: {
      theme: t.arg({ type: IndicatorThemeEnum, required: false, description: 'Only indicators of this theme.' }),
      search: t.arg.string({
        required: false,
        description:
          'Part of the code, name, description or source code (e.g. "q_alo", "12411-0015"); case, umlauts and ß do not matter ("Bevoelkerung" finds Bevölkerung).',
      }),
      level: t.arg({
        type: RegionLevelEnum,
        required: false,
        description: 'Only indicators with observations at this level (see Indicator.levels).',
      }),
      official: t.arg.boolean({
        required: false,
        description: 'true: only official statistics; false: only data that is not (synthetic, or imported from other sources).',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const search = args.search == null ? null : foldedNameSearch(args.search, 'search');
      const all = [...(await ctx.loaders.catalogue()).values()];
      const themes = IndicatorThemeOrder;
      return all
        .filter((row) => !args.theme || row.theme === args.theme)
        .filter((row) => !args.level || row.coverageLevels.includes(args.level))
        .filter((row) => args.official == null || row.official === args.official)
        .filter((row) => search === null || foldGermanText(`${row.code} ${row.name} ${row.description} ${row.sourceCode}`).includes(search))
        .sort((a, b) => themes.indexOf(a.theme) - themes.indexOf(b.theme) || a.code.localeCompare(b.code));
    },
  }),
  indicator: t.field({
    type: IndicatorType,
    // Nullable as region, project and cooperation are: an unknown code answers null for this field
    // alone instead of nulling every other field of the request.
    nullable: true,
    description:
      'One indicator by code. An unknown code is answered with null and a NOT_FOUND error; the rest of the request is unaffected.',
    args: { code: t.arg.id({ required: true, description: 'The indicator code, e.g. "population".' }) },
    resolve: async (_root, args, ctx) => {
      const row = (await ctx.loaders.catalogue()).get(String(args.code));
      if (!row) throw notFound('Indicator', String(args.code));
      return row;
    },
  }),
}));

const IndicatorThemeOrder: string[] = [
  'DEMOGRAPHY',
  'GEOGRAPHY',
  'ECONOMY',
  'LABOUR_MARKET',
  'EDUCATION',
  'MEDICAL_CARE',
  'RETAIL',
  'MOBILITY',
  'HOUSING',
  'PUBLIC_FINANCES',
  'ENVIRONMENT',
];
