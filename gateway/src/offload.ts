// Expensive operations run on a worker thread. A 7 × 967 × 14 indicator table in long form (about
// 5 MB) cost the gateway 1.1–1.8 s of CPU (--cpu-prof: ~0.7 s Apollo Gateway's result shaping, which
// the worker now skips for a single-subgraph answer, see offload-worker.ts; ~0.1 s JSON.parse, then
// Apollo Server's serialisation and garbage collection), in one piece: on the main thread every
// cheap request arriving meanwhile waited for it (issue 12: a plain region query during 40 such
// tables, p95 up to 1.1 s). On the worker, the main thread only writes the finished answer's text
// (serialised-data.ts), and cheap queries go on in between.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { traceContextHeaders } from '@regiograph/shared';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from './context';
import { wrapGatewayExecutor, type GatewayExecutor, type GatewayInterface } from './gateway-executor';
import { variablesAccepted } from './input-values';
import { recordWritePosition } from './read-after-write';
import { serialisedData, type TransferableData } from './serialised-data';
import type { SharedCircuits } from './circuit-breaker';
import type { SubgraphFetchObserver } from './subgraph-fetch';

export interface OffloadWorkerData {
  supergraphSdl: string;
  subgraphUrls: Record<string, string>;
  subgraphTimeoutMs: number;
  /** The main thread's circuits, shared: the worker's fetches open and respect the same ones. */
  circuits: SharedCircuits;
  dedupeInflight: boolean;
  passThrough: boolean;
  queryPlanStoreBytes: number;
  /** The gateway's MAX_DOCUMENT_NESTING, for errors of subgraphs that allow less (document-limits.ts). */
  maxNesting: number;
}

export type OffloadRequest =
  | {
      type: 'execute';
      id: number;
      requestId: string;
      query: string;
      variables: Record<string, unknown> | undefined;
      operationName: string | undefined;
      forwardedHeaders: Record<string, string>;
    }
  | { type: 'abort'; id: number }
  | { type: 'supergraph'; sdl: string };

export type OffloadReply =
  | {
      type: 'result';
      id: number;
      /** The data as UTF-8 JSON and object count (null or absent as in the result). */
      data: TransferableData | null | undefined;
      /** The errors as JSON, when there are any. */
      errors?: string;
      readAfterLsn: string | null;
    }
  | { type: 'failed'; id: number; message: string }
  // The worker's subgraph fetches, for the process's /metrics (as the main thread's own fetches).
  | { type: 'subgraph-fetch'; subgraph: string; outcome: string; seconds: number }
  | { type: 'subgraph-merged'; subgraph: string }
  | { type: 'subgraph-short-circuited'; subgraph: string }
  | { type: 'subgraph-probed'; subgraph: string }
  | { type: 'subgraph-circuit'; subgraph: string; change: 'opened' | 'reopened' | 'closed'; retryAt: number | null };

interface SerialisedError {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

export interface OffloadOptions {
  /** Queries estimated above this cost run on the worker (GATEWAY_OFFLOAD_COST; 0 switches it off). */
  minCost: number;
  supergraphSdl: () => string;
  /** Known once the main thread's gateway has built its subgraphs. */
  subgraphUrls: () => Record<string, string>;
  subgraphTimeoutMs: number;
  /** The subgraphs' circuits (circuit-breaker.ts), shared with the worker. */
  circuits: SharedCircuits;
  dedupeInflight: boolean;
  /** Single-subgraph queries answered with the subgraph's JSON (pass-through.ts). */
  passThrough: boolean;
  /** JSON bytes of query plans the worker's Apollo Gateway keeps (GATEWAY_QUERY_PLAN_STORE_BYTES). */
  queryPlanStoreBytes: number;
  /** The gateway's MAX_DOCUMENT_NESTING (document-limits.ts). */
  maxNesting: number;
  /** Receives the worker's subgraph fetches (the main thread's metrics). */
  observer?: SubgraphFetchObserver;
}

function workerScript(): { file: string; execArgv?: string[] } {
  const compiled = path.join(__dirname, 'offload-worker.js');
  if (existsSync(compiled)) return { file: compiled };
  // Tests run the TypeScript sources (Jest's transform); the worker is compiled on the fly like the dev server.
  return { file: path.join(__dirname, 'offload-worker.ts'), execArgv: ['--require', require.resolve('tsx/cjs')] };
}

/** The worker thread, started at the first expensive operation and restarted if it ever dies. */
export class OffloadWorker {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (reply: Extract<OffloadReply, { type: 'result' }>) => void; reject: (error: Error) => void }
  >();

  constructor(private readonly options: OffloadOptions) {}

  private start(): Worker {
    if (this.worker) return this.worker;
    const script = workerScript();
    const data: OffloadWorkerData = {
      supergraphSdl: this.options.supergraphSdl(),
      subgraphUrls: this.options.subgraphUrls(),
      subgraphTimeoutMs: this.options.subgraphTimeoutMs,
      circuits: this.options.circuits,
      dedupeInflight: this.options.dedupeInflight,
      passThrough: this.options.passThrough,
      queryPlanStoreBytes: this.options.queryPlanStoreBytes,
      maxNesting: this.options.maxNesting,
    };
    const worker = new Worker(script.file, { workerData: data, ...(script.execArgv ? { execArgv: script.execArgv } : {}) });
    // An idle worker does not keep the process alive; requests in flight do, through their sockets.
    worker.unref();
    worker.on('message', (reply: OffloadReply) => {
      if (reply.type === 'subgraph-fetch') return this.options.observer?.fetched(reply.subgraph, reply.outcome, reply.seconds);
      if (reply.type === 'subgraph-merged') return this.options.observer?.merged(reply.subgraph);
      if (reply.type === 'subgraph-short-circuited') return this.options.observer?.shortCircuited(reply.subgraph);
      if (reply.type === 'subgraph-probed') return this.options.observer?.probed(reply.subgraph);
      if (reply.type === 'subgraph-circuit') return this.options.observer?.circuitChanged(reply.subgraph, reply.change, reply.retryAt);
      const waiter = this.waiting.get(reply.id);
      if (!waiter) return;
      this.waiting.delete(reply.id);
      if (reply.type === 'result') waiter.resolve(reply);
      else waiter.reject(new Error(reply.message));
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`The gateway's worker thread stopped (exit code ${code}).`)));
    this.worker = worker;
    return worker;
  }

  /** Tells a running worker about a new supergraph (a worker started later reads the current one). */
  supergraphChanged(sdl: string): void {
    this.worker?.postMessage({ type: 'supergraph', sdl } satisfies OffloadRequest);
  }

  async execute(
    request: Omit<Extract<OffloadRequest, { type: 'execute' }>, 'type' | 'id'>,
    signal: AbortSignal | undefined,
  ): Promise<Extract<OffloadReply, { type: 'result' }>> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const abort = () => worker.postMessage({ type: 'abort', id } satisfies OffloadRequest);
      signal?.addEventListener('abort', abort, { once: true });
      this.waiting.set(id, {
        resolve: (reply) => {
          signal?.removeEventListener('abort', abort);
          resolve(reply);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', abort);
          reject(error);
        },
      });
      worker.postMessage({ type: 'execute', id, ...request } satisfies OffloadRequest);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}

/**
 * Apollo Server's gateway with expensive queries executed on the worker: the demand-control plugin
 * has put the estimate into the context before execution; everything else (limits, rate and cost
 * budgets, shedding, caching, error masking, metrics) stays on the main thread as for any request.
 */
export function offloadingGateway(
  gateway: GatewayInterface,
  worker: OffloadWorker,
  options: { minCost: number; signalOf: () => AbortSignal | undefined; onOffloaded?: () => void },
): GatewayInterface {
  const { minCost, signalOf } = options;
  return wrapGatewayExecutor(
    gateway,
    (local): GatewayExecutor =>
      async (requestContext) => {
        const contextValue = requestContext.context as GatewayContext;
        const estimated = contextValue.estimatedCost;
        // The worker's operations leave Apollo's execution on this thread, which checks variables
        // first: operations with variables it refuses stay here and get its errors.
        if (
          requestContext.operation.operation !== 'query' ||
          estimated === null ||
          estimated <= minCost ||
          !variablesAccepted(requestContext)
        ) {
          return local(requestContext);
        }
        options.onOffloaded?.();
        const reply = await worker.execute(
          {
            requestId: contextValue.requestId,
            query: requestContext.source,
            variables: requestContext.request.variables,
            operationName: requestContext.request.operationName,
            // The worker registers no tracer (its Apollo Gateway spans are not recorded), but its
            // subgraph calls carry this request's trace context, so the subgraphs' spans join it.
            forwardedHeaders: { ...contextValue.forwardedHeaders, ...traceContextHeaders() },
          },
          signalOf(),
        );
        recordWritePosition(contextValue, reply.readAfterLsn);
        const errors = reply.errors === undefined ? undefined : (JSON.parse(reply.errors) as SerialisedError[]);
        return {
          data: reply.data && serialisedData(reply.data),
          errors: errors?.map((error) => new GraphQLError(error.message, { path: error.path, extensions: error.extensions })),
        };
      },
    () => worker.close(),
  );
}
