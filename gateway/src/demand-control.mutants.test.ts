// The demand-control plugin's admission and its answer's cost, as Apollo Server drives them: tests
// that mutation testing (README, "Mutation testing") found missing. The estimate's own rules are
// demand-control.test.ts's.
import type { GraphQLRequestListener } from '@apollo/server';
import { buildSchema, type FormattedExecutionResult } from 'graphql';
import type { GatewayContext } from './context';
import { demandControlPlugin, type DemandControlOptions } from './demand-control';
import { MemoryStore } from './store';
import { startDemandControlRequest } from './testing/demand-control-request';

// `regions(first: n) { code }` is estimated at n, `region { code }` at 1.
const SDL = `
  directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
  type Query { region(code: ID!): Region regions(first: Int): [Region!]! @listSize(slicingArguments: ["first"]) }
  type Region { code: ID! name: String! }
`;
const schema = buildSchema(SDL);
const regions = (first: number) => `{ regions(first: ${first}) { code } }`;

/** A plugin and the requests it sees, each taken through didResolveOperation and willSendResponse by hand. */
function gateway(options: Partial<DemandControlOptions> = {}) {
  const plugin = demandControlPlugin({
    maxCost: 1_000,
    costPointsPerWindow: 100_000,
    windowSeconds: 60,
    maxInflightCost: 100_000,
    cheapCost: 10,
    store: new MemoryStore(),
    supergraphSdl: () => SDL,
    ...options,
  });

  async function request(keyBudget: number | null = null) {
    const { contextValue, listener, resolve } = await startDemandControlRequest(plugin, schema, 'apikey:partner', keyBudget);
    return {
      contextValue,
      resolve,
      /** Sends an answer in parts (incremental delivery) as Apollo would; resolves to its first part as it goes out. */
      async sendInParts(initialResult: FormattedExecutionResult): Promise<FormattedExecutionResult> {
        const first = { ...initialResult };
        await listener.willSendResponse!({
          response: { body: { kind: 'incremental', initialResult: first, subsequentResults: (async function* () {})() } },
        } as unknown as Parameters<NonNullable<GraphQLRequestListener<GatewayContext>['willSendResponse']>>[0]);
        return first;
      },
      /** Sends an answer as Apollo does at the end of every request (refused ones too); resolves to what goes out. */
      async send(result: FormattedExecutionResult): Promise<FormattedExecutionResult> {
        const singleResult = { ...result };
        await listener.willSendResponse!({
          response: { body: { kind: 'single', singleResult } },
        } as unknown as Parameters<NonNullable<GraphQLRequestListener<GatewayContext>['willSendResponse']>>[0]);
        return singleResult;
      },
    };
  }

  /** One request taken through admission only: its refusal, or null. */
  const admit = async (query: string, keyBudget: number | null = null) => (await request(keyBudget)).resolve(query);
  return { request, admit };
}

describe('demand control: the estimate of a request', () => {
  it("sizes lists by the request's variables", async () => {
    const { request } = gateway();
    const each = await request();
    expect(await each.resolve('query Page($first: Int) { regions(first: $first) { code } }', { first: 40 })).toBeNull();
    expect(each.contextValue.estimatedCost).toBe(40);
  });

  it('leaves a document without the operation asked for to the refusal that says so (OPERATION_RESOLUTION_FAILURE)', async () => {
    const { request } = gateway();
    const each = await request();
    expect(await each.resolve('fragment F on Region { code }')).toBeNull();
    expect(each.contextValue).toMatchObject({ estimatedCost: null, chargedCostPoints: 0 });
  });
});

describe('demand control: GATEWAY_MAX_COST', () => {
  it('admits an estimate at the limit and refuses one over it as too costly, with the estimate, the limit and status 400', async () => {
    const { request, admit } = gateway();
    expect(await admit(regions(1_000))).toBeNull();
    const over = await request(null);
    const refused = await over.resolve(regions(1_001));
    // Nothing is charged to the client's budget for a query that can never run.
    expect(over.contextValue.chargedCostPoints).toBe(0);
    expect(refused?.message).toMatch(/^The query's estimated cost is at least 1001 points, over the limit of 1000:/);
    expect(refused?.extensions).toEqual({ code: 'QUERY_TOO_COSTLY', cost: { estimated: 1_001, limit: 1_000 }, http: { status: 400 } });
  });
});

describe("demand control: a client's cost points", () => {
  it('admits an estimate equal to the whole budget and charges it; the next request finds the budget spent', async () => {
    const { request, admit } = gateway();
    const first = await request(500);
    expect(await first.resolve(regions(500))).toBeNull();
    expect(first.contextValue).toMatchObject({ chargedCostPoints: 500, estimatedCost: 500 });
    const refused = await admit(regions(1), 500);
    expect(refused?.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      cost: { estimated: 1, limit: 1_000, budget: 500 },
      http: { status: 429 },
    });
    expect(refused?.message).toMatch(
      /^Too many cost points: at most 500 per 60 s, and this query was estimated at 1\. Retry after \d+ s\.$/,
    );
  });

  it('takes the budget of the configuration where the key has none of its own', async () => {
    const { admit } = gateway({ costPointsPerWindow: 300 });
    expect(await admit(regions(300))).toBeNull();
    expect((await admit(regions(1)))?.extensions.code).toBe('RATE_LIMITED');
  });

  it('admits where the store of cost points is down: the API stays up', async () => {
    const store = new MemoryStore();
    store.increment = () => Promise.reject(new Error('the store is down'));
    const { request } = gateway({ store, costPointsPerWindow: 300 });
    for (let i = 0; i < 3; i += 1) {
      const each = await request();
      expect(await each.resolve(regions(300))).toBeNull();
      expect(each.contextValue.estimatedCost).toBe(300);
    }
  });
});

describe('demand control: shedding expensive work in flight (GATEWAY_MAX_INFLIGHT_COST)', () => {
  it('refuses an expensive operation past the in-flight bound with 503 and Retry-After, never a cheap one, and frees what an answer releases', async () => {
    const { request } = gateway({ maxInflightCost: 300, cheapCost: 10 });
    const first = await request();
    expect(await first.resolve(regions(200))).toBeNull();
    // Up to the bound exactly.
    expect(await (await request()).resolve(regions(100))).toBeNull();
    const shed = await request();
    const refused = await shed.resolve(regions(11));
    expect(refused?.message).toBe(
      'The service is busy with expensive queries (estimated cost 11); cheap queries are still served. Retry after 2 s.',
    );
    expect(refused?.extensions).toEqual({
      code: 'OVERLOADED',
      cost: { estimated: 11, limit: 1_000 },
      http: { status: 503, headers: new Map([['retry-after', '2']]) },
    });
    // A refused request's end releases nothing: it held nothing.
    await shed.send({ errors: [{ message: refused!.message, extensions: { cost: { estimated: 11 } } }] });
    expect(await (await request()).resolve(regions(11))).not.toBeNull();
    // A cheap one (at GATEWAY_CHEAP_COST) is never shed.
    expect(await (await request()).resolve(regions(10))).toBeNull();
    // The first answer frees its 200 (and only once): 100 + 10 are left in flight.
    await first.send({ data: { regions: [] } });
    await first.send({ data: { regions: [] } });
    expect(await (await request()).resolve(regions(190))).toBeNull();
    expect(await (await request()).resolve(regions(11))).not.toBeNull();
  });
});

describe("demand control: the answer's extensions.cost", () => {
  it('adds the estimate, the actual cost of the data and the limit, beside the extensions already there', async () => {
    const { request } = gateway();
    const each = await request();
    await each.resolve(regions(5));
    const sent = await each.send({ data: { regions: [{ code: '1' }, { code: '2' }] }, extensions: { other: true } });
    expect(sent.extensions).toEqual({ other: true, cost: { estimated: 5, actual: 2, limit: 1_000 } });
  });

  it('keeps the cost a refusal states, and adds it to an answer with data beside its errors', async () => {
    const { request } = gateway();
    const refusal = await request();
    const error = await refusal.resolve(regions(1_001));
    const refused = await refusal.send({ errors: [{ message: error!.message, extensions: { cost: { estimated: 1_001, limit: 1_000 } } }] });
    expect(refused.extensions).toBeUndefined();
    const partial = await request();
    await partial.resolve(regions(5));
    const sent = await partial.send({
      data: { regions: [{ code: '1' }] },
      errors: [{ message: 'a subgraph failed', extensions: { cost: 0 } }],
    });
    expect(sent.extensions).toEqual({ cost: { estimated: 5, actual: 1, limit: 1_000 } });
  });

  it('adds the cost to an answer without data whose errors state none (a subgraph that failed), and keeps a refusal beside other errors', async () => {
    const { request } = gateway();
    const failed = await request();
    await failed.resolve(regions(5));
    const sent = await failed.send({ data: null, errors: [{ message: 'The regions service is unreachable.' }] });
    expect(sent.extensions).toEqual({ cost: { estimated: 5, actual: 0, limit: 1_000 } });
    const refusal = await request();
    await refusal.resolve(regions(1_001));
    const refused = await refusal.send({
      errors: [{ message: 'too costly', extensions: { cost: { estimated: 1_001 } } }, { message: 'another' }],
    });
    expect(refused.extensions).toBeUndefined();
  });

  it('leaves an answer in parts as it is (Apollo Gateway answers in one piece)', async () => {
    const { request } = gateway();
    const each = await request();
    await each.resolve(regions(5));
    expect(await each.sendInParts({ data: { regions: [] } })).toEqual({ data: { regions: [] } });
  });

  it('adds nothing to the answer of a request never estimated (one that did not parse or validate)', async () => {
    const { request } = gateway();
    const sent = await (await request()).send({ errors: [{ message: 'Syntax Error' }] });
    expect(sent.extensions).toBeUndefined();
  });
});
