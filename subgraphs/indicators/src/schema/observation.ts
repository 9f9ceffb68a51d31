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
  }),
});
