// `npm run chaos [-- --quick]`: the platform as separate processes (a PostgreSQL of its own, Redis
// when redis-server is installed, every subgraph, two gateways) under a steady load of writes and
// mixed reads, while faults are injected one after another:
//   - kill -9 of a subgraph: only its fields fail, answers are whole again within 5 s of its restart
//     (counted from its readiness; its boot time is printed apart). The subgraph is projects: while
//     it is down, a cooperation delete (which asks projects first) must be refused with
//     REFERENCE_CHECK_UNAVAILABLE, and cooperation creates and updates must keep working;
//   - a PostgreSQL restart: services reconnect without a restart of their own;
//   - Redis stopped: the gateways keep serving (rate limits admit, answers are not cached);
//   - a rolling restart of both gateways with SIGTERM, each taken out of the balancer's rotation
//     first: no failed request at the client (what a gateway already took, it finishes).
// Every write the API acknowledged (projects created; cooperations created, updated and deleted) is
// looked up in the database at the end: lost writes must be 0.
// Prints a table of faults, requests, errors and lost writes; exits 1 when a check fails.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations, connectClient, controlledCluster, findFreePort } from '@regiograph/db';
import { chooseSubgraphPorts, stopProcess } from '@regiograph/dev-tools';
import { SUBGRAPHS } from '@regiograph/gateway';
import { DEVELOPMENT_AUTH_SECRET, mintToken, SUBGRAPH_NODE_OPTIONS } from '@regiograph/shared';
import { CooperationLedger } from './ledger';
import { parseChaosOptions, USAGE } from './options';

const options = (() => {
  try {
    return parseChaosOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
})();
const QUICK = options.quick;
/** How long the load runs in each phase. */
const PHASE_MS = QUICK ? 3_000 : 15_000;
/** The issue's bound: answers are whole again this long after a subgraph's restart. */
const SUBGRAPH_RECOVERY_LIMIT_MS = 5_000;
const READY_TIMEOUT_MS = 180_000;

function say(line: string): void {
  process.stdout.write(`[chaos] ${line}\n`);
}

/** Set on SIGINT or SIGTERM: from then on nothing new is started, so the cleanup misses nothing. */
let stopping = false;

function refuseWhenStopping(what: string): void {
  if (stopping) throw new Error(`interrupted: ${what} not started`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Service {
  name: string;
  port: number;
  start(): ChildProcess;
  process: ChildProcess | null;
}

function service(
  name: string,
  entry: string,
  port: number,
  env: NodeJS.ProcessEnv,
  logDir: string,
  nodeFlags: readonly string[] = [],
): Service {
  const self: Service = {
    name,
    port,
    process: null,
    start() {
      refuseWhenStopping(name);
      const child = spawn(process.execPath, [...nodeFlags, entry], {
        env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      // The last lines of a service that dies are what explains it.
      let tail = '';
      child.stderr?.on('data', (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-4_000)));
      child.once('exit', (code, signal) => {
        if (code !== 0 && code !== null && signal === null)
          say(`${name} exited with code ${code}: ${tail.trim().split('\n').slice(-3).join(' | ')} (log dir ${logDir})`);
      });
      self.process = child;
      return child;
    },
  };
  return self;
}

async function waitReady(target: Service, timeoutMs = READY_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (target.process && target.process.exitCode !== null) throw new Error(`${target.name} exited (code ${target.process.exitCode})`);
    const ok = await fetch(`http://127.0.0.1:${target.port}/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`${target.name} not ready within ${timeoutMs / 1000} s`);
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

interface Answer {
  /** Network-level failure: nothing came back. */
  failed: boolean;
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  } | null;
}

function describe(answer: Answer): string {
  if (answer.failed) return `no answer (HTTP ${answer.status})`;
  const error = answer.body?.errors?.[0];
  return `HTTP ${answer.status}, ${error ? `${String(error.extensions?.code ?? '')} ${error.message} at ${JSON.stringify(error.path ?? null)}`.slice(0, 200) : 'no data'}`;
}

/**
 * The client side of a load balancer over the gateways: one new connection per request (no idle
 * keep-alive socket can be closed under it), and a connection that is refused — the request never
 * reached a gateway — is tried at the next gateway, as any load balancer does.
 */
class Client {
  private next = 0;
  private readonly withdrawn = new Set<number>();
  constructor(private readonly ports: number[]) {}

  /**
   * Takes a gateway out of rotation before it is stopped, as a load balancer deregisters an instance
   * (Kubernetes removes the endpoint while the pod gets SIGTERM): otherwise a connection that the
   * kernel accepted just before the listener closed is reset, and no server can answer it.
   */
  withdraw(port: number): void {
    this.withdrawn.add(port);
  }

  restore(port: number): void {
    this.withdrawn.delete(port);
  }

  private pick(): number {
    for (let tries = 0; tries < this.ports.length; tries++) {
      const port = this.ports[this.next++ % this.ports.length]!;
      if (!this.withdrawn.has(port)) return port;
    }
    return this.ports[this.next++ % this.ports.length]!;
  }

  async post(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> {
    const payload = JSON.stringify({ query, variables });
    const deadline = Date.now() + 10_000;
    while (true) {
      const port = this.pick();
      const answer = await new Promise<Answer | 'refused'>((resolve) => {
        const request = http.request(
          {
            host: '127.0.0.1',
            port,
            path: '/graphql',
            method: 'POST',
            agent: false,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers },
          },
          (response) => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (text += chunk));
            response.on('end', () => {
              try {
                resolve({ failed: false, status: response.statusCode ?? 0, body: JSON.parse(text) as Answer['body'] });
              } catch {
                resolve({ failed: true, status: response.statusCode ?? 0, body: null });
              }
            });
            response.on('error', () => resolve({ failed: true, status: 0, body: null }));
          },
        );
        request.setTimeout(30_000, () => request.destroy(new Error('timeout')));
        request.on('error', (error: NodeJS.ErrnoException) =>
          resolve(error.code === 'ECONNREFUSED' ? 'refused' : { failed: true, status: 0, body: null }),
        );
        request.end(payload);
      });
      if (answer !== 'refused') return answer;
      if (Date.now() > deadline) return { failed: true, status: 0, body: null };
      await sleep(20);
    }
  }
}

interface PhaseStats {
  fault: string;
  requests: number;
  errors: number;
  /** Read answers whose errors were not confined to the faulty subgraph's fields. */
  misplacedErrors: number;
  acknowledged: number;
  recoveryMs: number | null;
  /** The first failure seen, to tell what failed. */
  sample: string | null;
  notes: string[];
  ok: boolean;
}

/** Reads alternate: one subgraph only, and two subgraphs in one query. */
const READ_REGIONS = `{ regions(first: 3) { nodes { code name } } }`;
const READ_MIXED = `{ regions(first: 3) { nodes { code name } } projects(first: 3) { nodes { id title } } }`;
const WRITE = `mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } errors { code } } }`;
const CREATE_COOPERATION = `mutation($input: CreateCooperationInput!) { createCooperation(input: $input) { cooperation { id version } errors { code } } }`;
const UPDATE_COOPERATION = `mutation($input: UpdateCooperationInput!) { updateCooperation(input: $input) { cooperation { id version } errors { code } } }`;
const DELETE_COOPERATION = `mutation($id: ID!, $expectedVersion: Int!) { deleteCooperation(id: $id, expectedVersion: $expectedVersion) { cooperation { id } errors { code } } }`;
/** Updates of each cooperation before the writer deletes it. */
const COOPERATION_UPDATES = 2;

/** The cooperation the writer is working on: the version it last got, and how often it updated it. */
interface WrittenCooperation {
  id: string;
  version: number;
  updates: number;
}

/** One write of the cooperation writer: how it ended, and the cooperation to go on with (null: a new one). */
interface CooperationStep {
  next: WrittenCooperation | null;
  outcome: 'acknowledged' | 'failed' | 'delete acknowledged' | 'delete refused';
}

/** What the cooperation writer saw while the projects subgraph was down. */
interface ProjectsDown {
  /** Deletes refused because projects could not be asked (REFERENCE_CHECK_UNAVAILABLE): the expected answer. */
  deletesRefused: number;
  /** Deletes acknowledged although projects was down from their request to their answer: a delete that skipped its check. */
  deletesUnchecked: number;
  /** Creates and updates that failed (they do not need projects), and deletes that failed otherwise. */
  otherWritesFailed: number;
  otherWritesAcknowledged: number;
}

/**
 * The steady load: writers create projects, one writer creates, updates and deletes cooperations (a
 * delete asks projects first), readers ask for regions and projects in one query.
 */
class Load {
  readonly acknowledged: string[] = [];
  readonly cooperations = new CooperationLedger();
  /** Cooperations whose delete was refused with REFERENCE_CHECK_UNAVAILABLE: sent again later. */
  private readonly refusedDeletes: WrittenCooperation[] = [];
  /** Set from the moment the projects subgraph has exited until it is started again. */
  projectsDownSince: number | null = null;
  readonly projectsDown: ProjectsDown = { deletesRefused: 0, deletesUnchecked: 0, otherWritesFailed: 0, otherWritesAcknowledged: 0 };
  private stats: PhaseStats | null = null;
  /** While set, read errors are expected only on fields of this root field. */
  faultyField: string | null = null;
  /**
   * The last whole answer to a read that asks for projects and regions, and the last project written:
   * recovery is measured on the fields of the subgraph a fault hit, not on reads it never served.
   */
  lastWholeMixedRead = 0;
  lastProjectWrite = 0;
  private running = true;
  private readonly loops: Promise<void>[] = [];
  private readonly token = `Bearer ${mintToken(
    { sub: 'chaos', name: 'Chaos load', scopes: ['projects:write', 'cooperations:write'] },
    { secret: DEVELOPMENT_AUTH_SECRET, expiresIn: '2h' },
  )}`;
  private counter = 0;
  private readonly run = randomUUID().slice(0, 8);

  constructor(private readonly client: Client) {
    for (let i = 0; i < 2; i += 1) this.loops.push(this.writer());
    this.loops.push(this.cooperationWriter());
    for (let i = 0; i < 3; i += 1) this.loops.push(this.reader());
  }

  begin(fault: string): PhaseStats {
    this.stats = {
      fault,
      requests: 0,
      errors: 0,
      misplacedErrors: 0,
      acknowledged: 0,
      recoveryMs: null,
      sample: null,
      notes: [],
      ok: true,
    };
    return this.stats;
  }

  private async writer(): Promise<void> {
    while (this.running) {
      this.counter += 1;
      const input = {
        title: `Chaos ${this.run} ${this.counter} (synthetic)`,
        summary: 'Written by the fault-injection run.',
        kind: 'MODEL_PROJECT',
        topics: ['MOBILITY'],
        startDate: '2026-01-01',
        regions: [{ regionCode: '03241', role: 'LEAD' }],
      };
      const answer = await this.client.post(WRITE, { input }, { authorization: this.token });
      const stats = this.stats;
      if (stats) stats.requests += 1;
      const project = (answer.body?.data?.createProject as { project: { id: string } | null } | undefined)?.project;
      if (!answer.failed && !answer.body?.errors?.length && project) {
        this.acknowledged.push(project.id);
        this.lastProjectWrite = Date.now();
        if (stats) stats.acknowledged += 1;
      } else if (stats) {
        stats.errors += 1;
        stats.sample ??= `write: ${describe(answer)}`;
      }
      await sleep(10);
    }
  }

  /**
   * Sends one cooperation write and counts it in the phase. Returns the payload's record when the
   * write was acknowledged, else the error code of the refusal ('' when no answer came).
   */
  private async cooperationWrite<T>(
    query: string,
    variables: Record<string, unknown>,
    field: string,
  ): Promise<{ acknowledged: T } | { refused: string }> {
    const answer = await this.client.post(query, variables, { authorization: this.token });
    const stats = this.stats;
    if (stats) stats.requests += 1;
    const payload = answer.body?.data?.[field] as { cooperation: T | null; errors: { code: string }[] } | undefined;
    if (!answer.failed && !answer.body?.errors?.length && payload?.cooperation && payload.errors.length === 0) {
      if (stats) stats.acknowledged += 1;
      return { acknowledged: payload.cooperation };
    }
    if (stats) {
      stats.errors += 1;
      stats.sample ??= `${field}: ${describe(answer)}`;
    }
    const code = answer.body?.errors?.[0]?.extensions?.code ?? payload?.errors[0]?.code;
    return { refused: typeof code === 'string' ? code : '' };
  }

  /**
   * Creates a cooperation, updates it twice and deletes it, again and again. A delete refused with
   * REFERENCE_CHECK_UNAVAILABLE (refused before anything was written) is sent again later; after any
   * other failed write the writer leaves that cooperation as the ledger has it and starts a new one.
   */
  private async cooperationWriter(): Promise<void> {
    let current: WrittenCooperation | null = null;
    let retryAllowed = true;
    while (this.running) {
      const sentAt = Date.now();
      const downAtSend = this.projectsDownSince !== null && sentAt >= this.projectsDownSince;
      const retry = !current && retryAllowed ? this.refusedDeletes.shift() : undefined;
      const step: CooperationStep = retry
        ? await this.deleteCooperation(retry)
        : !current
          ? await this.createCooperation()
          : current.updates < COOPERATION_UPDATES
            ? await this.updateCooperation(current)
            : await this.deleteCooperation(current);
      current = step.next;
      // After a refused delete the writer goes on with a new cooperation, so that creates and updates
      // are tried while projects is down, and sends the refused deletes again after its next delete.
      retryAllowed = step.outcome !== 'delete refused';
      // Down at the answer too: the whole request fell into the window.
      if (downAtSend && this.projectsDownSince !== null) this.countWhileProjectsDown(step.outcome);
      await sleep(10);
    }
  }

  private async createCooperation(): Promise<CooperationStep> {
    this.counter += 1;
    const input = {
      name: `Chaos ${this.run} ${this.counter} (synthetic)`,
      kind: 'OTHER',
      description: 'Written by the fault-injection run.',
      founded: '2026-01-01',
      members: [
        { regionCode: '03459', validFrom: '2026-01-01' },
        { regionCode: '03404', validFrom: '2026-01-01' },
      ],
    };
    const outcome = await this.cooperationWrite<{ id: string; version: number }>(CREATE_COOPERATION, { input }, 'createCooperation');
    if (!('acknowledged' in outcome)) return { next: null, outcome: 'failed' };
    this.cooperations.created(outcome.acknowledged.id, outcome.acknowledged.version);
    return { next: { ...outcome.acknowledged, updates: 0 }, outcome: 'acknowledged' };
  }

  private async updateCooperation(target: WrittenCooperation): Promise<CooperationStep> {
    const input = {
      id: target.id,
      expectedVersion: target.version,
      description: `Updated by the fault-injection run (${target.updates + 1}).`,
    };
    const outcome = await this.cooperationWrite<{ version: number }>(UPDATE_COOPERATION, { input }, 'updateCooperation');
    if (!('acknowledged' in outcome)) return { next: null, outcome: 'failed' };
    this.cooperations.updated(target.id, outcome.acknowledged.version);
    return { next: { id: target.id, version: outcome.acknowledged.version, updates: target.updates + 1 }, outcome: 'acknowledged' };
  }

  private async deleteCooperation(target: WrittenCooperation): Promise<CooperationStep> {
    const variables = { id: target.id, expectedVersion: target.version };
    const outcome = await this.cooperationWrite<{ id: string }>(DELETE_COOPERATION, variables, 'deleteCooperation');
    if ('acknowledged' in outcome) {
      this.cooperations.deleted(target.id);
      return { next: null, outcome: 'delete acknowledged' };
    }
    if (outcome.refused === 'REFERENCE_CHECK_UNAVAILABLE') {
      this.refusedDeletes.push(target);
      return { next: null, outcome: 'delete refused' };
    }
    // Refused for another reason, or no answer: it may have been committed.
    this.cooperations.deleteUnacknowledged(target.id);
    return { next: null, outcome: 'failed' };
  }

  private countWhileProjectsDown(outcome: CooperationStep['outcome']): void {
    const down = this.projectsDown;
    if (outcome === 'delete acknowledged') down.deletesUnchecked += 1;
    else if (outcome === 'delete refused') down.deletesRefused += 1;
    else if (outcome === 'acknowledged') down.otherWritesAcknowledged += 1;
    else down.otherWritesFailed += 1;
  }

  private async reader(): Promise<void> {
    let mixed = false;
    while (this.running) {
      mixed = !mixed;
      const answer = await this.client.post(mixed ? READ_MIXED : READ_REGIONS, {});
      const stats = this.stats;
      if (stats) stats.requests += 1;
      const errors = answer.body?.errors ?? [];
      if (!answer.failed && errors.length === 0 && answer.body?.data) {
        if (mixed) this.lastWholeMixedRead = Date.now();
      } else if (stats) {
        stats.errors += 1;
        stats.sample ??= `read: ${describe(answer)}`;
        // Only the faulty subgraph's part may fail: a query without it stays whole, and every
        // error of a query with it comes from it. (A non-null root field of the faulty subgraph
        // nulls the whole answer's data: that is GraphQL's null propagation, not a wider failure.)
        const faulty = this.faultyField;
        const confined =
          faulty !== null &&
          mixed &&
          !answer.failed &&
          errors.every((error) => error.path?.[0] === faulty || error.extensions?.serviceName === faulty);
        if (faulty !== null && !confined) stats.misplacedErrors += 1;
      }
      await sleep(10);
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }
}

/**
 * Waits until a whole read of projects and regions and an acknowledged project write both happened
 * after `since`; returns how long that took. (A read of regions alone, or a cooperation written, said
 * nothing of the projects subgraph: a gateway still skipping it for 9 s after its restart counted as
 * recovered in 0.01 s.)
 */
async function recovered(load: Load, since: number, timeoutMs: number): Promise<number | null> {
  const deadline = since + timeoutMs;
  while (Date.now() < deadline) {
    if (load.lastWholeMixedRead > since && load.lastProjectWrite > since)
      return Math.max(load.lastWholeMixedRead, load.lastProjectWrite) - since;
    await sleep(20);
  }
  return null;
}

function redisServerBinary(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'regiograph-chaos-'));
  // As root, PostgreSQL runs as the postgres user, which must be able to enter the folder.
  await chmod(base, 0o755);
  const cluster = controlledCluster(path.join(base, 'postgres'), await findFreePort());
  const services: Service[] = [];
  const gateways: Service[] = [];
  let redis: ChildProcess | null = null;
  const results: PhaseStats[] = [];
  let load: Load | null = null;
  let lost = -1;
  // What pg_ctl or initdb is doing right now: the cleanup waits for it, or it would remove the folder
  // under initdb's feet, or miss a server whose start it did not see end.
  let clusterWork: Promise<unknown> = Promise.resolve();
  const onCluster = (work: () => Promise<void>): Promise<void> => {
    refuseWhenStopping('PostgreSQL');
    const running = work();
    clusterWork = running.catch(() => undefined);
    return running;
  };
  let stopped: Promise<void> | null = null;
  const stopEverything = () =>
    (stopped ??= (async () => {
      if (load) await load.stop();
      // Every process the run started, the gateways included.
      await Promise.all([...services, ...gateways].flatMap((each) => (each.process ? [stopProcess(each.process)] : [])));
      redis?.kill('SIGKILL');
      await clusterWork;
      await cluster.stop().catch(() => undefined);
      await rm(base, { recursive: true, force: true });
    })());
  // Ctrl-C, or a SIGTERM to this process alone (a CI timeout): PostgreSQL runs detached from the
  // terminal, so without this it and the working folder would outlive the run.
  const interrupt = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping every process the run started…`);
    void stopEverything().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  // `on`, not `once`: Ctrl-C reaches this process twice (from the terminal, and relayed by tsx or npm),
  // and a second signal with no listener would end it in the middle of the cleanup.
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  try {
    say(`${QUICK ? 'quick' : 'full'} run, ${PHASE_MS / 1000} s of load per phase, in ${base}`);
    await onCluster(() => cluster.init());
    await onCluster(() => cluster.start());
    await cluster.createDatabase('regiograph');
    await applyMigrations(cluster.url());
    const databaseUrl = cluster.url();

    const redisBinary = redisServerBinary();
    const redisPort = await findFreePort();
    const startRedis = () => {
      refuseWhenStopping('Redis');
      return spawn(redisBinary!, ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: 'ignore',
      });
    };
    if (redisBinary) redis = startRedis();
    else say('redis-server is not installed: the gateways share no Redis and the Redis fault is skipped');

    const ports = await chooseSubgraphPorts(SUBGRAPHS, () => findFreePort());
    const subgraphUrls = ports.urls;
    for (const entry of SUBGRAPHS) {
      const main = require.resolve(`${entry.packageName}/package.json`).replace(/package\.json$/, 'dist/index.js');
      // The load reads regions and projects and writes projects: the indicators' large synthetic
      // series are not needed, and seeding them would only lengthen the run.
      const seed = entry.name === 'indicators' ? 'false' : 'true';
      // Every subgraph's URL, as the gateway gets them: a subgraph checks links with its peers.
      const env = { DATABASE_URL: databaseUrl, SEED_ON_START: seed, ...subgraphUrls };
      services.push(service(entry.name, main, ports.portOf(entry.name), env, base, SUBGRAPH_NODE_OPTIONS));
    }
    for (const each of services) each.start();
    await Promise.all(services.map((each) => waitReady(each)));
    const gatewayEntry = require.resolve('@regiograph/gateway/package.json').replace(/package\.json$/, 'dist/index.js');
    const gatewayEnv = {
      ...subgraphUrls,
      NODE_ENV: 'development',
      WATCH_SUPERGRAPH: 'false',
      RATE_LIMIT_REQUESTS: '1000000',
      ...(redisBinary ? { REDIS_URL: `redis://127.0.0.1:${redisPort}`, REDIS_KEY_PREFIX: `chaos-${randomUUID()}:` } : {}),
    };
    gateways.push(
      service('gateway-a', gatewayEntry, await findFreePort(), gatewayEnv, base),
      service('gateway-b', gatewayEntry, await findFreePort(), gatewayEnv, base),
    );
    for (const each of gateways) each.start();
    await Promise.all(gateways.map((each) => waitReady(each)));
    say('platform up: 4 subgraphs, 2 gateways' + (redisBinary ? ', Redis' : ''));

    const balancer = new Client(gateways.map((each) => each.port));
    load = new Load(balancer);

    // 1. Baseline: nothing fails.
    const baseline = load.begin('none (baseline)');
    await sleep(PHASE_MS);
    baseline.ok = baseline.errors === 0 && baseline.acknowledged > 0;
    results.push(baseline);

    // 2. kill -9 the projects subgraph; restart it after the load saw it gone.
    const projects = services.find((each) => each.name === 'projects')!;
    const killed = load.begin('kill -9 projects subgraph');
    load.faultyField = 'projects';
    projects.process!.kill('SIGKILL');
    await exited(projects.process!);
    load.projectsDownSince = Date.now();
    await sleep(Math.min(PHASE_MS, 3_000));
    load.faultyField = null;
    load.projectsDownSince = null;
    const spawnedAt = Date.now();
    projects.start();
    await waitReady(projects);
    // Recovery counts from the moment the restarted subgraph answers its readiness probe: its own
    // boot (node, database pool, seed check) is reported apart, as it depends on the machine.
    const readyAt = Date.now();
    killed.recoveryMs = await recovered(load, readyAt, 60_000);
    killed.notes.push(`restarted process ready after ${((readyAt - spawnedAt) / 1000).toFixed(2)} s`);
    await sleep(PHASE_MS);
    const down = load.projectsDown;
    killed.ok =
      killed.misplacedErrors === 0 &&
      killed.recoveryMs !== null &&
      killed.recoveryMs <= SUBGRAPH_RECOVERY_LIMIT_MS &&
      down.deletesUnchecked === 0 &&
      down.otherWritesFailed === 0;
    killed.notes.push(`errors only on projects fields: ${killed.misplacedErrors === 0 ? 'yes' : `no (${killed.misplacedErrors})`}`);
    killed.notes.push(
      `while projects was down: cooperation deletes refused (REFERENCE_CHECK_UNAVAILABLE) ${down.deletesRefused}, ` +
        `deleted unchecked ${down.deletesUnchecked}; other cooperation writes ${down.otherWritesAcknowledged} acknowledged, ${down.otherWritesFailed} failed`,
    );
    results.push(killed);

    // 3. Restart PostgreSQL under the services' feet; they must reconnect by themselves.
    const pids = services.map((each) => each.process!.pid);
    const database = load.begin('restart PostgreSQL');
    await onCluster(() => cluster.stop());
    await sleep(1_000);
    await onCluster(() => cluster.start());
    const databaseBack = Date.now();
    database.recoveryMs = await recovered(load, databaseBack, 60_000);
    await sleep(PHASE_MS);
    const sameProcesses = services.every((each, index) => each.process!.pid === pids[index] && each.process!.exitCode === null);
    database.ok = database.recoveryMs !== null && sameProcesses;
    database.notes.push(`services reconnected without restart: ${sameProcesses ? 'yes' : 'no'}`);
    results.push(database);

    // 4. Stop Redis: the gateways keep serving.
    if (redis) {
      const redisDown = load.begin('stop Redis');
      redis.kill('SIGKILL');
      await exited(redis);
      await sleep(PHASE_MS);
      redis = startRedis();
      await sleep(500);
      redisDown.ok = redisDown.errors === 0 && redisDown.acknowledged > 0;
      redisDown.notes.push('rate limits admit, answers are not cached while Redis is down');
      results.push(redisDown);
    }

    // 5. Rolling restart of both gateways with SIGTERM: each drains, then starts again.
    const rolling = load.begin('rolling SIGTERM restart of 2 gateways');
    for (const gateway of gateways) {
      const child = gateway.process!;
      // Deregistered first, as behind any load balancer; what it already took must still finish (drain).
      balancer.withdraw(gateway.port);
      await sleep(200);
      child.kill('SIGTERM');
      await exited(child);
      gateway.start();
      await waitReady(gateway);
      balancer.restore(gateway.port);
      await sleep(Math.min(PHASE_MS, 2_000));
    }
    await sleep(PHASE_MS);
    rolling.ok = rolling.errors === 0;
    results.push(rolling);

    await load.stop();
    // Every acknowledged write must be in the database: each created project, and each cooperation
    // as its last acknowledged create, update or delete left it.
    const client = await connectClient({ connectionString: databaseUrl });
    try {
      const { rows } = await client.query<{ found: string }>(
        'SELECT count(*)::text AS found FROM projects.project WHERE id = ANY($1::text[])',
        [load.acknowledged],
      );
      const cooperations = await client.query<{ id: string; version: number }>(
        'SELECT id, version FROM cooperations.cooperation WHERE id = ANY($1::text[])',
        [load.cooperations.ids],
      );
      const lostCooperationWrites = load.cooperations.lost(new Map(cooperations.rows.map((row) => [row.id, row.version])));
      for (const line of lostCooperationWrites.slice(0, 10)) say(`lost: ${line}`);
      lost = load.acknowledged.length - Number(rows[0]!.found) + lostCooperationWrites.length;
    } finally {
      await client.end();
    }
  } finally {
    await stopEverything();
  }
  // Interrupted: the signal's handler reports and sets the exit code.
  if (stopping) return;

  const rows = results.map((stats) => [
    stats.fault,
    String(stats.requests),
    String(stats.errors),
    String(stats.acknowledged),
    stats.recoveryMs === null ? '—' : `${(stats.recoveryMs / 1000).toFixed(2)} s`,
    stats.ok ? 'ok' : 'FAILED',
    stats.notes.join('; '),
  ]);
  for (const stats of results) if (stats.sample) say(`first failure under "${stats.fault}": ${stats.sample}`);
  const header = ['fault', 'requests', 'errors', 'acked writes', 'recovery', 'verdict', 'notes'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ');
  say('');
  say(line(header));
  say(widths.map((width) => '-'.repeat(width)).join('-|-'));
  for (const row of rows) say(line(row));
  const cooperationWrites = load?.cooperations.writes ?? { created: 0, updated: 0, deleted: 0 };
  const total = (load?.acknowledged.length ?? 0) + (load?.cooperations.acknowledged ?? 0);
  say(
    `acknowledged writes: ${total} (projects created ${load?.acknowledged.length ?? 0}; cooperations created ` +
      `${cooperationWrites.created}, updated ${cooperationWrites.updated}, deleted ${cooperationWrites.deleted}), lost writes: ${lost}`,
  );
  const ok = lost === 0 && cooperationWrites.deleted > 0 && total > 0 && results.every((stats) => stats.ok);
  say(ok ? 'chaos passed' : 'chaos FAILED');
  process.exit(ok ? 0 : 1);
}

if (options.help) {
  process.stdout.write(`${USAGE}\n`);
} else {
  main().catch((error: unknown) => {
    // After a signal the run's steps fail as their processes stop: the handler exits once all is stopped.
    if (stopping) return;
    say(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  });
}
