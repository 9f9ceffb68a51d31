// A query that one subgraph answers exactly as the client asked is answered with the subgraph's own
// JSON, without Apollo Gateway's execution: per request, that execution rebuilds the federation
// operation from the document (operationFromDocument, 100–160 µs) and shapes the answer object by
// object (computeResponse: 0.3 ms for a 2 KB answer, 1.2 ms for 12 KB, 21 ms for 230 KB, about 0.7 s
// for a 5 MB long-form table; docs/benchmarks.md). Used on the main thread and the offload worker.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ApolloGateway } from '@apollo/gateway';
import { operationFromDocument } from '@apollo/federation-internals';
import { tracer } from '@regiograph/shared';
import { Kind, parse, print, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { GatewayContext } from './context';
import { wrapGatewayExecutor, type GatewayExecutor, type GatewayInterface } from './gateway-executor';
import { variablesAccepted } from './input-values';
import { READ_AFTER_LSN_HEADER, recordWritePosition } from './read-after-write';
import { answerData, serialisedData, type SerialisedData } from './serialised-data';
import type { createSubgraphFetcher } from './subgraph-fetch';
import { subgraphRequestInit } from './subgraph-source';

type Fetcher = ReturnType<typeof createSubgraphFetcher>;
type FetcherResponse = Awaited<ReturnType<Fetcher>>;
export type Planner = NonNullable<ReturnType<ApolloGateway['__testing']>['queryPlanner']>;

/** The one subgraph call that answers an operation as asked. */
interface SingleFetch {
  subgraph: string;
  query: string;
  operationName: string | undefined;
  variableNames: string[];
}

/** An operation as the client sent it, with the headers its subgraph calls carry. */
export interface PassThroughRequest {
  query: string;
  operationName: string | undefined;
  variables: Record<string, unknown> | undefined;
  headers: Record<string, string>;
  /** Receives the write position the subgraph reports (read-after-write.ts). */
  context: GatewayContext;
  /**
   * Whether the variables fit the operation (input-values.ts), asked only for an operation this path
   * would answer; no: Apollo's execution answers with the errors, and no subgraph is called. Left out
   * where the variables were checked before (the worker's operations).
   */
  variablesAccepted?: () => boolean;
}

/** A subgraph's answer (or failure) fetched on this path, for Apollo's execution to use instead of calling again. */
interface Replay {
  subgraph: string;
  response: () => Promise<FetcherResponse>;
}

/** Decisions kept per query planner (a new supergraph brings a new one), at most this many. */
const MAX_DECISIONS = 1_000;

/**
 * And at most this many characters of query text (the client's, as the key, and the subgraph's
 * operation): a query may be 100 kB (GATEWAY_MAX_BODY_BYTES) within the token limit, so 1,000 distinct
 * ones, cheap and anonymous, held about 100 MB in each thread that answers (the main thread and the
 * offload worker) until the supergraph changed.
 */
export const MAX_DECISION_CHARACTERS = 8 * 1024 * 1024;

interface Decisions {
  entries: Map<string, SingleFetch | null>;
  characters: number;
}

function operationOf(document: DocumentNode, operationName: string | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  return operationName ? operations.find((definition) => definition.name?.value === operationName) : operations[0];
}

/**
 * Answers single-subgraph queries with the subgraph's JSON. Apollo Gateway's subgraph fetchers are
 * wrapped (`replaying`), so that an answer this path fetched but cannot use (errors, extensions, a
 * failed call) is handed to Apollo's execution instead of calling the subgraph a second time.
 */
export class PassThrough {
  private readonly decisions = new WeakMap<Planner, Decisions>();
  private readonly fetchers = new Map<string, { url: string; fetcher: Fetcher }>();
  /** Per operation on this path: the answer fetched but left for Apollo's execution, until its fetcher takes it. */
  private readonly replays = new AsyncLocalStorage<{ pending: Replay | null }>();

  /** Characters of the query texts the current planner's decisions hold (keys and subgraph operations). */
  get decisionCharacters(): number {
    const planner = this.planner();
    return (planner && this.decisions.get(planner)?.characters) ?? 0;
  }

  /** `planner`: Apollo Gateway's current query planner (`gateway.__testing().queryPlanner`), none before it loaded. */
  constructor(private readonly planner: () => Planner | undefined) {}

  /** The subgraph's fetch for Apollo Gateway (buildService), which first hands over an answer already fetched here. */
  replaying(subgraph: string, url: string, fetcher: Fetcher): Fetcher {
    this.fetchers.set(subgraph, { url, fetcher });
    return (requestUrl, init) => {
      const operation = this.replays.getStore();
      const replay = operation?.pending;
      if (replay?.subgraph !== subgraph) return fetcher(requestUrl, init);
      operation!.pending = null;
      return replay.response();
    };
  }

  /**
   * The operation's data as the subgraph's JSON text when one subgraph answered it as asked without
   * errors; otherwise the result of `execute` (Apollo's execution), which then finds any answer
   * already fetched.
   */
  async answer<T>(request: PassThroughRequest, execute: () => Promise<T>): Promise<{ passedThrough: SerialisedData } | T> {
    const single = this.singleFetch(request.query, request.operationName);
    if (!single || request.variablesAccepted?.() === false) return execute();
    const operation: { pending: Replay | null } = { pending: null };
    return this.replays.run(operation, async () => {
      const data = await tracer().startActiveSpan('gateway.passThrough', async (span) => {
        span.setAttribute('graphql.subgraph', single.subgraph);
        try {
          return await this.fetch(single, request, operation);
        } finally {
          span.end();
        }
      });
      return data === null ? execute() : { passedThrough: data };
    });
  }

  /**
   * Whether the operation is one fetch from one subgraph with exactly the client's selection (no
   * fragments, keys, `__typename` or renames added by the planner, no introspection). Then the
   * subgraph's answer, when it has no errors, is the answer, and shaping would only copy it.
   */
  private singleFetch(query: string, operationName: string | undefined): SingleFetch | null {
    const planner = this.planner();
    if (!planner) return null;
    let decisions = this.decisions.get(planner);
    if (!decisions) this.decisions.set(planner, (decisions = { entries: new Map(), characters: 0 }));
    const key = `${operationName ?? ''}\n${query}`;
    const known = decisions.entries.get(key);
    if (known !== undefined) return known;
    let decision: SingleFetch | null = null;
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
      // Not plannable here: Apollo's own execution answers with the error.
      decision = null;
    }
    const characters = key.length + (decision?.query.length ?? 0);
    if (decisions.entries.size >= MAX_DECISIONS || decisions.characters + characters > MAX_DECISION_CHARACTERS) {
      decisions.entries.clear();
      decisions.characters = 0;
    }
    // One alone larger than the bound is made anew each time rather than kept.
    if (characters > MAX_DECISION_CHARACTERS) return decision;
    decisions.entries.set(key, decision);
    decisions.characters += characters;
    return decision;
  }

  /**
   * Calls the subgraph. Returns its data when it is a plain, well-formed `{"data":…}` answer;
   * otherwise (errors, extensions, a cut-off answer, a failed call) null, with the answer left for
   * Apollo's execution, which shapes or reports it exactly as for any operation.
   */
  private async fetch(
    single: SingleFetch,
    request: PassThroughRequest,
    operation: { pending: Replay | null },
  ): Promise<SerialisedData | null> {
    const subgraph = this.fetchers.get(single.subgraph);
    if (!subgraph) return null;
    const { variables } = request;
    const picked = Object.fromEntries(
      single.variableNames.filter((name) => variables && name in variables).map((name) => [name, variables![name]]),
    );
    let response: FetcherResponse;
    try {
      // Inside the pass-through's span: the subgraph's spans become its children.
      response = await subgraph.fetcher(
        subgraph.url,
        subgraphRequestInit(
          { query: single.query, variables: picked, operationName: single.operationName },
          request.headers,
          single.subgraph,
        ),
      );
    } catch (error: unknown) {
      operation.pending = { subgraph: single.subgraph, response: () => Promise.reject(error) };
      return null;
    }
    const text = await response.clone().text();
    // Conservative: "errors" or "extensions" anywhere (even inside a value) takes Apollo's path.
    const data = response.ok && !text.includes('"errors"') && !text.includes('"extensions"') ? answerData(text) : null;
    if (data) {
      recordWritePosition(request.context, response.headers.get(READ_AFTER_LSN_HEADER));
      return data;
    }
    operation.pending = { subgraph: single.subgraph, response: () => Promise.resolve(response) };
    return null;
  }
}

/** Apollo Server's gateway with the queries that one subgraph answers as asked passed through. */
export function passingThrough(gateway: GatewayInterface, passThrough: PassThrough, onPassedThrough?: () => void): GatewayInterface {
  return wrapGatewayExecutor(gateway, (local): GatewayExecutor => async (requestContext) => {
    if (requestContext.operation.operation !== 'query') return local(requestContext);
    const contextValue = requestContext.context as GatewayContext;
    const { variables, operationName } = requestContext.request;
    const answer = await passThrough.answer(
      {
        query: requestContext.source,
        operationName,
        variables,
        headers: contextValue.forwardedHeaders,
        context: contextValue,
        variablesAccepted: () => variablesAccepted(requestContext),
      },
      () => local(requestContext),
    );
    if (!('passedThrough' in answer)) return answer;
    onPassedThrough?.();
    return { data: serialisedData(answer.passedThrough) };
  });
}
