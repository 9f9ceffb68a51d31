import { ObservationStatusEnum } from './enums';
import { IndicatorType, ObservationType, RegionRef, regionReference } from './refs';

ObservationType.implement({
  description: 'The value of one indicator for one region in one year, with its quality flag.',
  fields: (t) => ({
    indicator: t.field({
      type: IndicatorType,
      description: 'The indicator observed.',
      resolve: async (row, _args, ctx) => {
        const indicator = (await ctx.loaders.catalogue()).get(row.indicatorCode);
        if (!indicator) throw new Error(`indicator ${row.indicatorCode} of an observation is missing`);
        return indicator;
      },
    }),
    indicatorCode: t.exposeID('indicatorCode', { description: 'The code of the indicator observed.' }),
    regionCode: t.exposeID('regionCode', { description: 'The ARS code of the region.' }),
    region: t.field({
      type: RegionRef,
      description: 'The region (names and more come from the regions subgraph).',
      resolve: (row) => regionReference(row.regionCode),
    }),
    year: t.exposeInt('year', { description: 'The year observed (reference date 31 December unless the source says otherwise).' }),
    value: t.exposeFloat('value', {
      nullable: true,
      description: "The value in the indicator's unit; null when suppressed or missing (never 0 in its place).",
    }),
    status: t.expose('status', { type: ObservationStatusEnum, description: 'Quality flag.' }),
    missingReason: t.exposeString('missingReason', { nullable: true, description: 'Why the value is null, when it is.' }),
    aggregated: t.boolean({
      description:
        'True when RegioGraph computed the value from the regions within by the indicator’s aggregation rule ' +
        '(an ArL district from its counties, the state where the source gives no state value, a Samtgemeinde from its ' +
        'municipalities), or by a formula over such values: not a figure the source publishes for this region, and for ' +
        'a weighted mean an approximation (see Indicator.aggregation and weightIndicator). False when read from the source.',
      resolve: (observation) => observation.aggregated === true,
    }),
  }),
});
