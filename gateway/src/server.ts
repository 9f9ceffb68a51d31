// First: Apollo Gateway must bind to the flat copy of federation-internals' exports.
import './federation-exports';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import type { QueryPlan } from '@apollo/query-planner';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError } from 'graphql';
import {
  API_KEY_SUBJECT_PREFIX,
  apolloDocumentOptions,
  BoundedDocumentStore,
  BoundedJsonStore,
  boundErrorMessage,
  createGraphQLHttpServer,
  currentRequestSignal,
  createLogger,
  logSettingsInEffect,
  explainValidationAbort,
  createTokenVerifier,
  loggedMessage,
  resolveAuthSecret,
  resolveTokenIssuerAndAudience,
  unstorableTextPlugin,
  type Caller,
  type HttpRejection,
  type Logger,
  type RouteHandler,
  type RunningServer,
  type TokenVerifier,
} from '@regiograph/shared';
import { admitApiKey, ApiKeyRegistry, ApiKeyStore, presentedApiKey, tokenForKey, type ApiKeyPrincipal } from './api-keys';
import { atlasDistDir, atlasRoutes, registerAtlasOperations } from './atlas';
import { checkApiKeyTokenLifetime, readGatewayConfig, type GatewayConfig } from './config';
import { GatewayErrorCode } from './errors';
import type { GatewayContext } from './context';
import { demandControlPlugin } from './demand-control';
import { dataBoundsReader, DataYearsSource, indicatorYearsReader } from './data-years';
import { EXPORT_OPERATION, exportRoutes } from './export';
import { ideRoutes } from './ide';
import { GatewayMetrics } from './metrics';
import { safelistManifestDocuments, safelistTexts } from './operations';
import { persistedQueryCache, Safelist } from './persisted';
import { OffloadWorker, offloadingGateway } from './offload';
import { parseInputScalars } from './input-values';
import { PassThrough, passingThrough } from './pass-through';
import { READ_AFTER_LSN_HEADER, writePositionPlugin } from './read-after-write';
import {
  apiKeyUsagePlugin,
  ApiKeyUsageMetrics,
  dataVersionPlugin,
  deprecatedUsagePlugin,
  observabilityPlugin,
  operationLimitsPlugin,
  safelistPlugin,
  subgraphErrorPathsPlugin,
} from './plugins';
import { RateLimiter, resolveClientIdKey, type RateLimitDecision } from './rate-limit';
import { cacheableRootFields, DATA_VERSION_KEY, responseCachePlugin } from './response-cache';
import { listenForDataChanges, type DataChangeListener } from './data-changes';
import { stringifyResult } from './serialised-data';
import { createSharedStore, type SharedStore } from './store';
import { createCircuitProbe, createSubgraphFetcher, metricsObserver, readyUrlOf, type SubgraphFetchObserver } from './subgraph-fetch';
import { BackgroundProbes, CircuitBreakers } from './circuit-breaker';
import { SubgraphDataSource } from './subgraph-source';
import { routedSubgraphNames, SupergraphSource } from './supergraph-source';
import { SUBGRAPHS, resolveSubgraphUrl } from './subgraphs';

export { SUBGRAPHS, defaultSubgraphUrl, subgraphUrlVariable } from './subgraphs';
export type { SubgraphEntry } from './subgraphs';
export type { GatewayContext } from './context';
export { GATEWAY_SECRET_VARIABLES, readGatewayConfig, type GatewayConfig } from './config';
export { Safelist, sha256 } from './persisted';
export { createAgentFetch, type AgentFetchInit } from './agent-fetch';
export { operationsOf, registerOperations } from './operations';
export { costCheckOf } from './demand-control';
export { createSharedStore, MemoryStore, RedisStore, type SharedStore } from './store';
export { ApiKeyRegistry, ApiKeyStore, keysMain, parseApiKey, REVOCATION_CHANNEL, type ApiKeyRecord, type KeysCliIo } from './api-keys';

export const SUPERGRAPH_PATH = path.join(__dirname, '..', 'supergraph.graphql');

/** Subgraphs whose query fields serve public reference data, cacheable for anonymous callers. */
const PUBLIC_REFERENCE_SUBGRAPHS = ['regions', 'indicators'];

export interface GatewayOptions {
  /** Defaults to the checked-in supergraph.graphql. */
  supergraphPath?: string;
  /** Subgraph URLs by name; otherwise <NAME>_URL from the environment, else the supergraph's. */
  subgraphUrls?: Record<string, string>;
  /** Variables read in place of (over) the process environment. */
  env?: NodeJS.ProcessEnv;
  /** Overrides of the configuration read from the environment. */
  config?: Partial<GatewayConfig>;
  /** Tests pass a store to share between instances; otherwise one is made from the configuration. */
  store?: SharedStore;
  logger?: Logger;
}

export interface Gateway {
  apollo: ApolloServer<GatewayContext>;
  config: GatewayConfig;
  metrics: GatewayMetrics;
  supergraph: SupergraphSource;
  safelist: Safelist;
  /** The query plans this thread's Apollo Gateway keeps, bounded by their size (GATEWAY_QUERY_PLAN_STORE_BYTES). */
  queryPlans: BoundedJsonStore<QueryPlan>;
  /** Partner API keys, null when off (no API_KEYS_DATABASE_URL / DATABASE_URL). */
  apiKeys: ApiKeyRegistry | null;
  /** The listener for data changed outside the gateway (null: the response cache is off, or no database). */
  dataChanges: DataChangeListener | null;
  listen(port: number, host?: string): Promise<RunningServer>;
  /** Drains requests in flight, then stops. */
  close(): Promise<void>;
}

const FORWARDED_HEADERS = ['authorization', 'x-request-id', READ_AFTER_LSN_HEADER];

function forwardedHeadersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

/** The caller's token is verified once here; a forged or expired one is refused outright. */
function callerOf(request: IncomingMessage, verifier: TokenVerifier) {
  let caller: Caller | null;
  try {
    caller = verifier.verifyAuthorizationHeader(request.headers.authorization);
  } catch (error) {
    const message = error instanceof Error ? error.message : 'The access token is not valid.';
    throw new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
  }
  // The subgraphs accept these subjects: the gateway sends them for the API keys it has checked.
  if (caller?.subject.startsWith(API_KEY_SUBJECT_PREFIX)) {
    throw new GraphQLError(`Subjects starting with "${API_KEY_SUBJECT_PREFIX}" are reserved for API keys: send the key as x-api-key.`, {
      extensions: { code: 'UNAUTHENTICATED', reason: 'MALFORMED', http: { status: 401 } },
    });
  }
  return caller;
}

async function probeSubgraph(url: string): Promise<string> {
  try {
    const response = await fetch(readyUrlOf(url), { signal: AbortSignal.timeout(1500) });
    if (response.ok) return 'ready';
    // The subgraph's own /ready names what it lacks (`database: connect ECONNREFUSED …`): said here,
    // the gateway's /ready tells on-call which dependency of which subgraph is down.
    const checks = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    const reasons = Object.entries(checks ?? {})
      .filter(([name]) => name !== 'status')
      .map(([name, reason]) => `${name}: ${String(reason)}`);
    return `not ready (HTTP ${response.status}${reasons.length > 0 ? `; ${reasons.join('; ')}` : ''})`;
  } catch (error) {
    return `unreachable (${error instanceof Error ? error.message : String(error)})`;
  }
}

export async function createGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const env = { ...process.env, ...options.env };
  const logger = options.logger ?? createLogger('gateway');
  // First: a start refused for a value it cannot take has said what it was given.
  logSettingsInEffect(logger, 'gateway', env);
  const config: GatewayConfig = { ...readGatewayConfig(env), ...options.config };
  checkApiKeyTokenLifetime(config);
  // Apollo Gateway reads this switch from the process environment itself; set before it and the
  // offload worker (which copies the environment) are made.
  process.env.APOLLO_TELEMETRY_DISABLED = config.apolloUsageReporting ? 'false' : 'true';
  const metrics = new GatewayMetrics();
  // Read and checked before anything is opened: a manifest the gateway cannot use stops it before it
  // holds a connection (a Redis client left open by a failed start kept its process alive).
  const manifest = config.persistedQueries.safelistManifest;
  const manifestTexts = manifest
    ? safelistManifestDocuments(await readFile(manifest, 'utf8'), manifest).flatMap((document) => safelistTexts(document, manifest))
    : [];
  const store = options.store ?? createSharedStore(config.redisUrl, config.redisKeyPrefix);
  const ownsStore = !options.store;
  metrics.watchSharedStore(store);
  const safelist = new Safelist(store);
  for (const text of manifestTexts) await safelist.register(text);
  // The Atlas and the CSV export are clients of this gateway: their operations are always registered.
  await registerAtlasOperations(safelist);
  await safelist.register(EXPORT_OPERATION);
  // The issuer and audience, like the secret, from the gateway's environment, and the longest lifetime
  // from its configuration: for the tokens it verifies and for those it mints for API keys, which the
  // subgraphs verify with theirs. Left out, the verifier read the lifetime from the process environment.
  const signing = {
    secret: resolveAuthSecret(env),
    ...resolveTokenIssuerAndAudience(env),
    maxLifetimeSeconds: config.maxTokenLifetimeSeconds,
  };
  const verifier = createTokenVerifier(signing);
  const clientIdKey = resolveClientIdKey(config.rateLimit.clientIdKey, signing.secret);
  const apiKeyUsage = new ApiKeyUsageMetrics(metrics.registry);
  const apiKeys = config.apiKeys.databaseUrl
    ? new ApiKeyRegistry(new ApiKeyStore(config.apiKeys.databaseUrl, { maxConnections: config.apiKeys.poolMax }), {
        cacheTtlSeconds: config.apiKeys.cacheTtlSeconds,
        logger,
      })
    : null;
  // Revocations must be heard before the first key is trusted from the cache; a database that is
  // down only delays this (keys get 503 meanwhile), it does not stop the gateway.
  await apiKeys?.start();
  const rateLimiter = new RateLimiter(store, config.rateLimit.requestsPerWindow, config.rateLimit.windowSeconds, { logger });
  // Requests whose API key was refused, per address, with the same allowance as its requests.
  const refusedKeys = new RateLimiter(store, config.rateLimit.requestsPerWindow, config.rateLimit.windowSeconds, {
    name: 'refusedkeys',
    logger,
  });
  // Addresses this gateway found past that allowance, until their Retry-After: no key of theirs is
  // looked up meanwhile. Remembered here rather than asked of the shared store before each lookup,
  // which would cost every partner's request a round trip; another gateway learns of an address at
  // its next refused key there.
  const keyGuessers = new Map<string, { until: number; limit: number }>();
  const supergraph = await SupergraphSource.fromFile(options.supergraphPath ?? SUPERGRAPH_PATH, logger);
  if (config.watchSupergraph) supergraph.watch();

  let cacheable = cacheableRootFields(supergraph.current, PUBLIC_REFERENCE_SUBGRAPHS);
  supergraph.onChange((sdl) => {
    cacheable = cacheableRootFields(sdl, PUBLIC_REFERENCE_SUBGRAPHS);
  });

  const subgraphUrls = new Map<string, string>();
  // One circuit per subgraph for this thread's fetches and the offload worker's (circuit-breaker.ts):
  // the registry's and any other the supergraph routes to (a deployment may compose one more). Their
  // state is a SharedArrayBuffer of fixed size, shared with the worker, so a subgraph that only a
  // reloaded supergraph brings has no circuit: such a supergraph is refused (a restart serves it).
  const circuits = new CircuitBreakers(
    [...new Set([...SUBGRAPHS.map((entry) => entry.name), ...routedSubgraphNames(supergraph.current)])],
    config.circuitBreaker,
  );
  supergraph.refuseUnless((names) => {
    const unguarded = names.filter((name) => !circuits.of(name));
    return unguarded.length === 0
      ? null
      : `it routes to ${unguarded.join(', ')}, which this gateway has no circuit breaker for; restart the gateway to serve it`;
  });
  metrics.watchCircuits(circuits);
  // Subgraph fetches of the main thread and of the offload worker land in the same metrics; their
  // circuits' changes also tell the background probes when an open circuit is due.
  const backgroundProbes = new BackgroundProbes(circuits);
  const measured = metricsObserver(metrics, logger);
  const fetchObserver: SubgraphFetchObserver = {
    ...measured,
    circuitChanged: (subgraph, change, retryAt) => {
      measured.circuitChanged(subgraph, change, retryAt);
      backgroundProbes.changed(subgraph);
    },
  };
  const passThrough: PassThrough | null = config.passThrough ? new PassThrough(() => gateway.__testing().queryPlanner) : null;
  const queryPlans = new BoundedJsonStore<QueryPlan>(config.queryPlanStoreBytes);
  const gateway: ApolloGateway = new ApolloGateway({
    supergraphSdl: supergraph.load,
    queryPlannerConfig: { cache: queryPlans },
    buildService: ({ name, url }) => {
      const resolved = resolveSubgraphUrl(name, url, options.subgraphUrls, env);
      subgraphUrls.set(name, resolved);
      const circuit = circuits.of(name);
      const fetcher = createSubgraphFetcher(name, config.subgraphTimeoutMs, fetchObserver, {
        dedupeInflight: config.dedupeInflight,
        circuit,
      });
      if (circuit) backgroundProbes.serve(name, createCircuitProbe(name, resolved, circuit, fetchObserver));
      return new SubgraphDataSource(resolved, passThrough ? passThrough.replaying(name, resolved, fetcher) : fetcher, {
        name,
        maxNesting: config.documentLimits.maxNesting,
      });
    },
  });
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => parseInputScalars(apiSchema));
  const offload =
    config.offloadCost > 0
      ? new OffloadWorker({
          minCost: config.offloadCost,
          supergraphSdl: () => supergraph.current,
          subgraphUrls: () => Object.fromEntries(subgraphUrls),
          subgraphTimeoutMs: config.subgraphTimeoutMs,
          circuits: circuits.shared(),
          dedupeInflight: config.dedupeInflight,
          passThrough: config.passThrough,
          queryPlanStoreBytes: config.queryPlanStoreBytes,
          maxNesting: config.documentLimits.maxNesting,
          observer: fetchObserver,
        })
      : null;
  if (offload) supergraph.onChange((sdl) => offload.supergraphChanged(sdl));

  const executing = passThrough ? passingThrough(gateway, passThrough, () => metrics.passedThrough.inc()) : gateway;
  const apollo = new ApolloServer<GatewayContext>({
    gateway: offload
      ? offloadingGateway(executing, offload, {
          minCost: config.offloadCost,
          signalOf: currentRequestSignal,
          onOffloaded: () => metrics.offloaded.inc(),
        })
      : executing,
    introspection: config.introspection,
    // index.ts drains on SIGTERM; Apollo's own handler would stop serving before the drain ends.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: !config.production,
    hideSchemaDetailsFromClientErrors: config.production,
    allowBatchedHttpRequests: config.limits.maxBatch > 1,
    parseOptions: { maxTokens: config.limits.maxTokens },
    ...apolloDocumentOptions(config.documentLimits),
    documentStore: new BoundedDocumentStore(),
    // Data that arrived as JSON text (passed through, or from the worker) is written as that text.
    stringifyResult,
    // Automatically persisted queries expire a day after a client registered them; safelisted ones never.
    persistedQueries:
      config.persistedQueries.automatic || config.persistedQueries.safelist
        ? { cache: persistedQueryCache(store, logger), ttl: 86_400 }
        : false,
    formatError: (unbounded) => {
      const formatted = boundErrorMessage(unbounded);
      // graphql-js reports the token limit as a plain syntax error ("more that N tokens", sic),
      // Apollo a wrong persisted-query hash as an internal error: both get codes of their own.
      if (formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED' && /more tha[nt] \d+ tokens/.test(formatted.message)) {
        return { ...formatted, extensions: { ...formatted.extensions, code: GatewayErrorCode.TooManyTokens } };
      }
      if (formatted.message === 'provided sha does not match query') {
        return { ...formatted, extensions: { ...formatted.extensions, code: GatewayErrorCode.PersistedQueryHashMismatch } };
      }
      return explainValidationAbort(formatted);
    },
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      observabilityPlugin({ metrics, production: config.production }),
      ...(config.persistedQueries.safelist ? [safelistPlugin(safelist)] : []),
      operationLimitsPlugin(config.limits),
      unstorableTextPlugin(),
      writePositionPlugin(),
      demandControlPlugin({
        ...config.rateLimit,
        ...config.shedding,
        maxCost: config.limits.maxCost,
        store,
        supergraphSdl: () => supergraph.current,
        logger,
        dataYears: config.dataYears
          ? new DataYearsSource({
              store,
              read: indicatorYearsReader(() => subgraphUrls.get('indicators')),
              readBounds: dataBoundsReader((subgraph) => subgraphUrls.get(subgraph)),
              logger,
            })
          : undefined,
      }),
      ...(apiKeys ? [apiKeyUsagePlugin(apiKeyUsage)] : []),
      deprecatedUsagePlugin({ registry: metrics.registry }),
      // A write moves the data version that the response cache keys by and the data-years read follows.
      ...(config.responseCache.enabled || config.dataYears ? [dataVersionPlugin({ store })] : []),
      ...(config.responseCache.enabled
        ? [
            responseCachePlugin({
              store,
              metrics,
              maxAgeSeconds: config.responseCache.maxAgeSeconds,
              maxEntryBytes: config.responseCache.maxEntryBytes,
              cacheableFields: () => cacheable,
            }),
          ]
        : []),
      // Last: the plugins before it count and cache the answer's errors as the gateway made them.
      subgraphErrorPathsPlugin(() => supergraph.current),
    ],
  });
  await apollo.start();

  // The key admit() accepted, for the context of the same request (admit runs before the body is read).
  const admittedKeys = new WeakMap<IncomingMessage, ApiKeyPrincipal>();
  const contextFor = async (request: IncomingMessage): Promise<GatewayContext> => {
    const apiKey = admittedKeys.get(request) ?? null;
    // Every route that builds a context admits first; a key that did not pass is never ignored.
    if (apiKeys && !apiKey && presentedApiKey(request) !== null) {
      throw new GraphQLError('The API key was not checked.', {
        extensions: { code: GatewayErrorCode.InvalidApiKey, http: { status: 401 } },
      });
    }
    if (!apiKey) {
      return {
        requestId: String(request.headers['x-request-id']),
        caller: callerOf(request, verifier),
        forwardedHeaders: forwardedHeadersOf(request),
        readAfterLsn: null,
        estimatedCost: null,
        logger,
        client: RateLimiter.clientOf(request, config.rateLimit.trustedProxyHops, clientIdKey),
        apiKey: null,
        chargedCostPoints: 0,
      };
    }
    // The subgraphs see the key as a caller of its own: a short-lived token minted here, in place of
    // any Authorization (admit refused requests sending both).
    const token = tokenForKey(apiKey, signing, config.apiKeys.tokenLifetimeSeconds);
    return {
      requestId: String(request.headers['x-request-id']),
      caller: verifier.verifyToken(token),
      forwardedHeaders: { ...forwardedHeadersOf(request), authorization: `Bearer ${token}` },
      readAfterLsn: null,
      estimatedCost: null,
      logger,
      client: `apikey:${apiKey.id}`,
      apiKey,
      chargedCostPoints: 0,
    };
  };
  // A request refused while its context is built (a bad bearer token) never reaches the observability
  // plugin: counted and logged here, as the refusals before it are.
  const contextOf = async (request: IncomingMessage): Promise<GatewayContext> => {
    try {
      return await contextFor(request);
    } catch (error) {
      const code = error instanceof GraphQLError ? String(error.extensions.code) : 'INTERNAL_SERVER_ERROR';
      metrics.errors.inc({ code });
      logger.info('graphql request refused', {
        requestId: String(request.headers['x-request-id']),
        code,
        // Not `message`: a field of that name would replace the line's own. Values quoted in it are
        // withheld, as in the errors of the requests that got further (observability.ts).
        reason: loggedMessage(error instanceof Error ? error.message : String(error)),
      });
      throw error;
    }
  };
  const rateLimited = (decision: RateLimitDecision, what = 'requests'): HttpRejection => {
    metrics.rateLimited.inc();
    return {
      status: 429,
      code: GatewayErrorCode.RateLimited,
      message: `Too many ${what}: at most ${decision.limit} per ${config.rateLimit.windowSeconds} s. Retry after ${decision.retryAfterSeconds} s.`,
      headers: { 'retry-after': String(decision.retryAfterSeconds) },
    };
  };
  // The limiter's store being down must not take the API down with it.
  const admittedWithoutLimiter = (error: unknown): null => {
    logger.warn('rate limiter unavailable; request admitted', { error: error instanceof Error ? error.message : String(error) });
    return null;
  };
  const admit = async (request: IncomingMessage): Promise<HttpRejection | null> => {
    let client = RateLimiter.clientOf(request, config.rateLimit.trustedProxyHops, clientIdKey);
    let limit: number | undefined;
    if (apiKeys && presentedApiKey(request) !== null) {
      // A refused key is charged to the address it came from, and an address past its allowance of
      // refused keys gets no more lookups: else made-up keys were a way round the address's limit
      // (every one a 401, none counted) and a query of the key store each, as fast as sent.
      const guessing = keyGuessers.get(client);
      if (guessing && guessing.until > Date.now()) {
        const retryAfterSeconds = Math.ceil((guessing.until - Date.now()) / 1000);
        return rateLimited({ allowed: false, limit: guessing.limit, remaining: 0, retryAfterSeconds }, 'requests with a refused API key');
      }
      if (guessing) keyGuessers.delete(client);
      const admission = await admitApiKey(request, apiKeys, apiKeyUsage);
      if (admission && 'status' in admission) {
        // Only a key found invalid (401) counts: a key store that is away (503) refused nobody's key.
        if (admission.status !== 401) return admission;
        const refused = await refusedKeys.check(client).catch(admittedWithoutLimiter);
        if (!refused || refused.allowed) return admission;
        // Bounded: forgotten, an address costs one more lookup before it is refused again.
        if (keyGuessers.size >= 10_000) keyGuessers.clear();
        keyGuessers.set(client, { until: Date.now() + refused.retryAfterSeconds * 1000, limit: refused.limit });
        return rateLimited(refused, 'requests with a refused API key');
      }
      if (admission) {
        admittedKeys.set(request, admission);
        client = `apikey:${admission.id}`;
        limit = admission.requestsPerWindow ?? undefined;
      }
    }
    const decision = await rateLimiter.check(client, limit).catch(admittedWithoutLimiter);
    if (!decision || decision.allowed) return null;
    const key = admittedKeys.get(request);
    if (key) apiKeyUsage.refusals.inc({ key_id: key.id, code: GatewayErrorCode.RateLimited });
    return rateLimited(decision);
  };

  const routes: Record<string, RouteHandler> = {
    ...(config.ide ? ideRoutes() : {}),
    ...atlasRoutes(atlasDistDir(), config.compression),
    ...exportRoutes({ apollo, context: contextOf, admit, compression: config.compression }),
  };
  const http = createGraphQLHttpServer({
    apollo,
    documentLimits: config.documentLimits,
    maxBodyBytes: config.limits.maxBodyBytes,
    maxBatch: config.limits.maxBatch,
    corsOrigins: config.corsOrigins,
    compression: config.compression,
    routes,
    metrics: { service: metrics, exposure: config.metricsExposure },
    context: contextOf,
    admit,
    onRefused: (code) => metrics.errors.inc({ code }),
    readiness: async () => {
      const names = [...subgraphUrls.keys()];
      const states = await Promise.all(names.map((name) => probeSubgraph(subgraphUrls.get(name)!)));
      // An open circuit is named beside the subgraph's own state: its fields fail at once until then.
      const circuitOf = (name: string) => {
        const retryAt = circuits.of(name)?.retryAt() ?? null;
        return retryAt === null
          ? ''
          : `; circuit open, tried again at ${new Date(retryAt).toISOString()} by a probe of the gateway, closed once the subgraph's /ready says it is ready`;
      };
      const subgraphs = Object.fromEntries(names.map((name, index) => [name, `${states[index]}${circuitOf(name)}`]));
      const storeDown = store.unavailable();
      return {
        ready: names.length > 0 && states.every((state) => state === 'ready') && storeDown === null,
        checks: { subgraphs, store: storeDown ?? `${store.kind}: ready` },
      };
    },
  });

  // Without Redis, cached answers and the data years of the cost estimate live in this process, out of
  // the importer's reach but for its notice (with Redis the importer bumps the shared data version
  // itself). A gateway with neither (the test stack's) opens no connection for it. Started last: a start
  // that failed before would leave its connection open.
  const dataChanges =
    ownsStore && !config.redisUrl && config.dataChangesDatabaseUrl && (config.responseCache.enabled || config.dataYears)
      ? await listenForDataChanges({
          databaseUrl: config.dataChangesDatabaseUrl,
          logger,
          onChange: () => void store.increment(DATA_VERSION_KEY).catch(() => undefined),
        })
      : null;

  let running: RunningServer | null = null;
  return {
    apollo,
    config,
    metrics,
    supergraph,
    safelist,
    queryPlans,
    apiKeys,
    dataChanges,
    async listen(port, host) {
      running = await http.listen(port, host);
      return running;
    },
    async close() {
      supergraph.stopWatching();
      backgroundProbes.close();
      await running?.close();
      await apollo.stop();
      await apiKeys?.close();
      await dataChanges?.close();
      if (ownsStore) await store.close();
    },
  };
}
