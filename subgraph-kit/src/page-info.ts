import type { ObjectRef, SchemaTypes } from '@pothos/core';
// The federation plugin's options (`shareable`) for object types.
import type {} from '@pothos/plugin-federation';

/** Where a page of a connection ends; the shape every subgraph's PageInfo resolves. */
export interface PageInfoShape {
  hasNextPage: boolean;
  endCursor: string | null;
}

/** A schema holds one PageInfo type, however many connections use it. */
const pageInfoOfBuilder = new WeakMap<object, unknown>();

/**
 * PageInfo, defined once for every subgraph that pages: a shareable value type, so each subgraph
 * defines it identically and composition merges it. Every call on one builder returns the same type.
 */
export function definePageInfo<Types extends SchemaTypes>(
  builder: PothosSchemaTypes.SchemaBuilder<Types>,
): ObjectRef<Types, PageInfoShape> {
  const defined = pageInfoOfBuilder.get(builder);
  if (defined) return defined as ObjectRef<Types, PageInfoShape>;
  // See defineInputErrorType: the fields need nothing of the subgraph's own types.
  const plain = builder as unknown as PothosSchemaTypes.SchemaBuilder<
    PothosSchemaTypes.ExtendDefaultTypes<{ DefaultFieldNullability: false }>
  >;
  const ref = plain.objectRef<PageInfoShape>('PageInfo').implement({
    description: 'Where a page ends and whether more follow.',
    shareable: true,
    fields: (t) => ({
      hasNextPage: t.exposeBoolean('hasNextPage', { description: 'True when another page follows.' }),
      endCursor: t.exposeString('endCursor', { nullable: true, description: 'Pass as `after` to get the next page.' }),
    }),
  });
  pageInfoOfBuilder.set(builder, ref);
  return ref as unknown as ObjectRef<Types, PageInfoShape>;
}
