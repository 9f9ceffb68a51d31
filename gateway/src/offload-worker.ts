// The worker thread that executes expensive operations (offload.ts): an Apollo Gateway over the same
// supergraph and subgraphs as the main thread's, answering with the serialised result. An operation
// that one subgraph answers as asked (see passThroughFetch) skips Apollo's result shaping.
import { AsyncLocalStorage } from 'node:async_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { ApolloGateway, type SupergraphSdlUpdateFunction } from '@apollo/gateway';
import { operationFromDocument } from '@apollo/federation-internals';
import { ApolloServer } from '@apollo/server';
import { silentLogger } from '@regiograph/shared';
import { Kind, parse, print, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { GatewayContext } from './context';
import type { OffloadReply, OffloadRequest, OffloadWorkerData } from './offload';
import { createSubgraphFetcher, type SubgraphFetchObserver } from './subgraph-fetch';
import { READ_AFTER_LSN_HEADER, recordWritePosition } from './read-after-write';
import { SubgraphDataSource } from './subgraph-source';

const settings = workerData as OffloadWorkerData;
const port = parentPort!;
type Fetcher = ReturnType<typeof createSubgraphFetcher>;
type FetcherResponse = Awaited<ReturnType<Fetcher>>;
/**
 * The operation a subgraph call is made for: its caller's signal, its context (see below), and the
 * subgraph's answer already fetched on the pass-through path, handed to Apollo instead of a second call.
 */
const operations = new AsyncLocalStorage<{
  signal: AbortSignal;
  context: GatewayContext;
  replay: { subgraph: string; response: () => Promise<FetcherResponse> } | null;
}>();
// This thread's subgraph fetches go to the main thread's /metrics, like the fetches made there.
const observer: SubgraphFetchObserver = {
  fetched: (subgraph, outcome, seconds) => port.postMessage({ type: 'subgraph-fetch', subgraph, outcome, seconds } satisfies OffloadReply),
  merged: (subgraph) => port.postMessage({ type: 'subgraph-merged', subgraph } satisfies OffloadReply),
};
let updateSupergraph: SupergraphSdlUpdateFunction | null = null;

/**
 * executeOperation hands resolvers a shallow copy of the context, so the write position a subgraph
 * reports is recorded on the operation's own context as well, for the reply.
 */
class WorkerSubgraphDataSource extends SubgraphDataSource {
  override didReceiveResponse(options: Parameters<SubgraphDataSource['didReceiveResponse']>[0]) {
    const operation = operations.getStore();
    if (operation) recordWritePosition(operation.context, options.response.http?.headers.get(READ_AFTER_LSN_HEADER));
    return super.didReceiveResponse(options);
  }
}

const fetchers = new Map<string, Fetcher>();

/** The subgraph's fetch, which first hands over an answer the pass-through path has already fetched. */
function replayingFetcher(name: string, fetcher: Fetcher): Fetcher {
  return (url, init) => {
    const operation = operations.getStore();
    const replay = operation?.replay;
    if (replay?.subgraph !== name) return fetcher(url, init);
    operation!.replay = null;
    return replay.response();
  };
}

const gateway = new ApolloGateway({
  supergraphSdl: async ({ update }) => {
    updateSupergraph = update;
    return { supergraphSdl: settings.supergraphSdl };
  },
  buildService: ({ name }) => {
    const fetcher = createSubgraphFetcher(name, settings.subgraphTimeoutMs, observer, {
      dedupeInflight: settings.dedupeInflight,
      signalOf: () => operations.getStore()?.signal,
    });
    fetchers.set(name, fetcher);
    return new WorkerSubgraphDataSource({ url: settings.subgraphUrls[name] ?? '', fetcher: replayingFetcher(name, fetcher) });
  },
});

interface PassThrough {
  subgraph: string;
  query: string;
  operationName: string | undefined;
  variableNames: string[];
}
type Planner = NonNullable<ReturnType<ApolloGateway['__testing']>['queryPlanner']>;
/** Pass-through decisions by operation (bounded), per query planner: a new supergraph has a new one. */
const passThroughs = new WeakMap<Planner, Map<string, PassThrough | null>>();

function operationOf(document: DocumentNode, operationName: string | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  return operationName ? operations.find((definition) => definition.name?.value === operationName) : operations[0];
}

/**
 * Whether the operation is one fetch from one subgraph with exactly the client's selection (no
 * fragments, keys, `__typename` or renames added by the planner). Then the subgraph's answer, when
 * it has no errors, is the answer: Apollo's result shaping, about 0.7 s of CPU for a 7 × 967 × 14
 * long-form table (docs/benchmarks.md), would only copy it leaf by leaf.
 */
function passThroughFetch(query: string, operationName: string | undefined): PassThrough | null {
  const planner = gateway.__testing().queryPlanner;
  if (!planner) return null;
  let decisions = passThroughs.get(planner);
  if (!decisions) passThroughs.set(planner, (decisions = new Map()));
  const key = `${operationName ?? ''}\n${query}`;
  const known = decisions.get(key);
  if (known !== undefined) return known;
  let decision: PassThrough | null = null;
  try {
    const document = parse(query);
    const client = operationOf(document, operationName);
    const fragments = document.definitions.some((definition) => definition.kind === Kind.FRAGMENT_DEFINITION);
    if (client && client.operation === 'query' && !fragments) {
      const plan = planner.buildQueryPlan(operationFromDocument(planner.supergraph.apiSchema(), document, { operationName }));
      const fetch = plan.node?.kind === 'Fetch' ? plan.node : null;
      if (
        fetch &&
        fetch.operationKind === 'query' &&
        !fetch.hasDefers &&
        !fetch.requires?.length &&
        !fetch.inputRewrites?.length &&
        !fetch.outputRewrites?.length &&
        !fetch.contextRewrites?.length &&
        print(operationOf(parse(fetch.operation), fetch.operationName)!.selectionSet) === print(client.selectionSet)
      ) {
        decision = {
          subgraph: fetch.serviceName,
          query: fetch.operation,
          operationName: fetch.operationName,
          variableNames: fetch.variableUsages ?? [],
        };
      }
    }
  } catch {
    // Not plannable here: Apollo's own path answers with the error.
    decision = null;
  }
  if (decisions.size >= 1000) decisions.clear();
  decisions.set(key, decision);
  return decision;
}

/**
 * Fetches a pass-through operation's answer. Returns the subgraph's JSON when it is a plain
 * `{"data":…}` answer; otherwise (errors, extensions, a failed call) null, and the answer is handed
 * to Apollo's path, which shapes it exactly as for any operation, without calling the subgraph again.
 */
async function passThrough(
  fetch: PassThrough,
  variables: Record<string, unknown> | undefined,
  forwardedHeaders: Record<string, string>,
): Promise<string | null> {
  const operation = operations.getStore()!;
  const fetcher = fetchers.get(fetch.subgraph);
  const url = settings.subgraphUrls[fetch.subgraph];
  if (!fetcher || !url) return null;
  const picked = Object.fromEntries(
    fetch.variableNames.filter((name) => variables && name in variables).map((name) => [name, variables![name]]),
  );
  let response: FetcherResponse;
  try {
    response = await fetcher(url, {
      method: 'POST',
      headers: { ...forwardedHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ query: fetch.query, variables: picked, operationName: fetch.operationName }),
    });
  } catch (error: unknown) {
    operation.replay = { subgraph: fetch.subgraph, response: () => Promise.reject(error) };
    return null;
  }
  const text = await response.clone().text();
  // Conservative: "errors" or "extensions" anywhere (even inside a value) takes Apollo's path.
  if (response.ok && text.startsWith('{"data":{') && !text.includes('"errors"') && !text.includes('"extensions"')) {
    recordWritePosition(operation.context, response.headers.get(READ_AFTER_LSN_HEADER));
    return text;
  }
  operation.replay = { subgraph: fetch.subgraph, response: () => Promise.resolve(response) };
  return null;
}
const apollo = new ApolloServer<GatewayContext>({ gateway, includeStacktraceInErrorResponses: false, stopOnTerminationSignals: false });
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
    const operation = { signal: controller.signal, context: contextValue, replay: null };
    const response = await operations.run(operation, async () => {
      const fetch = passThroughFetch(message.query, message.operationName);
      const json = fetch ? await passThrough(fetch, message.variables, message.forwardedHeaders) : null;
      if (json !== null) return json;
      return apollo.executeOperation(
        { query: message.query, variables: message.variables, operationName: message.operationName },
        { contextValue },
      );
    });
    if (typeof response === 'string') return { type: 'result', id: message.id, json: response, readAfterLsn: contextValue.readAfterLsn };
    if (response.body.kind !== 'single') throw new Error('An offloaded operation answered incrementally.');
    const { data, errors } = response.body.singleResult;
    return { type: 'result', id: message.id, json: JSON.stringify({ data, errors }), readAfterLsn: contextValue.readAfterLsn };
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
      (reply) => port.postMessage(reply),
      (error: unknown) =>
        port.postMessage({
          type: 'failed',
          id: message.id,
          message: error instanceof Error ? error.message : String(error),
        } satisfies OffloadReply),
    );
  }
});
