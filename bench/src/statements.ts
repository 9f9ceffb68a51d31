// SQL statements per operation, counted the way the end-to-end tests count them: every registered
// subgraph and a gateway in this process, each subgraph with a SqlStatementCounter on its pool.
// The load runs go to the separate production processes; this stack only counts, then stops.
import { SqlStatementCounter, type PrismaClient } from '@regiograph/db';
import { createGateway, type SubgraphEntry } from '@regiograph/gateway';
import type { RunningServer } from '@regiograph/shared';
import { postJson } from './load';

interface SubgraphModule {
  createServer(options: { databaseUrl: string; counter?: SqlStatementCounter }): Promise<{
    counter: SqlStatementCounter;
    database: { prisma: PrismaClient };
    listen(port: number, host?: string): Promise<RunningServer>;
    close(): Promise<void>;
  }>;
}

export interface StatementCounter {
  /** Statements per subgraph of one run of the operation, after one run to warm caches. */
  count(
    query: string,
    variables: Record<string, unknown>,
  ): Promise<{ statements: Record<string, number>; texts: Record<string, string[]>; errors: string[] }>;
  stop(): Promise<void>;
}

export async function startStatementCounter(databaseUrl: string, subgraphs: readonly SubgraphEntry[]): Promise<StatementCounter> {
  const started: { close(): Promise<void> }[] = [];
  const counters: Record<string, SqlStatementCounter> = {};
  const urls: Record<string, string> = {};
  try {
    for (const entry of subgraphs) {
      const module = (await import(entry.packageName)) as SubgraphModule;
      // Keeping the statements' text lets the results show what each operation asks PostgreSQL.
      const server = await module.createServer({ databaseUrl, counter: new SqlStatementCounter(true) });
      started.push(server);
      const running = await server.listen(0, '127.0.0.1');
      counters[entry.name] = server.counter;
      urls[entry.name] = running.url;
    }
    const gateway = await createGateway({ subgraphUrls: urls });
    started.push(gateway);
    const gatewayUrl = (await gateway.listen(0, '127.0.0.1')).url;
    return {
      async count(query, variables) {
        await postJson(gatewayUrl, { query, variables });
        for (const counter of Object.values(counters)) counter.reset();
        const answer = await postJson(gatewayUrl, { query, variables });
        const statements = Object.fromEntries(Object.entries(counters).map(([name, counter]) => [name, counter.count]));
        const texts = Object.fromEntries(
          Object.entries(counters).map(([name, counter]) => [name, counter.statements.map((text) => text.replace(/\s+/g, ' ').trim())]),
        );
        return { statements, texts, errors: (answer.body?.errors ?? []).map((error) => error.message) };
      },
      async stop() {
        for (const server of started.reverse()) await server.close().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const server of started.reverse()) await server.close().catch(() => undefined);
    throw error;
  }
}

/** Total statements of one run, and the subgraphs that sent any, e.g. "7 (regions 2, indicators 5)". */
export function describeStatements(statements: Record<string, number>): string {
  const parts = Object.entries(statements).filter(([, count]) => count > 0);
  const total = parts.reduce((sum, [, count]) => sum + count, 0);
  return parts.length ? `${total} (${parts.map(([name, count]) => `${name} ${count}`).join(', ')})` : '0';
}
