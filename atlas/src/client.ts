import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { version } from '../package.json';
import { failureOf, type ApiError, type Failure } from './errors';
import { isTransient } from './retry';

/** The gateway's GraphQL endpoint, relative to where the Atlas is served (/atlas/ → /graphql). */
const ENDPOINT = new URL('../graphql', document.baseURI).toString();

/**
 * Sent with every request: the gateway counts the use of deprecated fields by client
 * (regiograph_gateway_deprecated_usage_total), and without a name the Atlas's use was `anonymous`.
 */
const HEADERS = {
  'content-type': 'application/json',
  'apollographql-client-name': 'regiograph-atlas',
  'apollographql-client-version': version,
};

interface GraphQLResponse<TResult> {
  data?: TResult | null;
  errors?: ApiError[];
}

/** The document's persisted hash, embedded by GraphQL Code Generator's client preset as "sha256:<hex>". */
function hashOf(document: TypedDocumentNode<unknown, unknown>): string | undefined {
  return (document as { __meta__?: { hash?: string } }).__meta__?.hash?.replace(/^sha256:/, '');
}

/** A request that failed; `transient` when asking again later may succeed. */
export class RequestError extends Error {
  constructor(
    readonly failure: Failure,
    readonly transient: boolean,
  ) {
    super(failure.text);
  }
}

/** What the page says for an error a request threw: anything but a RequestError is the Atlas's own fault. */
export function failureOfError(error: unknown): Failure {
  return error instanceof RequestError ? error.failure : { text: 'Fehler im Atlas.', details: [String(error)] };
}

/**
 * How long the page waits for an answer to begin. A phone in a dead spot keeps a request open without
 * an error for minutes, and the page would say "wird geladen" all that time. The gateway answers within
 * this even when its subgraphs time out (10 s each by default). Only the answer's start is timed: a large
 * map still arrives over a slow network, however long its body takes.
 */
export const ANSWER_TIMEOUT_MS = 40_000;

async function post<TResult>(body: unknown): Promise<GraphQLResponse<TResult>> {
  let response: Response;
  const abort = new AbortController();
  // A timer of the page, not AbortSignal.timeout: the browser tests move the page's clock to reach it.
  const timer = setTimeout(() => abort.abort(), ANSWER_TIMEOUT_MS);
  try {
    response = await fetch(ENDPOINT, { method: 'POST', headers: HEADERS, body: JSON.stringify(body), signal: abort.signal });
  } catch (error) {
    // No answer in time, or none at all: the network or the gateway is away, which passes.
    if (abort.signal.aborted)
      throw new RequestError({ text: `Keine Antwort der API innerhalb von ${ANSWER_TIMEOUT_MS / 1000} s.`, details: [] }, true);
    // The browser's words are English.
    throw new RequestError({ text: 'Keine Verbindung zur API.', details: [error instanceof Error ? error.message : String(error)] }, true);
  } finally {
    clearTimeout(timer);
  }
  try {
    return (await response.json()) as GraphQLResponse<TResult>;
  } catch {
    // Not GraphQL's JSON: a proxy's error page in front of a gateway that is restarting.
    throw new RequestError(
      { text: `Keine lesbare Antwort (HTTP ${response.status}).`, details: [] },
      response.status >= 500 || response.status === 429,
    );
  }
}

/** An answer with data; `partial` says what failed when some fields are missing (null) from it. */
export interface Answer<TResult> {
  data: TResult;
  partial: Failure | null;
  /** The missing parts may come with a later answer (a subgraph that was down). */
  transient: boolean;
}

/**
 * Runs a registered operation by its hash alone. Only a gateway that has persisted queries turned off
 * answers PERSISTED_QUERY_NOT_SUPPORTED; then the document itself is sent.
 */
export async function request<TResult, TVariables>(
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
): Promise<Answer<TResult>> {
  const hash = hashOf(document as TypedDocumentNode<unknown, unknown>);
  let result = hash ? await post<TResult>({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }) : null;
  const code = result?.errors?.[0]?.extensions?.code;
  if (!result || code === 'PERSISTED_QUERY_NOT_SUPPORTED' || code === 'PERSISTED_QUERY_NOT_FOUND') {
    result = await post<TResult>({ query: print(document), variables });
  }
  if (!result.data) throw new RequestError(failureOf(result.errors), !result.errors?.length || isTransient(result.errors));
  // A subgraph that is down leaves its fields null beside the others' answers: the views must tell
  // "unavailable" from "none", so the errors travel with the data.
  const errors = result.errors ?? [];
  return { data: result.data, partial: errors.length ? failureOf(errors) : null, transient: isTransient(errors) };
}
