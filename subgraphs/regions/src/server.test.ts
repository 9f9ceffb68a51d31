// `_entities` posted straight to the subgraph's port, as only the gateway should call it: a
// representation that does not name a region by its key is the caller's mistake (BAD_USER_INPUT
// naming the key), not the server's (INTERNAL_SERVER_ERROR), and it spoils no other representation.
import path from 'node:path';
import { createLogger, MAX_ERROR_MESSAGE_LENGTH, type Logger } from '@regiograph/shared';
import { scrapeServiceProcess } from '@regiograph/shared/testing';
import { exchangeGraphQL, type GraphQLExchange, type SubgraphServer } from '@regiograph/subgraph-kit';
import { createServer, seedIfEmpty } from './server';

let server: SubgraphServer;
let url: string;

function post<T>(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLExchange<T>> {
  return exchangeGraphQL<T>(url, query, variables);
}

beforeAll(async () => {
  server = await createServer({ databaseUrl: process.env.TEST_DATABASE_URL! });
  await seedIfEmpty(server.database);
  url = (await server.listen(0)).url;
});

afterAll(async () => {
  await server?.close();
});

describe('_entities', () => {
  it('refuses a Region representation without its code with BAD_USER_INPUT naming the key', async () => {
    const { status, body } = await post<{ _entities: unknown[] }>(
      '{ _entities(representations: [{ __typename: "Region" }]) { __typename } }',
    );
    expect(status).toBe(200);
    expect(body.data).toEqual({ _entities: [null] });
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({
      message: 'A Region representation must carry its key "code": code is missing (representation 0).',
      path: ['_entities', 0],
      extensions: { code: 'BAD_USER_INPUT', argument: 'representations', index: 0, typename: 'Region', key: 'code' },
    });
  });

  it('refuses a code of the wrong type at its position and still resolves the other representations', async () => {
    const { body } = await post<{ _entities: ({ code: string; name: string } | null)[] }>(
      'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Region { code name } } }',
      {
        representations: [
          { __typename: 'Region', code: 3241 },
          { __typename: 'Region', code: '03241' },
          { __typename: 'Region', code: { code: '03241' } },
          { __typename: 'Region', code: null },
        ],
      },
    );
    expect(body.data?._entities).toEqual([null, { code: '03241', name: 'Region Hannover' }, null, null]);
    expect(body.errors?.map((error) => [error.path, error.extensions?.code, error.message])).toEqual([
      [
        ['_entities', 0],
        'BAD_USER_INPUT',
        'A Region representation must carry its key "code": code must be an ID (a string), got the number 3241 (representation 0).',
      ],
      [
        ['_entities', 2],
        'BAD_USER_INPUT',
        'A Region representation must carry its key "code": code must be an ID (a string), got an object (representation 2).',
      ],
      [['_entities', 3], 'BAD_USER_INPUT', 'A Region representation must carry its key "code": code is missing (representation 3).'],
    ]);
  });
});

describe('a document graphql-js gives up validating', () => {
  it('is refused with the reason, not a bare "Validation aborted."', async () => {
    const { status, body } = await post(`{ region(code: "03") { ${'name '.repeat(1000)} } }`);
    expect(status).toBe(400);
    expect(body.errors?.map((error) => [error.extensions?.code, error.message])).toEqual([
      ['GRAPHQL_VALIDATION_FAILED', expect.stringMatching(/too many fields in one selection .* Ask for each field once/)],
    ]);
  });
});

describe('a refused value of 500 KB', () => {
  // graphql-js quotes the value in its message, a variable's twice: the answer was about 1 MB.
  const huge = 'x'.repeat(500_000);

  it('is named in an error of at most MAX_ERROR_MESSAGE_LENGTH characters, as a variable and as a literal', async () => {
    const asVariable = await post('query ($level: RegionLevel) { regions(filter: { level: $level }) { nodes { code } } }', { level: huge });
    const asLiteral = await post(`{ regions(filter: { level: "${huge}" }) { nodes { code } } }`);
    for (const [{ status, body }, code, named] of [
      [asVariable, 'BAD_USER_INPUT', /^Variable "\$level" got invalid value "xxx/],
      [asLiteral, 'GRAPHQL_VALIDATION_FAILED', /^Enum "RegionLevel" cannot represent non-enum value: "xxx/],
    ] as const) {
      expect(status).toBe(400);
      expect(body.errors).toHaveLength(1);
      const { message, extensions } = body.errors![0]!;
      expect(extensions?.code).toBe(code);
      expect(message).toMatch(named);
      expect(message).toMatch(/…\(\d+ characters left out\)…/);
      expect(message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
      expect(JSON.stringify(body).length).toBeLessThan(2 * MAX_ERROR_MESSAGE_LENGTH);
    }
    expect(asVariable.body.errors![0]!.message).toMatch(/xxx" does not exist in "RegionLevel" enum\.$/);
  });
});

/** A subgraph made while the environment holds the given variables, as a subgraph process starts. */
async function createServerWith(env: Record<string, string>, logger?: Logger): Promise<SubgraphServer> {
  const before = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    return await createServer({ databaseUrl: process.env.TEST_DATABASE_URL!, logger });
  } finally {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe('document limits from the environment', () => {
  it('refuses a query over a lowered MAX_DOCUMENT_NESTING with QUERY_TOO_DEEP and answers at most MAX_VALIDATION_ERRORS errors', async () => {
    const lowered = await createServerWith({ MAX_DOCUMENT_NESTING: '3', MAX_VALIDATION_ERRORS: '2' });
    const loweredUrl = (await lowered.listen(0)).url;
    const ask = (query: string) => exchangeGraphQL<unknown>(loweredUrl, query);
    try {
      // Four levels: within the default of 100, answered by the subgraph made without the variables.
      const query = '{ region(code: "03") { children { parent { code } } } }';
      expect((await post(query)).body.errors).toBeUndefined();
      expect(await ask(query)).toEqual({
        status: 400,
        body: {
          errors: [
            {
              message: 'The document nests braces and brackets more than 3 levels deep; at most 3 are allowed.',
              extensions: { code: 'QUERY_TOO_DEEP', limit: 3 },
            },
          ],
        },
      });
      expect((await ask('{ region(code: "03") { code } }')).body.errors).toBeUndefined();
      expect((await ask(`{${' nope'.repeat(20)} }`)).body.errors).toHaveLength(3);
    } finally {
      await lowered.close();
    }
  });

  it('refuses to start with a value that is not a limit, naming the variable', async () => {
    await expect(createServerWith({ MAX_DOCUMENT_NESTING: 'none' })).rejects.toThrow(
      /MAX_DOCUMENT_NESTING must be a non-negative integer, got "none"/,
    );
    await expect(createServerWith({ MAX_VALIDATION_ERRORS: '0' })).rejects.toThrow(
      /MAX_VALIDATION_ERRORS must be a positive integer, got "0"/,
    );
  });
});

describe('the connection pool from the environment (DATABASE_POOL_MAX)', () => {
  it('opens at most DATABASE_POOL_MAX connections, and says so in its pool metric', async () => {
    const sized = await createServerWith({ DATABASE_POOL_MAX: '3' });
    try {
      expect(sized.database.pool.options.max).toBe(3);
      const { body } = await sized.metrics.render();
      expect(body).toMatch(/^regiograph_subgraph_db_pool_max_connections\{[^}]*pool="primary"[^}]*\} 3$/m);
    } finally {
      await sized.close();
    }
  });

  it("takes pg's 10 unset, and refuses 0 (no limit at all to pg) or a word at start", async () => {
    const unset = await createServerWith({ DATABASE_POOL_MAX: '' });
    expect(unset.database.pool.options.max).toBe(10);
    await unset.close();
    await expect(createServerWith({ DATABASE_POOL_MAX: '0' })).rejects.toThrow('DATABASE_POOL_MAX must be a positive integer, got "0"');
    await expect(createServerWith({ DATABASE_POOL_MAX: 'ten' })).rejects.toThrow(
      'DATABASE_POOL_MAX must be a non-negative integer, got "ten"',
    );
  });
});

describe('settings in effect', () => {
  it('a subgraph says at start which values it took, from where, passwords masked, and names a misspelt variable', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger('regions', { level: 'info', write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    const started = await createServerWith(
      {
        SUBGRAPH_MAX_ITEMS: '5000',
        SUBGRAPH_MAX_ITEMZ: '10',
        DATABASE_REPLICA_URLS: 'postgresql://reader:replica-s3cret@127.0.0.1:1/regiograph',
      },
      logger,
    );
    await started.close();
    expect(lines.find((line) => line.message === 'settings in effect')?.settings).toMatchObject({
      SUBGRAPH_MAX_ITEMS: { value: '5000', from: 'environment' },
      DATABASE_REPLICA_URLS: { value: 'postgresql://reader:***@127.0.0.1:1/regiograph', from: 'environment' },
      PORT: { value: '4001', from: 'default' },
      SEED_ON_START: { value: 'true', from: 'default' },
    });
    expect(
      lines.filter((line) => line.level === 'warn' && String(line.variable).startsWith('SUBGRAPH_')).map((line) => line.message),
    ).toEqual(['SUBGRAPH_MAX_ITEMZ is read by no RegioGraph service and has no effect: did you mean SUBGRAPH_MAX_ITEMS?']);
    expect(JSON.stringify(lines)).not.toContain('s3cret');
  });

  it('a subgraph process refused for a value it cannot take has logged what it was given first', async () => {
    const started = scrapeServiceProcess({
      entry: path.join(__dirname, 'index.ts'),
      env: { ...process.env, DATABASE_URL: process.env.TEST_DATABASE_URL!, PORT: '0', SEED_ON_START: 'maybe', LOG_LEVEL: 'info' },
      listening: 'regions subgraph listening',
    });
    const output = await started.then(
      () => '',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    expect(output).toMatch(/ended \(code 1\) before listening/);
    const lines = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.find((line) => line.message === 'settings in effect')?.settings).toMatchObject({
      SEED_ON_START: { value: 'maybe', from: 'environment' },
    });
    expect(lines.find((line) => line.message === 'regions subgraph failed to start')?.error).toContain(
      'SEED_ON_START must be true or false',
    );
  });
});
