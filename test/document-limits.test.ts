// A subgraph whose document limits are lower than the gateway's (a deployment that set
// MAX_DOCUMENT_NESTING for one service only): what the client of the gateway is told.
import net, { type AddressInfo } from 'node:net';
import { createGateway, type Gateway } from '@regiograph/gateway';
import { createServer } from '@regiograph/regions';
import { silentLogger, SUBGRAPHS, type RunningServer } from '@regiograph/shared';
import { testDatabaseUrl } from './harness';

let regions: Awaited<ReturnType<typeof createServer>>;
const gateways: Record<string, { gateway: Gateway; url: string }> = {};

beforeAll(async () => {
  // Regions refuses documents nesting more than 3 levels; the gateways keep their default, 100.
  regions = await createServer({ databaseUrl: testDatabaseUrl(), documentLimits: { maxNesting: 3, maxValidationErrors: 10 } });
  const regionsRunning: RunningServer = await regions.listen(0);
  // The other subgraphs are not asked by the query below: a port nothing listens on.
  const closedPort = await new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  const subgraphUrls = Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, `http://127.0.0.1:${closedPort}/graphql`]));
  // The same query on the main thread, and on the offload worker (every query costs more than 1).
  for (const [thread, offloadCost] of [
    ['main thread', '0'],
    ['offload worker', '1'],
  ] as const) {
    const gateway = await createGateway({
      env: {
        NODE_ENV: 'production',
        AUTH_SECRET: 'a-test-secret-that-is-long-enough-for-hs256',
        GATEWAY_OFFLOAD_COST: offloadCost,
        RESPONSE_CACHE: 'false',
        WATCH_SUPERGRAPH: 'false',
        API_KEYS_DATABASE_URL: 'off',
      },
      logger: silentLogger,
      subgraphUrls: { ...subgraphUrls, regions: regionsRunning.url },
    });
    gateways[thread] = { gateway, url: (await gateway.listen(0)).url };
  }
});

afterAll(async () => {
  for (const { gateway } of Object.values(gateways)) await gateway.close();
  await regions?.close();
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
