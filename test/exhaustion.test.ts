// Resource exhaustion (issue 12): on a production gateway with its default limits, requests whose
// size depends on data rather than on `first` are refused before any subgraph works, or answered
// within the budgets; expensive load is shed while cheap queries go on; a caller who hangs up stops
// the database work done for it. The catalogue and the shedding run on the production stack as
// `npm start` runs it (every service a process of its own), and the bounds are asserted: each
// catalogue request refused or answered within 3 s, each process below the stated memory bound, and a
// plain query's p95 below 1 s while 40 heavy requests run. The admitted long-form table costs about
// 1 s of CPU in all (indicators ~0.5 s, gateway ~0.3 s) and answers in about 1 s at load average 12.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { findFreePort } from '@regiograph/db';
import {
  packageEntry,
  readProcessMemory,
  chooseSubgraphPorts,
  startService,
  stopService,
  subgraphProcess,
  waitUntilReady,
  type Service,
} from '@regiograph/dev-tools';
import { SUBGRAPHS } from '@regiograph/shared';
import { startStack, testDatabaseUrl, type Stack } from './harness';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256-signing';
/** Stated memory bound: each production process (gateway, each subgraph) stays below it. */
const MEMORY_BOUND_BYTES = 1.5 * 1024 ** 3;
/** The bound: each catalogue request is refused or answered within it. */
const ANSWER_BOUND_MS = 3000;

let stack: Stack;
let processes: ProcessStack;
let municipalIndicators: string[];
let countyCodes: string[];

interface Answer {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
    extensions?: { cost?: { estimated: number; actual: number; limit: number } };
  };
  milliseconds: number;
}

async function post(
  query: string,
  variables: Record<string, unknown> = {},
  client = 'heavy',
  signal?: AbortSignal,
  url = processes.url,
): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    // Each client name is a partner API key of its own (issued once): budgets are per key.
    headers: { 'content-type': 'application/json', 'x-api-key': await stack.apiKey(client) },
    body: JSON.stringify({ query, variables }),
    signal,
  });
  const body = (await response.json()) as Answer['body'];
  return { status: response.status, headers: response.headers, body, milliseconds: performance.now() - started };
}

beforeAll(async () => {
  // The in-process stack seeds the test database and issues the API keys; the production processes
  // read that database.
  stack = await startStack();
  const catalogue = await stack.query<{ indicators: { code: string; levels: string[]; years: number[] }[] }>(
    '{ indicators { code levels years } }',
  );
  municipalIndicators = catalogue
    .data!.indicators.filter((indicator) => indicator.levels.includes('MUNICIPALITY') && indicator.years.includes(2022))
    .map((indicator) => indicator.code)
    .slice(0, 7);
  const counties = await stack.query<{ regions: { nodes: { code: string }[] } }>(
    '{ regions(filter: { level: COUNTY }, first: 100) { nodes { code } } }',
  );
  countyCodes = counties.data!.regions.nodes.map((node) => node.code);
  processes = await startProcessStack();
  // A gateway in service has started its worker thread (GATEWAY_OFFLOAD_COST) and planned the
  // operation before, and its subgraphs have compiled their hot paths: a fresh process's first plan,
  // worker start and JIT are start-up, not the cost of a request, and are left out of the timed
  // catalogue.
  const warmUp = await post(`query ($indicators: [ID!]!) { ${table('cells { value }')} }`, { indicators: municipalIndicators }, 'warm-up');
  expect(warmUp.status).toBe(200);
}, 300_000);

afterAll(async () => {
  await processes?.stop();
  await stack?.stop();
}, 60_000);

const aliased = (count: number, field: string) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
const table = (selection: string) =>
  `observationTable(indicators: $indicators, regions: { level: MUNICIPALITY }, fromYear: 2009, toYear: 2022) { ${selection} }`;

interface HeavyRequest {
  name: string;
  query: () => string;
  variables?: () => Record<string, unknown>;
  /** Refused before execution with this code, or answered (a bounded answer) when 'answered'. */
  outcome: 'QUERY_TOO_COSTLY' | 'answered';
}

const CATALOGUE: HeavyRequest[] = [
  {
    name: "the report: 30 aliases of a 7 × 967 × 14 table with each cell's region name",
    query: () => `query ($indicators: [ID!]!) ${aliased(30, table('rows { region { name } cells { value } }'))}`,
    variables: () => ({ indicators: municipalIndicators }),
    outcome: 'QUERY_TOO_COSTLY',
  },
  {
    name: "one 7 × 967 × 14 table with each row's region name",
    query: () => `query ($indicators: [ID!]!) { ${table('rows { region { name } cells { value } }')} }`,
    variables: () => ({ indicators: municipalIndicators }),
    outcome: 'QUERY_TOO_COSTLY',
  },
  {
    name: 'two 7 × 967 × 14 tables in long form',
    query: () => `query ($indicators: [ID!]!) { a: ${table('cells { value year }')} b: ${table('cells { value year }')} }`,
    variables: () => ({ indicators: municipalIndicators }),
    outcome: 'QUERY_TOO_COSTLY',
  },
  {
    name: 'one 7 × 967 × 14 table in long form (within the limit)',
    query: () => `query ($indicators: [ID!]!) { ${table('cells { value year regionCode indicatorCode }')} }`,
    variables: () => ({ indicators: municipalIndicators }),
    outcome: 'answered',
  },
  {
    name: 'descendants of the state, 30 times',
    query: () => aliased(30, 'region(code: "03") { descendants { code name } }'),
    outcome: 'answered',
  },
  {
    name: "descendants of every municipality's descendants",
    query: () => '{ region(code: "03") { descendants(level: MUNICIPALITY) { descendants { name } } } }',
    outcome: 'QUERY_TOO_COSTLY',
  },
  {
    name: 'descendants of the descendants of the state',
    query: () => '{ region(code: "03") { descendants { descendants { code } } } }',
    outcome: 'QUERY_TOO_COSTLY',
  },
  {
    name: '1,000 regions with unsimplified boundaries',
    query: () => '{ regions(first: 1000) { nodes { code boundary } } }',
    outcome: 'answered',
  },
  {
    name: '30 × 1,000 regions with unsimplified boundaries',
    query: () => aliased(30, 'regions(first: 1000) { nodes { boundary } }'),
    outcome: 'QUERY_TOO_COSTLY',
  },
  {
    name: 'regionsByCodes × descendants × values',
    query: () =>
      'query ($codes: [ID!]!, $indicators: [ID!]!) { regionsByCodes(codes: $codes) { descendants(level: MUNICIPALITY) { values(indicators: $indicators) { value } } } }',
    variables: () => ({ codes: countyCodes, indicators: municipalIndicators }),
    outcome: 'QUERY_TOO_COSTLY',
  },
  {
    name: '1,000 codes × descendants',
    query: () => 'query ($codes: [ID!]!) { regionsByCodes(codes: $codes) { descendants { code } } }',
    variables: () => ({ codes: Array.from({ length: 1000 }, (_, i) => countyCodes[i % countyCodes.length]) }),
    outcome: 'QUERY_TOO_COSTLY',
  },
  {
    name: 'the cooperation network of all municipalities',
    query: () => '{ cooperationNetwork(within: "03", level: MUNICIPALITY) { source { name } target { name } cooperationCount } }',
    outcome: 'answered',
  },
  {
    name: '30 cooperation networks of all municipalities',
    query: () =>
      aliased(30, 'cooperationNetwork(within: "03", level: MUNICIPALITY) { source { name } target { name } cooperations { name } }'),
    outcome: 'QUERY_TOO_COSTLY',
  },
  {
    name: "funding by region with every region's descendants",
    query: () => '{ fundingSummary(groupBy: REGION) { groups { region { descendants { name } } } } }',
    outcome: 'QUERY_TOO_COSTLY',
  },
  {
    name: "a municipal ranking with each region's descendants",
    query: () =>
      'query ($i: ID!) { ranking(indicator: $i, year: 2022, level: MUNICIPALITY) { entries { region { descendants { name } } } } }',
    variables: () => ({ i: municipalIndicators[0] }),
    outcome: 'QUERY_TOO_COSTLY',
  },
  {
    name: 'four levels of children, then descendants',
    query: () => '{ region(code: "03") { children { children { children { children { descendants { name } } } } } } }',
    outcome: 'QUERY_TOO_COSTLY',
  },
  {
    name: 'projects × their regions × descendants',
    query: () => '{ projects(first: 200) { nodes { regions { region { descendants { name } } } } } }',
    outcome: 'QUERY_TOO_COSTLY',
  },
  {
    name: '30 × all series of the state',
    query: () => `query ($indicators: [ID!]!) ${aliased(30, 'region(code: "03") { values(indicators: $indicators) { value year } }')}`,
    variables: () => ({ indicators: municipalIndicators }),
    outcome: 'answered',
  },
];

describe('heavy requests within the depth, alias and token limits', () => {
  const durations: Record<string, number> = {};
  afterAll(() => {
    // Figures for the report, not assertions (the machine is shared).
    console.log(
      `exhaustion catalogue (production stack): slowest ${Math.max(...Object.values(durations)).toFixed(0)} ms; peak RSS ${processes.peakRss()}`,
      durations,
    );
  });

  it('has at least 15 data-dependent heavy requests', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(15);
  });

  it.each(CATALOGUE.map((request) => [request.name, request] as const))(
    '%s: refused before execution or answered within the budgets',
    async (_name, request) => {
      const answer = await post(request.query(), request.variables?.() ?? {});
      durations[request.name] = Math.round(answer.milliseconds);
      if (request.outcome === 'QUERY_TOO_COSTLY') {
        expect(answer.status).toBe(400);
        expect(answer.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
        // The estimate is in the error, over the limit, and said in the message.
        const cost = answer.body.errors?.[0]?.extensions?.cost as { estimated: number; limit: number };
        expect(cost.estimated).toBeGreaterThan(cost.limit);
        expect(answer.body.errors?.[0]?.message).toContain(String(cost.estimated));
      } else {
        expect(answer.status).toBe(200);
        expect(answer.body.errors).toBeUndefined();
        expect(answer.body.data).toBeTruthy();
        const cost = answer.body.extensions!.cost!;
        expect(cost.estimated).toBeLessThanOrEqual(cost.limit);
        expect(cost.actual).toBeGreaterThan(0);
        // The estimate is an upper bound of what the answer holds.
        expect(cost.actual).toBeLessThanOrEqual(cost.estimated);
      }
      // The bounds: within 3 s (a generous bound: the slowest admitted request, the long-form
      // table, takes about 1 s on a loaded 2-core machine), and no process past the memory bound.
      expect(answer.milliseconds).toBeLessThan(ANSWER_BOUND_MS);
      for (const service of processes.services) {
        expect(service.process.exitCode).toBeNull();
        expect(readProcessMemory(service.process.pid)!.peakRss).toBeLessThan(MEMORY_BOUND_BYTES);
      }
    },
    120_000,
  );

  it('leaves every subgraph up and answering', async () => {
    for (const service of processes.services) {
      const ready = await fetch(service.url.replace(/\/graphql$/, '/ready'));
      expect(ready.status).toBe(200);
    }
    const answer = await post('{ region(code: "03") { name value(indicator: "population", year: 2022) { value } } }', {}, 'plain');
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data).toMatchObject({ region: { name: 'Niedersachsen' } });
  }, 60_000);
});

/**
 * The production stack as `npm start` runs it: every subgraph and the gateway a process of its own
 * (NODE_ENV=production, default limits), on OS-chosen ports, against the test database (seeded by
 * the in-process stack above, so the processes do not seed). In one process, admitted heavy tables
 * would block every other query of the same event loop, which production does not do.
 */
interface ProcessStack {
  url: string;
  services: Service[];
  /** Peak resident set (VmHWM) of each process, for the report. */
  peakRss(): string;
  stop(): Promise<void>;
}

async function startProcessStack(): Promise<ProcessStack> {
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'regiograph-exhaustion-'));
  const base = { NODE_ENV: 'production', AUTH_SECRET: SECRET, LOG_LEVEL: 'warn' };
  const services: Service[] = [];
  const stop = async () => {
    await Promise.all(services.map((service) => stopService(service)));
    rmSync(logDir, { recursive: true, force: true });
  };
  try {
    const ports = await chooseSubgraphPorts(SUBGRAPHS, () => findFreePort());
    const subgraphUrls = ports.urls;
    for (const entry of SUBGRAPHS) {
      services.push(
        startService({
          ...subgraphProcess(entry),
          env: { ...base, DATABASE_URL: testDatabaseUrl(), SEED_ON_START: 'false', ...subgraphUrls },
          port: ports.portOf(entry.name),
          logDir,
        }),
      );
    }
    await Promise.all(services.map((service) => waitUntilReady(service)));
    const gateway = startService({
      name: 'gateway',
      entry: packageEntry('@regiograph/gateway'),
      // Default limits; only the request rate is raised: the plain client asks again and again for as
      // long as the heavy requests run. The subgraph timeout is raised for the shedding test: the
      // heavy requests it admits while 40 arrive at once share two loaded cores, and a timeout would
      // turn "served" into SUBGRAPH_UNAVAILABLE, which that test is not about. The catalogue asserts
      // its own 3 s bound, so the raised timeout hides nothing there.
      env: {
        ...base,
        ...subgraphUrls,
        API_KEYS_DATABASE_URL: testDatabaseUrl(),
        RESPONSE_CACHE: 'false',
        WATCH_SUPERGRAPH: 'false',
        RATE_LIMIT_REQUESTS: '1000000',
        SUBGRAPH_TIMEOUT_MS: '60000',
        // Under the in-process stack's prefix: the gateway process keeps its keys in the REDIS_URL it
        // inherits, and the stack deletes its prefix there when it stops (a prefix of its own stayed).
        REDIS_KEY_PREFIX: `${stack.redisKeyPrefix}exhaustion:`,
      },
      port: await findFreePort(),
      logDir,
    });
    services.push(gateway);
    await waitUntilReady(gateway);
    return {
      url: gateway.url,
      services,
      peakRss: () =>
        services
          .map((service) => `${service.name} ${((readProcessMemory(service.process.pid)?.peakRss ?? 0) / 1024 ** 2).toFixed(0)} MiB`)
          .join(', '),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

describe('load shedding on the production stack (separate processes)', () => {
  it('sheds expensive requests with 503 and Retry-After while plain region queries keep answering', async () => {
    const heavy = `query ($indicators: [ID!]!) { ${table('cells { value year regionCode indicatorCode }')} }`;
    const plain = '{ region(code: "03459") { code name parent { name } } }';
    // A gateway in service has planned both operations before (the catalogue above planned the heavy
    // one already): a first plan and JIT are start-up, not load, and are left out of the figure.
    const coldPlain = await post(plain, {}, 'plain', undefined, processes.url);
    expect(coldPlain.status).toBe(200);
    expect((await post(heavy, { indicators: municipalIndicators }, 'warm-up', undefined, processes.url)).status).toBe(200);
    // The heavy callers' keys are issued before, so that their requests set off together.
    await Promise.all(Array.from({ length: 40 }, (_, i) => stack.apiKey(`heavy-${i}`)));
    const plainLatencies: number[] = [];
    let heavyDone = false;
    const heavyRuns = Promise.all(
      Array.from({ length: 40 }, (_, i) => post(heavy, { indicators: municipalIndicators }, `heavy-${i}`, undefined, processes.url)),
    ).finally(() => {
      heavyDone = true;
    });
    const plainRuns = (async () => {
      const answers: Answer[] = [];
      // Plain queries for as long as the heavy ones run (at least ten).
      while (!heavyDone || answers.length < 10) {
        const answer = await post(plain, {}, 'plain', undefined, processes.url);
        plainLatencies.push(answer.milliseconds);
        answers.push(answer);
      }
      return answers;
    })();
    const [heavyAnswers, plainAnswers] = await Promise.all([heavyRuns, plainRuns]);
    for (const answer of plainAnswers) {
      expect(answer.status).toBe(200);
      expect(answer.body.data).toEqual({ region: { code: '03459', name: 'Osnabrück', parent: { name: 'Weser-Ems' } } });
    }
    const shed = heavyAnswers.filter((answer) => answer.status === 503);
    const served = heavyAnswers.filter((answer) => answer.status === 200);
    expect(shed.length + served.length).toBe(40);
    expect(served.length).toBeGreaterThan(0);
    expect(shed.length).toBeGreaterThan(0);
    for (const answer of shed) {
      expect(answer.body.errors?.[0]?.extensions?.code).toBe('OVERLOADED');
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    for (const answer of served) expect(answer.body.errors).toBeUndefined();
    const sorted = [...plainLatencies].sort((a, b) => a - b);
    const percentile = (share: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))]!.toFixed(0);
    // Reported; only the p95 below is asserted, as the issue demands.
    console.log(
      `production stack (separate processes): plain region query during 40 heavy requests: ${sorted.length} answers, p50 ${percentile(0.5)} ms, p95 ${percentile(0.95)} ms, max ${percentile(1)} ms (a first plain answer before the load: ${coldPlain.milliseconds.toFixed(0)} ms); heavy: ${served.length} served, ${shed.length} shed; peak RSS ${processes.peakRss()}`,
    );
    // Issue 12's requirement, a generous bound by design (typically 100-250 ms on a loaded 2-core
    // machine): expensive answers are shaped on the gateway's worker thread (GATEWAY_OFFLOAD_COST), so a
    // plain query no longer waits behind half a second of one.
    expect(Number(percentile(0.95))).toBeLessThan(1000);
    for (const service of processes.services) {
      expect(service.process.exitCode).toBeNull();
      expect(readProcessMemory(service.process.pid)!.peakRss).toBeLessThan(MEMORY_BOUND_BYTES);
    }
  }, 300_000);
});

describe('load shedding and cost budgets', () => {
  it('charges cost points per client: a few heavy calls spend the budget, others keep theirs', async () => {
    const gateway = await stack.startGateway({
      // An hour's window: on a slow machine the 40 calls must not outlive the window and refill the budget.
      env: {
        NODE_ENV: 'production',
        AUTH_SECRET: SECRET,
        RESPONSE_CACHE: 'false',
        WATCH_SUPERGRAPH: 'false',
        RATE_LIMIT_COST_POINTS: '40000',
        RATE_LIMIT_REQUESTS: '1000',
        RATE_LIMIT_WINDOW_SECONDS: '3600',
      },
    });
    const ask = async (client: string, query: string) =>
      fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': await stack.apiKey(client) },
        body: JSON.stringify({ query }),
      });
    const descendants = '{ region(code: "03") { descendants { code } } }'; // 1 + 1,132 points
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await ask('spender', descendants)).status);
    expect(statuses.filter((status) => status === 200).length).toBe(Math.floor(40_000 / 1133));
    const refused = await ask('spender', descendants);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as Answer['body']).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    // Another client has its own budget.
    expect((await ask('saver', descendants)).status).toBe(200);
  }, 120_000);
});

describe('a caller who hangs up', () => {
  it('stops the database work done for it (pg_stat_activity)', async () => {
    // Hold the observations so that the table's statement waits in PostgreSQL, visibly.
    // A gateway that would wait two minutes for the subgraph, and statements that may run 15 s: only
    // the hang-up can end the statement within the 10 s this test waits.
    const patient = await stack.startGateway({
      env: {
        NODE_ENV: 'production',
        AUTH_SECRET: SECRET,
        RESPONSE_CACHE: 'false',
        WATCH_SUPERGRAPH: 'false',
        SUBGRAPH_TIMEOUT_MS: '120000',
      },
    });
    const locker = new pg.Client({ connectionString: testDatabaseUrl() });
    const watcher = new pg.Client({ connectionString: testDatabaseUrl() });
    await locker.connect();
    await watcher.connect();
    const lockerPid = (await locker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const waiting = async () =>
      (
        await watcher.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE application_name = 'regiograph-indicators' AND state = 'active' AND $1 = ANY(pg_blocking_pids(pid))`,
          [lockerPid],
        )
      ).rows;
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE indicators.observation IN ACCESS EXCLUSIVE MODE');
      const caller = new AbortController();
      const request = post(
        `query ($indicators: [ID!]!) { ${table('cells { value }')} }`,
        { indicators: municipalIndicators.slice(0, 2) },
        'hangs-up',
        caller.signal,
        patient.url,
      ).catch((error: unknown) => error);
      let blocked: { pid: number }[] = [];
      for (let attempt = 0; attempt < 600 && blocked.length === 0; attempt++) {
        blocked = await waiting();
        if (blocked.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(blocked.length).toBe(1);
      caller.abort();
      expect(await request).toMatchObject({ name: 'AbortError' });
      // The lock is still held: only a cancellation ends the statement.
      let still = blocked;
      for (let attempt = 0; attempt < 200 && still.length > 0; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        still = await waiting();
      }
      expect(still).toEqual([]);
      const cancelled = await watcher.query<{ pid: number; state: string; query: string }>(
        'SELECT pid, state, query FROM pg_stat_activity WHERE pid = $1',
        [blocked[0]!.pid],
      );
      // The backend is idle again (or gone), not running the table's statement.
      expect(cancelled.rows.every((row) => row.state !== 'active')).toBe(true);
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
      await watcher.end();
    }
    // The subgraph serves the next request normally.
    const after = await post(
      `query ($indicators: [ID!]!) { observationTable(indicators: $indicators, regions: { codes: ["03459"] }, fromYear: 2020, toYear: 2020) { cells { value } } }`,
      { indicators: municipalIndicators.slice(0, 1) },
      'after',
      undefined,
      patient.url,
    );
    expect(after.body.errors).toBeUndefined();
  }, 120_000);
});

describe('budgets inside a subgraph', () => {
  it('stops an answer past its item or byte budget with one clear error, and keeps serving', async () => {
    const regions = (await import('@regiograph/regions')) as {
      createServer(options: {
        databaseUrl: string;
        maxItems?: number;
        maxResponseBytes?: number;
      }): Promise<{ listen(port: number): Promise<{ url: string }>; close(): Promise<void> }>;
    };
    const server = await regions.createServer({ databaseUrl: testDatabaseUrl(), maxItems: 2000, maxResponseBytes: 200_000 });
    const { url } = await server.listen(0);
    const ask = async (query: string) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      return (await response.json()) as Answer['body'];
    };
    try {
      // 1,132 descendants × 2 fields each, past 2,000 items: one error, no partial answer.
      const tooMany = await ask('{ region(code: "03") { descendants { code name } } }');
      expect(tooMany.data).toBeNull();
      expect(tooMany.errors).toHaveLength(1);
      expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'TOO_MANY_ITEMS', limit: 2000 });
      // All 967 unsimplified municipal boundaries (about 470 kB): few items, but more bytes than allowed.
      const tooLarge = await ask('{ regions(filter: { level: MUNICIPALITY }, first: 1000) { nodes { boundary } } }');
      expect(tooLarge.data).toBeNull();
      expect(tooLarge.errors?.[0]?.extensions).toMatchObject({ code: 'RESPONSE_TOO_LARGE', limit: 200_000 });
      // Within both budgets, the same subgraph answers.
      const fine = await ask('{ region(code: "03") { children { code } } }');
      expect(fine.errors).toBeUndefined();
      expect((fine.data as { region: { children: unknown[] } }).region.children).toHaveLength(4);
    } finally {
      await server.close();
    }
  }, 60_000);
});
