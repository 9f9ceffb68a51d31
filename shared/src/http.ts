import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomUUID } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { setMaxListeners } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { context, propagation, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { GraphQLError } from 'graphql';
import { codingFor, compress, entityTagOfCoding, varyOnEncoding, type CompressionOptions, type ContentCoding } from './compression';
import { documentNestingError, type DocumentLimits } from './document-limits';
import { createLogger, type Logger } from './logger';
import type { MetricsExposure, ServiceMetrics } from './metrics';
import { tracer } from './tracing';

export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

export interface Readiness {
  ready: boolean;
  checks?: Record<string, unknown>;
}

/** An answer given before a GraphQL request is read (rate limits, maintenance). */
export interface HttpRejection {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
}

export interface GraphQLHttpServerOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  /**
   * The process's document limits (readDocumentLimits): a query nested deeper than `maxNesting` gets
   * HTTP 400 and QUERY_TOO_DEEP here, before Apollo Server parses it. Apollo Server takes the rest
   * through apolloDocumentOptions.
   */
  documentLimits: DocumentLimits;
  context: (request: IncomingMessage) => Promise<TContext>;
  /** Largest accepted request body; larger ones get 413 before anything is parsed. */
  maxBodyBytes?: number;
  /**
   * Most operations in one batched request (a JSON array), when Apollo Server takes batches at all;
   * a longer array gets 400 before any of it runs. Apollo Server itself would run any number.
   */
  maxBatch?: number;
  /** Origins allowed to call from a browser; '*' for any. */
  corsOrigins?: readonly string[] | '*';
  readiness?: () => Promise<Readiness>;
  /** Further GET routes by exact path (e.g. the IDE). */
  routes?: Record<string, RouteHandler>;
  /** Decides whether a GraphQL request is taken at all, before its body is read. */
  admit?: (request: IncomingMessage) => Promise<HttpRejection | null>;
  /** How long close() waits for requests in flight before cutting connections. */
  drainTimeoutMs?: number;
  /** Logs one line per request (method, path, status, duration) with its request id. */
  logger?: Logger;
  /** Runs each GraphQL request inside a scope of its own (e.g. the WAL position its reads need). */
  requestScope?: <T>(request: IncomingMessage, work: () => Promise<T>) => Promise<T>;
  /** Largest answer in bytes; a larger one is replaced by a RESPONSE_TOO_LARGE error (none when absent). */
  maxResponseBytes?: number;
  /**
   * Compresses whole GraphQL answers for callers that accept brotli or gzip (the gateway's; none when
   * absent: a subgraph's caller is the gateway, on the same network, which would only unpack them again).
   * Incremental answers (multipart) go as they are.
   */
  compression?: CompressionOptions | null;
  /**
   * Told the code of every GraphQL request refused here, before Apollo Server sees it (a body too large,
   * malformed or not UTF-8, a batch too long, a document nested too deep, a method other than GET and
   * POST, a refusal of `admit`), so that such refusals can be counted with Apollo's own errors.
   */
  onRefused?: (code: string) => void;
  /**
   * The service's Prometheus metrics, served at /metrics: on the main port, or with `exposure.port`
   * only on a listener of their own, which listen() opens on the same host and close() closes.
   */
  metrics?: { service: ServiceMetrics; exposure: MetricsExposure };
}

/** What the work of one GraphQL request being served can reach. */
interface RequestScope {
  /**
   * Aborted when the caller hangs up (a closed connection, a gateway's timeout): what runs for the
   * request (resolvers, database statements, calls to subgraphs) reads it to stop working for nobody.
   */
  signal: AbortSignal;
  /** Bytes to write in place of the answer's placeholders ({@link answerBytesPlaceholder}), by number. */
  pieces: Uint8Array[];
  /** Where the answer's coded forms are kept, when it may be sent again ({@link keepCodedAnswer}). */
  codedAnswers?: CodedAnswerStore;
}

/**
 * Where coded forms of answers are kept, by the answer's fingerprint (the SHA-256 of its bytes, as
 * base64url) and coding: an answer sent again in the same bytes (a cached one) goes out in a coding it
 * was sent in before without being compressed again.
 */
export interface CodedAnswerStore {
  get(fingerprint: string, coding: ContentCoding): Promise<Uint8Array | undefined>;
  set(fingerprint: string, coding: ContentCoding, coded: Uint8Array): Promise<void>;
}

const requestScopes = new AsyncLocalStorage<RequestScope>();

/**
 * Says that the answer of the GraphQL request being served may be sent again in the same bytes (the
 * response cache's): its coded forms are taken from `store` when there, else made and kept there.
 * Keyed by the bytes, not by the request, so an answer that differs (extensions added) never gets
 * another's coded body. Does nothing outside a request served by createGraphQLHttpServer.
 */
export function keepCodedAnswer(store: CodedAnswerStore): void {
  const scope = requestScopes.getStore();
  if (scope) scope.codedAnswers = store;
}

/** The signal of the request whose work is running, if any; it aborts when the caller hangs up. */
export function currentRequestSignal(): AbortSignal | undefined {
  return requestScopes.getStore()?.signal;
}

// JSON text never holds a raw NUL (JSON.stringify writes it as \u0000), so NUL-delimited numbers in an
// answer's text can only be placeholders.
const PLACEHOLDER_MARK = '\u0000';

/**
 * A placeholder to put into the text of the answer of the request being served, which the answer's
 * bytes then hold `json` (UTF-8 JSON) in place of: JSON that reached a server as bytes (the gateway's
 * offload worker hands its results over so) is written as it came, without being decoded into a
 * string and encoded again. Undefined outside a GraphQL request served by createGraphQLHttpServer.
 */
export function answerBytesPlaceholder(json: Uint8Array): string | undefined {
  const scope = requestScopes.getStore();
  if (!scope) return undefined;
  scope.pieces.push(json);
  return `${PLACEHOLDER_MARK}${scope.pieces.length - 1}${PLACEHOLDER_MARK}`;
}

/** The answer's bytes: its text encoded, with the bytes of its placeholders in their place. */
export function answerChunks(text: string, pieces: readonly Uint8Array[]): Uint8Array[] {
  // Encoded once, then its length taken and the bytes written: Buffer.byteLength and the socket's
  // write each walked the text, and Node 20 walks a long concatenated string (Apollo's answers are
  // `JSON.stringify(…) + '\n'`) slowly: for the 230 KB partner lookup, byteLength alone took 16 %
  // of the gateway main thread's busy time.
  if (pieces.length === 0) return [Buffer.from(text)];
  return text.split(PLACEHOLDER_MARK).map((part, index) => (index % 2 === 0 ? Buffer.from(part) : pieces[Number(part)]!));
}

export interface RunningServer {
  url: string;
  port: number;
  /** Where /metrics is served: the main port's, or the metrics listener's (null: no metrics). */
  metricsUrl: string | null;
  server: http.Server;
  close(): Promise<void>;
}

const GRAPHQL_PATH = '/graphql';
const METRICS_PATH = '/metrics';

function listenOn(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The listener of METRICS_PORT: GET /metrics and nothing else, never the API. */
function createMetricsServer(route: RouteHandler, logger: Logger): http.Server {
  return http.createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== METRICS_PATH || request.method !== 'GET') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`Only GET ${METRICS_PATH} is served on this port.\n`);
      return;
    }
    Promise.resolve(route(request, response)).catch((error: unknown) => {
      logger.error('metrics scrape failed', { error: error instanceof Error ? error.message : String(error) });
      if (response.headersSent) response.destroy();
      else {
        response.writeHead(500);
        response.end();
      }
    });
  });
}
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Every request carries an id: the caller's (or the gateway's) `x-request-id` when well-formed, else
 * a new one. It is echoed in the response and follows the request into every subgraph.
 */
export function assignRequestId(request: IncomingMessage, response: ServerResponse): string {
  const given = request.headers['x-request-id'];
  const requestId = typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
  request.headers['x-request-id'] = requestId;
  response.setHeader('x-request-id', requestId);
  return requestId;
}
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Thrown while reading a body; answered with its status and a GraphQL-shaped error. */
class HttpInputError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  response.end(payload);
}

export function sendGraphQLError(
  response: ServerResponse,
  status: number,
  message: string,
  code: string,
  headers: Record<string, string> = {},
): void {
  sendJson(response, status, { errors: [{ message, extensions: { code } }] }, headers);
}

async function readBody(request: IncomingMessage, limit: number): Promise<string> {
  // Read as it is, a compressed body would be reported as bad JSON; unpacking it would make the
  // size limit one of compressed bytes (a small gzip can hold gigabytes).
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    throw new HttpInputError(
      415,
      `Compressed request bodies (content-encoding: ${encoding}) are not accepted: send the body uncompressed.`,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  }
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpInputError(413, `Request body exceeds ${limit} bytes.`, 'PAYLOAD_TOO_LARGE');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpInputError(413, `Request body exceeds ${limit} bytes.`, 'PAYLOAD_TOO_LARGE');
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks);
  // Decoded leniently, bytes that are not UTF-8 became U+FFFD and reached the resolvers as text
  // nobody sent: looked up as a code, stored, echoed in an error.
  if (!isUtf8(body)) throw new HttpInputError(400, 'The request body is not valid UTF-8.', 'BAD_REQUEST');
  return body.toString('utf8');
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (!contentType?.toLowerCase().includes('application/json')) return text;
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpInputError(400, 'The request body is not valid JSON.', 'BAD_REQUEST');
  }
}

/** The first operation of a request (a body, or each of a batch) whose query text nests too deep, as its error. */
function nestingErrorIn(body: unknown, maxNesting: number): GraphQLError | null {
  for (const operation of Array.isArray(body) ? body : [body]) {
    const query: unknown = operation !== null && typeof operation === 'object' ? (operation as { query?: unknown }).query : undefined;
    const error = typeof query === 'string' ? documentNestingError(query, maxNesting) : null;
    if (error) return error;
  }
  return null;
}

/**
 * Request headers a browser page may send: the credentials (`authorization`, `x-api-key`), what
 * Apollo Server's CSRF check accepts (`apollo-require-preflight`, `x-apollo-operation-name`), what
 * Apollo Client sends with its `name`/`version` options, the read-your-writes position the typed
 * client returns (`x-read-after-lsn`), a request id to quote and W3C trace context.
 */
const CORS_ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'x-api-key',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
  'x-read-after-lsn',
  'x-request-id',
  'traceparent',
  'tracestate',
].join(', ');

/**
 * Response headers a browser page may read beyond the CORS-safelisted ones: the request id to quote
 * with an error, Retry-After of a 429 or 503, the write position to send back, and the response
 * cache's hit or miss.
 */
const CORS_EXPOSED_HEADERS = 'x-request-id, retry-after, x-read-after-lsn, x-cache';

function corsHeaders(request: IncomingMessage, origins: readonly string[] | '*'): Record<string, string> {
  const origin = request.headers.origin;
  // With a list, the answer depends on the Origin header, also for a request without one: a shared
  // cache must not hand an answer without allow-origin (or with another page's) to a browser page.
  // With '*' every answer carries the same allow-origin, with or without an Origin, so none varies.
  const vary: Record<string, string> = origins === '*' ? {} : { vary: 'Origin' };
  if (origins !== '*' && (!origin || !origins.includes(origin))) return vary;
  return {
    'access-control-allow-origin': origins === '*' ? '*' : origin!,
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': CORS_ALLOWED_HEADERS,
    'access-control-expose-headers': CORS_EXPOSED_HEADERS,
    'access-control-max-age': '600',
    ...vary,
  };
}

/**
 * The entity tag of an answer HTTP caches may keep (`cache-control: public`, as the gateway's
 * response cache marks public reference data): a hash of its bytes, so that a browser or CDN whose
 * copy has passed its max-age revalidates it with If-None-Match and gets 304 instead of the answer
 * again. Only for GET: caches do not keep POST answers. Null for every other answer.
 */
function isPublic(headers: Record<string, string>): boolean {
  return /(^|,)\s*public\s*(,|$)/i.test(headers['cache-control'] ?? '');
}

/** The SHA-256 of an answer's bytes, base64url: its entity tag's source and its coded forms' key. */
function fingerprintOf(chunks: readonly Uint8Array[]): string {
  const hash = createHash('sha256');
  for (const chunk of chunks) hash.update(chunk);
  return hash.digest('base64url');
}

/**
 * The answer in `coding`: kept from before when `kept` has it, else compressed (and kept there, awaited,
 * so that the next request finds it). A store that fails costs only the compression it would save.
 */
async function codedAnswer(
  body: Uint8Array,
  coding: ContentCoding,
  compression: CompressionOptions,
  kept: { store: CodedAnswerStore; fingerprint: string } | null,
): Promise<Uint8Array> {
  const found = kept ? await kept.store.get(kept.fingerprint, coding).catch(() => undefined) : undefined;
  if (found) return found;
  const coded = await (compression.compress ?? compress)(body, coding, 'answer');
  if (kept) await kept.store.set(kept.fingerprint, coding, coded).catch(() => undefined);
  return coded;
}

/** Whether an If-None-Match header names this tag (weak comparison, as RFC 9110 asks for it; `*` matches). */
function entityTagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}

/**
 * A plain Node HTTP server around an Apollo Server: GraphQL at /graphql, liveness at /health,
 * readiness at /ready, CORS, a body-size limit, and keep-alive connections closed on shutdown.
 * No web framework: every service answers the same way and nothing else sits on the hot path.
 */
export function createGraphQLHttpServer<TContext extends BaseContext>(options: GraphQLHttpServerOptions<TContext>) {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const corsOrigins = options.corsOrigins ?? '*';

  const metricsRoute = options.metrics?.service.route(options.metrics.exposure.token);
  const metricsOnMainPort = options.metrics !== undefined && options.metrics.exposure.port === null;

  let draining = false;
  // Without a configured logger, failures still go to stderr: a 500 must never go unexplained.
  const errorLogger = options.logger ?? createLogger('http', { write: (line) => process.stderr.write(line + '\n') });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = assignRequestId(request, response);
    if (options.logger) {
      const started = process.hrtime.bigint();
      const logger = options.logger;
      response.once('finish', () => {
        logger.info('http request', {
          requestId,
          method: request.method,
          path: request.url?.split('?')[0],
          status: response.statusCode,
          durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10,
        });
      });
    }
    // While draining, finish this request but let the client open its next one elsewhere.
    if (draining) response.setHeader('connection', 'close');
    const url = new URL(request.url ?? '/', 'http://localhost');
    const cors = corsHeaders(request, corsOrigins);
    if (request.method === 'OPTIONS') {
      response.writeHead(204, cors);
      response.end();
      return;
    }
    if (url.pathname === '/health') {
      sendJson(response, 200, { status: 'ok' }, cors);
      return;
    }
    if (url.pathname === '/ready') {
      const readiness = options.readiness ? await options.readiness() : { ready: true };
      sendJson(response, readiness.ready ? 200 : 503, { status: readiness.ready ? 'ready' : 'unavailable', ...readiness.checks }, cors);
      return;
    }
    const route = url.pathname === METRICS_PATH && metricsOnMainPort ? metricsRoute : options.routes?.[url.pathname];
    if (route && request.method === 'GET') {
      // Set before the route writes its own headers (writeHead merges them): a page of an allowed
      // origin may read a route's answer too, e.g. the CSV export.
      for (const [name, value] of Object.entries(cors)) response.setHeader(name, value);
      await route(request, response);
      return;
    }
    if (url.pathname !== GRAPHQL_PATH) {
      sendJson(response, 404, { error: `Nothing at ${url.pathname}; GraphQL is served at ${GRAPHQL_PATH}.` }, cors);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'POST') {
      options.onRefused?.('METHOD_NOT_ALLOWED');
      sendGraphQLError(response, 405, 'Use GET or POST.', 'METHOD_NOT_ALLOWED', { allow: 'GET, POST, OPTIONS', ...cors });
      return;
    }
    const rejection = options.admit ? await options.admit(request) : null;
    if (rejection) {
      request.resume();
      options.onRefused?.(rejection.code);
      sendGraphQLError(response, rejection.status, rejection.message, rejection.code, { ...cors, ...rejection.headers });
      return;
    }
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const body = request.method === 'POST' ? parseBody(await readBody(request, maxBodyBytes), request.headers['content-type']) : undefined;
    if (Array.isArray(body) && options.maxBatch !== undefined && body.length > options.maxBatch) {
      throw new HttpInputError(
        400,
        options.maxBatch <= 1
          ? `This server takes one operation per request, not a batch (this one has ${body.length}): send each on its own.`
          : `A batch holds at most ${options.maxBatch} operations; this one has ${body.length}. Send the rest in another request.`,
        'BAD_REQUEST',
      );
    }
    // Checked here, before Apollo Server parses: a stack overflow in its parser would reach the caller
    // as the error's own words. A persisted query's text was checked when it was registered.
    const tooDeep = nestingErrorIn(
      request.method === 'GET' ? { query: url.searchParams.get('query') } : body,
      options.documentLimits.maxNesting,
    );
    if (tooDeep) {
      options.onRefused?.(String(tooDeep.extensions.code));
      sendJson(response, 400, { errors: [tooDeep.toJSON()] }, cors);
      return;
    }
    const method = request.method;
    const abandoned = new AbortController();
    // Every statement and subgraph call of the request listens to it (many at once is normal).
    setMaxListeners(0, abandoned.signal);
    const scope: RequestScope = { signal: abandoned.signal, pieces: [] };
    response.once('close', () => {
      if (!response.writableFinished) abandoned.abort(new Error('The caller closed the connection.'));
    });
    const execute = () =>
      requestScopes.run(scope, () =>
        options.apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method, headers, search: url.search, body },
          context: () => options.context(request),
        }),
      );
    const result = options.requestScope ? await options.requestScope(request, execute) : await execute();
    if (abandoned.signal.aborted) return;
    const responseHeaders: Record<string, string> = { ...cors };
    // Apollo's own Vary (if any) joins the Origin's instead of replacing it.
    for (const [name, value] of result.headers)
      responseHeaders[name] = name === 'vary' && responseHeaders.vary ? `${responseHeaders.vary}, ${value}` : value;
    if (result.body.kind === 'complete') {
      const chunks = answerChunks(result.body.string, scope.pieces);
      const bytes = chunks.reduce((total, chunk) => total + chunk.byteLength, 0);
      if (options.maxResponseBytes !== undefined && bytes > options.maxResponseBytes) {
        sendJson(
          response,
          200,
          {
            data: null,
            errors: [
              {
                message: `The answer would be ${bytes} bytes; the limit is ${options.maxResponseBytes}. Ask for fewer items or fields.`,
                extensions: { code: 'RESPONSE_TOO_LARGE', limit: options.maxResponseBytes },
              },
            ],
          },
          cors,
        );
        return;
      }
      const compression = options.compression ?? null;
      const coding = codingFor(request, bytes, compression);
      if (compression) responseHeaders.vary = varyOnEncoding(responseHeaders.vary);
      const complete = (result.status ?? 200) === 200;
      const tagged = method === 'GET' && complete && isPublic(responseHeaders);
      const keptIn = coding && complete ? (scope.codedAnswers ?? null) : null;
      // Hashed once for both: the entity tag, and the key of the coded forms kept.
      const fingerprint = tagged || keptIn ? fingerprintOf(chunks) : null;
      const identityTag = tagged ? `"${fingerprint!.slice(0, 27)}"` : null;
      if (identityTag) {
        const etag = entityTagOfCoding(identityTag, coding);
        responseHeaders.etag = etag;
        if (entityTagMatches(request.headers['if-none-match'], etag)) {
          // The client's copy is current: headers only (RFC 9110, 15.4.5), no body to send again.
          response.writeHead(304, responseHeaders);
          response.end();
          return;
        }
      }
      if (coding) {
        const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        const coded = await codedAnswer(body, coding, compression!, keptIn ? { store: keptIn, fingerprint: fingerprint! } : null);
        response.writeHead(result.status ?? 200, {
          ...responseHeaders,
          'content-encoding': coding,
          'content-length': String(coded.byteLength),
        });
        response.end(coded);
        return;
      }
      responseHeaders['content-length'] = String(bytes);
      response.writeHead(result.status ?? 200, responseHeaders);
      if (chunks.length === 1) {
        response.end(chunks[0]);
        return;
      }
      // Corked: headers and chunks leave in one writev.
      response.cork();
      for (const chunk of chunks) response.write(chunk);
      response.end();
      return;
    }
    response.writeHead(result.status ?? 200, responseHeaders);
    for await (const chunk of result.body.asyncIterator) response.write(chunk);
    response.end();
  }

  // Each request is a server span, a child of the caller's span when it sent trace context.
  const traced = (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const parent = propagation.extract(context.active(), request.headers);
    return tracer().startActiveSpan(`${request.method} ${request.url?.split('?')[0]}`, { kind: SpanKind.SERVER }, parent, async (span) => {
      try {
        await handle(request, response);
      } finally {
        span.setAttribute('http.response.status_code', response.statusCode);
        if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      }
    });
  };

  const server = http.createServer((request, response) => {
    traced(request, response).catch((error: unknown) => {
      if (error instanceof HttpInputError && !response.headersSent) {
        options.onRefused?.(error.code);
        // After a refused body the connection closes: reading (or draining) the rest would serve the sender.
        const closing: Record<string, string> = error.status === 413 ? { connection: 'close' } : {};
        sendGraphQLError(response, error.status, error.message, error.code, { ...corsHeaders(request, corsOrigins), ...closing });
        return;
      }
      // The client only learns that something broke: the log must say what, with the request id
      // the client can quote.
      errorLogger.error('request failed', {
        requestId: request.headers['x-request-id'],
        method: request.method,
        path: request.url?.split('?')[0],
        error: error instanceof Error ? error.message : String(error),
        stack: error instanceof Error ? error.stack : undefined,
      });
      if (response.headersSent) {
        response.destroy();
        return;
      }
      // With CORS headers, so that a page sees this answer (and its request id) rather than a network error.
      sendGraphQLError(response, 500, 'Internal server error.', 'INTERNAL_SERVER_ERROR', corsHeaders(request, corsOrigins));
    });
  });
  server.keepAliveTimeout = 65_000;

  return {
    server,
    /** Starts listening; port 0 lets the OS choose a free port. */
    async listen(port: number, host = '127.0.0.1'): Promise<RunningServer> {
      let closing: Promise<void> | undefined;
      await listenOn(server, port, host);
      const metricsPort = options.metrics?.exposure.port ?? null;
      let metricsServer: http.Server | null = null;
      if (metricsRoute && metricsPort !== null) {
        metricsServer = createMetricsServer(metricsRoute, errorLogger);
        try {
          await listenOn(metricsServer, metricsPort, host);
        } catch (error) {
          // A metrics port taken must not leave the main port open in a process that failed to start.
          await new Promise((resolve) => server.close(resolve));
          throw error;
        }
      }
      const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
      const urlOf = (listening: http.Server, path: string) => `http://${shownHost}:${(listening.address() as AddressInfo).port}${path}`;
      return {
        url: urlOf(server, GRAPHQL_PATH),
        port: (server.address() as AddressInfo).port,
        metricsUrl: metricsServer ? urlOf(metricsServer, METRICS_PATH) : metricsRoute ? urlOf(server, METRICS_PATH) : null,
        server,
        // Stops accepting connections, lets requests in flight finish (closing each keep-alive
        // connection once idle), and cuts what is left after the drain timeout; the metrics listener
        // with it, so that a stopped process is not scraped as if it were running.
        close: () =>
          (closing ??= new Promise<void>((resolve) => {
            draining = true;
            const sweep = setInterval(() => server.closeIdleConnections(), 50);
            const deadline = setTimeout(() => server.closeAllConnections(), options.drainTimeoutMs ?? 10_000);
            const metricsClosed = new Promise<void>((closed) => {
              if (!metricsServer) return closed();
              metricsServer.close(() => closed());
              metricsServer.closeAllConnections();
            });
            server.close(() => {
              clearInterval(sweep);
              clearTimeout(deadline);
              void metricsClosed.then(resolve);
            });
            server.closeIdleConnections();
          })),
      };
    },
  };
}
