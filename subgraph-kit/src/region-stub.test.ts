import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import { findUndocumented, REGION_ENTITY_DOCS, subgraphSchemaOptions } from '@regiograph/shared';
import { graphql, type GraphQLSchema } from 'graphql';
import { defineRegionStub } from './region-stub';

/** A subgraph that stubs Region and adds one field of its own to it. */
function stubSchema(): GraphQLSchema {
  const builder = new SchemaBuilder<{ DefaultFieldNullability: false }>({
    plugins: [DirectivesPlugin, FederationPlugin],
    defaultFieldNullability: false,
  });
  const RegionRef = defineRegionStub(builder);
  builder.objectFields(RegionRef, (t) => ({
    doubled: t.string({ description: 'The code twice.', resolve: (region) => region.code + region.code }),
  }));
  builder.queryType({});
  builder.queryField('home', (t) => t.field({ type: RegionRef, description: 'A region.', resolve: () => ({ code: '03' }) }));
  return builder.toSubGraphSchema(subgraphSchemaOptions(['@key', '@shareable', '@extends']));
}

describe('defineRegionStub', () => {
  it("declares Region as an entity keyed by code, in the owner's words", async () => {
    const schema = stubSchema();
    const result = await graphql({ schema, source: '{ _service { sdl } }' });
    const sdl = (result.data as { _service: { sdl: string } })._service.sdl.replace(/\s+/g, ' ');
    expect(sdl).toContain('type Region @key(fields: "code") @extends {');
    const region = schema.getType('Region')!;
    expect(region.description).toBe(REGION_ENTITY_DOCS.description);
    expect(findUndocumented(schema)).toEqual([]);
  });

  it('resolves a representation to its code, for the fields the subgraph adds', async () => {
    const result = await graphql({
      schema: stubSchema(),
      source: '{ _entities(representations: [{ __typename: "Region", code: "03241" }]) { ... on Region { code doubled } } }',
    });
    expect(result).toEqual({ data: { _entities: [{ code: '03241', doubled: '0324103241' }] } });
  });
});
