// Identical subgraph requests in flight at the same time are sent once (as Hive Gateway's
// deduplicateInflightRequests): a burst of the same public query, or the same entities asked for by
// two operations at once, costs the subgraph and its database one answer instead of many. The
// benchmark saw Hive Gateway answer faster than the subgraph itself for that reason
// (docs/benchmarks.md, finding 1).
import type { AgentFetchInit, BufferedResponse } from './agent-fetch';

export type SubgraphSend = (url: string, init: AgentFetchInit) => Promise<BufferedResponse>;

/**
 * Headers that differ on every request without changing the answer. Every other header is part of
 * the key, so two callers with different credentials (`authorization`), read-after-write positions
 * (`x-read-after-lsn`) or anything else a subgraph may read are never merged. Only this list may
 * be widened, and only by headers a subgraph provably does not answer differently to.
 */
const HEADERS_OUTSIDE_THE_KEY = new Set(['x-request-id', 'traceparent', 'tracestate', 'content-length']);

/**
 * Only queries: a mutation sent once for two callers would change data once for two. Apollo Gateway
 * serialises its subgraph request as `{"query":"<operation>",...}` with the operation printed
 * first; anything that does not read as a query operation (mutation, subscription, an unexpected
 * shape) is sent as it is.
 */
const QUERY_BODY = /^\{"query":"(?:query\b|\{)/;

function headerEntries(headers: AgentFetchInit['headers']): Iterable<[string, string]> {
  if (!headers) return [];
  if (headers instanceof Headers || Array.isArray(headers)) return headers as Iterable<[string, string]>;
  return Object.entries(headers);
}

/** The key that decides which requests may share one answer, or null if this one may share none. */
export function inflightKey(url: string, init: AgentFetchInit): string | null {
  if (typeof init.body !== 'string' || (init.method ?? 'GET').toUpperCase() !== 'POST' || !QUERY_BODY.test(init.body)) return null;
  // Built on every subgraph call (the profile of a small query showed the sorted copy): a plain
  // loop, sorting only when the headers do not come in order (Apollo hands them over sorted).
  const parts: string[] = [];
  let sorted = true;
  for (const [rawName, value] of headerEntries(init.headers)) {
    const name = rawName.toLowerCase();
    if (HEADERS_OUTSIDE_THE_KEY.has(name)) continue;
    const part = `${name}:${value}`;
    if (sorted && parts.length > 0 && part < parts[parts.length - 1]!) sorted = false;
    parts.push(part);
  }
  if (!sorted) parts.sort();
  // JSON strings carry no raw newline, and header values none either: the parts cannot run together.
  return `${url}\n${parts.join('\n')}\n\n${init.body}`;
}

interface InflightRequest {
  answer: Promise<BufferedResponse>;
  /** Aborts the shared request once every caller waiting for it has given up. */
  controller: AbortController;
  waiting: number;
}

export interface InflightDedupeOptions {
  /** Called for each request that joined one already in flight instead of being sent. */
  onMerged?: () => void;
}

/**
 * Wraps a subgraph send so that a query identical (by {@link inflightKey}) to one in flight waits
 * for that one's answer. Each caller gets its own response object, and its `json()` parses the
 * shared bytes afresh: Apollo Gateway merges entity answers into the objects of earlier fetches
 * while it builds a result, so callers sharing parsed objects would see each other's merges.
 * A caller's abort signal releases only that caller; the request is abandoned when none waits.
 */
export function dedupeInflight(send: SubgraphSend, options: InflightDedupeOptions = {}): SubgraphSend {
  const inflight = new Map<string, InflightRequest>();
  return (url, init) => {
    const key = inflightKey(url, init);
    if (key === null) return send(url, init);
    const signal = init.signal ?? null;
    if (signal?.aborted) return Promise.reject(signal.reason);
    let request = inflight.get(key);
    if (request) {
      options.onMerged?.();
    } else {
      const controller = new AbortController();
      const answer = send(url, { ...init, signal: controller.signal });
      const created: InflightRequest = { answer, controller, waiting: 0 };
      // Only requests still in flight are shared: the next identical one after the answer asks again.
      const forget = () => {
        if (inflight.get(key) === created) inflight.delete(key);
      };
      answer.then(forget, forget);
      inflight.set(key, created);
      request = created;
    }
    const shared = request;
    shared.waiting += 1;
    return new Promise<BufferedResponse>((resolve, reject) => {
      let settled = false;
      const leave = () => {
        signal?.removeEventListener('abort', abandon);
        shared.waiting -= 1;
      };
      const abandon = () => {
        if (settled) return;
        settled = true;
        leave();
        if (shared.waiting === 0) {
          if (inflight.get(key) === shared) inflight.delete(key);
          shared.controller.abort(signal?.reason);
        }
        reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      signal?.addEventListener('abort', abandon, { once: true });
      shared.answer.then(
        (response) => {
          if (settled) return;
          settled = true;
          leave();
          resolve(response.clone());
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          leave();
          reject(error);
        },
      );
    });
  };
}
