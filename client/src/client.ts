import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';

/**
 * A document as GraphQL Code Generator writes it in string mode: the operation text, typed with its
 * result and variables.
 */
export type TypedDocument<TResult, TVariables> = DocumentTypeDecoration<TResult, TVariables> & { toString(): string };

/** Variables may be left out only when the operation has no required ones. */
export type VariablesArgument<TVariables> = Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

export interface ClientOptions {
  /** The gateway's GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  url: string;
  /** A JWT sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** A partner API key sent as `x-api-key`. */
  apiKey?: string;
  /** Milliseconds one attempt may take before it is abandoned. @default 30000 */
  timeoutMs?: number;
  /** Further attempts after a failed one, where retrying is safe (see `request`). @default 3 */
  retries?: number;
  /** Base of the exponential backoff between attempts, in milliseconds. @default 250 */
  retryDelayMs?: number;
  /** The longest wait between attempts, also for a server's Retry-After. @default 30000 */
  maxRetryDelayMs?: number;
  /**
   * The name sent as `apollographql-client-name` with every request: the gateway counts the use of
   * deprecated fields by it (docs/api-changes.md), so name your system. An API key, if sent, names the
   * client there instead.
   * @default 'regiograph-client'
   */
  clientName?: string;
  /**
   * The version sent as `apollographql-client-version` with every request.
   * @default this package's version (its package.json)
   */
  clientVersion?: string;
  /** More headers for every request; they take precedence over the ones the options above make. */
  headers?: Record<string, string>;
  /** The fetch to use (e.g. one with a proxy agent). @default globalThis.fetch */
  fetch?: typeof fetch;
}

export interface GraphQLErrorEntry {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string } & Record<string, unknown>;
}

/** The whole answer of one operation: data and errors side by side, as GraphQL returns them. */
export interface ExecutionResult<TResult> {
  data: TResult | null;
  errors: GraphQLErrorEntry[];
  /** HTTP status of the answer. */
  status: number;
}

/** GraphQL errors in an answer; `data` keeps what was answered beside them. */
export class GraphQLRequestError<TResult = unknown> extends Error {
  constructor(
    readonly errors: GraphQLErrorEntry[],
    readonly data: TResult | null,
    readonly status: number,
  ) {
    super(errors.map((error) => (error.extensions?.code ? `${error.extensions.code}: ${error.message}` : error.message)).join('; '));
    this.name = 'GraphQLRequestError';
  }

  /** The stable extensions.code of every error, in order. */
  get codes(): string[] {
    return this.errors.map((error) => error.extensions?.code ?? 'UNKNOWN');
  }
}

/** The request could not be completed: no answer, or an HTTP status without a GraphQL answer. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface RegioGraphClient {
  /**
   * Runs an operation and returns its data; any GraphQL error throws a GraphQLRequestError.
   *
   * Retries: a query is retried after a timeout, a lost connection, HTTP 429 (after Retry-After) and
   * HTTP 502–504. A mutation that declares `$idempotencyKey` gets a fresh key unless one is given, and
   * the same key on every attempt, so it is retried like a query: the server answers a repeated key
   * with the first result and writes nothing twice. Any other mutation is retried only when the server
   * certainly did not run it (connection refused, HTTP 429, the gateway's 503 OVERLOADED, or an answer
   * without data whose every error is REFERENCE_CHECK_UNAVAILABLE). A GraphQL answer that is still
   * refused after the last attempt is returned (or thrown) as it came.
   */
  request<TResult, TVariables>(document: TypedDocument<TResult, TVariables>, ...variables: VariablesArgument<TVariables>): Promise<TResult>;
  /** Like request, but returns data and errors together instead of throwing on GraphQL errors. */
  execute<TResult, TVariables>(
    document: TypedDocument<TResult, TVariables>,
    ...variables: VariablesArgument<TVariables>
  ): Promise<ExecutionResult<TResult>>;
}

/** The name the client gives itself unless told another (`clientName`). */
export const DEFAULT_CLIENT_NAME = 'regiograph-client';

/** This package's version: package.json is one folder above both src/ and dist/. */
export const CLIENT_VERSION = (JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

const IDEMPOTENCY_VARIABLE = /\$idempotencyKey\s*:/;

/**
 * Error codes of a complete GraphQL answer that say nothing was written and the same request may
 * be sent again: a subgraph could not ask the subgraph that owns a linked record whether it exists
 * (`REFERENCE_CHECK_UNAVAILABLE` of @regiograph/shared's ErrorCode; this package stands alone).
 */
const SEND_AGAIN_CODES: ReadonlySet<string> = new Set(['REFERENCE_CHECK_UNAVAILABLE']);

/** Whether the text's first operation is a mutation (documents hold one operation and its fragments). */
export function isMutation(text: string): boolean {
  return /^\s*mutation\b/.test(text.replace(/^\s*#.*$/gm, ''));
}

/** An answer as it comes over the wire (a proxy's error page parses to nothing). */
interface WireAnswer {
  data?: unknown;
  errors?: GraphQLErrorEntry[];
}

interface Attempt {
  /** A complete GraphQL answer. */
  result?: ExecutionResult<unknown>;
  /** The answer's errors all say that nothing was written and the request may be sent again. */
  sendAgain?: boolean;
  /**
   * Why the attempt failed, when it did. `permanent`: sending it again cannot help (the URL answers
   * something other than GraphQL, such as a web server's 404 page).
   */
  failure?: { message: string; status: number | null; retryAfterMs: number | null; executionPossible: boolean; permanent?: boolean };
}

function connectionRefused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code === 'ECONNREFUSED';
}

/** fetch's own message ("fetch failed") with its cause, which says what failed (e.g. "connect ECONNREFUSED 127.0.0.1:4000"). */
function fetchFailure(error: unknown): string {
  // Read by shape: errors from fetch may come from another realm, where instanceof Error fails.
  const messageOf = (value: unknown) => (typeof (value as { message?: unknown })?.message === 'string' ? (value as Error).message : null);
  const message = messageOf(error) ?? String(error);
  const cause = messageOf((error as { cause?: unknown } | null)?.cause);
  return cause ? `${message} (${cause})` : message;
}

/** The text a non-GraphQL JSON answer gives as its reason (`error` or `message`), if any. */
function serverMessage(answer: unknown): string | null {
  if (answer === null || typeof answer !== 'object') return null;
  const { error, message } = answer as { error?: unknown; message?: unknown };
  const text = typeof error === 'string' ? error : typeof message === 'string' ? message : null;
  return text ? text.slice(0, 200) : null;
}

function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

export function createClient(options: ClientOptions): RegioGraphClient {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retries = options.retries ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 250;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
  const baseHeaders: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    'apollographql-client-name': options.clientName ?? DEFAULT_CLIENT_NAME,
    'apollographql-client-version': options.clientVersion ?? CLIENT_VERSION,
    ...options.headers,
  };
  if (options.token) baseHeaders.authorization = `Bearer ${options.token}`;
  if (options.apiKey) baseHeaders['x-api-key'] = options.apiKey;
  // With read replicas, a mutation's answer names the primary's position after the write; sending it
  // back makes this client's later reads wait for (or skip) replicas that have not replayed it.
  let readAfterLsn: string | null = null;

  async function attempt(body: string): Promise<Attempt> {
    let response: Response;
    try {
      response = await fetchImpl(options.url, {
        method: 'POST',
        headers: readAfterLsn ? { ...baseHeaders, 'x-read-after-lsn': readAfterLsn } : baseHeaders,
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      return {
        failure: {
          message: timedOut ? `no answer within ${timeoutMs} ms` : `request failed: ${fetchFailure(error)}`,
          status: null,
          retryAfterMs: null,
          executionPossible: !connectionRefused(error),
        },
      };
    }
    let parsed: WireAnswer | null;
    try {
      parsed = (await response.json()) as WireAnswer;
    } catch {
      parsed = null;
    }
    const lsn = response.headers.get('x-read-after-lsn');
    if (lsn) readAfterLsn = lsn;
    // JSON is not yet GraphQL: a gateway's (or any web API's) 404 at another path answers JSON too,
    // e.g. {"error":"Nothing at /nothere; …"}, and was sent again as if the server were busy.
    const graphQL = parsed !== null && typeof parsed === 'object' && ('data' in parsed || Array.isArray(parsed.errors));
    if (!graphQL && response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
      const said = serverMessage(parsed);
      return {
        failure: {
          message: `HTTP ${response.status}, and the answer is not GraphQL${said ? ` ("${said}")` : ''}: is ${options.url} the gateway's GraphQL endpoint (…/graphql)?`,
          status: response.status,
          retryAfterMs: null,
          executionPossible: false,
          permanent: true,
        },
      };
    }
    const codes = parsed?.errors?.map((error) => error.extensions?.code) ?? [];
    const refusedBeforeRunning = response.status === 429 || (response.status === 503 && codes.includes('OVERLOADED'));
    if (
      refusedBeforeRunning ||
      response.status === 502 ||
      response.status === 503 ||
      response.status === 504 ||
      !parsed ||
      (parsed.data === undefined && !parsed.errors)
    ) {
      return {
        failure: {
          message: `HTTP ${response.status}${parsed?.errors ? `: ${parsed.errors.map((error) => error.message).join('; ')}` : ''}`,
          status: response.status,
          retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
          executionPossible: !refusedBeforeRunning,
        },
      };
    }
    const errors = parsed.errors ?? [];
    const data = parsed.data ?? null;
    // Only when no field of the operation has an answer: a document with two mutations, one of them
    // written, must not be sent again for the other.
    const nothingAnswered = data === null || (typeof data === 'object' && Object.values(data).every((value) => value === null));
    return {
      result: { data, errors, status: response.status },
      sendAgain: nothingAnswered && errors.length > 0 && codes.every((code) => code !== undefined && SEND_AGAIN_CODES.has(code)),
    };
  }

  async function execute<TResult, TVariables>(
    document: TypedDocument<TResult, TVariables>,
    ...rest: VariablesArgument<TVariables>
  ): Promise<ExecutionResult<TResult>> {
    const query = document.toString();
    const variables: Record<string, unknown> = { ...(rest[0] as Record<string, unknown> | undefined) };
    const mutation = isMutation(query);
    const idempotent = !mutation || IDEMPOTENCY_VARIABLE.test(query);
    if (mutation && idempotent && variables.idempotencyKey == null) variables.idempotencyKey = randomUUID();
    const body = JSON.stringify({ query, variables });
    for (let number = 0; ; number++) {
      const { result, sendAgain, failure } = await attempt(body);
      if (result && (!sendAgain || number >= retries)) return result as ExecutionResult<TResult>;
      if (failure) {
        const retryable = !failure.permanent && (idempotent || !failure.executionPossible);
        if (!retryable || number >= retries) {
          throw new TransportError(`${failure.message} (after ${number + 1} attempt${number ? 's' : ''})`, failure.status, number + 1);
        }
      }
      const backoff = retryDelayMs * 2 ** number * (0.5 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, Math.min(maxRetryDelayMs, failure?.retryAfterMs ?? backoff)));
    }
  }

  return {
    execute,
    async request<TResult, TVariables>(
      document: TypedDocument<TResult, TVariables>,
      ...rest: VariablesArgument<TVariables>
    ): Promise<TResult> {
      const result = await execute(document, ...rest);
      if (result.errors.length > 0 || result.data === null) throw new GraphQLRequestError(result.errors, result.data, result.status);
      return result.data;
    },
  };
}
