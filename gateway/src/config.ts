import {
  isProduction,
  MINIMUM_SECRET_LENGTH,
  readBoolean,
  readDocumentLimits,
  readInteger,
  readPositiveInteger,
  readMetricsExposure,
  resolveMaxTokenLifetime,
  type CompressionOptions,
  type DocumentLimits,
  type MetricsExposure,
} from '@regiograph/shared';
import { API_KEYS_POOL_MAX } from './api-keys/store';
import { readCircuitBreakerOptions, type CircuitBreakerOptions } from './circuit-breaker';

/**
 * Everything the gateway can be told through its environment, with defaults that are safe for
 * production: a deployment only has to add what it wants to loosen.
 */
export interface GatewayConfig {
  production: boolean;
  limits: {
    maxDepth: number;
    maxAliases: number;
    maxTokens: number;
    maxDirectives: number;
    maxCost: number;
    maxBodyBytes: number;
    /** Operations per HTTP request when a client sends a JSON array. */
    maxBatch: number;
  };
  /** MAX_DOCUMENT_NESTING and MAX_VALIDATION_ERRORS, read as every subgraph reads them (shared's readDocumentLimits). */
  documentLimits: DocumentLimits;
  /** METRICS_PORT and METRICS_TOKEN, read as every subgraph reads them (shared's readMetricsExposure). */
  metricsExposure: MetricsExposure;
  rateLimit: {
    requestsPerWindow: number;
    windowSeconds: number;
    costPointsPerWindow: number;
    /**
     * Proxies in front of the gateway that append to X-Forwarded-For (TRUSTED_PROXY_HOPS; an ingress:
     * 1). 0: limits count by the socket's address and X-Forwarded-For is ignored (rate-limit.ts).
     */
    trustedProxyHops: number;
    /**
     * The key of the pseudonyms rate limits count and log an address by (GATEWAY_CLIENT_ID_KEY, shared
     * by every instance; rate-limit.ts clientIdOf); null: derived from AUTH_SECRET (resolveClientIdKey).
     */
    clientIdKey: string | null;
  };
  /** Load shedding: in-flight estimated cost above which expensive operations get 503; cheap ones always run. */
  shedding: { maxInflightCost: number; cheapCost: number };
  /** Send identical subgraph queries that are in flight at the same time once (inflight-dedupe.ts). */
  dedupeInflight: boolean;
  /**
   * Whether the cost estimate reads the stored data's years from the indicators subgraph (data-years.ts)
   * for operations that count years, once per data version; off, open year ranges reach to the shipped
   * data's (DATA_YEARS, 1983–2023). DEMAND_CONTROL_DATA_YEARS, on by default.
   */
  dataYears: boolean;
  /**
   * Answer a query that one subgraph answers exactly as asked with that subgraph's JSON, without
   * Apollo Gateway's execution (pass-through.ts); GATEWAY_PASS_THROUGH, on by default.
   */
  passThrough: boolean;
  /**
   * Answers, the Atlas's files and the CSV export compressed (brotli or gzip) for callers that accept
   * it, from `minBytes` on; null: sent as they are (an ingress that compresses does it instead).
   * GATEWAY_COMPRESSION, on by default; GATEWAY_COMPRESSION_MIN_BYTES, 1024.
   */
  compression: CompressionOptions | null;
  /**
   * Apollo Gateway's usage reporting to Apollo (usage-reporting.api.apollographql.com, flushed hourly
   * and when the gateway stops). RegioGraph sends nothing to a third party unless its operator asks:
   * off unless APOLLO_TELEMETRY_DISABLED is false. Off also spares a stopping gateway that call, whose
   * DNS lookup never ended on a machine without internet and kept the process alive.
   */
  apolloUsageReporting: boolean;
  /** Queries estimated above this cost execute on a worker thread (offload.ts); 0 switches that off. */
  offloadCost: number;
  /**
   * JSON bytes of query plans each Apollo Gateway keeps, the main thread's and the offload worker's
   * (GATEWAY_QUERY_PLAN_STORE_BYTES).
   */
  queryPlanStoreBytes: number;
  /** Milliseconds a subgraph may take before its part of the answer is given up. */
  subgraphTimeoutMs: number;
  /**
   * A subgraph's circuit opens after SUBGRAPH_BREAKER_FAILURES (5) consecutive failed fetches (timeout,
   * unreachable, HTTP 5xx; 0: never) and its fetches then fail at once until, after
   * SUBGRAPH_BREAKER_COOLDOWN_MS (1000), a probe of the gateway's own (sent with or without client
   * traffic) finds the subgraph's /ready answering 2xx within SUBGRAPH_BREAKER_PROBE_TIMEOUT_MS (1000);
   * each failed probe doubles the cooldown up to
   * SUBGRAPH_BREAKER_MAX_COOLDOWN_MS (3000). Defaults and meaning: circuit-breaker.ts.
   */
  circuitBreaker: CircuitBreakerOptions;
  redisUrl: string | null;
  /** Prefix of every key in Redis, so deployments can share one server. */
  redisKeyPrefix: string;
  persistedQueries: { automatic: boolean; safelist: boolean; safelistManifest: string | null };
  responseCache: { enabled: boolean; maxAgeSeconds: number; maxEntryBytes: number };
  introspection: boolean;
  ide: boolean;
  corsOrigins: readonly string[] | '*';
  /** Reload the supergraph when its file changes (SIGHUP always reloads). */
  watchSupergraph: boolean;
  /**
   * Partner API keys (table access.api_key). Off (databaseUrl null) when neither API_KEYS_DATABASE_URL
   * nor DATABASE_URL is set, or API_KEYS_DATABASE_URL is `off`: x-api-key is then ignored, and rate
   * limits count by address.
   */
  apiKeys: {
    databaseUrl: string | null;
    cacheTtlSeconds: number;
    tokenLifetimeSeconds: number;
    /** The lookups' pool (API_KEYS_POOL_MAX): a gateway replica's share of max_connections with the listener's one. */
    poolMax: number;
  };
  /**
   * How far ahead a caller's token may expire (AUTH_MAX_TOKEN_LIFETIME_SECONDS, a day), as the subgraphs
   * verify it; also the bound of the tokens the gateway mints for API keys.
   */
  maxTokenLifetimeSeconds: number;
  /**
   * Where the gateway hears of data changed outside it (the importer, a seed: NOTIFY on
   * DATA_CHANGED_CHANNEL), to drop its cached answers and read the data's years again for the cost
   * estimate. DATA_CHANGES_DATABASE_URL, else the API keys' database, else DATABASE_URL; `off` or
   * none: not listened for (then only Redis's shared data version, or RESPONSE_CACHE_MAX_AGE, ends
   * such answers). Listened for only without REDIS_URL (with Redis the importer bumps the shared data
   * version itself), and only where the response cache or DEMAND_CONTROL_DATA_YEARS needs it.
   */
  dataChangesDatabaseUrl: string | null;
}

/**
 * Apollo Gateway's default plan store holds 30 MiB of plans' JSON, about twice that in the heap: 344
 * distinct cheap queries with long alias names, sent anonymously, left 63 MB in each thread that
 * plans. Planning a query that misses takes milliseconds; the queries clients really send stay well
 * inside this.
 */
const QUERY_PLAN_STORE_BYTES = 8 * 1024 * 1024;

/**
 * The lifetime of the token minted for a key's request must lie within what the subgraphs accept, or
 * they would refuse every key's request; said at start rather than as a 401 for each. Checked again on
 * the configuration createGateway merges, which may override either.
 */
export function checkApiKeyTokenLifetime(config: Pick<GatewayConfig, 'apiKeys' | 'maxTokenLifetimeSeconds'>): void {
  const lifetime = config.apiKeys.tokenLifetimeSeconds;
  const max = config.maxTokenLifetimeSeconds;
  if (lifetime > max) {
    throw new Error(`API_KEYS_TOKEN_LIFETIME_SECONDS (${lifetime}) must not exceed AUTH_MAX_TOKEN_LIFETIME_SECONDS (${max})`);
  }
}

/**
 * The variables of the gateway's environment that hold secrets: a deployment gives each from its
 * secret store (the examples: the Kubernetes Secret regiograph-secrets, deploy/.env), never from a
 * ConfigMap or the image, which test/deploy.test.ts checks of the examples. AUTH_SECRET is read by
 * shared's resolveAuthSecret; REDIS_URL and API_KEYS_DATABASE_URL carry passwords. Not listed:
 * METRICS_TOKEN, which the examples leave unset (only Prometheus reaches the metrics port), and
 * DATABASE_URL and DATA_CHANGES_DATABASE_URL, read only in place of API_KEYS_DATABASE_URL.
 */
export const GATEWAY_SECRET_VARIABLES = ['AUTH_SECRET', 'GATEWAY_CLIENT_ID_KEY', 'REDIS_URL', 'API_KEYS_DATABASE_URL'] as const;

/** A key as hard to guess as AUTH_SECRET must be: with it, every IPv4 address's pseudonym can be computed. */
function readClientIdKey(env: NodeJS.ProcessEnv): string | null {
  const key = env.GATEWAY_CLIENT_ID_KEY;
  if (key === undefined || key === '') return null;
  if (Buffer.byteLength(key, 'utf8') < MINIMUM_SECRET_LENGTH) {
    throw new Error(`GATEWAY_CLIENT_ID_KEY must be at least ${MINIMUM_SECRET_LENGTH} bytes long`);
  }
  return key;
}

function readApiKeysDatabaseUrl(env: NodeJS.ProcessEnv): string | null {
  const configured = env.API_KEYS_DATABASE_URL;
  if (configured === 'off') return null;
  return configured || env.DATABASE_URL || null;
}

function readDataChangesDatabaseUrl(env: NodeJS.ProcessEnv): string | null {
  const configured = env.DATA_CHANGES_DATABASE_URL;
  if (configured === 'off') return null;
  return configured || readApiKeysDatabaseUrl(env) || env.DATABASE_URL || null;
}

function readOrigins(env: NodeJS.ProcessEnv, production: boolean): readonly string[] | '*' {
  const configured = env.CORS_ORIGINS;
  if (configured === '*') return '*';
  if (configured)
    return configured
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean);
  return production ? [] : '*';
}

export function readGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const production = isProduction(env);
  const config: GatewayConfig = {
    production,
    limits: {
      maxDepth: readInteger('GATEWAY_MAX_DEPTH', 12, env),
      maxAliases: readInteger('GATEWAY_MAX_ALIASES', 30, env),
      maxTokens: readInteger('GATEWAY_MAX_TOKENS', 2000, env),
      maxDirectives: readInteger('GATEWAY_MAX_DIRECTIVES', 20, env),
      maxCost: readInteger('GATEWAY_MAX_COST', 100_000, env),
      maxBodyBytes: readInteger('GATEWAY_MAX_BODY_BYTES', 100 * 1024, env),
      maxBatch: readInteger('GATEWAY_MAX_BATCH', 1, env),
    },
    documentLimits: readDocumentLimits(env),
    metricsExposure: readMetricsExposure(env),
    rateLimit: {
      requestsPerWindow: readInteger('RATE_LIMIT_REQUESTS', 600, env),
      windowSeconds: readPositiveInteger('RATE_LIMIT_WINDOW_SECONDS', 60, env),
      costPointsPerWindow: readInteger('RATE_LIMIT_COST_POINTS', 2_000_000, env),
      trustedProxyHops: readInteger('TRUSTED_PROXY_HOPS', 0, env),
      clientIdKey: readClientIdKey(env),
    },
    shedding: {
      // One operation at the cost limit at a time (GATEWAY_MAX_COST): the gateway shapes and writes
      // each such answer (about 5 MB) on its one thread for a few hundred ms, and two landing
      // together stalled cheap queries past 1 s (test/exhaustion.test.ts; was 200,000).
      maxInflightCost: readInteger('GATEWAY_MAX_INFLIGHT_COST', 100_000, env),
      cheapCost: readInteger('GATEWAY_CHEAP_COST', 1_000, env),
    },
    dedupeInflight: readBoolean('GATEWAY_DEDUPE_INFLIGHT', true, env),
    dataYears: readBoolean('DEMAND_CONTROL_DATA_YEARS', true, env),
    passThrough: readBoolean('GATEWAY_PASS_THROUGH', true, env),
    compression: readBoolean('GATEWAY_COMPRESSION', true, env)
      ? { minBytes: readInteger('GATEWAY_COMPRESSION_MIN_BYTES', 1024, env) }
      : null,
    apolloUsageReporting: !readBoolean('APOLLO_TELEMETRY_DISABLED', true, env),
    // Only the heavy end: the worker's hop (a second parse and plan, the answer as JSON between the
    // threads) costs a small query more than it saves.
    offloadCost: readInteger('GATEWAY_OFFLOAD_COST', 20_000, env),
    queryPlanStoreBytes: readPositiveInteger('GATEWAY_QUERY_PLAN_STORE_BYTES', QUERY_PLAN_STORE_BYTES, env),
    subgraphTimeoutMs: readInteger('SUBGRAPH_TIMEOUT_MS', 10_000, env),
    circuitBreaker: readCircuitBreakerOptions(env),
    redisUrl: env.REDIS_URL || null,
    redisKeyPrefix: env.REDIS_KEY_PREFIX || 'regiograph:',
    persistedQueries: {
      automatic: readBoolean('PERSISTED_QUERIES', true, env),
      safelist: readBoolean('SAFELIST', false, env),
      safelistManifest: env.SAFELIST_MANIFEST || null,
    },
    responseCache: {
      enabled: readBoolean('RESPONSE_CACHE', true, env),
      maxAgeSeconds: readInteger('RESPONSE_CACHE_MAX_AGE', 300, env),
      maxEntryBytes: readInteger('RESPONSE_CACHE_MAX_ENTRY_BYTES', 1024 * 1024, env),
    },
    introspection: readBoolean('INTROSPECTION', !production, env),
    ide: readBoolean('GATEWAY_IDE', !production, env),
    corsOrigins: readOrigins(env, production),
    watchSupergraph: readBoolean('WATCH_SUPERGRAPH', !production, env),
    apiKeys: {
      databaseUrl: readApiKeysDatabaseUrl(env),
      cacheTtlSeconds: readInteger('API_KEYS_CACHE_TTL_SECONDS', 30, env),
      tokenLifetimeSeconds: readPositiveInteger('API_KEYS_TOKEN_LIFETIME_SECONDS', 120, env),
      poolMax: readPositiveInteger('API_KEYS_POOL_MAX', API_KEYS_POOL_MAX, env),
    },
    maxTokenLifetimeSeconds: resolveMaxTokenLifetime(env),
    dataChangesDatabaseUrl: readDataChangesDatabaseUrl(env),
  };
  checkApiKeyTokenLifetime(config);
  return config;
}
