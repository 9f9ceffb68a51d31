import type { ObjectRef, SchemaTypes } from '@pothos/core';
// The federation plugin's `externalRef` on the builder.
import type {} from '@pothos/plugin-federation';
import { REGION_ENTITY_DOCS } from '@regiograph/shared';

/** A region as a subgraph that does not own it knows it: by its key. */
export interface RegionKey {
  code: string;
}

/**
 * The Region entity of a subgraph other than regions: a stub keyed by its ARS code, with the owner's
 * words (REGION_ENTITY_DOCS), so composition has nothing to reconcile. The subgraph adds its own
 * fields with `builder.objectFields(ref, …)`, and resolves a Region field to `{ code }`. Its schema
 * names '@extends' among its federation directives (subgraphSchemaOptions).
 */
export function defineRegionStub<Types extends SchemaTypes>(builder: PothosSchemaTypes.SchemaBuilder<Types>): ObjectRef<Types, RegionKey> {
  // As in defineConnection: the stub needs nothing of the subgraph's own types.
  const plain = builder as unknown as PothosSchemaTypes.SchemaBuilder<
    PothosSchemaTypes.ExtendDefaultTypes<{ DefaultFieldNullability: false }>
  >;
  const ref = plain
    .externalRef('Region', plain.selection<RegionKey>('code'), (reference) => ({ code: reference.code }))
    .implement({
      description: REGION_ENTITY_DOCS.description,
      fields: (t) => ({
        code: t.exposeID('code', { description: REGION_ENTITY_DOCS.code }),
      }),
    });
  // The plugin's external-ref class is not exported: the stub is typed as the plain object ref it is.
  return ref as unknown as ObjectRef<Types, RegionKey>;
}
