import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { createDatabaseClient, type DatabaseClient, SqlStatementCounter } from '@regiograph/db';
import { createGraphQLHttpServer, type RunningServer } from '@regiograph/shared';
import { createContext, type IndicatorsContext } from './context';
import { schema } from './schema';

export { schema } from './schema';
export { seedIndicators as seed, seedIndicatorsIfEmpty as seedIfEmpty } from './seed';

export interface IndicatorsServerOptions {
  databaseUrl: string;
  /** Counts the SQL statements this subgraph sends (tests, benchmarks). */
  counter?: SqlStatementCounter;
  maxConnections?: number;
}

export interface IndicatorsServer {
  database: DatabaseClient;
  counter: SqlStatementCounter;
  listen(port: number, host?: string): Promise<RunningServer>;
  /** Stops taking requests, then closes the database pool. */
  close(): Promise<void>;
}

export async function createServer(options: IndicatorsServerOptions): Promise<IndicatorsServer> {
  const counter = options.counter ?? new SqlStatementCounter();
  const database = createDatabaseClient({
    url: options.databaseUrl,
    counter,
    maxConnections: options.maxConnections,
    applicationName: 'regiograph-indicators',
  });
  const apollo = new ApolloServer<IndicatorsContext>({
    schema,
    introspection: true,
    // Traces are for Apollo's hosted studio, which this platform does not report to.
    // Cache hints would hook every field of tables with tens of thousands of cells, for no use here.
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled()],
  });
  await apollo.start();
  const http = createGraphQLHttpServer({
    apollo,
    context: async () => createContext(database.prisma, database.pool),
    readiness: async () => {
      try {
        await database.pool.query('SELECT 1');
        return { ready: true };
      } catch (error) {
        return { ready: false, checks: { database: error instanceof Error ? error.message : String(error) } };
      }
    },
  });
  let running: RunningServer | null = null;
  return {
    database,
    counter,
    async listen(port, host) {
      running = await http.listen(port, host);
      return running;
    },
    async close() {
      await running?.close();
      await apollo.stop();
      await database.close();
    },
  };
}
