import net, { type AddressInfo } from 'node:net';
import { MAX_ERROR_MESSAGE_LENGTH, mintToken, silentLogger, type RunningServer } from '@regiograph/shared';
import { createGateway, type Gateway } from './server';
import { SUBGRAPHS } from './subgraphs';

interface GraphQLBody {
  data?: { __schema?: { queryType: { name: string } } };
  errors?: { message: string; extensions: { code: string } }[];
}

const graphqlBody = async (response: Response) => (await response.json()) as GraphQLBody;

describe('gateway HTTP surface', () => {
  let development: { gateway: Gateway; running: RunningServer };
  let production: { gateway: Gateway; running: RunningServer };
  const origin = (running: RunningServer) => running.url.replace(/\/graphql$/, '');

  beforeAll(async () => {
    // No subgraph runs here: these answers must not need one. The subgraphs point at a port nothing
    // listens on, not at the default ports, where a running `npm start` may well answer.
    const closedPort = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const subgraphUrls = Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, `http://127.0.0.1:${closedPort}/graphql`]));
    const dev = await createGateway({ env: { NODE_ENV: 'development' }, logger: silentLogger, subgraphUrls });
    development = { gateway: dev, running: await dev.listen(0) };
    const prod = await createGateway({
      logger: silentLogger,
      subgraphUrls,
      env: {
        NODE_ENV: 'production',
        CORS_ORIGINS: 'https://regiograph.example',
        AUTH_SECRET: 'a-test-secret-that-is-long-enough-for-hs256',
      },
    });
    production = { gateway: prod, running: await prod.listen(0) };
  });

  afterAll(async () => {
    await development.gateway.close();
    await production.gateway.close();
  });

  it('tells Apollo Gateway, which reads the process environment itself, to keep its usage reporting to Apollo off unless asked', async () => {
    // The two gateways above were made without the variable (the test runner passes none).
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('true');
    const asked = await createGateway({ env: { APOLLO_TELEMETRY_DISABLED: 'no' }, logger: silentLogger });
    try {
      expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('false');
    } finally {
      await asked.close();
      process.env.APOLLO_TELEMETRY_DISABLED = 'true';
    }
  });

  it('holds MAX_DOCUMENT_NESTING and MAX_VALIDATION_ERRORS from its environment, and refuses to start with a bad value', async () => {
    const lowered = await createGateway({ env: { MAX_DOCUMENT_NESTING: '3', MAX_VALIDATION_ERRORS: '2' }, logger: silentLogger });
    const running = await lowered.listen(0);
    const ask = async (url: string, query: string) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      return { status: response.status, body: await graphqlBody(response) };
    };
    try {
      // Four levels of braces: far within the default of 100 (the gateway made without the variables
      // validates it, and finds no such field), over the 3 set.
      const deep = '{ a { b { c { d } } } }';
      expect((await ask(development.running.url, deep)).body.errors?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(await ask(running.url, deep)).toEqual({
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
      expect((await ask(development.running.url, `{${' nope'.repeat(20)} }`)).body.errors).toHaveLength(11);
      expect((await ask(running.url, `{${' nope'.repeat(20)} }`)).body.errors).toHaveLength(3);
    } finally {
      await lowered.close();
    }
    await expect(createGateway({ env: { MAX_DOCUMENT_NESTING: '0' }, logger: silentLogger })).rejects.toThrow(
      /MAX_DOCUMENT_NESTING must be between 1 and 1000, got "0"/,
    );
    await expect(createGateway({ env: { MAX_VALIDATION_ERRORS: 'many' }, logger: silentLogger })).rejects.toThrow(
      /MAX_VALIDATION_ERRORS must be a non-negative integer, got "many"/,
    );
  });

  it('verifies tokens against the maximum lifetime of its own configuration (env or config), not the process environment', async () => {
    const secret = 'a-test-secret-that-is-long-enough-for-hs256';
    const ask = async (url: string, expiresIn: number) => {
      const token = mintToken({ sub: 'lifetime-test', name: 'Lifetime test', scopes: [] }, { secret, expiresIn });
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      return { status: response.status, body: await graphqlBody(response) };
    };
    // The process environment allows a day (the default); each gateway's own configuration, ten minutes.
    expect(process.env.AUTH_MAX_TOKEN_LIFETIME_SECONDS).toBeUndefined();
    const made = [
      { env: { AUTH_SECRET: secret, AUTH_MAX_TOKEN_LIFETIME_SECONDS: '600' } },
      { env: { AUTH_SECRET: secret }, config: { maxTokenLifetimeSeconds: 600 } },
    ];
    for (const options of made) {
      const gateway = await createGateway({ ...options, logger: silentLogger });
      try {
        expect(gateway.config.maxTokenLifetimeSeconds).toBe(600);
        const { url } = await gateway.listen(0);
        const hourly = await ask(url, 3600);
        expect(hourly.status).toBe(401);
        expect(hourly.body.errors?.[0]?.message).toBe(
          'The access token expires too far ahead: at most 600 seconds from now are accepted (AUTH_MAX_TOKEN_LIFETIME_SECONDS).',
        );
        expect(await ask(url, 300)).toMatchObject({ status: 200, body: { data: { __typename: 'Query' } } });
      } finally {
        await gateway.close();
      }
    }
    // The key tokens' lifetime is checked against the merged bound as well.
    await expect(
      createGateway({
        env: { AUTH_SECRET: secret, API_KEYS_DATABASE_URL: 'off' },
        config: { maxTokenLifetimeSeconds: 60 },
        logger: silentLogger,
      }),
    ).rejects.toThrow('API_KEYS_TOKEN_LIFETIME_SECONDS (120) must not exceed AUTH_MAX_TOKEN_LIFETIME_SECONDS (60)');
  });

  it('serves GraphiQL and its assets from the gateway itself in development', async () => {
    const page = await fetch(origin(development.running) + '/');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/ide/graphiql.js');
    expect(html).not.toMatch(/unpkg|jsdelivr|cdn\./);
    for (const asset of ['/ide/react.js', '/ide/react-dom.js', '/ide/graphiql.js', '/ide/graphiql.css']) {
      const response = await fetch(origin(development.running) + asset);
      expect([asset, response.status]).toEqual([asset, 200]);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
  });

  it('is alive but not ready while its subgraphs cannot be reached, and says which', async () => {
    expect((await fetch(origin(development.running) + '/health')).status).toBe(200);
    const ready = await fetch(origin(development.running) + '/ready');
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { status: string; subgraphs: Record<string, string> };
    expect(body.status).toBe('unavailable');
    expect(body.subgraphs.regions).toMatch(/^unreachable/);
  });

  it('allows introspection in development and refuses it in production', async () => {
    const query = JSON.stringify({ query: '{ __schema { queryType { name } } }' });
    const headers = { 'content-type': 'application/json' };
    const dev = await graphqlBody(await fetch(development.running.url, { method: 'POST', headers, body: query }));
    expect(dev.data?.__schema?.queryType.name).toBe('Query');
    const prod = await graphqlBody(await fetch(production.running.url, { method: 'POST', headers, body: query }));
    expect(prod.errors?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('serves no IDE and only configured CORS origins in production', async () => {
    expect((await fetch(origin(production.running) + '/')).status).toBe(404);
    const preflight = await fetch(production.running.url, { method: 'OPTIONS', headers: { origin: 'https://regiograph.example' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://regiograph.example');
    const foreign = await fetch(production.running.url, { method: 'OPTIONS', headers: { origin: 'https://elsewhere.example' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets no HTTP cache keep an answer that lacks fields because a subgraph failed', async () => {
    // Public reference data is otherwise cacheable for anonymous callers; a browser or CDN that kept
    // this partial answer would show "unavailable" for the whole max-age after the subgraph is back.
    const query = encodeURIComponent('{ region(code: "03") { name } }');
    const response = await fetch(`${development.running.url}?query=${query}`, { headers: { 'apollo-require-preflight': 'true' } });
    const body = await graphqlBody(response);
    expect({
      codes: body.errors?.map((error) => error.extensions.code),
      cacheControl: response.headers.get('cache-control'),
    }).toEqual({ codes: ['SUBGRAPH_UNAVAILABLE'], cacheControl: 'no-store' });
  });

  it("gives a failed subgraph's error the path of each field it left out", async () => {
    // A page tells "not available" at the field, not only "the regions service failed somewhere".
    const response = await fetch(development.running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ region(code: "03") { name } district: region(code: "031") { code } }' }),
    });
    const body = (await response.json()) as {
      data: unknown;
      errors: { path?: unknown; extensions: { code: string; serviceName?: string } }[];
    };
    expect({
      data: body.data,
      errors: body.errors.map((error) => ({ path: error.path, code: error.extensions.code, service: error.extensions.serviceName })),
    }).toEqual({
      data: { region: null, district: null },
      errors: [
        { path: ['region'], code: 'SUBGRAPH_UNAVAILABLE', service: 'regions' },
        { path: ['district'], code: 'SUBGRAPH_UNAVAILABLE', service: 'regions' },
      ],
    });
  });

  it('answers malformed queries with a parse error, not a crash', async () => {
    const response = await fetch(development.running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ region(code: "03" { name }' }),
    });
    expect(response.status).toBe(400);
    expect((await graphqlBody(response)).errors?.[0]?.extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('names a refused value of 90 KB in an error of at most MAX_ERROR_MESSAGE_LENGTH characters, its stack trace too', async () => {
    // graphql-js quotes the value in its message, twice for a variable; outside production the stack
    // trace's first line repeats the message: the answer was about 270 KB for a request of 90 KB.
    const huge = 'x'.repeat(90_000);
    const cases = [
      [
        'query ($level: RegionLevel) { regions(filter: { level: $level }) { nodes { code } } }',
        { level: huge },
        '$level',
        /does not exist in "RegionLevel" enum\.$/,
      ],
      [
        'query ($since: DateTime) { cooperations(updatedSince: $since) { nodes { id } } }',
        { since: huge },
        '$since',
        /DateTime must be an ISO 8601 moment/,
      ],
    ] as const;
    for (const { running } of [development, production]) {
      for (const [query, variables, variable, reason] of cases) {
        const response = await fetch(running.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query, variables }),
        });
        expect(response.status).toBe(400);
        const text = await response.text();
        expect(text.length).toBeLessThan(5 * MAX_ERROR_MESSAGE_LENGTH);
        const { errors } = JSON.parse(text) as GraphQLBody;
        expect(errors).toHaveLength(1);
        const { message, extensions } = errors![0]!;
        expect(extensions.code).toBe('BAD_USER_INPUT');
        expect(message.startsWith(`Variable "${variable}" got invalid value "xxx`)).toBe(true);
        expect(message).toMatch(/…\(\d+ characters left out\)…/);
        expect(message).toMatch(reason);
        expect(message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH);
      }
    }
  });
});
