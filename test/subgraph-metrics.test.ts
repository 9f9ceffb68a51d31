// A subgraph's /metrics shows what its database does, provoked against the real PostgreSQL: a
// statement held up by a lock until its statement_timeout, and a connection pool used up. The
// gateway saw either only as a slow subgraph. Counts and states are asserted, never durations.
import path from 'node:path';
import { connectClient } from '@regiograph/db';
import { createServer } from '@regiograph/regions';
import { createLogger, SUBGRAPHS, subgraphEntry, type RunningServer } from '@regiograph/shared';
import { documentedMetrics, scrapeServiceProcess, scrapeWithTokens, servedMetrics, TOKEN_ASKED } from '@regiograph/shared/testing';
import { metricsOf, metricValue, testDatabaseUrl, type GraphQLResult, type SubgraphModule } from './harness';

/** A read of regions.region whose answer is the same on a seeded and an empty database. */
const REGION_QUERY = '{ regions(filter: { search: "no region is called so" }, first: 1) { nodes { code } } }';
const ANSWERED = { status: 200, data: { regions: { nodes: [] } } };

async function post(url: string, query: string): Promise<GraphQLResult<{ regions: { nodes: { code: string }[] } }>> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return { status: response.status, ...((await response.json()) as Omit<GraphQLResult<never>, 'status'>) };
}

/** A session of its own that holds an exclusive lock on regions.region until `release`: every read of it waits. */
async function lockRegions(): Promise<{ release(): Promise<void> }> {
  const session = await connectClient({ connectionString: testDatabaseUrl(), application_name: 'regiograph-test-lock' });
  await session.query('BEGIN');
  await session.query('LOCK TABLE regions.region IN ACCESS EXCLUSIVE MODE');
  return {
    async release() {
      await session.query('ROLLBACK');
      await session.end();
    },
  };
}

/** Scrapes `url`'s /metrics until `reached` holds for the exposition (a state the test waits for, not a time). */
async function scrapeUntil(url: string, reached: (text: string) => boolean): Promise<string> {
  for (;;) {
    const response = await fetch(url.replace(/\/graphql$/, '/metrics'));
    // A server without metrics would never reach the state: said at once instead of waiting for it.
    if (!response.ok) throw new Error(`/metrics answered HTTP ${response.status}: ${await response.text()}`);
    const text = await response.text();
    if (reached(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a subgraph whose database is slow', () => {
  let server: Awaited<ReturnType<typeof createServer>> | undefined;
  let running: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    running = undefined;
  });

  it('answers a statement stopped by statement_timeout with DATABASE_TIMEOUT, and /metrics counts it', async () => {
    const lines: { level: string; message: string; errors?: { code: string }[] }[] = [];
    const logger = createLogger('regions', { level: 'info', write: (line) => lines.push(JSON.parse(line) as (typeof lines)[number]) });
    server = await createServer({ databaseUrl: testDatabaseUrl(), statementTimeoutMs: 300, logger });
    running = await server.listen(0);
    const lock = await lockRegions();
    let answer: Awaited<ReturnType<typeof post>>;
    try {
      answer = await post(running.url, REGION_QUERY);
    } finally {
      await lock.release();
    }
    // What happened and its own code, neither Prisma's words nor a stack trace.
    expect(answer).toEqual({
      status: 200,
      data: null,
      errors: [
        {
          message:
            'A database statement of this request ran past its time limit (300 ms) and was stopped: the database is slow or busy. Try again later.',
          locations: [{ line: 1, column: 3 }],
          path: ['regions'],
          extensions: { code: 'DATABASE_TIMEOUT', timeoutMs: 300 },
        },
      ],
    });
    const afterTimeout = await metricsOf(running);
    expect({
      timedOut: metricValue(afterTimeout, 'regiograph_subgraph_sql_statements_total', 'outcome="statement_timeout"'),
      errors: metricValue(afterTimeout, 'regiograph_subgraph_graphql_errors_total', 'code="DATABASE_TIMEOUT"'),
      requests: metricValue(afterTimeout, 'regiograph_subgraph_requests_total', 'outcome="error"'),
    }).toEqual({ timedOut: 1, errors: 1, requests: 1 });
    expect(afterTimeout).toContain('subgraph="regions"');
    // Logged as the server's trouble, not the caller's.
    expect(lines.filter((line) => line.message === 'graphql errors').map(({ level, errors }) => ({ level, errors }))).toEqual([
      { level: 'error', errors: [expect.objectContaining({ code: 'DATABASE_TIMEOUT' })] },
    ]);

    // The lock gone, the same query is answered, and its statement counted as ok.
    const okBefore = metricValue(afterTimeout, 'regiograph_subgraph_sql_statements_total', 'outcome="ok"');
    expect(await post(running.url, REGION_QUERY)).toEqual(ANSWERED);
    const afterAnswer = await metricsOf(running);
    expect(metricValue(afterAnswer, 'regiograph_subgraph_sql_statements_total', 'outcome="ok"') - okBefore).toBe(1);
    expect(metricValue(afterAnswer, 'regiograph_subgraph_sql_statements_total', 'outcome="statement_timeout"')).toBe(1);
    expect(metricValue(afterAnswer, 'regiograph_subgraph_sql_statement_duration_seconds_count', 'subgraph="regions"')).toBe(okBefore + 2);
  });

  it('shows requests waiting for a connection while its pool is used up, and none once it is free again', async () => {
    server = await createServer({ databaseUrl: testDatabaseUrl(), maxConnections: 1 });
    const { url } = (running = await server.listen(0));
    const lock = await lockRegions();
    let answers: Promise<Awaited<ReturnType<typeof post>>[]>;
    let exhausted: string;
    try {
      // One request holds the pool's only connection, waiting for the lock; the other two wait for the connection.
      answers = Promise.all([1, 2, 3].map(() => post(url, REGION_QUERY)));
      exhausted = await scrapeUntil(url, (text) => metricValue(text, 'regiograph_subgraph_db_pool_waiting', 'pool="primary"') === 2);
    } finally {
      await lock.release();
    }
    const pool = (text: string) =>
      Object.fromEntries(
        ['connections', 'idle_connections', 'waiting', 'max_connections'].map((gauge) => [
          gauge,
          metricValue(text, `regiograph_subgraph_db_pool_${gauge}`, 'pool="primary"'),
        ]),
      );
    expect(pool(exhausted)).toEqual({ connections: 1, idle_connections: 0, waiting: 2, max_connections: 1 });
    for (const answer of await answers) expect(answer).toEqual(ANSWERED);
    const freed = await metricsOf(running);
    expect(pool(freed)).toEqual({ connections: 1, idle_connections: 1, waiting: 0, max_connections: 1 });
    // Both waits stay counted once the gauge is back at 0: a pool saturated between two scrapes shows.
    expect(metricValue(freed, 'regiograph_subgraph_db_pool_waits_total', 'pool="primary"')).toBe(2);
  });
});

/** A series of prom-client's process metrics under the subgraphs' prefix (subgraph-kit's metrics.ts). */
const PROCESS_SERIES = ['regiograph_subgraph_process_cpu_user_seconds_total', 'regiograph_subgraph_nodejs_eventloop_lag_seconds'];

describe('subgraph process metrics', () => {
  it.each(SUBGRAPHS.map((entry) => entry.name))(
    'the %s server made in-process serves its own metrics, labelled with its name, but none of the process',
    async (name) => {
      const module = (await import(subgraphEntry(name).packageName)) as SubgraphModule;
      const server = await module.createServer({ databaseUrl: testDatabaseUrl() });
      try {
        const text = await metricsOf(await server.listen(0));
        expect(text).toMatch(new RegExp(`^regiograph_subgraph_db_pool_max_connections\\{.*subgraph="${name}".*\\} 10$`, 'm'));
        for (const series of PROCESS_SERIES) expect(text).not.toContain(series);
      } finally {
        await server.close();
      }
    },
  );

  it('the subgraph process (runSubgraph) serves them at /metrics, with every subgraph metric docs/operations.md names', async () => {
    const { status, text, mainPortStatus, exitCode } = await scrapeServiceProcess({
      entry: path.join(__dirname, '../subgraphs/regions/src/index.ts'),
      // HOST blank, as a ConfigMap may leave it: the default 127.0.0.1, which the settings line says (it was
      // handed to listen as '', every interface, and logged as the URL http://:<port>/graphql).
      env: { ...process.env, DATABASE_URL: testDatabaseUrl(), PORT: '0', HOST: '', SEED_ON_START: 'false', LOG_LEVEL: 'info' },
      listening: 'regions subgraph listening',
    });
    expect(status).toBe(200);
    // Without METRICS_PORT, /metrics is served beside /graphql.
    expect(mainPortStatus).toBe(200);
    for (const series of PROCESS_SERIES) expect(text).toMatch(new RegExp(`^${series}\\{[^}]*subgraph="regions"`, 'm'));
    // Alert rules written against a name the subgraphs do not emit would never fire.
    const emitted = servedMetrics(text);
    const documented = documentedMetrics(path.join(__dirname, '../docs/operations.md'), 'regiograph_subgraph_');
    expect(documented.length).toBeGreaterThan(8);
    expect(documented.filter((name) => !emitted.has(name))).toEqual([]);
    expect(exitCode).toBe(0);
  });
});

describe('subgraph metrics on a port of their own (METRICS_PORT, METRICS_TOKEN)', () => {
  const scrape = async (url: string) => {
    const response = await fetch(url);
    return { status: response.status, text: await response.text() };
  };

  it('serves /metrics only on the metrics port, never /graphql there, and closes it with the server', async () => {
    const server = await createServer({ databaseUrl: testDatabaseUrl(), metricsExposure: { port: 0, token: null } });
    const running = await server.listen(0);
    try {
      expect(running.metricsUrl).not.toBeNull();
      expect(new URL(running.metricsUrl!).port).not.toBe(String(running.port));
      const metrics = await scrape(running.metricsUrl!);
      expect(metrics.status).toBe(200);
      expect(metrics.text).toMatch(/^regiograph_subgraph_db_pool_max_connections\{.*subgraph="regions".*\} 10$/m);
      expect((await scrape(running.url.replace(/\/graphql$/, '/metrics'))).status).toBe(404);
      // The API still answers on its own port, and not on the metrics port.
      expect(await post(running.url, REGION_QUERY)).toEqual(ANSWERED);
      expect((await scrape(running.metricsUrl!.replace(/\/metrics$/, '/graphql?query=%7B__typename%7D'))).status).toBe(404);
    } finally {
      await server.close();
    }
    await expect(fetch(running.metricsUrl!)).rejects.toThrow();
  });

  it('asks for METRICS_TOKEN as a bearer token, compared whole', async () => {
    const server = await createServer({ databaseUrl: testDatabaseUrl(), metricsExposure: { port: null, token: 'scrape-secret' } });
    const running = await server.listen(0);
    try {
      const url = running.url.replace(/\/graphql$/, '/metrics');
      expect(await scrapeWithTokens(url, 'scrape-secret', 'regiograph_subgraph_requests_total')).toEqual(TOKEN_ASKED);
      expect(running.metricsUrl).toBe(url);
    } finally {
      await server.close();
    }
  });

  it('the subgraph process (runSubgraph) reads METRICS_PORT and METRICS_TOKEN, and answers 404 for /metrics on its API port', async () => {
    const { status, text, mainPortStatus, exitCode } = await scrapeServiceProcess({
      entry: path.join(__dirname, '../subgraphs/regions/src/index.ts'),
      env: {
        ...process.env,
        DATABASE_URL: testDatabaseUrl(),
        PORT: '0',
        METRICS_PORT: '0',
        METRICS_TOKEN: 'scrape-secret',
        HOST: '127.0.0.1',
        SEED_ON_START: 'false',
        LOG_LEVEL: 'info',
      },
      listening: 'regions subgraph listening',
      token: 'scrape-secret',
    });
    expect(status).toBe(200);
    expect(text).toMatch(new RegExp(`^${PROCESS_SERIES[0]}\\{[^}]*subgraph="regions"`, 'm'));
    expect(mainPortStatus).toBe(404);
    // It closed the metrics listener too: a listener left open would keep the process from exiting.
    expect(exitCode).toBe(0);
  });
});
