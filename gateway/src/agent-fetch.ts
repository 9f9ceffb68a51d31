// The gateway's fetch for subgraph calls: node:http(s) with keep-alive agents. Node's global fetch
// (undici) streams every request body through web streams and an async iterator and wraps every
// response in a ReadableStream; the benchmark's profiles showed that as the gateway's largest CPU
// cost after Apollo's own result shaping (docs/benchmarks.md). This one writes the body in one
// piece, buffers the answer and parses it once.
import http from 'node:http';
import https from 'node:https';

export interface BufferedResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly redirected: boolean;
  readonly bodyUsed: boolean;
  readonly headers: Headers;
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
  clone(): BufferedResponse;
}

export interface AgentFetchInit {
  method?: string;
  headers?: Record<string, string> | Headers | [string, string][];
  body?: string | Uint8Array | null;
  signal?: AbortSignal | null;
  /** Gives up after this many milliseconds with a TimeoutError (a timer, cheaper than AbortSignal.timeout). */
  timeoutMs?: number;
}

export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

function headerRecord(headers: AgentFetchInit['headers']): Record<string, string> {
  if (!headers) return {};
  if (headers instanceof Headers || Array.isArray(headers)) return Object.fromEntries(headers as Iterable<[string, string]>);
  return { ...headers };
}

function bufferedResponse(url: string, status: number, statusText: string, headers: Headers, body: Buffer): BufferedResponse {
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText,
    url,
    redirected: false,
    bodyUsed: false,
    headers,
    text: async () => body.toString('utf8'),
    json: async () => JSON.parse(body.toString('utf8')) as unknown,
    arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
    // A clone shares only the immutable bytes: its headers and each json() are its own.
    clone: () => bufferedResponse(url, status, statusText, new Headers(headers), body),
  };
}

const AGENT_OPTIONS = { keepAlive: true, keepAliveMsecs: 10_000, maxSockets: 256 };

export function createAgentFetch(
  agent: http.Agent = new http.Agent(AGENT_OPTIONS),
  secureAgent: https.Agent = new https.Agent(AGENT_OPTIONS),
) {
  return function agentFetch(url: string, init: AgentFetchInit = {}): Promise<BufferedResponse> {
    return new Promise((resolve, reject) => {
      const signal = init.signal ?? null;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const body =
        init.body == null
          ? null
          : typeof init.body === 'string'
            ? Buffer.from(init.body)
            : Buffer.from(init.body.buffer, init.body.byteOffset, init.body.byteLength);
      const headers = headerRecord(init.headers);
      if (body) headers['content-length'] = String(body.byteLength);
      const secure = url.startsWith('https:');
      const request = (secure ? https : http).request(
        url,
        { method: init.method ?? 'GET', headers, agent: secure ? secureAgent : agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', abort);
            const responseHeaders = new Headers();
            for (const [name, value] of Object.entries(response.headers)) {
              if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
            }
            resolve(bufferedResponse(url, response.statusCode ?? 0, response.statusMessage ?? '', responseHeaders, Buffer.concat(chunks)));
          });
        },
      );
      const abort = () => request.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      signal?.addEventListener('abort', abort, { once: true });
      const timer =
        init.timeoutMs === undefined
          ? undefined
          : setTimeout(() => request.destroy(new TimeoutError(`no answer within ${init.timeoutMs} ms`)), init.timeoutMs);
      request.on('error', (error) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
        reject(error);
      });
      request.end(body ?? undefined);
    });
  };
}
