import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import { decodeCursor, findUndocumented, subgraphSchemaOptions } from '@regiograph/shared';
import { graphql, type GraphQLObjectType } from 'graphql';
import { DEFAULT_PAGE_SIZE, defineConnection, pageSizeOf, PAGED_LIST_SIZE, type Page } from './connection';
import { definePageInfo } from './page-info';

interface Item {
  key: string;
}

interface ItemPage extends Page<Item> {
  total: number;
}

const MAX_PAGE_SIZE = 100;

/** A schema with one paged list of items, its pages cut from `items` by `first` (no `after`). */
function itemSchema(items: Item[]) {
  const builder = new SchemaBuilder<{ Context: { counted: number }; DefaultFieldNullability: false }>({ defaultFieldNullability: false });
  const ItemType = builder.objectRef<Item>('Item').implement({
    description: 'An item.',
    fields: (t) => ({ key: t.exposeString('key', { description: 'Its key.' }) }),
  });
  const ItemConnection = defineConnection(builder, {
    node: ItemType,
    name: 'Item',
    singular: 'item',
    plural: 'items',
    description: 'A page of items ordered by key.',
    cursorKind: 'item',
    positionOf: (page: ItemPage, index) => page.nodes[index]!.key,
    totalCount: async (page, context) => {
      context.counted += 1;
      return page.total;
    },
  });
  // A second connection on the same builder shares the one PageInfo type.
  defineConnection(builder, {
    node: ItemType,
    name: 'OtherItem',
    singular: 'other item',
    plural: 'other items',
    description: 'Another list of items.',
    cursorKind: 'other-item',
    positionOf: (page: ItemPage, index) => index,
    totalCount: async (page) => page.total,
  });
  builder.queryType({
    description: 'The root.',
    fields: (t) => ({
      items: t.field({
        type: ItemConnection,
        description: 'A page of items.',
        args: { first: t.arg.int({ required: false, description: 'Page size.' }) },
        resolve: (_root, args): ItemPage => {
          const first = pageSizeOf(args.first, MAX_PAGE_SIZE);
          return { nodes: items.slice(0, first), hasNextPage: items.length > first, total: items.length };
        },
      }),
    }),
  });
  return builder.toSchema();
}

const QUERY = `query ($first: Int) {
  items(first: $first) { nodes { key } edges { cursor node { key } } pageInfo { hasNextPage endCursor } totalCount }
}`;

describe('defineConnection', () => {
  const items = ['a', 'b', 'c', 'd'].map((key) => ({ key }));

  it('answers nodes, edges with cursors of the list, the page end and the total', async () => {
    const context = { counted: 0 };
    const result = await graphql({ schema: itemSchema(items), source: QUERY, variableValues: { first: 2 }, contextValue: context });
    expect(result.errors).toBeUndefined();
    const page = result.data!.items as {
      nodes: Item[];
      edges: { cursor: string; node: Item }[];
      pageInfo: { hasNextPage: boolean; endCursor: string };
      totalCount: number;
    };
    expect(page.nodes).toEqual([{ key: 'a' }, { key: 'b' }]);
    expect(page.edges.map((edge) => [decodeCursor('item', edge.cursor), edge.node.key])).toEqual([
      ['a', 'a'],
      ['b', 'b'],
    ]);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: page.edges[1]!.cursor });
    expect(page.totalCount).toBe(4);
    expect(context.counted).toBe(1);
  });

  it('gives an empty page no end cursor and counts only when asked', async () => {
    const context = { counted: 0 };
    const empty = await graphql({
      schema: itemSchema([]),
      source: 'query { items { nodes { key } pageInfo { hasNextPage endCursor } } }',
      contextValue: context,
    });
    expect(empty.errors).toBeUndefined();
    expect(empty.data!.items).toEqual({ nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
    expect(context.counted).toBe(0);
  });

  it('refuses a page size outside 1 to the largest with BAD_USER_INPUT on first', async () => {
    for (const first of [0, MAX_PAGE_SIZE + 1, -1]) {
      const result = await graphql({ schema: itemSchema(items), source: QUERY, variableValues: { first }, contextValue: { counted: 0 } });
      expect(result.errors?.[0]?.message).toBe(`first must be between 1 and ${MAX_PAGE_SIZE}.`);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    }
  });

  it('describes its types and fields alike in every subgraph', () => {
    const schema = itemSchema(items);
    const described = (name: string) => {
      const type = schema.getType(name) as GraphQLObjectType;
      return {
        type: type.description,
        fields: Object.fromEntries(
          Object.values(type.getFields()).map((field) => [field.name, `${String(field.type)}: ${field.description}`]),
        ),
      };
    };
    expect(described('ItemConnection')).toEqual({
      type: 'A page of items ordered by key.',
      fields: {
        nodes: '[Item!]!: The items of this page.',
        edges: '[ItemEdge!]!: The items of this page with their cursors.',
        pageInfo: 'PageInfo!: Where this page ends.',
        totalCount: 'Int!: How many items match the filter in all pages (costs one extra query).',
      },
    });
    expect(described('ItemEdge')).toEqual({
      type: 'An item in a page, with its cursor.',
      fields: { cursor: 'String!: Opaque position of this item in the list.', node: 'Item!: The item.' },
    });
    expect(described('OtherItemConnection').fields.pageInfo).toBe('PageInfo!: Where this page ends.');
  });
});

describe('pageSizeOf and PAGED_LIST_SIZE', () => {
  it('takes the default page size when first is not given, which demand control assumes too', () => {
    expect(pageSizeOf(undefined, 200)).toBe(DEFAULT_PAGE_SIZE);
    expect(pageSizeOf(null, 200)).toBe(DEFAULT_PAGE_SIZE);
    expect(pageSizeOf(200, 200)).toBe(200);
    expect(PAGED_LIST_SIZE.listSize.assumedSize).toBe(DEFAULT_PAGE_SIZE);
    expect(PAGED_LIST_SIZE.listSize.sizedFields).toEqual(['nodes', 'edges']);
  });
});

describe('definePageInfo', () => {
  it('defines PageInfo once per builder', () => {
    const builder = new SchemaBuilder<{ DefaultFieldNullability: false }>({ defaultFieldNullability: false });
    expect(definePageInfo(builder)).toBe(definePageInfo(builder));
  });

  it('defines a shareable PageInfo, every field described, that resolves where a page ends', async () => {
    const builder = new SchemaBuilder<{ DefaultFieldNullability: false }>({
      plugins: [DirectivesPlugin, FederationPlugin],
      defaultFieldNullability: false,
    });
    const PageInfo = definePageInfo(builder);
    builder.queryType({});
    builder.queryField('last', (t) =>
      t.field({ type: PageInfo, description: 'A page info.', resolve: () => ({ hasNextPage: true, endCursor: null }) }),
    );
    const schema = builder.toSubGraphSchema(subgraphSchemaOptions(['@key', '@shareable']));
    expect(findUndocumented(schema)).toEqual([]);
    const result = await graphql({ schema, source: '{ last { hasNextPage endCursor } _service { sdl } }' });
    const data = result.data as { last: unknown; _service: { sdl: string } };
    expect(data.last).toEqual({ hasNextPage: true, endCursor: null });
    expect(data._service.sdl.replace(/\s+/g, ' ')).toContain('type PageInfo @shareable {');
  });
});
