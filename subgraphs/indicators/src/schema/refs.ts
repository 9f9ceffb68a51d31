import { defineRegionStub } from '@regiograph/subgraph-kit';
import { builder } from '../builder';
import type { IndicatorRow, ObservationRow } from '../context';

export const IndicatorType = builder.objectRef<IndicatorRow>('Indicator');
export const ObservationType = builder.objectRef<ObservationRow>('Observation');

/**
 * Regions are owned by the regions subgraph: this one only adds fields to them by code
 * (`builder.objectFields(RegionRef, …)` in region.ts).
 */
export const RegionRef = defineRegionStub(builder);

export function regionReference(code: string): { code: string } {
  return { code };
}
