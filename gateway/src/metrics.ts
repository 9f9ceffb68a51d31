import { ServiceMetrics } from '@regiograph/shared';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { CircuitBreakers } from './circuit-breaker';
import type { SharedStore } from './store';

/** Prometheus metrics of one gateway, served at /metrics. */
export class GatewayMetrics extends ServiceMetrics {
  readonly requests = new Counter({
    name: 'regiograph_gateway_requests_total',
    help: 'GraphQL requests by operation type and outcome.',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'regiograph_gateway_errors_total',
    help: 'Errors returned to clients, by code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'regiograph_gateway_request_duration_seconds',
    help: 'Time from receiving a GraphQL request to sending its answer.',
    labelNames: ['operation'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly subgraphFetch = new Histogram({
    name: 'regiograph_gateway_subgraph_fetch_duration_seconds',
    help: 'Time of each fetch from a subgraph, by subgraph and outcome.',
    labelNames: ['subgraph', 'outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly subgraphErrors = new Counter({
    name: 'regiograph_gateway_subgraph_errors_total',
    help: 'GraphQL requests whose answer holds an error that a subgraph gave or caused, by subgraph and code, once per request. A subgraph whose database is away still answers HTTP 200, so only this tells which one fails.',
    labelNames: ['subgraph', 'code'] as const,
    registers: [this.registry],
  });
  readonly subgraphMerged = new Counter({
    name: 'regiograph_gateway_subgraph_requests_merged_total',
    help: 'Subgraph queries not sent because an identical one was in flight (GATEWAY_DEDUPE_INFLIGHT), by subgraph.',
    labelNames: ['subgraph'] as const,
    registers: [this.registry],
  });
  readonly subgraphShortCircuited = new Counter({
    name: 'regiograph_gateway_subgraph_short_circuited_total',
    help: 'Subgraph fetches not sent because the subgraph failed repeatedly and its circuit is open (SUBGRAPH_BREAKER_FAILURES), by subgraph; answered with SUBGRAPH_UNAVAILABLE at once.',
    labelNames: ['subgraph'] as const,
    registers: [this.registry],
  });
  readonly subgraphProbes = new Counter({
    name: 'regiograph_gateway_subgraph_probes_total',
    help: "Probes (GET of the subgraph's /ready) the gateway sent to a subgraph whose circuit is open, once its cooldown was over (SUBGRAPH_BREAKER_COOLDOWN_MS), by subgraph; no client waits for one.",
    labelNames: ['subgraph'] as const,
    registers: [this.registry],
  });
  readonly passedThrough = new Counter({
    name: 'regiograph_gateway_passed_through_total',
    help: "Queries on the main thread answered with one subgraph's own answer, without Apollo Gateway's execution (GATEWAY_PASS_THROUGH).",
    registers: [this.registry],
  });
  readonly offloaded = new Counter({
    name: 'regiograph_gateway_offloaded_total',
    help: 'Expensive queries executed on the worker thread (GATEWAY_OFFLOAD_COST).',
    registers: [this.registry],
  });
  readonly cache = new Counter({
    name: 'regiograph_gateway_response_cache_total',
    help: 'Response cache lookups by result (hit, miss), stores, and answers too large to store (too_large).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'regiograph_gateway_rate_limited_total',
    help: 'Requests refused with 429 by the rate limiter.',
    registers: [this.registry],
  });

  constructor() {
    super('regiograph_gateway_');
  }

  /**
   * 1 while the shared store (Redis) answers, 0 while it is away: the gateway goes on without it
   * (rate limits and cost budgets admit, cached answers are made anew, persisted queries are not
   * found), so nothing else in these metrics says so. Read at each scrape.
   */
  watchSharedStore(store: SharedStore): void {
    new Gauge({
      name: 'regiograph_gateway_shared_store_up',
      help: 'Whether the shared store (Redis with REDIS_URL, else memory) answers: 1 yes, 0 no.',
      labelNames: ['kind'] as const,
      registers: [this.registry],
      collect() {
        this.set({ kind: store.kind }, store.unavailable() === null ? 1 : 0);
      },
    });
  }

  /**
   * 1 while a subgraph's circuit is open (or half-open, its probe not yet answered), else 0; read
   * at each scrape from the circuits the main thread and the offload worker share.
   */
  watchCircuits(circuits: CircuitBreakers): void {
    new Gauge({
      name: 'regiograph_gateway_subgraph_circuit_open',
      help: "Whether a subgraph's circuit is open, its fetches failing at once with SUBGRAPH_UNAVAILABLE: 1 yes, 0 no.",
      labelNames: ['subgraph'] as const,
      registers: [this.registry],
      collect() {
        for (const { subgraph, retryAt } of circuits.states()) this.set({ subgraph }, retryAt === null ? 0 : 1);
      },
    });
  }
}
