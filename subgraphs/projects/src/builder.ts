import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import type { ProjectsContext } from './context';
import { CENTS_SCALAR, DATE_SCALAR, DATE_TIME_SCALAR, JSON_SCALAR } from '@regiograph/shared';

export const builder = new SchemaBuilder<{
  Context: ProjectsContext;
  Scalars: {
    Date: { Input: Date; Output: Date };
    Cents: { Input: bigint; Output: bigint };
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [DirectivesPlugin, FederationPlugin],
  defaultFieldNullability: false,
});

// Declared from shared, as in every subgraph: composition merges only equal scalars.
builder.scalarType('Date', DATE_SCALAR);

// Declared from shared, identically in every subgraph that carries money (composition merges only equal scalars).
builder.scalarType('Cents', CENTS_SCALAR);

// Declared from shared, identically in every subgraph with a change feed.
builder.scalarType('DateTime', DATE_TIME_SCALAR);
builder.scalarType('JSON', JSON_SCALAR);

// Root types carry no description: composition would have to pick one of the subgraphs' texts.
builder.queryType({});
builder.mutationType({});
