// Puts the gateway's subgraph fetcher (gateway/src/agent-fetch.ts) in place of the global fetch.
// The benchmark's "ours+agent" variant used this to measure the fetcher before the gateway adopted
// it; since then both variants take the same path.
import { createAgentFetch, type AgentFetchInit } from '@regiograph/gateway';

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
