// One load run: autocannon keeps `concurrency` connections busy for `durationSeconds` and every
// response is checked (status and the absence of GraphQL errors); latencies are kept one by one so
// that p50/p95/p99 are exact rather than read off a coarse histogram.
import autocannon from 'autocannon';
import { summarizeLatencies, type LatencySummary } from './stats';

export interface LoadRequest {
  body: string;
  headers?: Record<string, string>;
}

export interface LoadOptions {
  url: string;
  /** One request, or several sent in turn by every connection (the soak's mix). */
  requests: LoadRequest[];
  durationSeconds: number;
  concurrency: number;
}

export interface LoadResult {
  requests: number;
  /** Answers with status 2xx and no GraphQL errors, per second of the run. */
  requestsPerSecond: number;
  latency: LatencySummary;
  /** Non-2xx answers, answers with GraphQL errors, socket errors and timeouts. */
  errors: number;
  non2xx: number;
  graphqlErrors: number;
  socketErrors: number;
  timeouts: number;
  bytesPerRequest: number;
  durationSeconds: number;
}

/** A successful GraphQL answer carries data and no top-level errors key. */
export function isCleanGraphQLBody(body: string): boolean {
  return body.includes('"data"') && !body.includes('"errors"');
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    connections: options.concurrency,
    duration: options.durationSeconds,
    timeout: 30,
    requests: options.requests.map((request) => ({
      method: 'POST',
      headers: { 'content-type': 'application/json', ...request.headers },
      body: request.body,
    })),
    setupClient(client) {
      client.on('response', (_status, _bytes, responseTimeMs) => latencies.push(responseTimeMs));
    },
    verifyBody: isCleanGraphQLBody,
  });
  const durationSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const good = Math.max(0, result['2xx'] - result.mismatches);
  return {
    requests: result.requests.total,
    requestsPerSecond: good / durationSeconds,
    latency: summarizeLatencies(latencies),
    errors: result.non2xx + result.mismatches + result.errors + result.timeouts,
    non2xx: result.non2xx,
    graphqlErrors: result.mismatches,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    bytesPerRequest: result.requests.total ? result.throughput.total / result.requests.total : 0,
    durationSeconds,
  };
}

export interface GraphQLAnswer {
  status: number;
  bytes: number;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] } | null;
}

/** One request, parsed: the sample every run is checked with before and after the load. */
export async function postJson(url: string, payload: unknown, headers: Record<string, string> = {}): Promise<GraphQLAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  let body: GraphQLAnswer['body'] = null;
  try {
    body = JSON.parse(text) as GraphQLAnswer['body'];
  } catch {
    body = { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] };
  }
  return { status: response.status, bytes: Buffer.byteLength(text), body };
}
