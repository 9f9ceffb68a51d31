import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import type { IndicatorsContext } from './context';
import { DATE_SCALAR } from '@regiograph/shared';

export const builder = new SchemaBuilder<{
  Context: IndicatorsContext;
  Scalars: {
    Date: { Input: Date; Output: Date };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [DirectivesPlugin, FederationPlugin],
  defaultFieldNullability: false,
});

builder.scalarType('Date', DATE_SCALAR);

// No description: the regions subgraph describes the shared Query type.
builder.queryType({});
