import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { buildSchema, GraphQLError } from 'graphql';
import type { GatewayContext } from './context';
import { GatewayMetrics } from './metrics';
import { dataVersionPlugin } from './plugins';
import { cacheableRootFields, DATA_VERSION_KEY, mayHaveWritten, responseCachePlugin } from './response-cache';
import { MemoryStore } from './store';

describe('mayHaveWritten', () => {
  const error = (code: string, path?: (string | number)[]) => ({ message: code, path, extensions: { code } });

  it('is true when a mutation field answered, with or without errors beside it', () => {
    expect(mayHaveWritten({ data: { updateProject: { project: null, errors: [{ code: 'VERSION_CONFLICT' }] } } })).toBe(true);
    expect(mayHaveWritten({ data: { a: null, b: { id: '1' } }, errors: [error('FORBIDDEN', ['a'])] })).toBe(true);
  });

  it('is true when an error below a root field nulled it: the field ran, and may have committed', () => {
    expect(mayHaveWritten({ data: { updateProject: null }, errors: [error('BAD_USER_INPUT', ['updateProject', 'project', 'x'])] })).toBe(
      true,
    );
  });

  it('is true for an error that does not say nothing was written (a subgraph that failed or timed out)', () => {
    expect(mayHaveWritten({ data: { createProject: null }, errors: [error('SUBGRAPH_UNAVAILABLE', ['createProject'])] })).toBe(true);
    expect(mayHaveWritten({ data: null, errors: [{ message: 'no code' }] })).toBe(true);
    // One such error among refusals is enough.
    expect(
      mayHaveWritten({ data: null, errors: [error('FORBIDDEN', ['deleteProject']), error('SUBGRAPH_UNAVAILABLE', ['createProject'])] }),
    ).toBe(true);
  });

  it('is false for refusals of the root fields or of the request alone', () => {
    expect(mayHaveWritten({ data: { deleteProject: null }, errors: [error('UNAUTHENTICATED', ['deleteProject'])] })).toBe(false);
    expect(mayHaveWritten({ errors: [error('GRAPHQL_VALIDATION_FAILED')] })).toBe(false);
    expect(mayHaveWritten({ data: null, errors: [error('RATE_LIMITED'), error('QUERY_TOO_COSTLY')] })).toBe(false);
  });
});

describe('responseCachePlugin', () => {
  const schema = buildSchema(`
    type Query { region(code: ID!): Region, regions: [Region!]!, project(id: ID!): Project }
    type Region { code: ID!, name: String! }
    type Project { id: ID! }
    type Mutation { rename(code: ID!, name: String!): Region }
  `);

  /** A server with the plugin over a schema whose `region` and `regions` are public reference data; counts resolver calls. */
  async function cachingServer(options: { maxEntryBytes?: number } = {}) {
    const store = new MemoryStore();
    const metrics = new GatewayMetrics();
    const names = new Map([['03', 'Niedersachsen']]);
    const calls = { region: 0 };
    const server = new ApolloServer<GatewayContext>({
      schema,
      rootValue: {
        region: ({ code }: { code: string }) => {
          calls.region += 1;
          if (code === 'broken') throw new Error('subgraph failed');
          return names.has(code) ? { code, name: names.get(code) } : null;
        },
        regions: () => [...names].map(([code, name]) => ({ code, name })),
        project: ({ id }: { id: string }) => ({ id }),
        rename: ({ code, name }: { code: string; name: string }) => {
          if (name === '') throw new GraphQLError('empty', { extensions: { code: 'BAD_USER_INPUT' } });
          names.set(code, name);
          return { code, name };
        },
      },
      plugins: [
        // Installed with the cache, as the gateway does: it moves the version the cache keys by.
        dataVersionPlugin({ store }),
        responseCachePlugin({
          store,
          metrics,
          maxAgeSeconds: 60,
          maxEntryBytes: options.maxEntryBytes ?? 10_000,
          cacheableFields: () => new Set(['region', 'regions']),
        }),
      ],
    });
    await server.start();
    const ask = async (
      query: string,
      variables: Record<string, unknown> = {},
      caller: GatewayContext['caller'] = null,
      operationName?: string,
    ) => {
      const response = await server.executeOperation({ query, variables, operationName }, { contextValue: { caller } as GatewayContext });
      const body = response.body.kind === 'single' ? response.body.singleResult : null;
      return {
        data: JSON.parse(JSON.stringify(body?.data ?? null)) as unknown,
        errors: body?.errors?.map((error) => error.extensions?.code ?? error.message) ?? [],
        xCache: response.http.headers.get('x-cache') ?? null,
        cacheControl: response.http.headers.get('cache-control') ?? null,
      };
    };
    const counted = async (result: string) =>
      (await metrics.cache.get()).values.find((value) => value.labels.result === result)?.value ?? 0;
    return { server, store, calls, ask, counted };
  }

  const REGION = 'query Region($code: ID!) { region(code: $code) { code name } }';

  it("stores an anonymous caller's answer to public reference data and serves it again without asking", async () => {
    const { server, calls, ask, counted } = await cachingServer();
    const first = await ask(REGION, { code: '03' });
    expect(first).toEqual({
      data: { region: { code: '03', name: 'Niedersachsen' } },
      errors: [],
      xCache: 'miss',
      cacheControl: 'public, max-age=60',
    });
    const second = await ask(REGION, { code: '03' });
    expect(second).toEqual({ ...first, xCache: 'hit' });
    expect(calls.region).toBe(1);
    expect([await counted('miss'), await counted('store'), await counted('hit')]).toEqual([1, 1, 1]);
    await server.stop();
  });

  it('answers afresh where the stored entry is no answer (a store shared with other writers), and stores the answer over it', async () => {
    const { server, store, calls, ask, counted } = await cachingServer();
    const stored = jest.spyOn(store, 'set');
    await ask(REGION, { code: '03' });
    const [key] = stored.mock.calls[0]!;
    await store.set(key, '{"errors":[{"message":"not an answer"}]}', 60);
    expect(await ask(REGION, { code: '03' })).toEqual({
      data: { region: { code: '03', name: 'Niedersachsen' } },
      errors: [],
      xCache: 'miss',
      cacheControl: 'public, max-age=60',
    });
    expect(calls.region).toBe(2);
    expect(await counted('hit')).toBe(0);
    expect((await ask(REGION, { code: '03' })).xCache).toBe('hit');
    await server.stop();
  });

  it('keys answers by variables and operation, so that another question is never answered from the cache', async () => {
    const { server, calls, ask } = await cachingServer();
    await ask(REGION, { code: '03' });
    expect((await ask(REGION, { code: 'none' })).data).toEqual({ region: null });
    const twoOperations = `${REGION} query Regions { regions { code } }`;
    expect((await ask(twoOperations, { code: '03' }, null, 'Region')).xCache).toBe('miss');
    expect((await ask(twoOperations, { code: '03' }, null, 'Regions')).data).toEqual({ regions: [{ code: '03' }] });
    // The operation asked for decides, not the document's first; a fragment before it changes nothing.
    expect((await ask(`${REGION} query Project { project(id: "1") { id } }`, {}, null, 'Project')).xCache).toBeNull();
    expect((await ask(`fragment F on Region { code } query Region { region(code: "03") { ...F } }`)).xCache).toBe('miss');
    expect(calls.region).toBe(4);
    await server.stop();
  });

  it("neither serves a caller's request from the cache nor stores its answer", async () => {
    const { server, calls, ask } = await cachingServer();
    const caller = { subject: 'user-1', name: 'An editor', scopes: ['projects:write'], district: null };
    await ask(REGION, { code: '03' });
    expect(await ask(REGION, { code: '03' }, caller)).toMatchObject({ xCache: null, cacheControl: 'no-store' });
    expect(calls.region).toBe(2);
    // And the other way round: what a caller was answered is not served to anyone.
    const fresh = await cachingServer();
    await fresh.ask(REGION, { code: '03' }, caller);
    expect((await fresh.ask(REGION, { code: '03' })).xCache).toBe('miss');
    expect(fresh.calls.region).toBe(2);
    await Promise.all([server.stop(), fresh.server.stop()]);
  });

  it('caches no query with a root field outside public reference data, nor one that hides its fields in a fragment', async () => {
    const { server, ask, counted } = await cachingServer();
    for (const query of [
      '{ region(code: "03") { code } project(id: "1") { id } }',
      '{ ...on Query { region(code: "03") { code } } }',
      'query Q { ...Root } fragment Root on Query { region(code: "03") { code } }',
      // A fragment named like a cacheable field may hold any other.
      'query Q { ...region } fragment region on Query { region(code: "03") { code } project(id: "1") { id } }',
      'query Q { region(code: "03") { code } ...region } fragment region on Query { project(id: "1") { id } }',
    ]) {
      expect(await ask(query)).toMatchObject({ xCache: null, cacheControl: 'no-store' });
      expect((await ask(query)).xCache).toBeNull();
    }
    expect((await ask('{ __typename region(code: "03") { code } }')).xCache).toBe('miss');
    expect((await ask('{ __typename region(code: "03") { code } }')).xCache).toBe('hit');
    // Only cacheable queries are looked up.
    expect(await counted('miss')).toBe(1);
    expect(await ask('{ nope }')).toMatchObject({ errors: ['GRAPHQL_VALIDATION_FAILED'], cacheControl: 'no-store' });
    await server.stop();
  });

  it('stores no answer with errors, and none larger than the entry limit', async () => {
    const { server, calls, ask, counted } = await cachingServer();
    expect(await ask(REGION, { code: 'broken' })).toMatchObject({ xCache: null, cacheControl: 'no-store' });
    await ask(REGION, { code: 'broken' });
    expect(calls.region).toBe(2);
    expect(await counted('store')).toBe(0);
    // `{"region":{"code":"03","name":"Niedersachsen"}}` is 47 characters: stored at a limit of 47.
    const exact = await cachingServer({ maxEntryBytes: 47 });
    await exact.ask(REGION, { code: '03' });
    expect((await exact.ask(REGION, { code: '03' })).xCache).toBe('hit');
    await exact.server.stop();
    const small = await cachingServer({ maxEntryBytes: 46 });
    expect(await small.ask(REGION, { code: '03' })).toMatchObject({ xCache: 'miss', cacheControl: 'public, max-age=60' });
    expect((await small.ask(REGION, { code: '03' })).xCache).toBe('miss');
    expect([await small.counted('too_large'), await small.counted('store')]).toEqual([2, 0]);
    await Promise.all([server.stop(), small.server.stop()]);
  });

  it('reads no cached answer again after a mutation that wrote, but keeps them after one refused before writing', async () => {
    const { server, store, ask } = await cachingServer();
    await ask(REGION, { code: '03' });
    const refused = await ask('mutation { rename(code: "03", name: "") { name } }');
    expect(refused.errors).toEqual(['BAD_USER_INPUT']);
    expect(await store.get(DATA_VERSION_KEY)).toBeUndefined();
    expect((await ask(REGION, { code: '03' })).xCache).toBe('hit');
    await ask('mutation { rename(code: "03", name: "Lower Saxony") { name } }');
    expect(await store.get(DATA_VERSION_KEY)).toBe('1');
    expect(await ask(REGION, { code: '03' })).toMatchObject({ data: { region: { code: '03', name: 'Lower Saxony' } }, xCache: 'miss' });
    // And after every further write.
    await ask('mutation { rename(code: "03", name: "Niedersachsen") { name } }');
    expect(await ask(REGION, { code: '03' })).toMatchObject({ data: { region: { code: '03', name: 'Niedersachsen' } }, xCache: 'miss' });
    await server.stop();
  });
});

describe('cacheableRootFields', () => {
  it('takes the root query fields that only the named subgraphs resolve', () => {
    const supergraph = `
      type Query {
        region(code: ID!): String @join__field(graph: REGIONS)
        indicator(id: ID!): String @join__field(graph: INDICATORS)
        project(id: ID!): String @join__field(graph: PROJECTS)
        shared: String @join__field(graph: REGIONS) @join__field(graph: PROJECTS)
        both: String @join__field(graph: REGIONS) @join__field(graph: INDICATORS)
        unowned: String
        odd: String @join__field(graph: "REGIONS")
        bare: String @join__field
        old: String @join__field(graph: REGIONS) @deprecated(reason: "use region")
        reordered: String @join__field(requires: "code", graph: INDICATORS)
      }
      type Region { name: String @join__field(graph: REGIONS) }
    `;
    expect([...cacheableRootFields(supergraph, ['regions', 'indicators'])].sort()).toEqual([
      'both',
      'indicator',
      'old',
      'region',
      'reordered',
    ]);
    expect([...cacheableRootFields(supergraph, ['regions'])].sort()).toEqual(['old', 'region']);
  });

  it('finds the public reference fields of the composed supergraph, and none of projects or cooperations', () => {
    const fields = cacheableRootFields(readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8'), ['regions', 'indicators']);
    expect(fields.has('region')).toBe(true);
    expect(fields.has('cooperation')).toBe(false);
    expect(fields.has('projects')).toBe(false);
  });
});

describe('responseCachePlugin and an answer delivered in parts', () => {
  // Apollo Gateway answers in one piece; Apollo Server delivers an answer in parts (@defer) where
  // graphql-js executes incrementally (its 17 line), as its testing hook stands in for here. Only
  // whole answers are kept: one in parts is neither stored nor marked cacheable, and does not fail.
  it('passes an incremental answer on untouched: nothing stored, not marked cacheable, no error', async () => {
    const store = new MemoryStore();
    const metrics = new GatewayMetrics();
    async function* subsequentResults() {
      yield { hasNext: false, incremental: [{ path: ['region'], data: { name: 'Niedersachsen' } }] };
    }
    const server = new ApolloServer<GatewayContext>({
      typeDefs: 'type Query { region(code: ID!): Region } type Region { code: ID! name: String! }',
      __testing_incrementalExecutionResults: {
        initialResult: { data: { region: { code: '03' } }, hasNext: true },
        subsequentResults: subsequentResults(),
      },
      plugins: [
        responseCachePlugin({ store, metrics, maxAgeSeconds: 60, maxEntryBytes: 10_000, cacheableFields: () => new Set(['region']) }),
      ],
    });
    await server.start();
    const stored = jest.spyOn(store, 'set');
    try {
      const response = await server.executeOperation(
        { query: '{ region(code: "03") { code name } }' },
        { contextValue: { caller: null } as GatewayContext },
      );
      expect(response.body.kind).toBe('incremental');
      expect(response.body.kind === 'incremental' && response.body.initialResult.data).toEqual({ region: { code: '03' } });
      // Apollo's own cache control marks an answer in parts uncacheable; this plugin adds nothing to it.
      expect(response.http.headers.get('cache-control')).toBe('no-store');
      expect(response.http.headers.get('x-cache')).toBeUndefined();
      expect(stored).not.toHaveBeenCalled();
    } finally {
      await server.stop();
    }
  });
});
