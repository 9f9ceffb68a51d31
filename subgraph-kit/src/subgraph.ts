import type { IncomingMessage } from 'node:http';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { createDatabaseClient, READ_AFTER_LSN_HEADER, SqlStatementCounter, withReadAfterLsn, type DatabaseClient } from '@regiograph/db';
import type { GraphQLSchema } from 'graphql';
import { bumpDataVersion, closeOnSignals, createGraphQLHttpServer, createLogger, readPort, requireEnv, startTracing, subgraphEntry, type Logger, type RunningServer, type SubgraphName } from '@regiograph/shared';

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
 * After a mutation, tells the caller the primary's WAL position: sent back with later requests, it
 * keeps their reads off replicas that have not replayed this write yet (read-your-writes).
 */
function writePositionPlugin<TContext extends BaseContext>(database: DatabaseClient): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, response }) {
          if (operation?.operation !== 'mutation') return;
          const result = await database.pool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
          response.http.headers.set(READ_AFTER_LSN_HEADER, result.rows[0]!.lsn);
        },
      };
    },
  };
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
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      ...(database.replicaPools.length > 0 ? [writePositionPlugin(database)] : []),
    ],
    // The process drains itself on SIGTERM (finish open requests, then stop): Apollo's own handler
    // would stop the server at once and fail the requests still in flight.
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  const http = createGraphQLHttpServer({
    apollo,
    logger: options.logger,
    context: async (request) => createContext(database, request),
    // Reads of a request that names the position of its client's last write wait for no replica behind it.
    requestScope: (request, work) => {
      const lsn = request.headers[READ_AFTER_LSN_HEADER];
      return withReadAfterLsn(typeof lsn === 'string' ? lsn : null, work);
    },
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
      // Running gateways may hold answers from before the seed.
      logger.info('seeded its tables', { cache: await bumpDataVersion() });
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
