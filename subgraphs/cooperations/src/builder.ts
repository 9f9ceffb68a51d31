import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import type { CooperationsContext } from './context';
import { DATE_SCALAR, DATE_TIME_SCALAR, JSON_SCALAR } from '@regiograph/shared';

export const builder = new SchemaBuilder<{
  Context: CooperationsContext;
  Scalars: {
    Date: { Input: Date; Output: Date };
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [DirectivesPlugin, FederationPlugin],
  defaultFieldNullability: false,
});

builder.scalarType('Date', DATE_SCALAR);

// Declared from shared, identically in every subgraph with a change feed.
builder.scalarType('DateTime', DATE_TIME_SCALAR);
builder.scalarType('JSON', JSON_SCALAR);

// Query and Mutation are shared by all subgraphs; their descriptions are left to the one that owns the domain of the API.
builder.queryType({});
builder.mutationType({});
