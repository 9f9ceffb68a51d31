import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import type { ProjectsContext } from './context';
import { DATE_SCALAR } from '@regiograph/shared';

/** The largest integer JSON (and JavaScript's number) carries exactly: 2^53 − 1. */
const MAX_EXACT_CENTS = BigInt(Number.MAX_SAFE_INTEGER);

export const builder = new SchemaBuilder<{
  Context: ProjectsContext;
  Scalars: {
    Date: { Input: Date; Output: Date };
    Cents: { Input: bigint; Output: bigint };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [DirectivesPlugin, FederationPlugin],
  defaultFieldNullability: false,
});

// Defined exactly as the regions subgraph defines it (same name, description and format), so
builder.scalarType('Date', DATE_SCALAR);

function centsFrom(value: unknown): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d{1,18}$/.test(value)) return BigInt(value);
  throw new TypeError('Cents must be a whole number of euro cents (a JSON integer, or a string of digits for very large amounts)');
}

// Money is exact integer cents end to end: bigint in the database and in the resolvers. JSON numbers
// keep integers exact up to 2^53 − 1 cents (≈ 90 trillion euros), far above any sum here, so the
// scalar is serialized as a number clients can compute with; a larger value fails loudly instead
// of being rounded.
builder.scalarType('Cents', {
  description:
    'An amount of money in euro cents, an exact integer (100 = 1 €). Serialized as a JSON number, exact up to 2^53 − 1; ' +
    'input may also be a string of digits.',
  serialize: (cents) => {
    if (cents > MAX_EXACT_CENTS || cents < -MAX_EXACT_CENTS) throw new TypeError(`${cents} cents exceed the exactly representable range`);
    return Number(cents);
  },
  parseValue: centsFrom,
  parseLiteral: (node) => {
    if (node.kind === 'IntValue' || node.kind === 'StringValue') return centsFrom(node.value);
    throw new TypeError('Cents must be an integer or a string of digits');
  },
});

// Root types carry no description: composition would have to pick one of the subgraphs' texts.
builder.queryType({});
builder.mutationType({});
