import type { BaseContext } from '@apollo/server';
import type { Caller, Logger } from '@regiograph/shared';

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
  /** Who is charged rate limits and cost points: the API key, else the address. */
  client: string;
}
