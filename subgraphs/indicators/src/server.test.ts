// `_entities` posted straight to the subgraph's port, as only the gateway should call it: a
// representation that does not name an entity by its key is the caller's mistake (BAD_USER_INPUT
// naming the key), whether the entity is this subgraph's own (Indicator) or one it extends and
// answers from the representation itself (Region, Project, FundingTargeting).
import type { SubgraphServer } from '@regiograph/subgraph-kit';
import { createServer } from './server';

let server: SubgraphServer;
let url: string;

interface Result<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

async function entities<T>(selection: string, representations: unknown[]): Promise<Result<{ _entities: (T | null)[] }>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `query ($representations: [_Any!]!) { _entities(representations: $representations) { __typename ${selection} } }`,
      variables: { representations },
    }),
  });
  return (await response.json()) as Result<{ _entities: (T | null)[] }>;
}

beforeAll(async () => {
  // No seed: a refused representation never reaches the tables, and a Region is answered from its representation.
  server = await createServer({ databaseUrl: process.env.TEST_DATABASE_URL! });
  url = (await server.listen(0)).url;
});

afterAll(async () => {
  await server?.close();
});

describe('_entities', () => {
  it('refuses a representation without its key with BAD_USER_INPUT naming the key, for every entity type', async () => {
    const { data, errors } = await entities('... on Region { code } ... on Project { id } ... on FundingTargeting { id }', [
      { __typename: 'Indicator' },
      { __typename: 'Region' },
      { __typename: 'Project', indicatorCodes: ['population'] },
      { __typename: 'FundingTargeting', indicatorCode: 'population' },
      { __typename: 'Region', code: '03241' },
    ]);
    expect(data?._entities).toEqual([null, null, null, null, { __typename: 'Region', code: '03241' }]);
    expect(errors?.map((error) => [error.path, error.extensions?.code, error.extensions?.key, error.message])).toEqual([
      [
        ['_entities', 0],
        'BAD_USER_INPUT',
        'code',
        'An Indicator representation must carry its key "code": code is missing (representation 0).',
      ],
      [
        ['_entities', 1],
        'BAD_USER_INPUT',
        'code',
        'A Region representation must carry its key "code": code is missing (representation 1).',
      ],
      [['_entities', 2], 'BAD_USER_INPUT', 'id', 'A Project representation must carry its key "id": id is missing (representation 2).'],
      [
        ['_entities', 3],
        'BAD_USER_INPUT',
        'id',
        'A FundingTargeting representation must carry its key "id": id is missing (representation 3).',
      ],
    ]);
  });

  it('refuses a key of the wrong type: a number or an object is no code', async () => {
    const { data, errors } = await entities('... on Region { code }', [
      { __typename: 'Region', code: 3241 },
      { __typename: 'Indicator', code: { code: 'population' } },
    ]);
    expect(data?._entities).toEqual([null, null]);
    expect(errors?.map((error) => [error.extensions?.code, error.message])).toEqual([
      [
        'BAD_USER_INPUT',
        'A Region representation must carry its key "code": code must be an ID (a string), got the number 3241 (representation 0).',
      ],
      [
        'BAD_USER_INPUT',
        'An Indicator representation must carry its key "code": code must be an ID (a string), got an object (representation 1).',
      ],
    ]);
  });
});
