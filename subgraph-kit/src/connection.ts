import type { ObjectRef, SchemaTypes } from '@pothos/core';
import { encodeCursor, ErrorCode, listSize, userError } from '@regiograph/shared';
import { definePageInfo } from './page-info';

/** The page size of a list whose caller does not say `first`; also its size for demand control. */
export const DEFAULT_PAGE_SIZE = 50;

/** `directives` of a paged list field: the page size is `first` (or the default) for its nodes and edges. */
export const PAGED_LIST_SIZE = listSize({
  slicingArguments: ['first'],
  assumedSize: DEFAULT_PAGE_SIZE,
  sizedFields: ['nodes', 'edges'],
  requireOneSlicingArgument: false,
});

/** The page size asked for: `first`, or the default; BAD_USER_INPUT (argument `first`) outside 1–`max`. */
export function pageSizeOf(first: number | null | undefined, max: number): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > max) {
    throw userError(`first must be between 1 and ${max}.`, ErrorCode.BadUserInput, { argument: 'first' });
  }
  return size;
}

/** A page as a list field resolves it; the connection type answers from it. */
export interface Page<Node> {
  nodes: Node[];
  hasNextPage: boolean;
}

export interface ConnectionOptions<Types extends SchemaTypes, Node, P extends Page<Node>> {
  /** The node type; its name names the edge and connection types (Region: RegionEdge, RegionConnection). */
  node: ObjectRef<Types, Node>;
  name: string;
  /** The nodes in descriptions, e.g. "region" and "regions". */
  singular: string;
  plural: string;
  /** The connection type's description (what the pages hold and their order). */
  description: string;
  /** The list's cursor kind (see encodeCursor): a cursor of another list is refused. */
  cursorKind: string;
  /** The position a cursor carries for the page's node at `index`: its key, or its offset in the list. */
  positionOf: (page: P, index: number) => string | number;
  /** How many nodes all pages hold (one further statement, only when asked). */
  totalCount: (page: P, context: Types['Context']) => Promise<number>;
}

interface Edge<Node> {
  node: Node;
  cursor: string;
}

/**
 * A list's connection type and its edge type (nodes, edges, pageInfo, totalCount), the same in
 * every subgraph that pages. The list field resolves a `Page`; cursors are encoded here.
 */
export function defineConnection<Types extends SchemaTypes, Node, P extends Page<Node>>(
  builder: PothosSchemaTypes.SchemaBuilder<Types>,
  options: ConnectionOptions<Types, Node, P>,
): ObjectRef<Types, P> {
  // As in defineInputErrorType: Pothos cannot check fields against a builder or a node whose types
  // are parameters, so they are defined on a view of them in which a node is any object.
  const plain = builder as unknown as PothosSchemaTypes.SchemaBuilder<PlainTypes>;
  const node = options.node as unknown as ObjectRef<PlainTypes, object>;
  const pageInfo = definePageInfo(plain);
  const cursorOf = (page: Page<object>, index: number) => encodeCursor(options.cursorKind, options.positionOf(page as P, index));
  const edge = plain.objectRef<Edge<object>>(`${options.name}Edge`).implement({
    description: `${/^[aeiou]/i.test(options.singular) ? 'An' : 'A'} ${options.singular} in a page, with its cursor.`,
    fields: (t) => ({
      cursor: t.exposeString('cursor', { description: `Opaque position of this ${options.singular} in the list.` }),
      node: t.field({ type: node, description: `The ${options.singular}.`, resolve: (edge) => edge.node }),
    }),
  });
  const connection = plain.objectRef<Page<object>>(`${options.name}Connection`).implement({
    description: options.description,
    fields: (t) => ({
      nodes: t.field({ type: [node], description: `The ${options.plural} of this page.`, resolve: (page) => page.nodes }),
      edges: t.field({
        type: [edge],
        description: `The ${options.plural} of this page with their cursors.`,
        resolve: (page) => page.nodes.map((node, index) => ({ node, cursor: cursorOf(page, index) })),
      }),
      pageInfo: t.field({
        type: pageInfo,
        description: 'Where this page ends.',
        resolve: (page) => ({
          hasNextPage: page.hasNextPage,
          endCursor: page.nodes.length > 0 ? cursorOf(page, page.nodes.length - 1) : null,
        }),
      }),
      totalCount: t.int({
        description: `How many ${options.plural} match the filter in all pages (costs one extra query).`,
        resolve: (page, _args, context) => options.totalCount(page as P, context as Types['Context']),
      }),
    }),
  });
  return connection as unknown as ObjectRef<Types, P>;
}

type PlainTypes = PothosSchemaTypes.ExtendDefaultTypes<{ DefaultFieldNullability: false }>;
