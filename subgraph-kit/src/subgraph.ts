import type { IncomingMessage } from 'node:http';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { createDatabaseClient, SqlStatementCounter, type DatabaseClient } from '@regiograph/db';
import type { GraphQLSchema } from 'graphql';
import { closeOnSignals, createGraphQLHttpServer, createLogger, readPort, requireEnv, startTracing, subgraphEntry, type Logger, type RunningServer, type SubgraphName } from '@regiograph/shared';

export interface SubgraphServerOptions {
  databaseUrl: string;
  /** Read replicas: reads go to them, writes and transactions to databaseUrl. */
  replicaUrls?: readonly string[];
  /** Counts the SQL statements this subgraph sends (tests, benchmarks). */
  counter?: SqlStatementCounter;
  maxConnections?: number;
  /** One log line per request; none when absent (tests). */
  logger?: Logger;
}

export interface SubgraphServer {
  database: DatabaseClient;
  counter: SqlStatementCounter;
  listen(port: number, host?: string): Promise<RunningServer>;
  /** Drains requests in flight, then closes the database pool. */
  close(): Promise<void>;
}

/**
 * What every subgraph is: its schema served by Apollo Server on the shared HTTP server, with a
 * per-request context over its database client, and readiness that checks the database.
 */
export async function createSubgraphServer<TContext extends BaseContext>(
  name: string,
  schema: GraphQLSchema,
  options: SubgraphServerOptions,
  createContext: (database: DatabaseClient, request: IncomingMessage) => TContext | Promise<TContext>,
): Promise<SubgraphServer> {
  const counter = options.counter ?? new SqlStatementCounter();
  const database = createDatabaseClient({
    url: options.databaseUrl,
    replicaUrls: options.replicaUrls,
    counter,
    maxConnections: options.maxConnections,
    applicationName: `regiograph-${name}`,
  });
  const apollo = new ApolloServer<TContext>({
    schema,
    introspection: true,
    // Inline traces are for Apollo's hosted studio, which this platform does not report to; cache
    // hints would hook every field of large tables, while the gateway caches by root field.
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled()],
  });
  await apollo.start();
  const http = createGraphQLHttpServer({
    apollo,
    logger: options.logger,
    context: async (request) => createContext(database, request),
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

export interface RunSubgraphOptions {
  /** Its name in the registry (shared/src/services.ts), which also gives its default port. */
  name: SubgraphName;
  createServer(options: SubgraphServerOptions): Promise<SubgraphServer>;
  seedIfEmpty(prisma: DatabaseClient['prisma']): Promise<boolean>;
}

/**
 * A subgraph's process: reads DATABASE_URL, DATABASE_REPLICA_URLS, PORT, HOST and SEED_ON_START,
 * seeds an empty database, listens, and drains on SIGTERM/SIGINT before it exits.
 */
export function runSubgraph(options: RunSubgraphOptions): void {
  const logger = createLogger(options.name);
  const tracing = startTracing(options.name);
  const main = async () => {
    const replicaUrls = (process.env.DATABASE_REPLICA_URLS ?? '').split(',').map((url) => url.trim()).filter(Boolean);
    const server = await options.createServer({ databaseUrl: requireEnv('DATABASE_URL'), replicaUrls, logger });
    if (process.env.SEED_ON_START !== 'false' && (await options.seedIfEmpty(server.database.prisma))) {
      logger.info('seeded its tables');
    }
    const running = await server.listen(readPort('PORT', subgraphEntry(options.name).defaultPort), process.env.HOST ?? '127.0.0.1');
    logger.info(`${options.name} subgraph listening`, { url: running.url });
    closeOnSignals(logger, 'draining and shutting down', () => server.close(), tracing);
  };
  main().catch((error: unknown) => {
    logger.error(`${options.name} subgraph failed to start`, { error: error instanceof Error ? error.stack : String(error) });
    process.exit(1);
  });
}
