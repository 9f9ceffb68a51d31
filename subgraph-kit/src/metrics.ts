import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { DatabaseClient, StatementOutcome } from '@regiograph/db';
import { ServiceMetrics } from '@regiograph/shared';
import { Counter, Gauge, Histogram } from 'prom-client';

/**
 * Prometheus metrics of one subgraph server, served at its /metrics, every series labelled with the
 * subgraph's name. What its database does shows here: the gateway sees a slow or exhausted database
 * only as slow answers and timeouts of the subgraph as a whole.
 */
export class SubgraphMetrics extends ServiceMetrics {
  readonly requests = new Counter({
    name: 'regiograph_subgraph_requests_total',
    help: 'GraphQL requests executed, by operation type and outcome (ok, partial, error).',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'regiograph_subgraph_graphql_errors_total',
    help: 'GraphQL errors answered, by code, also of requests refused before they were parsed.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'regiograph_subgraph_request_duration_seconds',
    help: 'Time from the start of a GraphQL request to its answer.',
    labelNames: ['operation'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
    registers: [this.registry],
  });
  readonly statements = new Counter({
    name: 'regiograph_subgraph_sql_statements_total',
    help: 'SQL statements PostgreSQL answered, by outcome (ok, error, statement_timeout, cancelled); transaction control left out.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly statementDuration = new Histogram({
    name: 'regiograph_subgraph_sql_statement_duration_seconds',
    help: 'Time PostgreSQL took for each SQL statement, from sending it to its answer (waits for locks included).',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
    registers: [this.registry],
  });

  constructor(subgraph: string) {
    super('regiograph_subgraph_');
    this.registry.setDefaultLabels({ subgraph });
  }

  /** Records one statement, as the database client tells it (DatabaseClientOptions.observeStatement). */
  readonly observeStatement = (outcome: StatementOutcome, seconds: number): void => {
    this.statements.inc({ outcome });
    this.statementDuration.observe(seconds);
  };

  /**
   * The connection pools' state, read at each scrape: open connections, idle ones, requests waiting for
   * one, and the most it may open; and how many requests for a connection had to wait. Waiting above 0
   * while open equals max is a saturated pool; waits rising between scrapes show one that saturates
   * between them, which the gauges, read at a scrape, miss.
   */
  watchPools(database: Pick<DatabaseClient, 'pool' | 'replicaPools'>): void {
    const pools = [
      { name: 'primary', pool: database.pool },
      ...database.replicaPools.map((pool, index) => ({ name: `replica${index + 1}`, pool })),
    ];
    const gauge = (name: string, help: string, read: (pool: (typeof pools)[number]['pool']) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['pool'] as const,
        registers: [this.registry],
        collect() {
          for (const each of pools) this.set({ pool: each.name }, read(each.pool));
        },
      });
    gauge('regiograph_subgraph_db_pool_connections', 'Open connections of the pool (in use and idle).', (pool) => pool.totalCount);
    gauge('regiograph_subgraph_db_pool_idle_connections', 'Open connections of the pool that are idle.', (pool) => pool.idleCount);
    gauge(
      'regiograph_subgraph_db_pool_waiting',
      'Requests for a connection waiting because the pool has none free.',
      (pool) => pool.waitingCount,
    );
    gauge('regiograph_subgraph_db_pool_max_connections', 'The most connections the pool opens.', maxConnectionsOf);
    const waits = new Counter({
      name: 'regiograph_subgraph_db_pool_waits_total',
      help: 'Requests for a connection that found none free and the pool at its maximum, so waited for one to be released.',
      labelNames: ['pool'] as const,
      registers: [this.registry],
    });
    for (const { name, pool } of pools) {
      waits.inc({ pool: name }, 0);
      countWaits(pool, () => waits.inc({ pool: name }));
    }
  }
}

type Pool = DatabaseClient['pool'];

/**
 * The most connections a pool opens, as the pool itself holds it: pg-pool puts its own default (10)
 * into its options when it is given none, so no default is repeated here to drift from pg's.
 */
function maxConnectionsOf(pool: Pool): number {
  return pool.options.max;
}

/**
 * Calls `waited` for each request for a connection that has to queue: none idle and the pool at its
 * maximum. pg-pool tells no event for that; every checkout, its own query() too, goes through connect().
 */
function countWaits(pool: Pool, waited: () => void): void {
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
  (pool as unknown as { connect: (...args: unknown[]) => unknown }).connect = (...args: unknown[]) => {
    if (pool.idleCount === 0 && pool.totalCount >= maxConnectionsOf(pool)) waited();
    return connect(...args);
  };
}

/** The code of an answered error, INTERNAL_SERVER_ERROR when it has none. */
export function errorCode(error: { extensions?: Record<string, unknown> }): string {
  const code = error.extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

/** Counts each request with its outcome and duration, and each of its errors by code, as answered. */
export function metricsPlugin(metrics: SubgraphMetrics): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ response, operation }) {
          const operationType = operation?.operation ?? 'unknown';
          metrics.duration.observe({ operation: operationType }, Number(process.hrtime.bigint() - started) / 1e9);
          if (response.body.kind !== 'single') return;
          const { errors = [], data } = response.body.singleResult;
          for (const error of errors) metrics.errors.inc({ code: errorCode(error) });
          const outcome = errors.length === 0 ? 'ok' : data ? 'partial' : 'error';
          metrics.requests.inc({ operation: operationType, outcome });
        },
      };
    },
  };
}
