// `npm run bench`: the platform under load, side by side with its peer and its physical floor.
// Starts the embedded database, every registered subgraph, our gateway, Hive Gateway and the SQL
// floor as separate production processes; checks every operation's answer; counts its SQL
// statements in-process; then measures the mix, the gateway's overhead, the floor, growth and a
// memory soak; prints the tables, writes JSON and Markdown to bench-results/, and stops everything.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations, findFreePort, provideDatabase, provideScratchDatabase, type ProvidedDatabase } from '@regiograph/db';
import {
  packageEntry,
  postgresProcessIds,
  readCpuMilliseconds,
  readProcessMemory,
  chooseSubgraphPorts,
  startService,
  stopService,
  subgraphProcess,
  waitUntilReady,
  type Service,
} from '@regiograph/dev-tools';
import { costCheckOf, SUPERGRAPH_PATH } from '@regiograph/gateway';
import { SUBGRAPHS, subgraphUrlVariable, type SubgraphEntry } from '@regiograph/shared';
import { parse } from 'graphql';
import { parseBenchConfig, USAGE, UsageError, type BenchConfig } from './config';
import { mergeRuns, postJson, runLoad, runLoadRaw, runSequential, runSequentialRaw, type LoadResult, type MeasuredRun } from './load';
import { MIN_ROUND_ANSWERS, roundOrder, type RoundRecord } from './rounds-stats';
import {
  DIRECT_OPERATIONS,
  growthCases,
  operationText,
  OPERATIONS,
  checkObservationTable,
  REGION_PAGE_INDICATORS,
  spread,
  analystTableVariables,
  type Catalogue,
  type OperationSpec,
  type Variables,
} from './operations';
import { compareSummaries, summariseSnapshotFile, totalSelfSize } from './heap-snapshot';
import {
  fullReport,
  HOP_PROCESS,
  statementTotal,
  type BenchResults,
  type GrowthRecord,
  type MemoryRecord,
  type OperationRecord,
  type OverheadRecord,
  type PostGcSample,
} from './report';
import { startStatementCounter, type StatementCounter } from './statements';
import { growthPercent } from './stats';

const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');
const RESULTS_DIR = path.join(REPOSITORY_ROOT, 'bench-results');
/** Heap snapshots of the soak (git-ignored with bench-results/; each run replaces the last). */
const SNAPSHOT_DIR = path.join(RESULTS_DIR, 'heap-snapshots');

/** Every service runs as in production; the secret only has to exist, nothing here writes. */
const SERVICE_ENV: NodeJS.ProcessEnv = {
  NODE_ENV: 'production',
  AUTH_SECRET: randomBytes(32).toString('hex'),
  LOG_LEVEL: 'warn',
  SEED_ON_START: 'true',
};

/**
 * The gateway's production defaults stay on (limits, masking, persisted queries) except those that
 * would measure something else: the response cache would answer repeated operations from memory
 * (Hive Gateway runs without one), and the per-client rate limits (requests and cost points) and
 * load shedding would turn the load into 429s and 503s.
 */
const GATEWAY_BENCH_ENV: NodeJS.ProcessEnv = {
  RESPONSE_CACHE: 'false',
  RATE_LIMIT_REQUESTS: '1000000000',
  RATE_LIMIT_COST_POINTS: '1000000000000',
  GATEWAY_MAX_INFLIGHT_COST: '1000000000000',
  REDIS_URL: '',
  APOLLO_TELEMETRY_DISABLED: 'true',
};

const STARTED = Date.now();

/** A progress line with the minutes and seconds since the start: how long each part of a run takes. */
function say(line: string): void {
  const seconds = Math.round((Date.now() - STARTED) / 1000);
  process.stdout.write(`[bench ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}] ${line}\n`);
}

function machine(): BenchResults['machine'] {
  const cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return { cpus: os.cpus().length, cpuModel, memoryGiB: os.totalmem() / 1024 ** 3, node: process.version, loadAverageStart: os.loadavg() };
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPOSITORY_ROOT }).toString().trim();
  } catch {
    return null;
  }
}

interface Stack {
  database: ProvidedDatabase | null;
  subgraphs: Map<string, Service>;
  gateway: Service | null;
  hive: Service | null;
  /** Hive Gateway with the Rust query planner (@graphql-hive/router-runtime). */
  router: Service | null;
  floor: Service | null;
  /** A bare node:http proxy to the subgraphs: the floor of a gateway's hop (overhead section). */
  hop: Service | null;
  counter: StatementCounter | null;
  /** Heap probe base URL per soaked process (subgraphs and our gateway), when the soak runs. */
  probes: Map<string, string>;
}

async function stopStack(stack: Stack): Promise<void> {
  await stack.counter?.stop().catch(() => undefined);
  stack.counter = null;
  const services = [stack.gateway, stack.hive, stack.router, stack.floor, stack.hop, ...stack.subgraphs.values()].filter(
    (service): service is Service => service !== null,
  );
  await Promise.all(services.map((service) => stopService(service)));
  await stack.database?.stop().catch(() => undefined);
  stack.database = null;
}

async function gatewayData(url: string, query: string, variables: Variables = {}): Promise<Record<string, unknown>> {
  const answer = await postJson(url, { query, variables });
  if (answer.status !== 200 || answer.body?.errors?.length || !answer.body?.data) {
    throw new Error(`the gateway answered ${answer.status}: ${JSON.stringify(answer.body?.errors ?? answer.body).slice(0, 500)}`);
  }
  return answer.body.data;
}

/**
 * The catalogue, asked once more after a failure (a service still warming up), the failure noted in
 * the results rather than hidden. A failure that repeats stops the run: that is how the heap probe's
 * EADDRINUSE in the gateway's offload worker showed (every offloaded query answered 500).
 */
async function discoverCatalogueWithRetry(gatewayUrl: string, registered: Set<string>, notes: string[]): Promise<Catalogue> {
  try {
    return await discoverCatalogue(gatewayUrl, registered);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    notes.push(`the first catalogue request failed and was retried once: ${message.slice(0, 300)}`);
    say(`catalogue request failed, retrying once: ${message.slice(0, 300)}`);
    return discoverCatalogue(gatewayUrl, registered);
  }
}

async function discoverCatalogue(gatewayUrl: string, registered: Set<string>): Promise<Catalogue> {
  const regions = (await gatewayData(
    gatewayUrl,
    `{ counties: regions(filter: { level: COUNTY }, first: 100) { nodes { code } }
       municipalities: regions(filter: { level: MUNICIPALITY }, first: 1000) { nodes { code } } }`,
  )) as { counties: { nodes: { code: string }[] }; municipalities: { nodes: { code: string }[] } };
  const catalogue: Catalogue = {
    countyCodes: regions.counties.nodes.map((node) => node.code),
    municipalityCodes: regions.municipalities.nodes.map((node) => node.code),
    countyIndicators: [],
    municipalityIndicators: [],
  };
  if (registered.has('indicators')) {
    const indicators = (await gatewayData(
      gatewayUrl,
      `{ county: indicators(level: COUNTY) { code years } municipality: indicators(level: MUNICIPALITY) { code years } }`,
    )) as { county: { code: string; years: number[] }[]; municipality: { code: string; years: number[] }[] };
    catalogue.countyIndicators = indicators.county;
    catalogue.countyIndicatorsInEveryCounty = await indicatorsInEveryCounty(
      gatewayUrl,
      indicators.county.map((indicator) => indicator.code).slice(0, 2 * REGION_PAGE_INDICATORS),
    );
    catalogue.municipalityIndicators = indicators.municipality;
  }
  return catalogue;
}

/** Of the given county indicators, those with a latest value in every county (one request, in the given order). */
async function indicatorsInEveryCounty(gatewayUrl: string, codes: string[]): Promise<string[]> {
  const data = (await gatewayData(
    gatewayUrl,
    `query ($codes: [ID!]!) { regions(filter: { level: COUNTY }, first: 100) { nodes { code values(indicators: $codes, latest: true) { indicatorCode } } } }`,
    { codes },
  )) as { regions: { nodes: { code: string; values: { indicatorCode: string }[] | null }[] } };
  const counties = data.regions.nodes;
  const missing = (code: string) =>
    counties.filter((county) => !(county.values ?? []).some((value) => value.indicatorCode === code)).map((county) => county.code);
  for (const code of codes) {
    const lacking = missing(code);
    if (lacking.length)
      say(
        `region page: ${code} left out, no latest value in ${lacking.length} of ${counties.length} counties (${lacking.slice(0, 5).join(', ')})`,
      );
  }
  return codes.filter((code) => missing(code).length === 0);
}

interface Sample {
  problem: string | null;
  data: Record<string, unknown> | null;
  bytes: number;
}

/** One request, checked: HTTP 200, no GraphQL errors, and data that passes the operation's check. */
async function sample(url: string, spec: Pick<OperationSpec, 'file' | 'check'>, variables: Variables): Promise<Sample> {
  try {
    const answer = await postJson(url, { query: operationText(spec.file), variables });
    if (answer.status !== 200)
      return {
        problem: `HTTP ${answer.status}: ${JSON.stringify(answer.body?.errors ?? answer.body).slice(0, 300)}`,
        data: null,
        bytes: answer.bytes,
      };
    if (answer.body?.errors?.length) {
      const first = answer.body.errors[0]!;
      return {
        problem: `GraphQL error ${String(first.extensions?.code ?? '')}: ${first.message}`.slice(0, 300),
        data: null,
        bytes: answer.bytes,
      };
    }
    const data = answer.body?.data ?? null;
    if (!data) return { problem: 'no data', data: null, bytes: answer.bytes };
    return { problem: spec.check(data, variables), data, bytes: answer.bytes };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error), data: null, bytes: 0 };
  }
}

interface PoolSample {
  /** The first problem of any variant, with the variant's variables. */
  problem: string | null;
  data: (Record<string, unknown> | null)[];
  meanBytes: number;
}

/** Every variant of the pool, checked; a benchmark of error answers would be worthless. */
async function samplePool(url: string, spec: Pick<OperationSpec, 'file' | 'check'>, pool: readonly Variables[]): Promise<PoolSample> {
  const data: (Record<string, unknown> | null)[] = [];
  let bytes = 0;
  for (const variables of pool) {
    const checked = await sample(url, spec, variables);
    if (checked.problem)
      return { problem: `${checked.problem} (variables ${JSON.stringify(variables).slice(0, 120)})`, data, meanBytes: 0 };
    data.push(checked.data);
    bytes += checked.bytes;
  }
  return { problem: null, data, meanBytes: bytes / pool.length };
}

function requestBody(spec: Pick<OperationSpec, 'file'>, variables: Variables): string {
  return JSON.stringify({ query: operationText(spec.file), variables });
}

/** Variants each peer's answers are checked on (and compared with ours), spread over the pool. */
const PEER_SAMPLES = 6;

/** The processes whose CPU time the measured runs record. */
let measuredProcesses: Service[] = [];

/** The port of the embedded database, whose processes' CPU time counts as `postgres`. */
let databasePort: number | null = null;

function cpuSnapshot(): Map<string, number> {
  const snapshot = new Map<string, number>();
  for (const service of measuredProcesses) {
    const milliseconds = readCpuMilliseconds(service.process.pid);
    if (milliseconds !== null) snapshot.set(service.name, milliseconds);
  }
  if (databasePort !== null) {
    // Backends come and go with connections; pools keep theirs open during a run, so the sum over
    // the processes present at both ends is the database's work for the run.
    const pids = postgresProcessIds(databasePort);
    for (const pid of pids) {
      const milliseconds = readCpuMilliseconds(pid);
      if (milliseconds !== null) snapshot.set(`postgres:${pid}`, milliseconds);
    }
  }
  return snapshot;
}

/** One measured run (at `concurrency` connections, or one request at a time), with every process's CPU time per answer. */
async function measureRun(
  url: string,
  bodies: readonly string[],
  seconds: number,
  concurrency: number | 'sequential',
): Promise<MeasuredRun> {
  const before = cpuSnapshot();
  const run =
    concurrency === 'sequential'
      ? await runSequentialRaw(url, bodies, seconds)
      : await runLoadRaw({ url, bodies, durationSeconds: seconds, concurrency });
  const after = cpuSnapshot();
  const answers = run.load.requestsPerSecond * run.load.durationSeconds;
  if (answers > 0) {
    const perRequest: Record<string, number> = {};
    for (const [name, milliseconds] of after) {
      if (!before.has(name)) continue;
      const key = name.startsWith('postgres:') ? 'postgres' : name;
      perRequest[key] = (perRequest[key] ?? 0) + (milliseconds - before.get(name)!) / answers;
    }
    run.load.cpuMillisecondsPerRequest = perRequest;
  }
  return run;
}

/** A contender of a comparison: a name the ratios use (ours, hive, router, direct, floor, hop), where it listens, what it is sent. */
interface Contender {
  side: string;
  url: string;
  bodies: readonly string[];
}

interface RoundsResult {
  merged: Record<string, LoadResult>;
  rounds: RoundRecord[];
}

/**
 * The method of issue 17: a warm-up per contender, then `config.rounds` short rounds in which the
 * contenders take turns (order rotated and reversed per round, see roundOrder), each for
 * `config.durationSeconds`. On a shared machine the load from other work changes over minutes; two
 * contenders measured seconds apart see nearly the same machine, so their ratio within a round is
 * far steadier than one long block each. The ratios and verdicts are built from the rounds.
 */
async function runRounds(
  config: BenchConfig,
  label: string,
  contenders: readonly Contender[],
  mode: number | 'sequential',
  offset = 0,
): Promise<RoundsResult> {
  let slowestWarmupP50 = 0;
  for (const contender of contenders) {
    if (config.warmupSeconds <= 0) break;
    const warm =
      mode === 'sequential'
        ? await runSequential(contender.url, contender.bodies, Math.min(config.warmupSeconds, 1), 1)
        : await runLoad({ url: contender.url, bodies: contender.bodies, durationSeconds: config.warmupSeconds, concurrency: mode });
    if (Number.isFinite(warm.latency.p50)) slowestWarmupP50 = Math.max(slowestWarmupP50, warm.latency.p50);
    // No answer in the whole warm-up: slower than the warm-up itself, so rounds as long as allowed.
    if (warm.latency.count < MIN_ROUND_ANSWERS) slowestWarmupP50 = Math.max(slowestWarmupP50, Number.POSITIVE_INFINITY);
  }
  // A round must be long against an answer's time: each connection's first answer comes only after
  // one latency, and the answers in flight at the end are dropped, which costs a slow operation a
  // large share of a short round. Slow operations get rounds of 2.5 p50 (at most 6 s; 3 s in a
  // quick run, which is a smoke run and must stay short).
  const longest = config.quick ? 3 : 6;
  const seconds =
    mode === 'sequential' ? config.durationSeconds : Math.max(config.durationSeconds, Math.min(longest, (2.5 * slowestWarmupP50) / 1000));
  if (seconds > config.durationSeconds)
    say(`${label}: rounds of ${seconds.toFixed(1)} s per contender (warm-up p50 up to ${slowestWarmupP50.toFixed(0)} ms)`);
  const runs = new Map<string, MeasuredRun[]>(contenders.map((contender) => [contender.side, []]));
  const rounds: RoundRecord[] = [];
  for (let round = 0; round < config.rounds; round += 1) {
    const order = roundOrder(contenders, round + offset);
    const record: RoundRecord = { order: order.map((contender) => contender.side), runs: {} };
    for (const contender of order) {
      const run = await measureRun(contender.url, contender.bodies, seconds, mode);
      // The answers dropped at the end of the run are still being built: let them finish before the
      // next contender's run, so it does not pay for them (at most 1 s; order rotation covers the rest).
      if (mode !== 'sequential' && Number.isFinite(run.load.latency.p50))
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000, run.load.latency.p50)));
      runs.get(contender.side)!.push(run);
      const answers = Math.round(run.load.requestsPerSecond * run.load.durationSeconds);
      record.runs[contender.side] = {
        answers,
        requestsPerSecond: run.load.requestsPerSecond,
        p50: run.load.latency.p50,
        errors: run.load.errors,
      };
    }
    rounds.push(record);
    say(
      `${label} round ${round + 1}/${config.rounds}: ${record.order
        .map((side) => {
          const run = record.runs[side]!;
          return `${side} ${run.requestsPerSecond.toFixed(1)} req/s p50 ${run.p50.toFixed(1)} ms${run.answers < MIN_ROUND_ANSWERS ? ' (too few answers)' : ''}${run.errors ? ` ${run.errors} errors` : ''}`;
        })
        .join(', ')}`,
    );
    for (const side of record.order) {
      const sample = runs.get(side)!.at(-1)!.load.errorSamples?.[0];
      if (sample) say(`${label} round ${round + 1}: first error answer of ${side}: ${sample}`);
    }
  }
  const merged: Record<string, LoadResult> = {};
  for (const [side, list] of runs) {
    const load = mergeRuns(list);
    if (load) merged[side] = load;
  }
  return { merged, rounds };
}

function describeLoad(label: string, load: LoadResult): string {
  return `${label}: ${load.requestsPerSecond.toFixed(1)} req/s, p50 ${load.latency.p50.toFixed(1)} ms, p99 ${load.latency.p99.toFixed(1)} ms, errors ${load.errors}`;
}

/** Region names, parents and every value of a table answer, to compare the floor with the gateway. */
function tableFingerprint(data: Record<string, unknown> | null): string | null {
  const table = data?.observationTable as
    | {
        regions?: { code: string; name: string; parent?: { code: string; name: string } | null }[];
        rows?: { regionCode: string; year: number; values: (number | null)[] }[];
      }
    | undefined;
  if (!table?.regions || !table.rows) return null;
  return JSON.stringify({
    regions: table.regions.map((region) => [region.code, region.name, region.parent?.code ?? null, region.parent?.name ?? null]),
    rows: table.rows.map((row) => [row.regionCode, row.year, row.values]),
  });
}

async function startStack(config: BenchConfig, subgraphs: readonly SubgraphEntry[], stack: Stack, results: BenchResults): Promise<void> {
  const logDir = path.join(RESULTS_DIR, 'logs');
  const profileDir = path.join(RESULTS_DIR, 'profiles');
  // One folder per service, with Node's own file names: they hold the thread id (`CPU.<date>.<time>.<pid>.
  // <thread>.<n>.cpuprofile`, 0 the main thread), so the gateway's offload worker gets a profile of its
  // own instead of overwriting the main thread's under a fixed --cpu-prof-name.
  const nodeFlags = (name: string) => (config.cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, name)}`] : []);
  if (config.cpuProfile) mkdirSync(profileDir, { recursive: true });
  // The soak's processes get the heap probe (forced GC, heap snapshots) on a loopback port of their own.
  const soaking = config.sections.includes('soak') && config.soakSeconds > 0;
  if (soaking) mkdirSync(SNAPSHOT_DIR, { recursive: true });
  const probed = async (name: string): Promise<{ flags: string[]; env: NodeJS.ProcessEnv }> => {
    if (!soaking) return { flags: nodeFlags(name), env: {} };
    const port = await findFreePort();
    stack.probes.set(name, `http://127.0.0.1:${port}`);
    return {
      flags: [...nodeFlags(name), '--expose-gc', '--require', path.join(__dirname, 'processes', 'heap-probe.js')],
      env: { HEAP_PROBE_PORT: String(port), HEAP_PROBE_DIR: SNAPSHOT_DIR, HEAP_PROBE_NAME: name },
    };
  };

  stack.database = config.persistentDatabase ? await provideDatabase({ onLog: () => undefined }) : await provideScratchDatabase();
  say(
    `database: ${stack.database.kind === 'embedded' ? (config.persistentDatabase ? 'embedded PostgreSQL in .data/' : 'throw-away embedded PostgreSQL') : 'throw-away database on DATABASE_URL'}`,
  );
  const applied = await applyMigrations(stack.database.url);
  if (applied.length) say(`applied ${applied.length} migration(s)`);

  const ports = await chooseSubgraphPorts(subgraphs, () => findFreePort());
  for (const entry of subgraphs) {
    const probe = await probed(entry.name);
    const subgraph = subgraphProcess(entry);
    const service = startService({
      ...subgraph,
      env: { ...SERVICE_ENV, DATABASE_URL: stack.database.url, ...ports.urls, ...probe.env },
      port: ports.portOf(entry.name),
      logDir,
      nodeFlags: [...subgraph.nodeFlags, ...probe.flags],
    });
    stack.subgraphs.set(entry.name, service);
  }
  say(`starting ${subgraphs.map((entry) => entry.name).join(', ')} (each seeds its tables on first start)…`);
  await Promise.all([...stack.subgraphs.values()].map((service) => waitUntilReady(service)));

  const subgraphUrls = Object.fromEntries([...stack.subgraphs].map(([name, service]) => [name, service.url]));
  const gatewayEnv = {
    ...SERVICE_ENV,
    ...GATEWAY_BENCH_ENV,
    ...Object.fromEntries(Object.entries(subgraphUrls).map(([name, url]) => [subgraphUrlVariable(name), url])),
  };
  const gatewayProbe = await probed('gateway');
  stack.gateway = startService({
    name: 'gateway',
    entry: packageEntry('@regiograph/gateway'),
    env: { ...gatewayEnv, ...gatewayProbe.env },
    port: await findFreePort(),
    logDir,
    nodeFlags: gatewayProbe.flags,
  });
  // Liveness, not readiness: readiness also probes subgraphs a --subgraphs run leaves out; the
  // sample answers checked next prove the gateway serves.
  const waiting: Promise<void>[] = [waitUntilReady(stack.gateway, '/health')];
  if (config.hive) {
    stack.hive = startService({
      name: 'hive-gateway',
      entry: path.join(__dirname, 'processes', 'hive-gateway.js'),
      env: { NODE_ENV: 'production', SUPERGRAPH_PATH, SUBGRAPH_URLS: JSON.stringify(subgraphUrls) },
      port: await findFreePort(),
      logDir,
      nodeFlags: nodeFlags('hive-gateway'),
    });
    waiting.push(
      waitUntilReady(stack.hive, '/readiness').catch(async (error: unknown) => {
        results.notes.push(
          `Hive Gateway did not start, compared without it: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        );
        if (stack.hive) await stopService(stack.hive);
        stack.hive = null;
      }),
    );
  }
  if (config.hive && config.router) {
    // The same process entry with HIVE_ROUTER_RUNTIME: Hive Gateway with the Rust query planner.
    stack.router = startService({
      name: 'hive-router',
      entry: path.join(__dirname, 'processes', 'hive-gateway.js'),
      env: { NODE_ENV: 'production', SUPERGRAPH_PATH, SUBGRAPH_URLS: JSON.stringify(subgraphUrls), HIVE_ROUTER_RUNTIME: 'true' },
      port: await findFreePort(),
      logDir,
      nodeFlags: nodeFlags('hive-router'),
    });
    waiting.push(
      waitUntilReady(stack.router, '/readiness').catch(async (error: unknown) => {
        results.notes.push(
          `Hive Gateway with the Rust query planner did not start, compared without it: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        );
        if (stack.router) await stopService(stack.router);
        stack.router = null;
      }),
    );
  }
  if (stack.subgraphs.has('indicators') && (config.sections.includes('floor') || config.sections.includes('growth'))) {
    stack.floor = startService({
      name: 'sql-floor',
      entry: path.join(__dirname, 'processes', 'sql-floor.js'),
      env: { DATABASE_URL: stack.database.url },
      port: await findFreePort(),
      logDir,
      path: '/table',
      nodeFlags: nodeFlags('sql-floor'),
    });
    waiting.push(waitUntilReady(stack.floor));
  }
  if (config.sections.includes('overhead')) {
    stack.hop = startService({
      name: HOP_PROCESS,
      entry: path.join(__dirname, 'processes', 'hop-floor.js'),
      env: { SUBGRAPH_URLS: JSON.stringify(subgraphUrls) },
      port: await findFreePort(),
      logDir,
      path: '',
      nodeFlags: nodeFlags('hop-floor'),
    });
    waiting.push(waitUntilReady(stack.hop));
  }
  await Promise.all(waiting);
  say(
    `our gateway ${stack.gateway.url}${stack.hive ? `, Hive Gateway ${stack.hive.url}` : ''}${stack.router ? `, Hive Gateway + Rust query planner ${stack.router.url}` : ''}${stack.floor ? `, SQL floor ${stack.floor.url}` : ''}${stack.hop ? `, hop floor ${stack.hop.url}` : ''}`,
  );
}

/** Whether --operations leaves this operation in (all of them without the flag). */
function chosen(config: BenchConfig, name: string): boolean {
  return !config.operations || config.operations.includes(name);
}

function missingSubgraphs(required: readonly string[], registered: Set<string>): string[] {
  return required.filter((name) => !registered.has(name));
}

function variablesPool(spec: OperationSpec, catalogue: Catalogue): Variables[] {
  const pool = spec.variables(catalogue);
  if (pool.length === 0) throw new Error(`${spec.name} has no variables`);
  return pool;
}

/**
 * Calls of the cost check before and while it is timed. The gateway's CPU per request it is compared
 * with is measured after seconds of warm-up, on code V8 has long optimised; after 100 calls of
 * warm-up V8 had not yet optimised the walk, which was timed 4–6× dearer than it runs in a warm
 * gateway (funding: 55–85 µs against 15 µs, measured alone in one process).
 */
const COST_CHECK_WARMUP_CALLS = 5000;
const COST_CHECK_TIMED_CALLS = 5000;

/**
 * Demand control's work per request on this operation (estimate and actual cost), timed in this
 * process over the variable sets and their answers: compared in the report with the gateway's CPU
 * time per request of the same operation.
 */
function timeCostCheck(file: string, pool: readonly Variables[], answers: readonly unknown[]): number {
  const check = costCheckOf(readFileSync(SUPERGRAPH_PATH, 'utf8'));
  const document = parse(operationText(file));
  const rounds = COST_CHECK_TIMED_CALLS;
  for (let i = 0; i < COST_CHECK_WARMUP_CALLS; i++) check(document, pool[i % pool.length]!, answers[i % answers.length]);
  // CPU time, like the gateway's figure it is compared with (wall time would count the shared machine's other work).
  const started = process.cpuUsage();
  for (let i = 0; i < rounds; i++) check(document, pool[i % pool.length]!, answers[i % answers.length]);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000 / rounds;
}

async function runMix(
  config: BenchConfig,
  stack: Stack,
  catalogue: Catalogue,
  results: BenchResults,
  registered: Set<string>,
): Promise<void> {
  for (const [index, spec] of OPERATIONS.filter((operation) => chosen(config, operation.name)).entries()) {
    const record: OperationRecord = { name: spec.name, title: spec.title, subgraphs: spec.subgraphs, status: 'ran', problems: [] };
    results.operations.push(record);
    const missing = missingSubgraphs(spec.subgraphs, registered);
    if (missing.length) {
      record.status = 'skipped';
      record.reason = `needs ${missing.join(', ')} (not registered in shared/src/services.ts)`;
      say(`SKIPPED ${spec.name}: ${record.reason}`);
      continue;
    }
    let pool: Variables[];
    try {
      pool = variablesPool(spec, catalogue);
    } catch (error) {
      record.status = 'failed';
      record.reason = error instanceof Error ? error.message : String(error);
      continue;
    }
    record.variants = pool.length;
    const ours = await samplePool(stack.gateway!.url, spec, pool);
    // Timed on whatever came back, so that the figure exists even when the answers' check fails.
    record.costCheckMilliseconds = timeCostCheck(spec.file, pool, ours.data);
    if (ours.problem) {
      record.status = 'failed';
      record.reason = `our gateway: ${ours.problem}`;
      say(`FAILED ${spec.name}: ${record.reason}`);
      continue;
    }
    record.answerBytes = ours.meanBytes;
    // The peers answer a spread of the variants, compared with ours on the same ones: every variant
    // on every peer took minutes of the run on the loaded machine, and a wrong answer under load
    // still counts as an error of its run.
    const peerIndexes = spread([...pool.keys()], PEER_SAMPLES);
    const peerPool = peerIndexes.map((position) => pool[position]!);
    const oursOnPeerPool = JSON.stringify(peerIndexes.map((position) => ours.data[position]));
    const hive = stack.hive ? await samplePool(stack.hive.url, spec, peerPool) : null;
    if (hive?.problem) record.problems.push(`Hive: ${hive.problem}`);
    record.answersEqual = hive && !hive.problem ? JSON.stringify(hive.data) === oursOnPeerPool : null;
    const router = stack.router ? await samplePool(stack.router.url, spec, peerPool) : null;
    if (router?.problem) record.problems.push(`Hive+Rust QP: ${router.problem}`);
    record.routerAnswersEqual = router && !router.problem ? JSON.stringify(router.data) === oursOnPeerPool : null;
    if (stack.counter) {
      const counted = await stack.counter.count(operationText(spec.file), pool[0]!);
      record.statements = counted.statements;
      record.statementTexts = counted.texts;
      if (counted.errors.length) record.problems.push(`in-process count: ${counted.errors[0]}`);
    }
    const bodies = pool.map((variables) => requestBody(spec, variables));
    // A peer that answered wrongly is not measured: a benchmark of wrong answers is worthless.
    const contenders: Contender[] = [
      { side: 'ours', url: stack.gateway!.url, bodies },
      ...(stack.hive && !hive?.problem ? [{ side: 'hive', url: stack.hive.url, bodies }] : []),
      ...(stack.router && !router?.problem ? [{ side: 'router', url: stack.router.url, bodies }] : []),
    ];
    const measured = await runRounds(config, spec.name, contenders, config.concurrency, index);
    record.rounds = measured.rounds;
    for (const side of ['ours', 'hive', 'router'] as const) {
      const load = measured.merged[side];
      if (!load) continue;
      record[side] = load;
      say(describeLoad(`${spec.name} via ${side}, ${config.rounds} rounds`, load));
      const service = side === 'ours' ? stack.gateway : side === 'hive' ? stack.hive : stack.router;
      const after = await sample(service!.url, spec, pool[0]!);
      if (after.problem) record.problems.push(`${side} after load: ${after.problem}`);
    }
  }
}

async function runOverhead(
  config: BenchConfig,
  stack: Stack,
  catalogue: Catalogue,
  results: BenchResults,
  registered: Set<string>,
): Promise<void> {
  for (const [index, spec] of DIRECT_OPERATIONS.filter((operation) => chosen(config, operation.name)).entries()) {
    const record: OverheadRecord = { name: spec.name, title: spec.title, subgraph: spec.subgraph, status: 'ran', problems: [] };
    results.overhead.push(record);
    if (!registered.has(spec.subgraph)) {
      record.status = 'skipped';
      record.reason = `needs ${spec.subgraph} (not registered)`;
      say(`SKIPPED overhead ${spec.name}: ${record.reason}`);
      continue;
    }
    let pool: Variables[];
    try {
      pool = variablesPool(spec, catalogue);
    } catch (error) {
      record.status = 'failed';
      record.reason = error instanceof Error ? error.message : String(error);
      continue;
    }
    const bodies = pool.map((variables) => requestBody(spec, variables));
    // The Rust-planner peer is compared in the mix; here it would add a quarter to the section's
    // time for a ratio without a target (a single-subgraph operation hardly needs a query planner).
    // The hop floor (a bare proxy) shows what of our gateway's overhead any Node gateway would pay.
    const targets: [string, string | null][] = [
      ['direct', stack.subgraphs.get(spec.subgraph)!.url],
      ['hop', stack.hop ? `${stack.hop.url}/${spec.subgraph}/graphql` : null],
      ['ours', stack.gateway?.url ?? null],
      ['hive', stack.hive?.url ?? null],
    ];
    const contenders: Contender[] = [];
    for (const [side, url] of targets) {
      if (!url) continue;
      const checked = await samplePool(url, spec, side === 'hive' ? spread(pool, PEER_SAMPLES) : pool);
      if (checked.problem) {
        record.problems.push(`${side}: ${checked.problem}`);
        if (side === 'direct' || side === 'ours') record.status = 'failed';
        continue;
      }
      contenders.push({ side, url, bodies });
    }
    if (record.status === 'ran') {
      const loaded = await runRounds(config, `overhead ${spec.name}`, contenders, config.concurrency, index);
      record.rounds = loaded.rounds;
      for (const side of ['direct', 'hop', 'ours', 'hive', 'router'] as const) if (loaded.merged[side]) record[side] = loaded.merged[side];
      // One at a time only for the subgraph, the hop floor and our gateway: the target is ours, and
      // the peers' latency one at a time adds minutes to the run without a verdict.
      const sequential = await runRounds(
        config,
        `overhead ${spec.name} one at a time`,
        contenders.filter((contender) => contender.side === 'direct' || contender.side === 'hop' || contender.side === 'ours'),
        'sequential',
        index,
      );
      record.sequentialRounds = sequential.rounds;
      record.sequential = { direct: sequential.merged.direct, hop: sequential.merged.hop, ours: sequential.merged.ours };
    }
    if (record.status === 'failed') record.reason = record.problems.join('; ');
  }
}

async function runFloor(
  config: BenchConfig,
  stack: Stack,
  catalogue: Catalogue,
  results: BenchResults,
  registered: Set<string>,
): Promise<void> {
  const missing = missingSubgraphs(['regions', 'indicators'], registered);
  if (missing.length || !stack.floor) {
    results.floor = { status: 'skipped', reason: `needs ${missing.join(', ') || 'the floor process'} (not registered)`, problems: [] };
    return;
  }
  const analyst = OPERATIONS.find((operation) => operation.name === 'analyst-table')!;
  const pool = analystTableVariables(catalogue);
  const floorRequests = pool.map((variables) => ({
    indicators: variables.indicators,
    level: 'COUNTY',
    fromYear: variables.fromYear,
    toYear: variables.toYear,
  }));
  const problems: string[] = [];
  let sameData = true;
  for (const [index, variables] of pool.entries()) {
    const floorAnswer = await postJson(stack.floor.url, floorRequests[index]);
    const ours = await sample(stack.gateway!.url, analyst, variables);
    const floorProblem =
      floorAnswer.status !== 200
        ? `floor HTTP ${floorAnswer.status}`
        : checkObservationTable(floorAnswer.body?.data ?? {}, variables, 45, true);
    if (ours.problem) problems.push(`gateway: ${ours.problem}`);
    if (floorProblem) problems.push(`floor: ${floorProblem}`);
    if (!ours.problem && !floorProblem) sameData &&= tableFingerprint(floorAnswer.body?.data ?? null) === tableFingerprint(ours.data);
  }
  if (problems.length) {
    results.floor = { status: 'failed', reason: problems[0], problems };
    return;
  }
  const record: NonNullable<BenchResults['floor']> = { status: 'ran', problems: [], sameData };
  results.floor = record;
  const bodies = pool.map((variables) => requestBody(analyst, variables));
  const contenders: Contender[] = [
    { side: 'floor', url: stack.floor.url, bodies: floorRequests.map((request) => JSON.stringify(request)) },
    { side: 'ours', url: stack.gateway!.url, bodies },
    ...(stack.hive ? [{ side: 'hive', url: stack.hive.url, bodies }] : []),
    ...(stack.router ? [{ side: 'router', url: stack.router.url, bodies }] : []),
  ];
  const measured = await runRounds(config, 'analyst table next to the floor', contenders, config.concurrency);
  record.rounds = measured.rounds;
  record.floor = measured.merged.floor;
  record.ours = measured.merged.ours;
  record.hive = measured.merged.hive;
  record.router = measured.merged.router;
  for (const side of ['floor', 'ours', 'hive', 'router'] as const)
    if (record[side]) say(describeLoad(`analyst table via ${side} (next to the floor)`, record[side]));
}

async function runGrowth(
  config: BenchConfig,
  stack: Stack,
  catalogue: Catalogue,
  results: BenchResults,
  registered: Set<string>,
): Promise<void> {
  const missing = missingSubgraphs(['regions', 'indicators'], registered);
  let cases;
  try {
    if (missing.length) throw new Error(`needs ${missing.join(', ')} (not registered)`);
    cases = growthCases(catalogue);
  } catch (error) {
    results.growth.push({
      regions: 0,
      indicators: 0,
      years: 0,
      cells: 0,
      status: 'skipped',
      reason: error instanceof Error ? error.message : String(error),
    });
    return;
  }
  const analyst = OPERATIONS.find((operation) => operation.name === 'analyst-table')!;
  for (const growthCase of cases) {
    const record: GrowthRecord = {
      regions: growthCase.regions,
      indicators: growthCase.indicators,
      years: growthCase.years,
      cells: growthCase.cells,
      status: 'ran',
    };
    results.growth.push(record);
    const checked = await sample(
      stack.gateway!.url,
      { file: analyst.file, check: (data, variables) => checkObservationTable(data, variables, growthCase.regions, true) },
      growthCase.variables,
    );
    if (checked.problem) {
      record.status = 'failed';
      record.reason = checked.problem;
      say(`growth ${growthCase.regions}×${growthCase.indicators}: FAILED ${checked.problem}`);
      continue;
    }
    if (stack.counter) record.statements = (await stack.counter.count(operationText(analyst.file), growthCase.variables)).statements;
    // One request at a time: the latency of the operation itself, not of a queue in front of it.
    const bodies = [requestBody(analyst, growthCase.variables)];
    await runSequential(stack.gateway!.url, bodies, 0, 1);
    record.load = await runSequential(stack.gateway!.url, bodies, config.growthSeconds);
    record.microsecondsPerCell = (record.load.latency.p50 * 1000) / growthCase.cells;
    say(
      `growth ${growthCase.regions} regions × ${growthCase.indicators} indicators × ${growthCase.years} years: p50 ${record.load.latency.p50.toFixed(1)} ms, ${record.microsecondsPerCell.toFixed(2)} µs/cell, ${statementTotal(record.statements) ?? '?'} statements`,
    );
  }
}

function servicesOf(stack: Stack): Service[] {
  return [...stack.subgraphs.values(), stack.gateway, stack.hive, stack.router, stack.floor, stack.hop].filter(
    (service): service is Service => service !== null,
  );
}

/** The bodies of several pools interleaved: one of each operation in turn. */
function interleave(pools: readonly (readonly string[])[]): string[] {
  const longest = Math.max(0, ...pools.map((pool) => pool.length));
  const bodies: string[] = [];
  for (let index = 0; index < longest; index += 1) for (const pool of pools) if (pool.length) bodies.push(pool[index % pool.length]!);
  return bodies;
}

interface SoakMemory {
  start: number;
  end: number;
  max: number;
  /** Resident set every second of the soak, in bytes. */
  series: number[];
  /** Heap left after a forced full collection, every few seconds under load and at the quiet points. */
  postGc: PostGcSample[];
  /** Post-GC heap with the load stopped: after warm-up, at half time, at the end (bytes). */
  quietHeap: { start?: number; mid?: number; end?: number };
  snapshots: { start?: string; end?: string };
}

interface ProbeAnswer {
  heapUsed: number;
  rss: number;
  file?: string;
}

async function probe(base: string, what: string): Promise<ProbeAnswer> {
  // A heap snapshot of a few hundred MB takes a while on a loaded machine.
  const response = await fetch(`${base}${what}`, { signal: AbortSignal.timeout(300_000) });
  if (!response.ok) throw new Error(`heap probe ${base}${what}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as ProbeAnswer;
}

/** Pause after the load stops before the quiet post-GC measurements of the soak. */
const QUIET_SETTLE_MS = 5000;

/** Probes every soaked process one after the other (a snapshot stops its process; one at a time spares the CPU). */
async function probeAll(
  stack: Stack,
  soaked: Map<string, SoakMemory>,
  what: string,
  each: (entry: SoakMemory, answer: ProbeAnswer) => void,
): Promise<void> {
  for (const [name, base] of stack.probes) {
    const entry = soaked.get(name);
    if (!entry) continue;
    try {
      each(entry, await probe(base, what));
    } catch (error) {
      say(`heap probe of ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

async function runSoak(
  config: BenchConfig,
  stack: Stack,
  catalogue: Catalogue,
  results: BenchResults,
  registered: Set<string>,
): Promise<Map<string, SoakMemory>> {
  const soaked = new Map<string, SoakMemory>();
  const runnable = OPERATIONS.filter(
    (spec) =>
      chosen(config, spec.name) &&
      missingSubgraphs(spec.subgraphs, registered).length === 0 &&
      results.operations.find((record) => record.name === spec.name)?.status !== 'failed',
  );
  // With only regions registered the mix is empty: soak the regions-only lookup instead.
  const specs: OperationSpec[] = runnable.length ? runnable : DIRECT_OPERATIONS.filter((spec) => registered.has(spec.subgraph)).slice(0, 1);
  const bodies = interleave(specs.map((spec) => variablesPool(spec, catalogue).map((variables) => requestBody(spec, variables))));
  if (bodies.length === 0 || config.soakSeconds <= 0) return soaked;
  const processes = [...stack.subgraphs.values(), stack.gateway!];
  // Long enough for the heaps to reach their working size under this load: growth after it is what counts.
  const warmup = config.quick ? 5 : Math.max(config.warmupSeconds, 15);
  say(
    `soak: ${specs.map((spec) => spec.name).join(', ')} in turn through our gateway for ${config.soakSeconds} s after ${warmup} s of warm-up`,
  );
  await runLoad({ url: stack.gateway!.url, bodies, durationSeconds: warmup, concurrency: config.concurrency });
  for (const service of processes) {
    if (service.process.pid !== undefined)
      soaked.set(service.name, { start: 0, end: 0, max: 0, series: [], postGc: [], quietHeap: {}, snapshots: {} });
  }
  // Heap snapshots at the start (after warm-up, load stopped); they force a full collection first.
  say(`heap snapshots at the start of the soak into ${path.relative(process.cwd(), SNAPSHOT_DIR)}…`);
  await probeAll(stack, soaked, '/snapshot?label=start', (entry, answer) => {
    entry.quietHeap.start = answer.heapUsed;
    entry.snapshots.start = answer.file;
    entry.postGc.push({ seconds: 0, heapUsedBytes: answer.heapUsed, rssBytes: answer.rss, quiet: true });
  });
  // The resident set's start is read after the snapshot: writing one leaves memory the allocator keeps,
  // which read before it would count as growth of the soak.
  for (const service of processes) {
    const memory = readProcessMemory(service.process.pid);
    const entry = soaked.get(service.name);
    if (!memory || !entry) soaked.delete(service.name);
    else Object.assign(entry, { start: memory.rss, end: memory.rss, max: memory.rss, series: [memory.rss] });
  }
  const began = Date.now();
  const elapsed = () => Math.round((Date.now() - began) / 100) / 10;
  const sampler = setInterval(() => {
    for (const service of processes) {
      const memory = readProcessMemory(service.process.pid);
      const entry = soaked.get(service.name);
      if (memory && entry) {
        entry.max = Math.max(entry.max, memory.rss);
        entry.series.push(memory.rss);
      }
    }
  }, 1000);
  // Forced collections under load, about twenty per soak: the curve of what survives a full GC, which
  // the resident set (garbage not yet collected, pages V8 keeps) cannot show.
  const gcEvery = Math.max(5, Math.round(config.soakSeconds / 20)) * 1000;
  let probing: Promise<void> = Promise.resolve();
  const gcSampler = setInterval(() => {
    probing = probing.then(() =>
      probeAll(stack, soaked, '/gc', (entry, answer) =>
        entry.postGc.push({ seconds: elapsed(), heapUsedBytes: answer.heapUsed, rssBytes: answer.rss, quiet: false }),
      ),
    );
  }, gcEvery);
  const quietGc = async (key: 'mid' | 'end') => {
    // Answers to requests the load generator dropped at its end are still being built in the gateway
    // and the subgraphs for a moment: their objects are live but are not growth. Let them drain first.
    await new Promise((resolve) => setTimeout(resolve, QUIET_SETTLE_MS));
    await probeAll(stack, soaked, '/gc', (entry, answer) => {
      entry.quietHeap[key] = answer.heapUsed;
      entry.postGc.push({ seconds: elapsed(), heapUsedBytes: answer.heapUsed, rssBytes: answer.rss, quiet: true });
    });
  };
  try {
    // Two halves with a short pause between them: the post-GC heap at half time, without requests in
    // flight, is the base of the second-half verdict.
    const half = config.soakSeconds / 2;
    const first = await runLoad({ url: stack.gateway!.url, bodies, durationSeconds: half, concurrency: config.concurrency });
    say(describeLoad('soak, first half', first));
    await probing;
    await quietGc('mid');
    const second = await runLoad({ url: stack.gateway!.url, bodies, durationSeconds: half, concurrency: config.concurrency });
    say(describeLoad('soak, second half', second));
    const errors = first.errors + second.errors;
    if (errors) results.notes.push(`the soak had ${errors} errors in ${first.requests + second.requests} requests`);
  } finally {
    clearInterval(sampler);
    clearInterval(gcSampler);
    await probing;
  }
  // The resident set at the end is read before any forced collection, as at the start.
  for (const service of processes) {
    const memory = readProcessMemory(service.process.pid);
    const entry = soaked.get(service.name);
    if (memory && entry) {
      entry.end = memory.rss;
      entry.series.push(memory.rss);
    }
  }
  await quietGc('end');
  say('heap snapshots at the end of the soak…');
  await probeAll(stack, soaked, '/snapshot?label=end', (entry, answer) => {
    entry.snapshots.end = answer.file;
  });
  results.soakSeconds = config.soakSeconds;
  return soaked;
}

/** The constructors that grew most between a process's start and end snapshots (read one at a time). */
function snapshotGrowth(
  name: string,
  soak: SoakMemory,
): Pick<MemoryRecord, 'heapSnapshotGrowth' | 'heapSnapshotNote' | 'heapSnapshotSelfBytes'> {
  if (!soak.snapshots.start || !soak.snapshots.end) return { heapSnapshotNote: 'no heap snapshot pair' };
  try {
    const before = summariseSnapshotFile(soak.snapshots.start);
    const after = summariseSnapshotFile(soak.snapshots.end);
    const growth = compareSummaries(before, after, 8);
    say(
      `heap snapshots of ${name}: objects ${formatMb(totalSelfSize(before))} → ${formatMb(totalSelfSize(after))} MB; grew most: ${growth
        .slice(0, 4)
        .map((row) => `${row.name} ${row.countAfter - row.countBefore >= 0 ? '+' : ''}${row.countAfter - row.countBefore}`)
        .join(', ')}`,
    );
    return {
      heapSnapshotSelfBytes: { start: totalSelfSize(before), end: totalSelfSize(after) },
      heapSnapshotGrowth: growth,
    };
  } catch (error) {
    return { heapSnapshotNote: error instanceof Error ? error.message : String(error) };
  }
}

function formatMb(bytes: number): string {
  return (bytes / 1048576).toFixed(1);
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    process.stdout.write(USAGE);
    return;
  }
  const config = parseBenchConfig(process.argv.slice(2), process.env);
  Object.assign(process.env, SERVICE_ENV, GATEWAY_BENCH_ENV);
  const unknownOperations = (config.operations ?? []).filter(
    (name) => ![...OPERATIONS, ...DIRECT_OPERATIONS].some((spec) => spec.name === name),
  );
  if (unknownOperations.length)
    throw new UsageError(
      `--operations names ${unknownOperations.join(', ')}; known: ${[...OPERATIONS, ...DIRECT_OPERATIONS].map((spec) => spec.name).join(', ')}`,
    );
  const unknown = (config.subgraphs ?? []).filter((name) => !SUBGRAPHS.some((entry) => entry.name === name));
  if (unknown.length) throw new UsageError(`--subgraphs names ${unknown.join(', ')}, which gateway/src/subgraphs.ts does not register`);
  const subgraphs = SUBGRAPHS.filter((entry) => !config.subgraphs || config.subgraphs.includes(entry.name));
  const registered = new Set(subgraphs.map((entry) => entry.name));
  const results: BenchResults = {
    startedAt: new Date().toISOString(),
    machine: machine(),
    config: { ...config },
    commit: gitCommit(),
    registeredSubgraphs: [...registered],
    notes: config.subgraphs
      ? [`only ${[...registered].join(', ')} of the registered ${SUBGRAPHS.map((entry) => entry.name).join(', ')} started (--subgraphs)`]
      : [],
    operations: [],
    overhead: [],
    growth: [],
    memory: [],
  };
  const stack: Stack = {
    database: null,
    subgraphs: new Map(),
    gateway: null,
    hive: null,
    router: null,
    floor: null,
    hop: null,
    counter: null,
    probes: new Map(),
  };
  let failure: unknown = null;
  let interrupted = false;
  const interrupt = () => {
    if (interrupted) return;
    interrupted = true;
    say('interrupted: stopping every process…');
    void stopStack(stack).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  try {
    await startStack(config, subgraphs, stack, results);
    measuredProcesses = servicesOf(stack);
    const port = Number(new URL(stack.database!.url).port);
    if (stack.database!.kind === 'embedded' && postgresProcessIds(port).length > 0) databasePort = port;
    const catalogue = await discoverCatalogueWithRetry(stack.gateway!.url, registered, results.notes);
    say(
      `catalogue: ${catalogue.countyCodes.length} counties, ${catalogue.municipalityCodes.length} municipalities, ${catalogue.countyIndicators.length} county / ${catalogue.municipalityIndicators.length} municipality indicators`,
    );
    try {
      stack.counter = await startStatementCounter(stack.database!.url, subgraphs);
    } catch (error) {
      results.notes.push(`SQL statements not counted: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (config.sections.includes('mix')) await runMix(config, stack, catalogue, results, registered);
    if (config.sections.includes('overhead')) await runOverhead(config, stack, catalogue, results, registered);
    if (config.sections.includes('floor')) await runFloor(config, stack, catalogue, results, registered);
    if (config.sections.includes('growth')) await runGrowth(config, stack, catalogue, results, registered);
    await stack.counter?.stop();
    stack.counter = null;
    const soaked = config.sections.includes('soak')
      ? await runSoak(config, stack, catalogue, results, registered)
      : new Map<string, SoakMemory>();
    for (const service of servicesOf(stack)) {
      const memory = readProcessMemory(service.process.pid);
      const soak = soaked.get(service.name);
      results.memory.push({
        process: service.name,
        peakRssBytes: memory?.peakRss ?? null,
        ...(soak
          ? {
              soakStartRssBytes: soak.start,
              soakEndRssBytes: soak.end,
              soakMaxRssBytes: soak.max,
              soakGrowthPercent: growthPercent(soak.start, soak.end),
              soakSecondHalfGrowthPercent: growthPercent(soak.series[Math.floor(soak.series.length / 2)]!, soak.end),
              soakSeriesRssBytes: soak.series,
              soakPostGcHeapBytes: soak.quietHeap,
              ...(soak.quietHeap.mid !== undefined && soak.quietHeap.end !== undefined
                ? { soakPostGcSecondHalfGrowthPercent: growthPercent(soak.quietHeap.mid, soak.quietHeap.end) }
                : {}),
              soakPostGcSeries: soak.postGc,
              ...snapshotGrowth(service.name, soak),
            }
          : {}),
      });
    }
    const own = readProcessMemory(process.pid);
    results.memory.push({ process: 'bench (load generator + in-process counting stack)', peakRssBytes: own?.peakRss ?? null });
  } catch (error) {
    // What was measured before the failure is still worth writing down.
    failure = error;
    results.notes.push(`the run stopped early: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await stopStack(stack);
  }
  results.finishedAt = new Date().toISOString();
  results.machine.loadAverageEnd = os.loadavg();
  process.stdout.write(`${fullReport(results)}\n`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = results.startedAt.replace(/[:.]/g, '-');
  const json = JSON.stringify(results, null, 2);
  writeFileSync(path.join(RESULTS_DIR, `bench-${stamp}.json`), json);
  writeFileSync(path.join(RESULTS_DIR, 'latest.json'), json);
  writeFileSync(path.join(RESULTS_DIR, 'latest.md'), `${fullReport(results, true)}\n`);
  say(`results: ${path.relative(process.cwd(), path.join(RESULTS_DIR, `bench-${stamp}.json`))} and latest.md`);
  if (failure) throw failure;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`[bench] ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
