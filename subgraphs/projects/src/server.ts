import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { createDatabaseClient, type DatabaseClient, SqlStatementCounter } from '@regiograph/db';
import { createGraphQLHttpServer, createTokenVerifier, resolveAuthSecret, type RunningServer } from '@regiograph/shared';
import { createContext, type ProjectsContext } from './context';
import { schema } from './schema';

export { schema } from './schema';
export { seedProjects as seed, seedProjectsIfEmpty as seedIfEmpty } from './seed';

export interface ProjectsServerOptions {
  databaseUrl: string;
  /** Counts the SQL statements this subgraph sends (tests, benchmarks). */
  counter?: SqlStatementCounter;
  maxConnections?: number;
  /** The token signing secret; defaults to AUTH_SECRET (development default outside production). */
  authSecret?: string;
}

export interface ProjectsServer {
  database: DatabaseClient;
  counter: SqlStatementCounter;
  listen(port: number, host?: string): Promise<RunningServer>;
  /** Stops taking requests, then closes the database pool. */
  close(): Promise<void>;
}

export async function createServer(options: ProjectsServerOptions): Promise<ProjectsServer> {
  // Resolved before anything starts: production without AUTH_SECRET refuses to start.
  const verifier = createTokenVerifier({ secret: options.authSecret ?? resolveAuthSecret() });
  const counter = options.counter ?? new SqlStatementCounter();
  const database = createDatabaseClient({
    url: options.databaseUrl,
    counter,
    maxConnections: options.maxConnections,
    applicationName: 'regiograph-projects',
  });
  const apollo = new ApolloServer<ProjectsContext>({
    schema,
    introspection: true,
    // Traces are for Apollo's hosted studio, which this platform does not report to.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const http = createGraphQLHttpServer({
    apollo,
    context: async (request) => createContext(database.prisma, verifier, request),
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
