// Queries that one subgraph answers exactly as asked are passed through (gateway/src/pass-through.ts):
// the subgraph's own answer, without Apollo Gateway's execution. Each query below is asked through two
// production gateways over the real subgraphs, one with the pass-through (the default) and one with
// GATEWAY_PASS_THROUGH=false: the answers must be the same bytes, and the subgraphs called as often.
import { randomBytes } from 'node:crypto';
import { startStack, type ExtraGateway, type Stack } from './harness';

let stack: Stack;
let passing: ExtraGateway;
let without: ExtraGateway;

beforeAll(async () => {
  stack = await startStack();
  const env = {
    NODE_ENV: 'production',
    AUTH_SECRET: randomBytes(32).toString('hex'),
    RESPONSE_CACHE: 'false',
    RATE_LIMIT_REQUESTS: '1000000',
    WATCH_SUPERGRAPH: 'false',
    // Off in production by default; one query below mixes it with a field.
    INTROSPECTION: 'true',
  };
  passing = await stack.startGateway({ env });
  without = await stack.startGateway({ env: { ...env, GATEWAY_PASS_THROUGH: 'false' } });
});

afterAll(async () => {
  await stack?.stop();
});

type Gateway = Stack['gateway'];

async function counters(gateway: Gateway): Promise<{ passedThrough: number; fetches: number }> {
  const fetches = (await gateway.metrics.subgraphFetch.get()).values
    .filter((value) => value.metricName?.endsWith('_count'))
    .reduce((sum, value) => sum + value.value, 0);
  return { passedThrough: (await gateway.metrics.passedThrough.get()).values[0]?.value ?? 0, fetches };
}

async function ask(url: string, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  // Each answer's errors carry the request's own id.
  return { status: response.status, body: (await response.text()).replace(/"requestId":"[^"]+"/g, '"requestId":"…"') };
}

/** Asks both gateways; returns the answer and how each gateway got it. */
async function compare(query: string, variables?: Record<string, unknown>) {
  const before = { with: await counters(passing.gateway), without: await counters(without.gateway) };
  const answer = await ask(passing.url, query, variables);
  const reference = await ask(without.url, query, variables);
  const after = { with: await counters(passing.gateway), without: await counters(without.gateway) };
  expect(answer).toEqual(reference);
  expect(after.without.passedThrough).toBe(0);
  return {
    answer: JSON.parse(answer.body) as { data?: unknown; errors?: { extensions?: { code?: string } }[] },
    passedThrough: after.with.passedThrough - before.with.passedThrough,
    fetches: after.with.fetches - before.with.fetches,
    referenceFetches: after.without.fetches - before.without.fetches,
  };
}

describe('single-subgraph queries passed through', () => {
  it.each([
    ['a page of regions', '{ regions(first: 5) { nodes { code name level } pageInfo { hasNextPage endCursor } } }', undefined],
    [
      'aliases, a variable with a default and a named operation',
      'query Top($first: Int = 3) { top: regions(first: $first) { nodes { ars: code name } } one: region(code: "03") { name } }',
      undefined,
    ],
    ['a variable given', 'query Top($first: Int) { regions(first: $first) { nodes { code } } }', { first: 2 }],
    [
      '@include and @skip',
      'query Q($with: Boolean!) { region(code: "03") { code name @include(if: $with) level @skip(if: $with) } }',
      { with: false },
    ],
    ['__typename inside', '{ region(code: "03459") { __typename code name } }', undefined],
    ['the indicator catalogue', '{ indicators { code name unit } }', undefined],
  ])('%s: the same answer, passed through, one subgraph call', async (_name, query, variables) => {
    const { answer, passedThrough, fetches, referenceFetches } = await compare(query, variables);
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toBeTruthy();
    expect(passedThrough).toBe(1);
    expect(fetches).toBe(1);
    expect(referenceFetches).toBe(1);
  });

  it.each([
    ['a fragment', '{ region(code: "03") { ...Names } } fragment Names on Region { code name }'],
    ['two subgraphs', '{ region(code: "03256") { name cooperations { name } } }'],
    ['__typename at the root', '{ __typename region(code: "03") { code } }'],
    ['introspection beside a field', '{ __schema { queryType { name } } region(code: "03") { code } }'],
  ])('%s: the same answer through Apollo Gateway, not passed through', async (_name, query) => {
    const { answer, passedThrough, fetches, referenceFetches } = await compare(query);
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toBeTruthy();
    expect(passedThrough).toBe(0);
    expect(fetches).toBe(referenceFetches);
  });

  it("hands a subgraph's errors to Apollo Gateway, which shapes them as always, without a second call", async () => {
    const { answer, passedThrough, fetches, referenceFetches } = await compare(
      '{ regionsByCodes(codes: ["03", "99999", "x"]) { code name } }',
    );
    expect(passedThrough).toBe(0);
    expect(fetches).toBe(1);
    expect(referenceFetches).toBe(1);
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
  });

  it('does not pass mutations through', async () => {
    const before = await counters(passing.gateway);
    // Without a token the projects subgraph refuses the write: it was asked, through Apollo Gateway.
    const answer = await ask(passing.url, 'mutation { deleteProject(id: "no-such-project", expectedVersion: 1) { __typename } }');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toHaveProperty('errors');
    const after = await counters(passing.gateway);
    expect(after.passedThrough).toBe(before.passedThrough);
    expect(after.fetches).toBe(before.fetches + 1);
  });
});
