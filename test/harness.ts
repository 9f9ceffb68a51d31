// Boots every registered subgraph and the gateway in this process, on ports chosen by the OS,
// against the run's migrated test database, and stops them all afterwards.
import pg from 'pg';
import type { PrismaClient, SqlStatementCounter } from '@regiograph/db';
import { createGateway, SUBGRAPHS, type Gateway } from '@regiograph/gateway';
import type { RunningServer } from '@regiograph/shared';

/** What every subgraph package exports from its main module. */
export interface SubgraphModule {
  createServer(options: { databaseUrl: string }): Promise<{
    counter: SqlStatementCounter;
    database: { prisma: PrismaClient };
    listen(port: number, host?: string): Promise<RunningServer>;
    close(): Promise<void>;
  }>;
  seedIfEmpty(prisma: PrismaClient): Promise<unknown>;
}

export interface GraphQLResult<TData> {
  status: number;
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface Stack {
  gatewayUrl: string;
  gateway: Gateway;
  subgraphs: Record<string, { url: string; counter: SqlStatementCounter; server: Awaited<ReturnType<SubgraphModule['createServer']>> }>;
  query<TData = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResult<TData>>;
  /** Runs an operation and returns SQL statements per subgraph it cost. */
  countStatements<TData = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ result: GraphQLResult<TData>; statements: Record<string, number> }>;
  stop(): Promise<void>;
}

export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through jest (its global setup provides it)');
  return url;
}

/** Seeding is idempotent, but test files run in parallel: one seeds at a time. */
async function withSeedLock(work: () => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(4242)');
    await work();
  } finally {
    await client.query('SELECT pg_advisory_unlock(4242)').catch(() => undefined);
    await client.end();
  }
}

export async function startStack(): Promise<Stack> {
  const databaseUrl = testDatabaseUrl();
  const subgraphs: Stack['subgraphs'] = {};
  const started: { close(): Promise<void> }[] = [];
  try {
    for (const entry of SUBGRAPHS) {
      const module = (await import(entry.packageName)) as SubgraphModule;
      const server = await module.createServer({ databaseUrl });
      started.push(server);
      await withSeedLock(async () => {
        await module.seedIfEmpty(server.database.prisma);
      });
      const running = await server.listen(0);
      subgraphs[entry.name] = { url: running.url, counter: server.counter, server };
    }
    const gateway = await createGateway({
      subgraphUrls: Object.fromEntries(Object.entries(subgraphs).map(([name, { url }]) => [name, url])),
      env: { NODE_ENV: 'development' },
    });
    started.push(gateway);
    const running = await gateway.listen(0);
    const query: Stack['query'] = async (text, variables, headers = {}) => {
      const response = await fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: text, variables }),
      });
      const body = (await response.json()) as Omit<GraphQLResult<never>, 'status'>;
      return { status: response.status, ...body } as GraphQLResult<never>;
    };
    return {
      gatewayUrl: running.url,
      gateway,
      subgraphs,
      query,
      async countStatements(text, variables) {
        for (const subgraph of Object.values(subgraphs)) subgraph.counter.reset();
        const result = await query(text, variables);
        const statements = Object.fromEntries(Object.entries(subgraphs).map(([name, subgraph]) => [name, subgraph.counter.count]));
        return { result: result as GraphQLResult<never>, statements };
      },
      async stop() {
        for (const server of started.reverse()) await server.close();
      },
    };
  } catch (error) {
    for (const server of started.reverse()) await server.close().catch(() => undefined);
    throw error;
  }
}
