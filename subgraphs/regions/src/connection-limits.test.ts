// subgraph-kit's start-up check of a replica's pools against its servers' max_connections, asked of
// a real server: runSubgraph calls it once after createServer.
import { createDatabaseClient } from '@regiograph/db';
import { createLogger } from '@regiograph/shared';
import { warnOfPoolsBeyondServers } from '@regiograph/subgraph-kit';

async function check(
  maxConnections: number,
): Promise<{ beyond: Awaited<ReturnType<typeof warnOfPoolsBeyondServers>>; lines: Record<string, unknown>[]; serverMax: number }> {
  const url = process.env.TEST_DATABASE_URL!;
  // The same server as primary and as read replica: both pools are asked.
  const database = createDatabaseClient({ url, replicaUrls: [url], maxConnections });
  const lines: Record<string, unknown>[] = [];
  try {
    const logger = createLogger('regions', { level: 'debug', write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    const beyond = await warnOfPoolsBeyondServers(database, logger);
    const { rows } = await database.pool.query<{ max_connections: string }>('SHOW max_connections');
    return { beyond, lines, serverMax: Number(rows[0]!.max_connections) };
  } finally {
    await database.close();
  }
}

describe("a replica's pools and the server's max_connections", () => {
  it('warns once per pool, with the figures, when a pool alone needs more than the server allows', async () => {
    const { beyond, lines, serverMax } = await check(100_000);
    expect(beyond.map(({ pool, poolMax, maxConnections }) => ({ pool, poolMax, maxConnections }))).toEqual([
      { pool: 'primary', poolMax: 100_000, maxConnections: serverMax },
      { pool: 'read replica 1', poolMax: 100_000, maxConnections: serverMax },
    ]);
    expect(beyond[0]!.available).toBeLessThan(serverMax);
    expect(lines.filter((line) => line.level === 'warn').map((line) => line.connectionLimits)).toEqual(beyond);
    expect(lines.filter((line) => line.level === 'warn')[0]!.message).toMatch(/DATABASE_POOL_MAX/);
  });

  it('says nothing of pools the server can hold', async () => {
    const { beyond, lines } = await check(2);
    expect({ beyond, lines }).toEqual({ beyond: [], lines: [] });
  });
});
