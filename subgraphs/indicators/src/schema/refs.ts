import type { ObjectRef } from '@pothos/core';
import { builder } from '../builder';
import type { IndicatorRow, ObservationRow } from '../context';

type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : never;

export const IndicatorType = builder.objectRef<IndicatorRow>('Indicator');
export const ObservationType = builder.objectRef<ObservationRow>('Observation');

/**
 * Regions are owned by the regions subgraph: this one only adds fields to them by code
 * (`builder.objectFields(RegionRef, …)` in region.ts).
 */
export const RegionRef: ObjectRef<BuilderTypes, { code: string }> = builder
  .externalRef('Region', builder.selection<{ code: string }>('code'))
  .implement({
    // The same description as in the regions subgraph, so composition has nothing to choose between.
    description:
      'A region of Lower Saxony — the state, an ArL district, a county, a Samtgemeinde or a municipality — keyed by its official ARS code.',
    externalFields: () => ({}),
    fields: (t) => ({
      code: t.exposeID('code', { description: 'The Amtlicher Regionalschlüssel (ARS): 2, 3, 5, 9 or 12 digits.' }),
    }),
  });

export function regionReference(code: string): { code: string } {
  return { code };
}
