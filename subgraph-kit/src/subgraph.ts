import type { IncomingMessage } from 'node:http';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import {
  createDatabaseClient,
  READ_AFTER_LSN_HEADER,
  readRestOfRequestOnPrimary,
  SqlStatementCounter,
  statementOutcome,
  withReadAfterLsn,
  type BulkWriter,
  type DatabaseClient,
} from '@regiograph/db';
import {
  defaultFieldResolver,
  getNamedType,
  GraphQLError,
  GraphQLObjectType,
  isCompositeType,
  Kind,
  type GraphQLFormattedError,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import {
  apolloDocumentOptions,
  BoundedDocumentStore,
  boundErrorMessage,
  closeOnSignals,
  createGraphQLHttpServer,
  explainValidationAbort,
  createLogger,
  currentRequestSignal,
  ErrorCode,
  loggedMessage,
  logSettingsInEffect,
  readBoolean,
  readDocumentLimits,
  readInteger,
  readPositiveInteger,
  readMetricsExposure,
  readPort,
  requireEnv,
  startTracing,
  subgraphEntry,
  unstorableTextPlugin,
  type DocumentLimits,
  type Logger,
  type MetricsExposure,
  type RunningServer,
  type SubgraphName,
} from '@regiograph/shared';
import { announceDataChange } from './data-changes';
import { warnOfPoolsBeyondServers } from './connection-limits';
import { checkEntityRepresentations } from './entities';
import { errorCode, metricsPlugin, SubgraphMetrics } from './metrics';
import { peerUrlFromEnvironment, type PeerUrl } from './references';

export interface SubgraphServerOptions {
  databaseUrl: string;
  /** Read replicas: reads go to them, writes and transactions to databaseUrl. */
  replicaUrls?: readonly string[];
  /** Counts the SQL statements this subgraph sends (tests, benchmarks). */
  counter?: SqlStatementCounter;
  /** The most connections of each pool (DATABASE_POOL_MAX, 10, when absent). */
  maxConnections?: number;
  /** One log line per request; none when absent (tests). */
  logger?: Logger;
  /** The settings in effect are in the log already (runSubgraph says them before anything can fail). */
  settingsLogged?: boolean;
  /** Fields one answer may resolve (SUBGRAPH_MAX_ITEMS); beyond, the request stops with TOO_MANY_ITEMS. */
  maxItems?: number;
  /** Bytes one answer may have (SUBGRAPH_MAX_RESPONSE_BYTES); a larger one is replaced by RESPONSE_TOO_LARGE. */
  maxResponseBytes?: number;
  /** PostgreSQL statement_timeout of the subgraph's statements (DATABASE_STATEMENT_TIMEOUT_MS). */
  statementTimeoutMs?: number;
  /** Limits on query documents; MAX_DOCUMENT_NESTING and MAX_VALIDATION_ERRORS as the gateway reads them when absent. */
  documentLimits?: DocumentLimits;
  /**
   * Where the other subgraphs answer, for writes that check their links to those subgraphs' entities
   * (references.ts). A subgraph process reads `<NAME>_URL` as the gateway does (peerUrlFromEnvironment);
   * without it, such writes are refused as unverifiable.
   */
  peerUrl?: PeerUrl;
  /** Where /metrics is served and the token it asks for; METRICS_PORT and METRICS_TOKEN as the gateway reads them when absent. */
  metricsExposure?: MetricsExposure;
}

/** The budgets of one request, with their defaults (the environment overrides them). */
export function subgraphBudgets(options: SubgraphServerOptions, env: NodeJS.ProcessEnv = process.env) {
  return {
    // A 100,000-cell table in long form resolves about 600,000 fields: twice that is a wrong turn.
    maxItems: options.maxItems ?? readInteger('SUBGRAPH_MAX_ITEMS', 1_000_000, env),
    maxResponseBytes: options.maxResponseBytes ?? readInteger('SUBGRAPH_MAX_RESPONSE_BYTES', 32 * 1024 * 1024, env),
    // Above the gateway's subgraph timeout (10 s): a backstop for statements nobody cancelled.
    statementTimeoutMs: options.statementTimeoutMs ?? readInteger('DATABASE_STATEMENT_TIMEOUT_MS', 15_000, env),
  };
}

interface RequestBudget {
  items: number;
  maxItems: number;
  signal: AbortSignal | undefined;
  stopped: GraphQLError | null;
  /** Synchronous work (see takeWorkTurn) done since the request last let others run. */
  work: number;
  /** Settles when the last turn handed out has been taken. */
  turns: Promise<void>;
}

/** The budget of each request in execution, by its context (the object every resolver receives). */
const requestBudgets = new WeakMap<object, RequestBudget>();
/** Schemas whose resolvers charge budgets (a schema module may serve several servers, e.g. in tests). */
const instrumented = new WeakSet<GraphQLSchema>();

/** How many fields one object of this selection resolves: its fields, through fragments (conservatively: all of them). */
function selectionWidth(selectionSet: SelectionSetNode | undefined, info: GraphQLResolveInfo): number {
  if (!selectionSet) return 0;
  let width = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) width += 1;
    else if (selection.kind === Kind.INLINE_FRAGMENT) width += selectionWidth(selection.selectionSet, info);
    else width += selectionWidth(info.fragments[selection.name.value]?.selectionSet, info);
  }
  return width;
}

/** The objects of a resolved value: one, or the non-null items of its (nested) lists. */
function objectCount(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (!Array.isArray(value)) return 1;
  let count = 0;
  for (const item of value as unknown[]) count += Array.isArray(item) ? objectCount(item) : item === null || item === undefined ? 0 : 1;
  return count;
}

/**
 * Counts what a resolved value will make graphql-js resolve next: each of its objects resolves every
 * field of the selection. Counted once per list, before the list is completed, so a too large list
 * stops before its items are built, and the fields of the items (mostly plain properties) run
 * graphql-js's default resolver unwrapped: a per-field hook (Apollo's willResolveField) ran for each of
 * the ~400,000 leaves of a 7 × 967 × 14 long-form table and was a fifth of its CPU time.
 */
function charge(budget: RequestBudget, items: number): void {
  if (budget.stopped) throw budget.stopped;
  budget.items += items;
  const { maxItems, signal } = budget;
  if (budget.items > maxItems) {
    budget.stopped = new GraphQLError(`The answer would hold more than ${maxItems} items; ask for fewer items or fields.`, {
      extensions: { code: ErrorCode.TooManyItems, limit: maxItems },
    });
  } else if (signal?.aborted) {
    budget.stopped = new GraphQLError('The request was abandoned by its caller.', { extensions: { code: ErrorCode.RequestAbandoned } });
  }
  if (budget.stopped) throw budget.stopped;
}

/**
 * Units of synchronous work (values compared, cells computed: a few nanoseconds each) a request
 * does before it lets the event loop run: about 5 ms of a similarity search, so other requests are
 * served and a caller's hang-up is noticed between slices.
 */
export const WORK_UNITS_PER_SLICE = 2_000_000;

/**
 * Waits for the turn of `units` of synchronous work (a CPU-bound computation in a resolver) of the
 * request running with `context`. Turns are taken in order; once the request has done a slice of
 * work since it last yielded, the next turn waits for the event loop (setImmediate), so hundreds of
 * resolver calls of one request (a list of regions, `_entities`) no longer compute back to back as
 * one block that stalls every other request. Rejects with the request's error, as the item budget
 * stops it, once it has stopped (TOO_MANY_ITEMS) or its caller has hung up (REQUEST_ABANDONED): the
 * work is then not done. Outside a request served by a subgraph server it resolves at once.
 */
export function takeWorkTurn(context: object, units: number): Promise<void> {
  const budget = requestBudgets.get(context);
  if (!budget) return Promise.resolve();
  const turn = budget.turns.then(async () => {
    if (budget.work > 0 && budget.work + units > WORK_UNITS_PER_SLICE) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      budget.work = 0;
    }
    charge(budget, 0);
    budget.work += units;
  });
  // The next turn waits for this one to be taken, whether or not this one was refused.
  budget.turns = turn.catch(() => undefined);
  return turn;
}

/**
 * Wraps the resolvers of the fields that return objects (and of the root fields): they charge the
 * request's budget with the fields their value makes resolve. Leaf fields keep their resolvers.
 */
function instrumentBudget(schema: GraphQLSchema): void {
  if (instrumented.has(schema)) return;
  instrumented.add(schema);
  const roots = new Set([schema.getQueryType(), schema.getMutationType()].filter(Boolean));
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const composite = isCompositeType(getNamedType(field.type));
      if (!composite && !roots.has(type)) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      // A root field is an item itself; the fields below are charged by the field that returns their objects.
      const ownItems = roots.has(type) ? 1 : 0;
      const chargeValue = (budget: RequestBudget, value: unknown, info: GraphQLResolveInfo) => {
        let width = 0;
        for (const node of info.fieldNodes) width += selectionWidth(node.selectionSet, info);
        charge(budget, objectCount(value) * width);
      };
      field.resolve = (source, args, context: object, info) => {
        const budget = requestBudgets.get(context);
        if (!budget) return resolve(source, args, context, info);
        charge(budget, ownItems);
        if (!composite) return resolve(source, args, context, info);
        const value: unknown = resolve(source, args, context, info);
        if (value instanceof Promise) {
          return value.then((settled: unknown) => {
            chargeValue(budget, settled, info);
            return settled;
          });
        }
        chargeValue(budget, value, info);
        return value;
      };
    }
  }
}

/**
 * Stops a request's resolvers once it would resolve more than `maxItems` fields (TOO_MANY_ITEMS) or
 * its caller has hung up (REQUEST_ABANDONED), instead of growing the heap for an answer that is too
 * large or that nobody reads; the answer is then that one error alone.
 */
function requestBudgetPlugin(maxItems: number): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      let budget: RequestBudget | null = null;
      const signal = currentRequestSignal();
      return {
        async executionDidStart({ contextValue }) {
          budget = { items: 0, maxItems, signal, stopped: null, work: 0, turns: Promise.resolve() };
          requestBudgets.set(contextValue, budget);
        },
        async willSendResponse({ response }) {
          if (budget?.stopped && response.body.kind === 'single')
            response.body.singleResult = { data: null, errors: [budget.stopped.toJSON()] };
        },
      };
    },
  };
}

/** Codes of errors that are the server's (or its database's) fault, not the caller's: logged at level error. */
const SERVER_SIDE_CODES: ReadonlySet<string> = new Set(['INTERNAL_SERVER_ERROR', ErrorCode.DatabaseTimeout]);

/** Whether `error` or an error it wraps (Prisma's, the driver adapter's, pg's) is PostgreSQL stopping a statement at its statement_timeout. */
function causedByStatementTimeout(error: unknown, seen = new Set<unknown>()): boolean {
  if (error === null || typeof error !== 'object' || seen.has(error)) return false;
  seen.add(error);
  if (statementOutcome(error) === 'statement_timeout') return true;
  // GraphQLError → Prisma's error → its meta → the adapter's error → the cause with PostgreSQL's code.
  const { originalError, cause, meta, driverAdapterError } = error as Record<string, unknown>;
  return [originalError, cause, meta, driverAdapterError].some((inner) => causedByStatementTimeout(inner, seen));
}

/**
 * A statement stopped by statement_timeout reached the caller as an internal error with Prisma's or
 * pg's words (and, outside production, its stack): it says what happened instead, with its own code.
 */
function explainStatementTimeout(formatted: GraphQLFormattedError, error: unknown, timeoutMs: number): GraphQLFormattedError {
  if (!causedByStatementTimeout(error)) return formatted;
  return {
    message: `A database statement of this request ran past its time limit (${timeoutMs} ms) and was stopped: the database is slow or busy. Try again later.`,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: ErrorCode.DatabaseTimeout, timeoutMs },
  };
}

/**
 * One log line per answer that holds errors, with the request id the gateway sent: the gateway masks
 * an internal error for clients, and without this line the subgraph's log showed only
 * `status: 200` for a request whose database was away. Internal errors (no code of their own, or
 * INTERNAL_SERVER_ERROR) at level error, the caller's (BAD_USER_INPUT, NOT_FOUND, …) at info.
 */
function errorLogPlugin(logger: Logger): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart({ request }) {
      return {
        async willSendResponse({ response, operation }) {
          if (response.body.kind !== 'single') return;
          const errors = response.body.singleResult.errors ?? [];
          if (errors.length === 0) return;
          const codes = errors.map(errorCode);
          const internal = codes.some((code) => SERVER_SIDE_CODES.has(code));
          (internal ? logger.error : logger.info)('graphql errors', {
            requestId: request.http?.headers.get('x-request-id'),
            operationName: request.operationName ?? operation?.name?.value ?? null,
            // A resolver quotes what the caller wrote (a code, a search) to the caller, not to the log (docs/privacy.md).
            errors: errors.map((error, index) => ({ code: codes[index], message: loggedMessage(error.message), path: error.path })),
          });
        },
      };
    },
  };
}

/** Upkeep of a subgraph's own tables (such as purging expired idempotency keys), run hourly while it listens. */
export type Housekeeping = (database: DatabaseClient) => Promise<unknown>;

const HOUSEKEEPING_INTERVAL_MS = 60 * 60 * 1000;

export interface SubgraphServer {
  database: DatabaseClient;
  counter: SqlStatementCounter;
  /** The parsed operations Apollo Server keeps, bounded by their size. */
  documents: BoundedDocumentStore;
  /** Its Prometheus metrics, served at /metrics (on METRICS_PORT when set). */
  metrics: SubgraphMetrics;
  listen(port: number, host?: string): Promise<RunningServer>;
  /** Drains requests in flight, then closes the database pool. */
  close(): Promise<void>;
}

/**
 * A mutation reads on the primary: its checks read the records it changes, and a replica that has
 * not replayed one created a moment ago would answer NOT_FOUND for it (or pass checks against an
 * older state), though the caller did nothing wrong. It also tells the write helpers (bumpVersion,
 * versionReadMismatch) that what they read is committed state, not a replica's.
 */
function mutationsReadPrimaryPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation === 'mutation') readRestOfRequestOnPrimary();
        },
      };
    },
  };
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
  name: SubgraphName,
  schema: GraphQLSchema,
  options: SubgraphServerOptions,
  createContext: (database: DatabaseClient, request: IncomingMessage) => TContext | Promise<TContext>,
  housekeeping?: Housekeeping,
): Promise<SubgraphServer> {
  // Said where the logger is given and the process has not said them; quiet in tests that give none.
  if (options.logger && !options.settingsLogged) logSettingsInEffect(options.logger, name);
  const counter = options.counter ?? new SqlStatementCounter();
  const metrics = new SubgraphMetrics(name);
  const budgets = subgraphBudgets(options);
  const documentLimits = options.documentLimits ?? readDocumentLimits();
  checkEntityRepresentations(schema);
  instrumentBudget(schema);
  const database = createDatabaseClient({
    url: options.databaseUrl,
    replicaUrls: options.replicaUrls,
    counter,
    observeStatement: metrics.observeStatement,
    // Each of the replica's pools (one on DATABASE_URL, one per read replica); pg's own 10 unset.
    // Replicas × this of every subgraph must fit the server's max_connections (docs/operations.md, Capacity).
    maxConnections: options.maxConnections ?? readPositiveInteger('DATABASE_POOL_MAX', 10),
    applicationName: `regiograph-${name}`,
    statementTimeoutMs: budgets.statementTimeoutMs,
    requestSignal: currentRequestSignal,
  });
  metrics.watchPools(database);
  const documents = new BoundedDocumentStore();
  const apollo = new ApolloServer<TContext>({
    schema,
    introspection: true,
    ...apolloDocumentOptions(documentLimits),
    documentStore: documents,
    formatError: (formatted, error) =>
      explainStatementTimeout(explainValidationAbort(boundErrorMessage(formatted)), error, budgets.statementTimeoutMs),
    // Inline traces are for Apollo's hosted studio, which this platform does not report to; cache
    // hints would hook every field of large tables, while the gateway caches by root field.
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      mutationsReadPrimaryPlugin(),
      ...(database.replicaPools.length > 0 ? [writePositionPlugin(database)] : []),
      requestBudgetPlugin(budgets.maxItems),
      unstorableTextPlugin(),
      metricsPlugin(metrics),
      // Last: it logs the answer as the plugins before it left it.
      ...(options.logger ? [errorLogPlugin(options.logger)] : []),
    ],
    // The process drains itself on SIGTERM (finish open requests, then stop): Apollo's own handler
    // would stop the server at once and fail the requests still in flight.
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  const http = createGraphQLHttpServer({
    apollo,
    documentLimits,
    logger: options.logger,
    maxResponseBytes: budgets.maxResponseBytes,
    context: async (request) => createContext(database, request),
    metrics: { service: metrics, exposure: options.metricsExposure ?? readMetricsExposure() },
    onRefused: (code) => metrics.errors.inc({ code }),
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
  let upkeep: NodeJS.Timeout | undefined;
  return {
    database,
    counter,
    documents,
    metrics,
    async listen(port, host) {
      running = await http.listen(port, host);
      if (housekeeping) {
        // The first run an interval after the start, never during a short test's counted statements.
        upkeep = setInterval(() => {
          housekeeping(database).catch((error: unknown) =>
            options.logger?.warn('housekeeping failed; it runs again in an hour', {
              error: error instanceof Error ? error.message : String(error),
            }),
          );
        }, HOUSEKEEPING_INTERVAL_MS).unref();
      }
      return running;
    },
    async close() {
      clearInterval(upkeep);
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
  /**
   * Seeds what a first start or an upgrade needs (subgraph-kit's shipped-data.ts), true when it
   * seeded; `logger` takes its progress lines (JSON lines, as every log). `peerUrl` is the server's:
   * a seed that would remove records others link to asks them first (the cooperations seed).
   */
  seedIfEmpty(database: BulkWriter, logger: Logger, peerUrl: PeerUrl): Promise<boolean>;
}

/**
 * A subgraph's process: reads DATABASE_URL, DATABASE_REPLICA_URLS, PORT, HOST, SEED_ON_START (and
 * METRICS_PORT and METRICS_TOKEN through createServer),
 * seeds when the shipped data is not what the database was last seeded with (an empty one, or an
 * upgrade), listens, and drains on SIGTERM/SIGINT before it exits.
 */
export function runSubgraph(options: RunSubgraphOptions): void {
  const logger = createLogger(options.name);
  const tracing = startTracing(options.name);
  const main = async () => {
    // First: a start that fails on a value it was given (no DATABASE_URL, SEED_ON_START=maybe, a
    // database that refuses) has said what it was given before its error.
    logSettingsInEffect(logger, options.name);
    // Read like every switch (readBoolean): "0" or "off" must not seed demonstration data after all.
    const seedOnStart = readBoolean('SEED_ON_START', true);
    const replicaUrls = (process.env.DATABASE_REPLICA_URLS ?? '')
      .split(',')
      .map((url) => url.trim())
      .filter(Boolean);
    const peerUrl = peerUrlFromEnvironment();
    const server = await options.createServer({
      databaseUrl: requireEnv('DATABASE_URL'),
      replicaUrls,
      logger,
      peerUrl,
      settingsLogged: true,
    });
    server.metrics.collectProcessMetrics();
    // Once, before the seed (which opens connections of its own): a pool the server cannot hold is
    // said at start rather than found under load.
    await warnOfPoolsBeyondServers(server.database, logger);
    if (seedOnStart && (await options.seedIfEmpty(server.database, logger, peerUrl))) {
      // Running gateways may hold answers from before the seed.
      logger.info('seeded its tables', { cache: await announceDataChange(server.database.pool, `seed:${options.name}`) });
    }
    const running = await server.listen(readPort('PORT', subgraphEntry(options.name).defaultPort), process.env.HOST || '127.0.0.1');
    logger.info(`${options.name} subgraph listening`, { url: running.url, metricsUrl: running.metricsUrl });
    closeOnSignals(logger, 'draining and shutting down', () => server.close(), tracing);
  };
  main().catch((error: unknown) => {
    logger.error(`${options.name} subgraph failed to start`, { error: error instanceof Error ? error.stack : String(error) });
    process.exit(1);
  });
}
