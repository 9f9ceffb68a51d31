import type { ObjectRef, SchemaTypes } from '@pothos/core';
import { REGION_ENTITY_DOCS } from '@regiograph/shared';
import { builder } from '../builder';
import type { CooperationRow, MembershipRow, OfficeRow, StrategyRow } from '../context';

type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types extends SchemaTypes> ? Types : never;
type RegionObjectRef = ObjectRef<BuilderTypes, { code: string }>;

/**
 * A region owned by the regions subgraph, known here by its ARS code only. Typed as a plain object ref
 * (the plugin's external-ref class is not exported); its fields are added with builder.objectFields.
 */
export const RegionRef: RegionObjectRef = builder
  .externalRef('Region', builder.selection<{ code: string }>('code'), (reference) => ({ code: reference.code }))
  .implement({
    // Same words as the owner's description, so composition has nothing to reconcile.
    description: REGION_ENTITY_DOCS.description,
    fields: (t) => ({
      code: t.exposeID('code', { description: REGION_ENTITY_DOCS.code }),
    }),
  });

export const CooperationType = builder.objectRef<CooperationRow>('Cooperation');
export const MembershipType = builder.objectRef<MembershipRow>('CooperationMembership');
export const StrategyType = builder.objectRef<StrategyRow>('RegionalStrategy');
export const OfficeType = builder.objectRef<OfficeRow>('Office');
