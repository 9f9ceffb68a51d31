import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import type { IndicatorsContext } from './context';
import { CENTS_SCALAR, DATE_SCALAR, DATE_TIME_SCALAR } from '@regiograph/shared';

export const builder = new SchemaBuilder<{
  Context: IndicatorsContext;
  Scalars: {
    Date: { Input: Date; Output: Date };
    Cents: { Input: bigint; Output: bigint };
    DateTime: { Input: Date; Output: Date };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [DirectivesPlugin, FederationPlugin],
  defaultFieldNullability: false,
});

builder.scalarType('Date', DATE_SCALAR);
// Funding amounts arrive from the projects subgraph (FundingTargeting); declared identically from shared.
builder.scalarType('Cents', CENTS_SCALAR);
// Declared from shared, identically in every subgraph with a change feed.
builder.scalarType('DateTime', DATE_TIME_SCALAR);

// No description: the regions subgraph describes the shared Query type.
builder.queryType({});
