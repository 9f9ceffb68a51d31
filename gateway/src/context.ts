import type { BaseContext } from '@apollo/server';
import type { Caller, Logger } from '@regiograph/shared';
import type { ApiKeyPrincipal } from './api-keys/registry';

export interface GatewayContext extends BaseContext {
  requestId: string;
  /** The verified caller, or null for anonymous requests. */
  caller: Caller | null;
  /** Headers passed on to every subgraph call (caller identity, request id). */
  forwardedHeaders: Record<string, string>;
  /** The primary's WAL position after this request's writes, for the client's later reads. */
  readAfterLsn: string | null;
  logger: Logger;
  /** Demand control's estimate of this operation, once known (it decides where it runs, offload.ts). */
  estimatedCost: number | null;
  /** Who is charged rate limits and cost points: the API key's id, else the address. */
  client: string;
  /** The partner API key the request was admitted with (its id, scopes and limits), or null. */
  apiKey: ApiKeyPrincipal | null;
  /** Cost points demand control charged this request (for the per-key usage metrics). */
  chargedCostPoints: number;
}
