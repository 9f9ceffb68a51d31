// The worker thread that executes expensive operations (offload.ts): an Apollo Gateway over the same
// supergraph and subgraphs as the main thread's, answering with the serialised result. An operation
// that one subgraph answers as asked skips Apollo's execution (pass-through.ts).
// First: Apollo Gateway must bind to the flat copy of federation-internals' exports.
import './federation-exports';
import { AsyncLocalStorage } from 'node:async_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { ApolloGateway, type SupergraphSdlUpdateFunction } from '@apollo/gateway';
import type { QueryPlan } from '@apollo/query-planner';
import { ApolloServer } from '@apollo/server';
import { BoundedDocumentStore, BoundedJsonStore, silentLogger } from '@regiograph/shared';
import type { GatewayContext } from './context';
import type { OffloadReply, OffloadRequest, OffloadWorkerData } from './offload';
import { CircuitBreakers } from './circuit-breaker';
import { createSubgraphFetcher, type SubgraphFetchObserver } from './subgraph-fetch';
import { READ_AFTER_LSN_HEADER, recordWritePosition } from './read-after-write';
import { PassThrough } from './pass-through';
import { serialise, transferable } from './serialised-data';
import { SubgraphDataSource } from './subgraph-source';

const settings = workerData as OffloadWorkerData;
const port = parentPort!;
/** The operation a subgraph call is made for: its caller's signal and its context (see below). */
const operations = new AsyncLocalStorage<{ signal: AbortSignal; context: GatewayContext }>();
// This thread's subgraph fetches go to the main thread's /metrics, like the fetches made there.
const observer: SubgraphFetchObserver = {
  fetched: (subgraph, outcome, seconds) => port.postMessage({ type: 'subgraph-fetch', subgraph, outcome, seconds } satisfies OffloadReply),
  merged: (subgraph) => port.postMessage({ type: 'subgraph-merged', subgraph } satisfies OffloadReply),
  shortCircuited: (subgraph) => port.postMessage({ type: 'subgraph-short-circuited', subgraph } satisfies OffloadReply),
  probed: (subgraph) => port.postMessage({ type: 'subgraph-probed', subgraph } satisfies OffloadReply),
  circuitChanged: (subgraph, change, retryAt) =>
    port.postMessage({ type: 'subgraph-circuit', subgraph, change, retryAt } satisfies OffloadReply),
};
// The main thread's circuits: one state per subgraph for the fetches of both threads.
const circuits = CircuitBreakers.attach(settings.circuits);
let updateSupergraph: SupergraphSdlUpdateFunction | null = null;

/**
 * executeOperation hands resolvers a shallow copy of the context, so the write position a subgraph
 * reports is recorded on the operation's own context as well, for the reply.
 */
class WorkerSubgraphDataSource extends SubgraphDataSource {
  protected override didReceiveResponse(...[response, context]: Parameters<SubgraphDataSource['didReceiveResponse']>) {
    const operation = operations.getStore();
    if (operation) recordWritePosition(operation.context, response.http?.headers.get(READ_AFTER_LSN_HEADER));
    return super.didReceiveResponse(response, context);
  }
}

const passThrough: PassThrough | null = settings.passThrough ? new PassThrough(() => gateway.__testing().queryPlanner) : null;

/** The query plans this thread's Apollo Gateway keeps, bounded by their size; exported for tests. */
export const queryPlans = new BoundedJsonStore<QueryPlan>(settings.queryPlanStoreBytes);

const gateway: ApolloGateway = new ApolloGateway({
  supergraphSdl: async ({ update }) => {
    updateSupergraph = update;
    return { supergraphSdl: settings.supergraphSdl };
  },
  queryPlannerConfig: { cache: queryPlans },
  buildService: ({ name }) => {
    const url = settings.subgraphUrls[name] ?? '';
    const fetcher = createSubgraphFetcher(name, settings.subgraphTimeoutMs, observer, {
      dedupeInflight: settings.dedupeInflight,
      signalOf: () => operations.getStore()?.signal,
      circuit: circuits.of(name),
    });
    return new WorkerSubgraphDataSource(url, passThrough ? passThrough.replaying(name, url, fetcher) : fetcher, {
      name,
      maxNesting: settings.maxNesting,
    });
  },
});

const apollo = new ApolloServer<GatewayContext>({
  gateway,
  includeStacktraceInErrorResponses: false,
  stopOnTerminationSignals: false,
  documentStore: new BoundedDocumentStore(),
});
const started = apollo.start();
const running = new Map<number, AbortController>();

async function execute(message: Extract<OffloadRequest, { type: 'execute' }>): Promise<OffloadReply> {
  await started;
  const controller = new AbortController();
  running.set(message.id, controller);
  try {
    const contextValue: GatewayContext = {
      requestId: message.requestId,
      caller: null,
      forwardedHeaders: message.forwardedHeaders,
      readAfterLsn: null,
      logger: silentLogger,
      client: 'offloaded',
      estimatedCost: null,
      // Rate limits, cost points and per-key usage are settled on the main thread.
      apiKey: null,
      chargedCostPoints: 0,
    };
    const { query, variables, operationName } = message;
    const throughApollo = () => apollo.executeOperation({ query, variables, operationName }, { contextValue });
    const response = await operations.run({ signal: controller.signal, context: contextValue }, () =>
      passThrough
        ? passThrough.answer({ query, operationName, variables, headers: message.forwardedHeaders, context: contextValue }, throughApollo)
        : throughApollo(),
    );
    const { readAfterLsn } = contextValue;
    if ('passedThrough' in response) return { type: 'result', id: message.id, data: transferable(response.passedThrough), readAfterLsn };
    if (response.body.kind !== 'single') throw new Error('An offloaded operation answered incrementally.');
    const { data, errors } = response.body.singleResult;
    // The data crosses to the main thread as JSON bytes (written to the client as they are), errors
    // as JSON text: their extensions may hold what structured cloning refuses.
    return { type: 'result', id: message.id, data: data && serialise(data), errors: errors && JSON.stringify(errors), readAfterLsn };
  } finally {
    running.delete(message.id);
  }
}

port.on('message', (message: OffloadRequest) => {
  if (message.type === 'abort') {
    running.get(message.id)?.abort(new Error('The caller closed the connection.'));
  } else if (message.type === 'supergraph') {
    updateSupergraph?.(message.sdl);
  } else {
    execute(message).then(
      // The data's bytes move to the main thread instead of being copied.
      (reply) => port.postMessage(reply, reply.type === 'result' && reply.data ? [reply.data.json.buffer] : []),
      (error: unknown) =>
        port.postMessage({
          type: 'failed',
          id: message.id,
          message: error instanceof Error ? error.message : String(error),
        } satisfies OffloadReply),
    );
  }
});
