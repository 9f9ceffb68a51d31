// A subgraph fetcher on node:http with a keep-alive Agent, proposed for the gateway: Node's global
// fetch (undici) streams every request body through web streams and an async iterator and wraps
// every response in a ReadableStream, which the profiles show as the gateway's largest CPU cost
// after Apollo's own result shaping. This one writes the body in one piece, buffers the answer
// and parses it once. The benchmark runs it as a variant of our gateway (see
// processes/gateway-keepalive.ts) next to the unchanged one.
import http from 'node:http';

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
    clone: () => bufferedResponse(url, status, statusText, headers, body),
  };
}

export function createAgentFetch(agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 10_000, maxSockets: 256 })) {
  return function agentFetch(url: string, init: AgentFetchInit = {}): Promise<BufferedResponse> {
    return new Promise((resolve, reject) => {
      const signal = init.signal ?? null;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const body = init.body == null ? null : typeof init.body === 'string' ? Buffer.from(init.body) : Buffer.from(init.body.buffer, init.body.byteOffset, init.body.byteLength);
      const headers = headerRecord(init.headers);
      if (body) headers['content-length'] = String(body.byteLength);
      const request = http.request(url, { method: init.method ?? 'GET', headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          signal?.removeEventListener('abort', abort);
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
          }
          resolve(bufferedResponse(url, response.statusCode ?? 0, response.statusMessage ?? '', responseHeaders, Buffer.concat(chunks)));
        });
      });
      const abort = () => request.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      signal?.addEventListener('abort', abort, { once: true });
      request.on('error', (error) => {
        signal?.removeEventListener('abort', abort);
        reject(error);
      });
      request.end(body ?? undefined);
    });
  };
}

/**
 * Replaces the global fetch for plain-http calls with string or byte bodies (what the gateway sends
 * its subgraphs); anything else still goes to Node's fetch.
 */
export function installAgentFetch(): void {
  const original = globalThis.fetch;
  const agentFetch = createAgentFetch();
  const patched = (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : null;
    const body = init?.body;
    if (url?.startsWith('http:') && (body == null || typeof body === 'string' || body instanceof Uint8Array)) {
      return agentFetch(url, init as AgentFetchInit) as unknown as Promise<Response>;
    }
    return original(input, init);
  };
  globalThis.fetch = patched as typeof fetch;
}
