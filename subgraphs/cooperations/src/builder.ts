import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import type { CooperationsContext } from './context';
import { DATE_SCALAR } from '@regiograph/shared';

export const builder = new SchemaBuilder<{
  Context: CooperationsContext;
  Scalars: {
    Date: { Input: Date; Output: Date };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [DirectivesPlugin, FederationPlugin],
  defaultFieldNullability: false,
});

builder.scalarType('Date', DATE_SCALAR);

// Query and Mutation are shared by all subgraphs; their descriptions are left to the one that owns the domain of the API.
builder.queryType({});
builder.mutationType({});
