import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import type { IndicatorsContext } from './context';

export const builder = new SchemaBuilder<{
  Context: IndicatorsContext;
  Scalars: {
    Date: { Input: string; Output: Date };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [DirectivesPlugin, FederationPlugin],
  defaultFieldNullability: false,
});

// Identical to the regions subgraph's Date: one scalar in the supergraph.
builder.scalarType('Date', {
  description: 'A calendar date in ISO 8601 form (YYYY-MM-DD).',
  serialize: (date) => date.toISOString().slice(0, 10),
  parseValue: (value) => {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new TypeError('Date must be YYYY-MM-DD');
    return value;
  },
});

// No description: the regions subgraph describes the shared Query type.
builder.queryType({});
