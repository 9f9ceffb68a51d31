// One load run: autocannon keeps `concurrency` connections busy for `durationSeconds` and every
// response is checked (status and the absence of GraphQL errors); latencies are kept one by one so
// that p50/p95/p99 are exact rather than read off a coarse histogram.
import autocannon from 'autocannon';
import { summarizeLatencies, type LatencySummary } from './stats';

export interface LoadOptions {
  url: string;
  /**
   * Request bodies, handed out in turn across all connections: consecutive requests differ, so
   * no two requests in flight are the same while there are more bodies than connections.
   */
  bodies: readonly string[];
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
  /**
   * The first answers with GraphQL errors (at most {@link ERROR_SAMPLES}, each cut to 500
   * characters): an error counted without its message cannot be looked into after the run.
   */
  errorSamples?: string[];
  /** CPU milliseconds each process spent per successful answer during the run. */
  cpuMillisecondsPerRequest?: Record<string, number>;
}

/** A successful GraphQL answer carries data and no top-level errors key. */
export function isCleanGraphQLBody(body: string): boolean {
  return body.includes('"data"') && !body.includes('"errors"');
}

export const ERROR_SAMPLES = 3;

/** {@link isCleanGraphQLBody}, keeping the first failing bodies in `samples`. */
function checkingBody(samples: string[]): (body: string) => boolean {
  return (body) => {
    const clean = isCleanGraphQLBody(body);
    if (!clean && samples.length < ERROR_SAMPLES) samples.push(body.slice(0, 500));
    return clean;
  };
}

/** A run with its latencies one by one, so that runs of several rounds can be merged exactly. */
export interface MeasuredRun {
  load: LoadResult;
  latencies: number[];
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  return (await runLoadRaw(options)).load;
}

export async function runLoadRaw(options: LoadOptions): Promise<MeasuredRun> {
  if (options.bodies.length === 0) throw new Error('runLoad needs at least one request body');
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    connections: options.concurrency,
    duration: options.durationSeconds,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: options.bodies[0],
        setupRequest: (request) => ({ ...request, body: options.bodies[next++ % options.bodies.length] }),
      },
    ],
    setupClient(client) {
      client.on('response', (_status, _bytes, responseTimeMs) => latencies.push(responseTimeMs));
    },
    verifyBody: checkingBody(errorSamples),
  });
  const durationSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const good = Math.max(0, result['2xx'] - result.mismatches);
  const load: LoadResult = {
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
    ...(errorSamples.length > 0 ? { errorSamples } : {}),
  };
  return { load, latencies };
}

/**
 * Requests one after another on one kept-alive connection until `durationSeconds` have passed and
 * at least `minimumRequests` answered: the latency of an operation on its own, however slow it is.
 */
export async function runSequential(
  url: string,
  bodies: readonly string[],
  durationSeconds: number,
  minimumRequests = 3,
): Promise<LoadResult> {
  return (await runSequentialRaw(url, bodies, durationSeconds, minimumRequests)).load;
}

export async function runSequentialRaw(
  url: string,
  bodies: readonly string[],
  durationSeconds: number,
  minimumRequests = 3,
): Promise<MeasuredRun> {
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  const verify = checkingBody(errorSamples);
  let graphqlErrors = 0;
  let non2xx = 0;
  let bytes = 0;
  const started = process.hrtime.bigint();
  const elapsedSeconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  while (elapsedSeconds() < durationSeconds || latencies.length < minimumRequests) {
    const sent = process.hrtime.bigint();
    const body = bodies[latencies.length % bodies.length];
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
    bytes += Buffer.byteLength(text);
    if (!response.ok) non2xx += 1;
    else if (!verify(text)) graphqlErrors += 1;
  }
  const durationSeconds_ = elapsedSeconds();
  const load: LoadResult = {
    requests: latencies.length,
    requestsPerSecond: (latencies.length - non2xx - graphqlErrors) / durationSeconds_,
    latency: summarizeLatencies(latencies),
    errors: non2xx + graphqlErrors,
    non2xx,
    graphqlErrors,
    socketErrors: 0,
    timeouts: 0,
    bytesPerRequest: bytes / latencies.length,
    durationSeconds: durationSeconds_,
    ...(errorSamples.length > 0 ? { errorSamples } : {}),
  };
  return { load, latencies };
}

/**
 * The runs of one contender over several rounds as one: answers per second over the summed
 * duration, percentiles over every latency, CPU per answer weighted by each run's answers.
 */
export function mergeRuns(runs: readonly MeasuredRun[]): LoadResult | undefined {
  if (runs.length === 0) return undefined;
  const sum = (pick: (load: LoadResult) => number) => runs.reduce((total, run) => total + pick(run.load), 0);
  const answersOf = (load: LoadResult) => load.requestsPerSecond * load.durationSeconds;
  const durationSeconds = sum((load) => load.durationSeconds);
  const answers = sum(answersOf);
  const requests = sum((load) => load.requests);
  const merged: LoadResult = {
    requests,
    requestsPerSecond: durationSeconds > 0 ? answers / durationSeconds : 0,
    latency: summarizeLatencies(runs.flatMap((run) => run.latencies)),
    errors: sum((load) => load.errors),
    non2xx: sum((load) => load.non2xx),
    graphqlErrors: sum((load) => load.graphqlErrors),
    socketErrors: sum((load) => load.socketErrors),
    timeouts: sum((load) => load.timeouts),
    bytesPerRequest: requests ? sum((load) => load.bytesPerRequest * load.requests) / requests : 0,
    durationSeconds,
  };
  const errorSamples = runs.flatMap((run) => run.load.errorSamples ?? []).slice(0, ERROR_SAMPLES);
  if (errorSamples.length > 0) merged.errorSamples = errorSamples;
  const withCpu = runs.filter((run) => run.load.cpuMillisecondsPerRequest);
  if (withCpu.length && answers > 0) {
    const cpu: Record<string, number> = {};
    let counted = 0;
    for (const run of withCpu) {
      const runAnswers = answersOf(run.load);
      counted += runAnswers;
      for (const [name, milliseconds] of Object.entries(run.load.cpuMillisecondsPerRequest!))
        cpu[name] = (cpu[name] ?? 0) + milliseconds * runAnswers;
    }
    if (counted > 0) for (const name of Object.keys(cpu)) cpu[name] = cpu[name]! / counted;
    merged.cpuMillisecondsPerRequest = cpu;
  }
  return merged;
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
