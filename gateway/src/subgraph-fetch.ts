import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { currentRequestSignal, type Logger } from '@regiograph/shared';
import { GraphQLError } from 'graphql';
import { createAgentFetch, TimeoutError, type AgentFetchInit } from './agent-fetch';
import type { CircuitChange, CircuitProbe, FetchVerdict, SubgraphCircuit } from './circuit-breaker';
import { GatewayErrorCode } from './errors';
import { dedupeInflight, type SubgraphSend } from './inflight-dedupe';
import type { GatewayMetrics } from './metrics';

/** Where the measurements of subgraph fetches go: the process's metrics, or (on the worker thread) the main thread. */
export interface SubgraphFetchObserver {
  fetched(subgraph: string, outcome: string, seconds: number): void;
  merged(subgraph: string): void;
  /** A fetch not sent because the subgraph's circuit is open (circuit-breaker.ts). */
  shortCircuited(subgraph: string): void;
  /** The gateway sent a probe to a subgraph whose circuit is open, to learn whether it is ready again. */
  probed(subgraph: string): void;
  /** A subgraph's circuit opened, failed its probe (reopened) or closed; `retryAt` while it is open. */
  circuitChanged(subgraph: string, change: Exclude<CircuitChange, null>, retryAt: number | null): void;
}

/** Records subgraph fetches in the gateway's Prometheus metrics (/metrics), and logs their circuits' changes. */
export function metricsObserver(metrics: GatewayMetrics, logger: Logger): SubgraphFetchObserver {
  return {
    fetched: (subgraph, outcome, seconds) => metrics.subgraphFetch.observe({ subgraph, outcome }, seconds),
    merged: (subgraph) => metrics.subgraphMerged.inc({ subgraph }),
    shortCircuited: (subgraph) => metrics.subgraphShortCircuited.inc({ subgraph }),
    probed: (subgraph) => metrics.subgraphProbes.inc({ subgraph }),
    // The gauge reads the circuits themselves (server.ts); on-call reads when and why here.
    circuitChanged: (subgraph, change, retryAt) =>
      logger[change === 'closed' ? 'info' : 'warn'](`subgraph circuit ${change}`, {
        subgraph,
        ...(retryAt === null ? {} : { retryAt: new Date(retryAt).toISOString() }),
      }),
  };
}

type Fetcher = NonNullable<NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher']>;

/**
 * Where a subgraph answers whether it can serve (its database reachable): /ready beside its GraphQL
 * endpoint (shared/src/http.ts serves both), also under a prefix a proxy mounts it at
 * (`…/api/regions/graphql` → `…/api/regions/ready`). Asked by the gateway's /ready and by the probes of
 * open circuits.
 */
export function readyUrlOf(graphqlUrl: string): string {
  const url = new URL(graphqlUrl);
  // Resolved against `…/graphql/`, `ready` would land inside the endpoint (`…/graphql/ready`).
  url.pathname = url.pathname.replace(/\/+$/, '');
  return new URL('ready', url).href;
}

/**
 * The probe of one subgraph's open circuit, once taken (SubgraphCircuit.takeProbe): a GET of its /ready,
 * and only a 2xx within the probe timeout closes the circuit; one given up through `signal` (the
 * gateway's close) records nothing. A subgraph whose database is away still
 * answers `{ __typename }` (the probe before), and a circuit closed on that sent clients on to database
 * errors. Never rejects: its outcome goes to the circuit, and the circuit's change to the observer.
 */
export function createCircuitProbe(
  subgraph: string,
  graphqlUrl: string,
  circuit: SubgraphCircuit,
  observer: SubgraphFetchObserver,
  agentFetch = createAgentFetch(),
): CircuitProbe {
  return async (signal) => {
    observer.probed(subgraph);
    let verdict: FetchVerdict = 'failure';
    try {
      if ((await agentFetch(readyUrlOf(graphqlUrl), { signal, timeoutMs: circuit.probeTimeoutMs })).ok) verdict = 'success';
    } catch {
      // Unreachable, timed out, or no usable URL: not ready. Given up on the gateway's close, it says
      // nothing of the subgraph (taken for a failure, it reopened the circuit, and the shutdown logged that).
      if (signal?.aborted) verdict = 'neutral';
    }
    const change = circuit.recordProbe(verdict);
    if (change) observer.circuitChanged(subgraph, change, circuit.retryAt());
  };
}

/**
 * The fetch the gateway uses for one subgraph: keep-alive connections (the largest single speed
 * factor between gateway and subgraphs), bounded by a timeout so that a slow subgraph costs only
 * its own fields (the subgraph then sees the connection close and stops), and measured per subgraph.
 * With `dedupeInflight`, identical queries in flight at once are sent once (inflight-dedupe.ts).
 * With `circuit`, a subgraph that keeps failing is not called while its circuit is open (circuit-breaker.ts):
 * every path that fetches a subgraph (Apollo's execution, pass-through, the offload worker) goes through here.
 */
export function createSubgraphFetcher(
  subgraph: string,
  timeoutMs: number,
  observer: SubgraphFetchObserver,
  options: { dedupeInflight: boolean; signalOf?: () => AbortSignal | undefined; circuit?: SubgraphCircuit } = { dedupeInflight: true },
): Fetcher {
  const { circuit } = options;
  const signalOf = options.signalOf ?? currentRequestSignal;
  const agentFetch = createAgentFetch();
  const changed = (change: CircuitChange | undefined) => {
    if (change) observer.circuitChanged(subgraph, change, circuit!.retryAt());
  };
  // The circuit judges each fetch that reaches the subgraph, beneath the merging: callers merged into
  // one fetch are one failure, not one each (a popular query opened the circuit sooner than
  // SUBGRAPH_BREAKER_FAILURES said), and one caller giving up does not make the fetch the others still
  // wait for neutral.
  const judgedFetch: SubgraphSend = async (url, init) => {
    try {
      const response = await agentFetch(url, init);
      changed(circuit?.record(response.status >= 500 ? 'failure' : 'success'));
      return response;
    } catch (error) {
      // A fetch given up by its callers says nothing of the subgraph.
      changed(circuit?.record(!(error instanceof TimeoutError) && init.signal?.aborted ? 'neutral' : 'failure'));
      throw error;
    }
  };
  const send = options.dedupeInflight ? dedupeInflight(judgedFetch, { onMerged: () => observer.merged(subgraph) }) : judgedFetch;
  const fetcher = async (url: string, init?: AgentFetchInit) => {
    const admission = circuit?.admit() ?? { admitted: true };
    if (!admission.admitted) {
      // The request that found the cooldown over fails at once like the others: the probe is the
      // gateway's own, and no client waits for a subgraph that may still hang.
      if (admission.probe) void createCircuitProbe(subgraph, url, circuit!, observer, agentFetch)();
      observer.shortCircuited(subgraph);
      throw circuitOpenError(subgraph, admission.retryAt, admission.probeUnderWay);
    }
    const started = performance.now();
    const done = (outcome: string) => observer.fetched(subgraph, outcome, (performance.now() - started) / 1000);
    const signal = init?.signal ?? signalOf();
    try {
      // A caller who hangs up takes the subgraph calls made for it down too: the subgraphs see the
      // connection close and stop their work (resolvers, database statements).
      const response = await send(url, { ...init, signal, timeoutMs });
      done(response.ok ? 'ok' : `http_${response.status}`);
      return response;
    } catch (error) {
      const timedOut = error instanceof TimeoutError;
      done(timedOut ? 'timeout' : 'unreachable');
      // Said without addresses or stack: this message may reach clients in production.
      throw new GraphQLError(
        timedOut
          ? `The ${subgraph} service did not answer within ${timeoutMs} ms; the fields it provides are missing from this answer.`
          : `The ${subgraph} service is unreachable; the fields it provides are missing from this answer.`,
        { extensions: { code: GatewayErrorCode.SubgraphUnavailable, serviceName: subgraph } },
      );
    }
  };
  return fetcher;
}

/** The error of a fetch not sent: the SUBGRAPH_UNAVAILABLE of a failed one, saying why and when the subgraph is tried again. */
function circuitOpenError(subgraph: string, retryAt: number, probeUnderWay: boolean): GraphQLError {
  const when = probeUnderWay
    ? 'a probe of the gateway is finding out whether it answers again'
    : `it is tried again at ${new Date(retryAt).toISOString()} (in ${Math.max(1, Math.ceil((retryAt - Date.now()) / 1000))} s)`;
  return new GraphQLError(
    `The ${subgraph} service failed repeatedly and its circuit is open, so it was not called; ${when}. The fields it provides are missing from this answer.`,
    { extensions: { code: GatewayErrorCode.SubgraphUnavailable, serviceName: subgraph } },
  );
}
