import type { IndicatorRow } from '../context';
import { isSyntheticIndicator } from '../definitions';
import { ObservationStatusEnum } from './enums';
import { IndicatorType, ObservationType, RegionRef, regionReference } from './refs';

/**
 * The attribution of one value: its indicator's, and where RegioGraph changed the publisher's data (a
 * value computed from the regions within, or by a formula) the note dl-de/by-2-0 asks for, that the
 * data were changed, with how. Synthetic data are RegioGraph's own: nobody else's data were changed.
 */
export function observationAttribution(indicator: IndicatorRow, aggregated: boolean): string {
  if (isSyntheticIndicator(indicator) || (!aggregated && !indicator.formula)) return indicator.sourceAttribution;
  const from = aggregated ? ' aus den Werten der enthaltenen Regionen' : '';
  const formula = indicator.formula ? ` als ${indicator.formula}` : '';
  return `${indicator.sourceAttribution}; Daten verändert: von RegioGraph${from} berechnet${formula}`;
}

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
    attribution: t.string({
      description:
        'The attribution to show beside this value: its indicator’s (Indicator.attribution), and where RegioGraph changed the ' +
        'publisher’s data — computed from the regions within (aggregated) or by a formula (Indicator.derivedFrom) — the note ' +
        'that the data were changed, with how ("Daten verändert: von RegioGraph … berechnet …"), as dl-de/by-2-0 asks. ' +
        'Values that share a text need it shown once.',
      resolve: async (row, _args, ctx) => {
        const indicator = (await ctx.loaders.catalogue()).get(row.indicatorCode);
        if (!indicator) throw new Error(`indicator ${row.indicatorCode} of an observation is missing`);
        return observationAttribution(indicator, row.aggregated === true);
      },
    }),
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
