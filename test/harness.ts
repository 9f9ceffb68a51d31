// Boots every registered subgraph and the gateway in this process, on ports chosen by the OS,
// against the run's migrated test database, and stops them all afterwards.
import type { Server } from 'node:http';
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import { connectClient, findFreePort, type BulkWriter, type SqlStatementCounter } from '@regiograph/db';
import { ApiKeyStore, createGateway, SUBGRAPHS, type Gateway, type GatewayConfig, type SharedStore } from '@regiograph/gateway';
import { silentLogger, type Logger, type RunningServer, type SubgraphName } from '@regiograph/shared';
import { deleteRedisKeys } from '@regiograph/shared/testing';

/** What every subgraph package exports from its main module. */
export interface SubgraphModule {
  createServer(options: { databaseUrl: string; peerUrl?: (name: SubgraphName) => string | undefined }): Promise<{
    counter: SqlStatementCounter;
    database: BulkWriter;
    listen(port: number, host?: string): Promise<RunningServer>;
    close(): Promise<void>;
  }>;
  seedIfEmpty(database: BulkWriter): Promise<unknown>;
}

export interface GraphQLResult<TData> {
  status: number;
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface ExtraGatewayOptions {
  env?: NodeJS.ProcessEnv;
  store?: SharedStore;
  supergraphPath?: string;
  /** Subgraph URLs that differ from the stack's (e.g. a subgraph that never answers). */
  subgraphUrls?: Record<string, string>;
  /** Where its log lines go; none by default. */
  logger?: Logger;
  /** Overrides of the configuration its environment gives (e.g. a compression that counts its calls). */
  config?: Partial<GatewayConfig>;
}

export interface ExtraGateway {
  url: string;
  gateway: Gateway;
  /** The listening HTTP server, e.g. to see requests arrive. */
  server: Server;
  query: Stack['query'];
}

export interface Stack {
  gatewayUrl: string;
  gateway: Gateway;
  /**
   * Another gateway on the same subgraphs, with its own environment (e.g. production mode, a low
   * rate limit, a shared Redis). Stopped with the stack.
   */
  startGateway(options?: ExtraGatewayOptions): Promise<ExtraGateway>;
  /** Takes a subgraph down hard: its connections are cut, its port closed. */
  stopSubgraph(name: string): Promise<void>;
  /** Starts a stopped subgraph again on the port it had. */
  restartSubgraph(name: string): Promise<void>;
  subgraphs: Record<string, { url: string; counter: SqlStatementCounter; server: Awaited<ReturnType<SubgraphModule['createServer']>> }>;
  query<TData = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResult<TData>>;
  /**
   * A partner API key issued in the test database, one per name for the stack's lifetime (every
   * gateway of the stack checks keys there): tests that need clients of their own use these.
   */
  apiKey(name: string, options?: { scopes?: string[]; costPointsPerWindow?: number; requestsPerWindow?: number }): Promise<string>;
  /** Runs an operation and returns SQL statements per subgraph it cost. */
  countStatements<TData = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ result: GraphQLResult<TData>; statements: Record<string, number> }>;
  /**
   * What the stack's gateways put before their keys in a Redis (REDIS_KEY_PREFIX). A gateway that needs
   * keys apart from the others' (counters from zero) takes a prefix that starts with it, deleted with it.
   */
  redisKeyPrefix: string;
  /** Stops every server it started, then deletes the keys of its prefix from each Redis its gateways used. */
  stop(): Promise<void>;
}

function queryAt(url: string): Stack['query'] {
  return async (text, variables, headers = {}) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: text, variables }),
    });
    const body = (await response.json()) as Omit<GraphQLResult<never>, 'status'>;
    return { status: response.status, ...body };
  };
}

export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through jest (its global setup provides it)');
  return url;
}

/** Seeding is idempotent, but test files run in parallel: one seeds at a time. */
export async function withSeedLock(databaseUrl: string, work: () => Promise<void>): Promise<void> {
  const client = await connectClient({ connectionString: databaseUrl });
  try {
    await client.query('SELECT pg_advisory_lock(4242)');
    await work();
  } finally {
    await client.query('SELECT pg_advisory_unlock(4242)').catch(() => undefined);
    await client.end();
  }
}

export interface StackOptions {
  /** A database of the test's own instead of the workspace's (e.g. for a test whose writes others must not see). */
  databaseUrl?: string;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const databaseUrl = options.databaseUrl ?? testDatabaseUrl();
  const redisKeyPrefix = `regiograph-test-${randomUUID()}:`;
  /** The Redis servers a gateway of the stack keeps keys in under its prefix. */
  const redisUrls = new Set<string>();
  const subgraphs: Stack['subgraphs'] = {};
  const modules: Record<string, SubgraphModule> = {};
  const running: Record<string, RunningServer> = {};
  const started: { close(): Promise<void> }[] = [];
  // A subgraph that checks links to another's entities (a project's cooperation) finds it here once
  // it listens, wherever it was restarted.
  const peerUrl = (name: SubgraphName) => subgraphs[name]?.url;
  try {
    for (const entry of SUBGRAPHS) {
      const module = (await import(entry.packageName)) as SubgraphModule;
      const server = await module.createServer({ databaseUrl, peerUrl });
      started.push(server);
      await withSeedLock(databaseUrl, async () => {
        await module.seedIfEmpty(server.database);
      });
      modules[entry.name] = module;
      const listening = await server.listen(0);
      running[entry.name] = listening;
      subgraphs[entry.name] = { url: listening.url, counter: server.counter, server };
    }
    const subgraphUrls = Object.fromEntries(Object.entries(subgraphs).map(([name, { url }]) => [name, url]));
    const startGateway: Stack['startGateway'] = async (options = {}) => {
      const extra = await createGateway({
        subgraphUrls: { ...subgraphUrls, ...options.subgraphUrls },
        // A Redis (REDIS_URL) outlives test runs: each stack keeps its keys apart from earlier ones.
        // Partner API keys live in the test database (its migrations made access.api_key).
        env: { REDIS_KEY_PREFIX: redisKeyPrefix, API_KEYS_DATABASE_URL: databaseUrl, ...options.env },
        store: options.store,
        config: options.config,
        supergraphPath: options.supergraphPath,
        logger: options.logger ?? silentLogger,
      });
      started.push(extra);
      // A test's own prefix (its counters from zero) goes under the stack's, and so with it.
      if (extra.config.redisUrl && extra.config.redisKeyPrefix.startsWith(redisKeyPrefix)) redisUrls.add(extra.config.redisUrl);
      const extraRunning = await extra.listen(0);
      return { url: extraRunning.url, gateway: extra, server: extraRunning.server, query: queryAt(extraRunning.url) };
    };
    // The stack's own gateway neither caches answers nor limits rates or sheds load: tests count SQL
    // statements per operation and send many requests. Nor does it open subgraph circuits: tests stop a
    // subgraph, fail requests against it and expect answers as soon as it is back. These features are
    // tested on gateways of their own. Nor does it read the data's years for its cost estimate: that
    // read, once per data version (each test's write moves it), is a subgraph statement more in the
    // operation that triggers it, which the statement counts of the tests would see
    // (test/demand-control-years.test.ts runs a gateway with it).
    const { url, gateway, query } = await startGateway({
      env: {
        NODE_ENV: 'development',
        RESPONSE_CACHE: 'false',
        RATE_LIMIT_REQUESTS: '1000000',
        RATE_LIMIT_COST_POINTS: '1000000000',
        GATEWAY_MAX_INFLIGHT_COST: '1000000000',
        SUBGRAPH_BREAKER_FAILURES: '0',
        WATCH_SUPERGRAPH: 'false',
        DEMAND_CONTROL_DATA_YEARS: 'false',
      },
    });
    const stopSubgraph: Stack['stopSubgraph'] = async (name) => {
      running[name]!.server.closeAllConnections();
      await subgraphs[name]!.server.close();
    };
    const restartSubgraph: Stack['restartSubgraph'] = async (name) => {
      const server = await modules[name]!.createServer({ databaseUrl, peerUrl });
      started.push(server);
      const listening = await server.listen(running[name]!.port);
      running[name] = listening;
      subgraphs[name] = { url: listening.url, counter: server.counter, server };
    };
    const keys = new Map<string, Promise<string>>();
    const apiKey: Stack['apiKey'] = (name, options = {}) => {
      let key = keys.get(name);
      if (!key) {
        key = (async () => {
          const store = new ApiKeyStore(databaseUrl);
          try {
            const issued = await store.issue({
              name,
              scopes: options.scopes ?? ['read'],
              costPointsPerWindow: options.costPointsPerWindow,
              requestsPerWindow: options.requestsPerWindow,
            });
            return issued.key;
          } finally {
            await store.close();
          }
        })();
        keys.set(name, key);
      }
      return key;
    };
    return {
      gatewayUrl: url,
      gateway,
      apiKey,
      startGateway,
      stopSubgraph,
      restartSubgraph,
      subgraphs,
      query,
      async countStatements(text, variables) {
        for (const subgraph of Object.values(subgraphs)) subgraph.counter.reset();
        const result = await query(text, variables);
        const statements = Object.fromEntries(Object.entries(subgraphs).map(([name, subgraph]) => [name, subgraph.counter.count]));
        return { result: result as GraphQLResult<never>, statements };
      },
      redisKeyPrefix,
      async stop() {
        for (const server of started.reverse()) await server.close();
        for (const url of redisUrls) await deleteRedisKeys(url, redisKeyPrefix);
      },
    };
  } catch (error) {
    for (const server of started.reverse()) await server.close().catch(() => undefined);
    throw error;
  }
}

/** A gateway's Prometheus exposition, as a scraper reads it. */
export async function metricsOf(gateway: { url: string }): Promise<string> {
  return (await fetch(gateway.url.replace(/\/graphql$/, '/metrics'))).text();
}

/** A series' value in an exposition (`labels`: a part of its label set, e.g. `subgraph="regions"`); 0 when absent. */
export function metricValue(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{`) && candidate.includes(labels));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

/** Whether something on 127.0.0.1 takes connections on `port`. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The installed redis-server, or null. */
export function redisServerBinary(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/**
 * `describe` for tests that need a redis-server of their own (startOwnRedis): skipped on a machine
 * without one, but never in CI, which has Redis: there a missing one is a broken setup.
 */
export function describeWithOwnRedis(name: string, tests: () => void): void {
  const installed = redisServerBinary() !== null;
  if (!installed && process.env.CI) throw new Error(`No redis-server installed: "${name}" needs one of its own (CI never skips it).`);
  (installed ? describe : describe.skip)(name, tests);
}

/**
 * A redis-server of the test's own on a free port (or on `port`, to start one again where it was),
 * when one is installed (CI has it); null otherwise. It keeps nothing on disk.
 */
export async function startOwnRedis(port?: number): Promise<{ url: string; port: number; stop(): Promise<void> } | null> {
  const binary = redisServerBinary();
  if (!binary) return null;
  port ??= await findFreePort();
  const server = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  // Waited for until it takes connections: a gateway made before then failed its first Redis command
  // at start (MaxRetriesPerRequestError), which happened on a loaded machine.
  for (let attempt = 0; !(await accepts(port)); attempt += 1) {
    if (server.exitCode !== null || attempt >= 500) throw new Error(`redis-server on port ${port} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      // Waited for: a redis-server still shutting down kept the Jest worker from exiting (it was killed).
      if (server.exitCode !== null || server.signalCode !== null) return;
      const exited = once(server, 'exit');
      server.kill('SIGTERM');
      await exited;
    },
  };
}
