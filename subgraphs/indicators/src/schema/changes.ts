import { defineChangeFeed } from '@regiograph/subgraph-kit';
import { builder } from '../builder';
import { importChangeOf, INDICATOR_FEED, type ImportChange } from '../change-feed';
import { RegionLevelEnum } from './enums';

const ImportChangesType = builder.objectRef<ImportChange>('IndicatorImportChanges').implement({
  description:
    'What one import changed in one indicator, small enough for every change of the feed: re-read only these years and levels, ' +
    'and with `observationTable(importedAfter:)` only the values written since the last import you read.',
  fields: (t) => ({
    importedAt: t.expose('importedAt', {
      type: 'DateTime',
      description:
        'When the import wrote: the values it wrote carry it (Observation.importedFrom.importedAt). Imports take turns and each is ' +
        'later than every one before it, in the feed’s order. Keep the latest you have read and pass it as `importedAfter` next time.',
    }),
    years: t.exposeIntList('years', { description: 'The years of the values written or removed, ascending; empty when none were.' }),
    levels: t.field({
      type: [RegionLevelEnum],
      description: 'The region levels of the values written or removed, from the state down; empty when none were.',
      resolve: (change) => change.levels,
    }),
    valuesWritten: t.exposeInt('valuesWritten', {
      description:
        'How many values the import inserted or changed. A value repeated unchanged is not written again and keeps the import it came with.',
    }),
    valuesRemoved: t.exposeInt('valuesRemoved', {
      description:
        'How many stored values the import deleted (values computed by a formula whose input it left without a value). ' +
        '`importedAfter` cannot show a deleted value: when this is not 0, re-read the years and levels without it.',
    }),
    definitionChanged: t.exposeBoolean('definitionChanged', {
      description:
        'True when the import inserted or changed the indicator’s definition (its catalogue row, e.g. its source): re-read the indicator, ' +
        'and, as a change of source may replace every value, all its values.',
    }),
  }),
});

defineChangeFeed(builder, {
  feed: INDICATOR_FEED,
  prefix: 'Indicator',
  what: 'indicators and their values',
  entityTypes: {
    INDICATOR:
      'An indicator whose definition or values an import wrote (key: the indicator code). Re-read what `imported` names; ' +
      'for a change without it (the seed’s), every value.',
  },
  feedField: 'indicatorChanges',
  changeFields: (t) => ({
    release: t.string({
      nullable: true,
      description:
        'The release of official data the import that made this change brought, as named on import (`--release`) and as ' +
        'Observation.importedFrom.release names it on every value the import wrote. Null for a change that is not an import’s ' +
        '(the seed’s, a tombstone), and for an import recorded before the feed named releases.',
      resolve: (entry) => importChangeOf(entry.details)?.release ?? null,
    }),
    imported: t.field({
      type: ImportChangesType,
      nullable: true,
      description:
        'What the import changed in this indicator: the years and region levels of the values it wrote or removed, how many, and ' +
        'whether its definition changed. Null for a change that is not an import’s (the seed’s, a tombstone) and for an import ' +
        'recorded before the feed described them: then re-read every value of the indicator.',
      resolve: (entry) => importChangeOf(entry.details),
    }),
  }),
});
