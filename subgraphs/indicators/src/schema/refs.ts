import type { ObjectRef } from '@pothos/core';
import { REGION_ENTITY_DOCS } from '@regiograph/shared';
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
    description: REGION_ENTITY_DOCS.description,
    externalFields: () => ({}),
    fields: (t) => ({
      code: t.exposeID('code', { description: REGION_ENTITY_DOCS.code }),
    }),
  });

export function regionReference(code: string): { code: string } {
  return { code };
}
