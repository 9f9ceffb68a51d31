import { foldGermanText, notFound, userError, ErrorCode } from '@regiograph/shared';
import { builder } from '../builder';
import type { IndicatorRow } from '../context';
import { REGION_LEVELS, type RegionLevelName } from '../regions';
import { IndicatorAggregationEnum, IndicatorPolarityEnum, IndicatorThemeEnum, RegionLevelEnum } from './enums';
import { IndicatorType } from './refs';

const IndicatorDataSourceType = builder.objectRef<IndicatorRow>('IndicatorDataSource').implement({
  description: "Where an indicator's values come from, with the attribution its licence requires.",
  fields: (t) => ({
    publisher: t.exposeString('sourcePublisher', { description: 'Who publishes the data.' }),
    title: t.exposeString('sourceTitle', { description: 'Title of the data set.' }),
    licence: t.exposeString('sourceLicence', { description: 'Licence of the data set, e.g. CC-BY-4.0.' }),
    url: t.exposeString('sourceUrl', { nullable: true, description: 'Where the data set is published; null for synthetic data.' }),
    attribution: t.exposeString('sourceAttribution', { description: 'The attribution to show wherever the values are shown.' }),
    referenceDate: t.expose('sourceReferenceDate', { type: 'Date', nullable: true, description: 'The date the data describes, where it has one.' }),
    official: t.exposeBoolean('official', { description: 'True for official statistics, false for synthetic demonstration data.' }),
    synthetic: t.boolean({ description: 'True for synthetic demonstration data (the opposite of official).', resolve: (row) => !row.official }),
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
    aggregation: t.expose('aggregation', { type: IndicatorAggregationEnum, description: 'How county values make up district and state values.' }),
    weightIndicator: t.field({
      type: IndicatorType,
      nullable: true,
      description: 'The indicator weighting a WEIGHTED_MEAN aggregation; null otherwise.',
      resolve: async (row, _args, ctx) => (row.weightIndicatorCode ? ((await ctx.loaders.catalogue()).get(row.weightIndicatorCode) ?? null) : null),
    }),
    source: t.field({ type: IndicatorDataSourceType, description: 'Where the values come from.', resolve: (row) => row }),
    official: t.exposeBoolean('official', { description: 'True for official statistics.' }),
    synthetic: t.boolean({ description: 'True for synthetic demonstration data, not official statistics.', resolve: (row) => !row.official }),
    levels: t.field({
      type: [RegionLevelEnum],
      description: 'The region levels with observations, from the top.',
      resolve: (row) => REGION_LEVELS.filter((level) => row.coverageLevels.includes(level)),
    }),
    years: t.intList({ description: 'The years with observations, ascending.', resolve: (row) => row.coverageYears }),
    firstYear: t.int({ nullable: true, description: 'The first year with observations.', resolve: (row) => row.coverageYears[0] ?? null }),
    lastYear: t.int({ nullable: true, description: 'The last year with observations.', resolve: (row) => row.coverageYears.at(-1) ?? null }),
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
    args: {
      theme: t.arg({ type: IndicatorThemeEnum, required: false, description: 'Only indicators of this theme.' }),
      search: t.arg.string({
        required: false,
        description: 'Part of the code, name or description; case, umlauts and ß do not matter ("Bevoelkerung" finds Bevölkerung).',
      }),
      level: t.arg({ type: RegionLevelEnum, required: false, description: 'Only indicators with observations at this level.' }),
      official: t.arg.boolean({ required: false, description: 'true: only official statistics; false: only synthetic data.' }),
    },
    resolve: async (_root, args, ctx) => {
      const search = args.search == null ? null : foldGermanText(args.search);
      if (search !== null && (search.length === 0 || search.length > 100)) {
        throw userError('search must contain 1–100 letters or digits.', ErrorCode.BadUserInput, { argument: 'search' });
      }
      const all = [...(await ctx.loaders.catalogue()).values()];
      const themes = IndicatorThemeOrder;
      return all
        .filter((row) => !args.theme || row.theme === args.theme)
        .filter((row) => !args.level || row.coverageLevels.includes(args.level as RegionLevelName))
        .filter((row) => args.official == null || row.official === args.official)
        .filter((row) => search === null || foldGermanText(`${row.code} ${row.name} ${row.description}`).includes(search))
        .sort((a, b) => themes.indexOf(a.theme) - themes.indexOf(b.theme) || a.code.localeCompare(b.code));
    },
  }),
  indicator: t.field({
    type: IndicatorType,
    description: 'One indicator by code. An unknown code is answered with a NOT_FOUND error.',
    args: { code: t.arg.id({ required: true, description: 'The indicator code, e.g. "population".' }) },
    resolve: async (_root, args, ctx) => {
      const row = (await ctx.loaders.catalogue()).get(String(args.code));
      if (!row) throw notFound('Indicator', String(args.code));
      return row;
    },
  }),
}));

const IndicatorThemeOrder: string[] = ['DEMOGRAPHY', 'GEOGRAPHY', 'ECONOMY', 'LABOUR_MARKET', 'EDUCATION', 'MEDICAL_CARE', 'RETAIL', 'MOBILITY', 'ENVIRONMENT'];
