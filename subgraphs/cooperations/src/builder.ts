import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import type { CooperationsContext } from './context';

export const builder = new SchemaBuilder<{
  Context: CooperationsContext;
  Scalars: {
    Date: { Input: string; Output: Date };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [DirectivesPlugin, FederationPlugin],
  defaultFieldNullability: false,
});

// Identical to the regions subgraph's Date: federation merges same-named scalars only when they agree.
builder.scalarType('Date', {
  description: 'A calendar date in ISO 8601 form (YYYY-MM-DD).',
  serialize: (date) => date.toISOString().slice(0, 10),
  parseValue: (value) => {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new TypeError('Date must be YYYY-MM-DD');
    return value;
  },
});

// Query and Mutation are shared by all subgraphs; their descriptions are left to the one that owns the domain of the API.
builder.queryType({});
builder.mutationType({});
