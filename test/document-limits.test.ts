// A subgraph that refuses as nested too deeply a document the gateway planned for a query it admitted:
// with a lower MAX_DOCUMENT_NESTING than the gateway's (a deployment that set it for one service
// only), or with the same one, low enough that an entity fetch's wrapping goes over it. What the
// client of the gateway is told.
import net, { type AddressInfo } from 'node:net';
import { createServer as createCooperationsServer } from '@regiograph/cooperations';
import { createGateway, type Gateway } from '@regiograph/gateway';
import { createServer, seedIfEmpty } from '@regiograph/regions';
import { silentLogger, SUBGRAPHS, type RunningServer } from '@regiograph/shared';
import { testDatabaseUrl, withSeedLock } from './harness';

let regions: Awaited<ReturnType<typeof createServer>>;
let cooperations: Awaited<ReturnType<typeof createCooperationsServer>>;
const gateways: Record<string, { gateway: Gateway; url: string }> = {};

beforeAll(async () => {
  // Regions refuses documents nesting more than 3 levels; the gateways keep their default, 100.
  regions = await createServer({ databaseUrl: testDatabaseUrl(), documentLimits: { maxNesting: 3, maxValidationErrors: 10 } });
  // Seeded (a lone `npx jest` starts on an empty database): the query below reads a region.
  await withSeedLock(testDatabaseUrl(), async () => {
    await seedIfEmpty(regions.database);
  });
  const regionsRunning: RunningServer = await regions.listen(0);
  // The other subgraphs are not asked by the query below: a port nothing listens on.
  const closedPort = await new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  const subgraphUrls = Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, `http://127.0.0.1:${closedPort}/graphql`]));
  cooperations = await createCooperationsServer({
    databaseUrl: testDatabaseUrl(),
    documentLimits: { maxNesting: 3, maxValidationErrors: 10 },
  });
  const cooperationsUrl = (await cooperations.listen(0)).url;
  // The same query on the main thread, and on the offload worker (every query costs more than 1).
  // And on a gateway whose limit equals the subgraphs' 3.
  for (const [thread, offloadCost, maxNesting] of [
    ['main thread', '0', '100'],
    ['offload worker', '1', '100'],
    ['equal limits', '0', '3'],
  ] as const) {
    const gateway = await createGateway({
      env: {
        MAX_DOCUMENT_NESTING: maxNesting,
        NODE_ENV: 'production',
        AUTH_SECRET: 'a-test-secret-that-is-long-enough-for-hs256',
        GATEWAY_OFFLOAD_COST: offloadCost,
        RESPONSE_CACHE: 'false',
        WATCH_SUPERGRAPH: 'false',
        API_KEYS_DATABASE_URL: 'off',
      },
      logger: silentLogger,
      subgraphUrls: { ...subgraphUrls, regions: regionsRunning.url, cooperations: cooperationsUrl },
    });
    gateways[thread] = { gateway, url: (await gateway.listen(0)).url };
  }
});

afterAll(async () => {
  for (const { gateway } of Object.values(gateways)) await gateway.close();
  await regions?.close();
  await cooperations?.close();
});

describe('a subgraph with a lower MAX_DOCUMENT_NESTING than the gateway', () => {
  it.each(['main thread', 'offload worker'])(
    'answers a document the gateway admitted with an error that names the mismatch, not the client (%s)',
    async (thread) => {
      const response = await fetch(gateways[thread]!.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        // Four levels of braces: within the gateway's 100, over regions' 3.
        body: JSON.stringify({ query: '{ region(code: "03") { parent { parent { code } } } }' }),
      });
      expect({ status: response.status, body: await response.json() }).toEqual({
        status: 200,
        body: {
          data: { region: null },
          errors: [
            {
              message:
                'The regions service refuses documents nested more than 3 levels deep, the gateway admits 100: MAX_DOCUMENT_NESTING ' +
                'is set lower there than at the gateway, a fault of this deployment, not of the query. The fields regions provides ' +
                'are missing from this answer.',
              extensions: {
                code: 'DOCUMENT_LIMITS_MISMATCH',
                serviceName: 'regions',
                subgraphLimit: 3,
                limit: 100,
                requestId: expect.any(String),
              },
            },
          ],
          extensions: { cost: { estimated: 3, actual: 0, limit: 100_000 } },
        },
      });
      const offloaded = (await gateways[thread]!.gateway.metrics.offloaded.get()).values[0]?.value ?? 0;
      expect(offloaded).toBe(thread === 'offload worker' ? 1 : 0);
    },
  );
});

describe('subgraphs with the same MAX_DOCUMENT_NESTING as the gateway, set low', () => {
  it("answers a query at the gateway's limit, whose entity fetch nests one level deeper, with an error that names the cause", async () => {
    const response = await fetch(gateways['equal limits']!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // Three levels of braces, admitted by the gateway's 3; cooperations gets them inside
      // `_entities { ... on Region { … } }`, four.
      body: JSON.stringify({ query: '{ region(code: "03241") { name memberships { id } } }' }),
    });
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 200,
      body: {
        data: { region: { name: 'Region Hannover', memberships: null } },
        errors: [
          {
            message:
              'The cooperations service refuses documents nested more than 3 levels deep, the gateway admits 3: the document the ' +
              'gateway planned for it nests deeper than the query (entity fetches and written-out fragments add levels), so ' +
              'MAX_DOCUMENT_NESTING is too low for this query at cooperations, a fault of this deployment, not of the query. The ' +
              'fields cooperations provides are missing from this answer.',
            extensions: {
              code: 'DOCUMENT_LIMITS_MISMATCH',
              serviceName: 'cooperations',
              subgraphLimit: 3,
              limit: 3,
              requestId: expect.any(String),
            },
          },
        ],
        extensions: expect.any(Object),
      },
    });
  });
});
