import { cost, LANGUAGE_ARGUMENT, type Language } from '@regiograph/shared';
import { builder } from '../builder';
import type { ImportRow, IndicatorRow } from '../context';
import { isSyntheticIndicator } from '../definitions';
import { LanguageEnum, ObservationStatusEnum } from './enums';
import { missingReasonText } from '../missing-reasons';
import { ATTRIBUTION_LANGUAGE_NOTE, indicatorAttribution } from './indicator';
import { IndicatorType, ObservationType, RegionRef, regionReference } from './refs';

/**
 * The attribution of one value: its indicator's, and where RegioGraph changed the publisher's data (a
 * value computed from the regions within, or by a formula) the note dl-de/by-2-0 asks for, that the
 * data were changed, with how. Synthetic data are RegioGraph's own: nobody else's data were changed.
 * A figure the source published of a derived indicator was not computed: it carries no note.
 * The note is the licence's German wording in every language.
 */
export function observationAttribution(
  indicator: IndicatorRow,
  { aggregated = false, derived = false }: { aggregated?: boolean; derived?: boolean },
  language: Language = 'EN',
): string {
  if (isSyntheticIndicator(indicator) || (!aggregated && !derived)) return indicatorAttribution(indicator, language);
  const from = aggregated ? ' aus den Werten der enthaltenen Regionen' : '';
  const formula = derived && indicator.formula ? ` als ${indicator.formula}` : '';
  return `${indicator.sourceAttribution}; Daten verändert: von RegioGraph${from} berechnet${formula}`;
}

export const ObservationImportType = builder.objectRef<ImportRow>('ObservationImport').implement({
  description:
    'The run of the importer that last wrote an observation: the release of official data it brought, and when. ' +
    'A later release that repeats the value unchanged does not write it again, so the value keeps the release it first came with.',
  fields: (t) => ({
    release: t.exposeString('release', {
      nullable: true,
      description:
        'The release as the data steward named it on import (`--release`), e.g. "Regionaldatenbank 12411-01-01-4, Stand 15.03.2024"; ' +
        'null for an import run before the importer required the name.',
    }),
    importedAt: t.expose('importedAt', { type: 'DateTime', description: 'When the import was written (its transaction).' }),
  }),
});

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
    missingReason: t.string({
      nullable: true,
      description:
        'Why the value is null, when it is. RegioGraph’s own reasons (no observation for the region, level or year; not ' +
        'aggregated for lack of the regions within; its synthetic data’s) in `language`; a reason a data steward gave on ' +
        'import is the source’s own and given as it was given.',
      args: {
        language: t.arg({ type: LanguageEnum, ...LANGUAGE_ARGUMENT }),
      },
      resolve: (row, { language }) => (row.missingReason ? missingReasonText(row.missingReason, language) : null),
    }),
    attribution: t.string({
      description:
        'The attribution to show beside this value: its indicator’s (Indicator.attribution), and where RegioGraph changed the ' +
        'publisher’s data — computed from the regions within (aggregated) or by a formula (derived) — the note ' +
        'that the data were changed, with how ("Daten verändert: von RegioGraph … berechnet …"), as dl-de/by-2-0 asks. ' +
        `Values that share a text need it shown once.${ATTRIBUTION_LANGUAGE_NOTE}`,
      args: {
        language: t.arg({ type: LanguageEnum, ...LANGUAGE_ARGUMENT }),
      },
      resolve: async (row, { language }, ctx) => {
        const indicator = (await ctx.loaders.catalogue()).get(row.indicatorCode);
        if (!indicator) throw new Error(`indicator ${row.indicatorCode} of an observation is missing`);
        return observationAttribution(indicator, row, language);
      },
    }),
    importedFrom: t.field({
      type: ObservationImportType,
      nullable: true,
      description:
        'The import that last wrote this value: the release it was published in, as named on import, and when it was imported. ' +
        'Null for the data shipped with RegioGraph (the seed: see Indicator.source and the data folder’s NOTES.md), ' +
        'and for values stored before imports were recorded. A value RegioGraph computed (aggregated, or by a formula) names ' +
        'the import that computed it again.',
      // Priced as a scalar: one batched lookup of the few imports a table names, no read per cell. At an
      // object's point it doubled a long table's estimate, and the CSV export, which asks for it, halved its largest table.
      directives: cost(0),
      resolve: (row, _args, ctx) => (row.importId ? ctx.loaders.imports.load(row.importId) : null),
    }),
    aggregated: t.boolean({
      description:
        'True when RegioGraph computed the value from the regions within by the indicator’s aggregation rule ' +
        '(an ArL district from its counties, the state where the source gives no state value, a Samtgemeinde from its ' +
        'municipalities), or by a formula over such values: not a figure the source publishes for this region, and for ' +
        'a weighted mean an approximation (see Indicator.aggregation and weightIndicator). False when read from the source.',
      resolve: (observation) => observation.aggregated === true,
    }),
    derived: t.boolean({
      description:
        'True when RegioGraph computed the value by the indicator’s formula (Indicator.formula, over the values of ' +
        'Indicator.derivedFrom). False when the source published it: also a figure a publisher gives for a derived ' +
        'indicator in some regions or years, which RegioGraph keeps as given, never computes over and never deletes ' +
        'when the formula changes or is taken away.',
      resolve: (observation) => observation.derived === true,
    }),
  }),
});
