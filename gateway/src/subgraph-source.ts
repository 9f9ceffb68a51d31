import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { traceContextHeaders } from '@regiograph/shared';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from './context';
import { documentLimitsMismatch } from './document-limits';
import { SUBGRAPHS } from './subgraphs';
import { READ_AFTER_LSN_HEADER, recordWritePosition } from './read-after-write';
import type { createSubgraphFetcher } from './subgraph-fetch';

type Fetcher = ReturnType<typeof createSubgraphFetcher>;
type ProcessOptions = GraphQLDataSourceProcessOptions<GatewayContext>;
type SubgraphResponse = Awaited<ReturnType<GraphQLDataSource<GatewayContext>['process']>>;
type FetcherResponse = Awaited<ReturnType<Fetcher>>;

/** What the gateway's fetch gets for a subgraph call (narrower than AgentFetchInit, as Apollo's Fetcher expects). */
export interface SubgraphRequestInit {
  method: 'POST';
  headers: Record<string, string>;
  body: string;
}

/** The subgraphs that verify callers' tokens (SubgraphEntry.verifiesCallers): the only ones sent Authorization. */
const VERIFYING_CALLERS: ReadonlySet<string> = new Set(SUBGRAPHS.filter((entry) => entry.verifiesCallers).map((entry) => entry.name));

/**
 * One subgraph call as the gateway sends it, here and on the pass-through path: the caller's
 * forwarded headers (Authorization only to a subgraph that verifies callers) and the trace context
 * (the subgraph's spans join the request's trace), and the body with the query first, which the
 * in-flight merging reads (inflight-dedupe.ts).
 */
export function subgraphRequestInit(
  request: { query: string; variables?: Record<string, unknown>; operationName?: string },
  forwardedHeaders: Record<string, string>,
  subgraph: string | undefined,
): SubgraphRequestInit {
  const { query, variables, operationName } = request;
  const { authorization, ...others } = forwardedHeaders;
  const headers = authorization !== undefined && subgraph !== undefined && VERIFYING_CALLERS.has(subgraph) ? forwardedHeaders : others;
  return {
    method: 'POST',
    headers: { ...headers, ...traceContextHeaders(), 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables, operationName }),
  };
}

/** Who a subgraph is, for errors that name it and compare its limits with the gateway's. */
export interface SubgraphIdentity {
  name: string;
  /** The gateway's MAX_DOCUMENT_NESTING (document-limits.ts). */
  maxNesting: number;
}

/**
 * A subgraph as the gateway calls it. It does what Apollo's RemoteGraphQLDataSource does for us
 * (headers, JSON body, errors from HTTP status, the subgraph's Cache-Control restricting the
 * answer's cache policy) without building node-fetch's Headers and Request on every call: the
 * Request alone encoded each body once more, about 20 µs a call before our fetch encoded it again,
 * and a region page makes nine calls.
 */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(
    readonly url: string,
    private readonly fetcher: Fetcher,
    private readonly subgraph?: SubgraphIdentity,
  ) {}

  async process(options: ProcessOptions): Promise<SubgraphResponse> {
    const { request } = options;
    if (!request.query) throw new Error('Missing query');
    // Only requests made for a client's operation carry its headers; health checks and schema
    // loading have none. (@apollo/gateway exports the kind enum only from a deep dist/ path.)
    const incoming = 'incomingRequestContext' in options ? options : null;
    const forwarded: Record<string, string> = { ...(incoming?.context.forwardedHeaders ?? {}) };
    // Apollo's own headers for the call (the federated trace request, when tracing is on).
    for (const [name, value] of request.http?.headers ?? []) forwarded[name.toLowerCase()] = value;
    const init = subgraphRequestInit(
      { query: request.query, variables: request.variables, operationName: request.operationName },
      incoming ? forwarded : {},
      this.subgraph?.name,
    );
    const response = await this.fetcher(this.url, init);
    const body = await parseBody(response);
    if (!response.ok) {
      throw (
        (this.subgraph && documentLimitsMismatch(this.subgraph.name, this.subgraph.maxNesting, body)) ?? errorFromResponse(response, body)
      );
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new Error(`Expected JSON response body, but received: ${String(body)}`);
    }
    const answer = { ...(body as SubgraphResponse), http: response } as SubgraphResponse;
    if (!incoming) return answer;
    const received = this.didReceiveResponse(answer, incoming.context);
    const policy = incoming.incomingRequestContext.overallCachePolicy;
    if (policy && 'restrict' in policy) policy.restrict(cacheHintOf(response.headers.get('cache-control')));
    return received;
  }

  /** The write position a subgraph reports after a mutation goes back to the client (read-after-write.ts). */
  protected didReceiveResponse(response: SubgraphResponse, context: GatewayContext): SubgraphResponse {
    recordWritePosition(context, response.http?.headers.get(READ_AFTER_LSN_HEADER));
    return response;
  }
}

function parseBody(response: FetcherResponse): Promise<unknown> {
  const contentType = response.headers.get('content-type');
  const json = contentType?.startsWith('application/json') || contentType?.startsWith('application/graphql-response+json');
  return json ? response.json() : response.text();
}

/** As Apollo's: `<status>: <text>`, with the answer in extensions (error masking decides what clients see). */
function errorFromResponse(response: FetcherResponse, body: unknown): GraphQLError {
  const code = response.status === 401 ? 'UNAUTHENTICATED' : response.status === 403 ? 'FORBIDDEN' : undefined;
  return new GraphQLError(`${response.status}: ${response.statusText}`, {
    extensions: {
      response: { url: response.url, status: response.status, statusText: response.statusText, body },
      ...(code ? { code } : {}),
    },
  });
}

/** What a subgraph's Cache-Control allows the whole answer: no caching unless it says max-age. */
function cacheHintOf(header: string | null): { maxAge: number; scope?: 'PUBLIC' | 'PRIVATE' } {
  const directives = new Map(
    (header ?? '').split(',').map((part) => {
      const [name = '', value = ''] = part.trim().toLowerCase().split('=');
      return [name, value] as const;
    }),
  );
  const maxAge = directives.get('max-age') ?? '';
  return {
    maxAge: /^[0-9]+$/.test(maxAge) ? Number(maxAge) : 0,
    ...(directives.has('private') ? { scope: 'PRIVATE' as const } : directives.has('public') ? { scope: 'PUBLIC' as const } : {}),
  };
}
