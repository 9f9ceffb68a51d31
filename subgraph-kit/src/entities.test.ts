// The subgraphs' own servers are tested with their real entities (regions, indicators); here the
// kinds of keys none of them has yet: compound, nested, enum, Int and several keys on one type.
import { buildSchema, graphql, type GraphQLSchema } from 'graphql';
import { checkEntityRepresentations } from './entities';

const SDL = `
  directive @key(fields: String!, resolvable: Boolean = true) repeatable on OBJECT
  scalar _Any
  union _Entity = Place | Route
  enum Mode { BUS RAIL }
  type Query { _entities(representations: [_Any!]!): [_Entity]! }
  type Place @key(fields: "code") { code: ID! name: String }
  type Route @key(fields: "from { code } mode") @key(fields: "number") @key(fields: "name", resolvable: false) {
    from: Place!
    mode: Mode!
    number: Int!
    name: String!
  }
`;

/** A schema whose `_entities` answers each representation as itself, as an extended type without resolveReference does. */
function echoSchema(): { schema: GraphQLSchema; resolved: unknown[][] } {
  const schema = buildSchema(SDL);
  const resolved: unknown[][] = [];
  schema.getQueryType()!.getFields()._entities!.resolve = (_source, args: { representations: unknown[] }) => {
    resolved.push(args.representations);
    return args.representations.map((representation) => Promise.resolve(representation));
  };
  checkEntityRepresentations(schema);
  return { schema, resolved };
}

async function entities(schema: GraphQLSchema, representations: unknown[]) {
  const result = await graphql({
    schema,
    source: `query ($representations: [_Any!]!) {
      _entities(representations: $representations) { __typename ... on Place { code } }
    }`,
    variableValues: { representations },
  });
  return {
    data: result.data as { _entities: unknown[] } | null | undefined,
    errors: result.errors?.map((error) => ({ path: error.path, message: error.message, extensions: error.extensions })),
  };
}

describe('checkEntityRepresentations', () => {
  it('refuses a representation without its key, or with a key of the wrong type, at its position only', async () => {
    const { schema, resolved } = echoSchema();
    const { data, errors } = await entities(schema, [
      { __typename: 'Place', code: '03241' },
      { __typename: 'Place' },
      { __typename: 'Place', code: 3241 },
      { __typename: 'Place', code: { code: '03241' } },
      { __typename: 'Route', number: 7 },
    ]);
    expect(data?._entities).toEqual([{ __typename: 'Place', code: '03241' }, null, null, null, { __typename: 'Route' }]);
    // The resolver never sees a refused representation.
    expect(resolved).toEqual([
      [
        { __typename: 'Place', code: '03241' },
        { __typename: 'Route', number: 7 },
      ],
    ]);
    expect(errors).toEqual([
      {
        path: ['_entities', 1],
        message: 'A Place representation must carry its key "code": code is missing (representation 1).',
        extensions: { code: 'BAD_USER_INPUT', argument: 'representations', index: 1, typename: 'Place', key: 'code' },
      },
      {
        path: ['_entities', 2],
        message: 'A Place representation must carry its key "code": code must be an ID (a string), got the number 3241 (representation 2).',
        extensions: { code: 'BAD_USER_INPUT', argument: 'representations', index: 2, typename: 'Place', key: 'code' },
      },
      {
        path: ['_entities', 3],
        message: 'A Place representation must carry its key "code": code must be an ID (a string), got an object (representation 3).',
        extensions: { code: 'BAD_USER_INPUT', argument: 'representations', index: 3, typename: 'Place', key: 'code' },
      },
    ]);
  });

  it('takes any one complete resolvable key, nested and enum fields included, and names every key when none is complete', async () => {
    const { schema } = echoSchema();
    const accepted = await entities(schema, [
      { __typename: 'Route', from: { code: '03241' }, mode: 'RAIL', number: null },
      { __typename: 'Route', number: 12 },
    ]);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data?._entities).toHaveLength(2);

    const refused = await entities(schema, [
      { __typename: 'Route', from: { code: '03241' }, mode: 'PLANE' },
      { __typename: 'Route', from: '03241', mode: 'BUS', number: 1.5 },
      // A key with resolvable: false names no entity this subgraph can resolve.
      { __typename: 'Route', name: 'S5' },
    ]);
    expect(refused.data?._entities).toEqual([null, null, null]);
    expect(refused.errors?.map((error) => error.message)).toEqual([
      'A Route representation must carry its key "from { code } mode" or "number": mode must be one of BUS, RAIL, got the string "PLANE"; number is missing (representation 0).',
      'A Route representation must carry its key "from { code } mode" or "number": from must be an object, got the string "03241"; number must be an integer, got the number 1.5 (representation 1).',
      'A Route representation must carry its key "from { code } mode" or "number": from is missing; number is missing (representation 2).',
    ]);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ key: ['from { code } mode', 'number'] });
  });

  it('refuses a representation that is no object, or whose __typename names no entity, instead of failing the whole field', async () => {
    const { schema } = echoSchema();
    const { data, errors } = await entities(schema, [
      '03241',
      { code: '03241' },
      { __typename: 'Mode', code: '03241' },
      { __typename: 'Place', code: '03' },
    ]);
    expect(data?._entities).toEqual([null, null, null, { __typename: 'Place', code: '03' }]);
    expect(errors?.map((error) => [error.extensions?.code, error.message])).toEqual([
      [
        'BAD_USER_INPUT',
        'Each representation must be an object with __typename and the entity\'s key; representation 0 is the string "03241".',
      ],
      ['BAD_USER_INPUT', 'The __typename of representation 1 must name an entity of this subgraph (Place, Route), got none.'],
      ['BAD_USER_INPUT', 'The __typename of representation 2 must name an entity of this subgraph (Place, Route), got "Mode".'],
    ]);
  });
});
