import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from './context';

/**
 * Read-your-writes with read replicas. A subgraph answers a mutation with the primary's WAL position
 * in this header; the gateway passes the latest one to the client, and the client's header on later
 * requests to every subgraph, whose reads then skip replicas that have not replayed it.
 */
export const READ_AFTER_LSN_HEADER = 'x-read-after-lsn';

const LSN_PATTERN = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i;

function lsnValue(text: string): bigint | null {
  const match = LSN_PATTERN.exec(text.trim());
  return match ? (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`) : null;
}

/** Keeps the latest WAL position a subgraph reported in this request (all share one primary). */
export function recordWritePosition(context: GatewayContext, header: string | null | undefined): void {
  const value = header ? lsnValue(header) : null;
  if (value === null) return;
  const current = context.readAfterLsn ? lsnValue(context.readAfterLsn) : null;
  if (current === null || value > current) context.readAfterLsn = header!.trim();
}

/** Hands the position of this request's writes to the client. */
export function writePositionPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          if (contextValue.readAfterLsn) response.http.headers.set(READ_AFTER_LSN_HEADER, contextValue.readAfterLsn);
        },
      };
    },
  };
}
