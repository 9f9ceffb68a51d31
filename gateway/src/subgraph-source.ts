import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { context, propagation } from '@opentelemetry/api';
import type { GatewayContext } from './context';
import { READ_AFTER_LSN_HEADER, recordWritePosition } from './read-after-write';

/** A subgraph as the gateway calls it: the caller's forwarded headers and trace context go along. */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    // Only requests made for a client's operation carry its headers; health checks and schema
    // loading have none. (@apollo/gateway exports the kind enum only from a deep dist/ path.)
    if (!('incomingRequestContext' in options)) return;
    const { forwardedHeaders } = options.context;
    const headers = options.request.http?.headers;
    for (const [name, value] of Object.entries(forwardedHeaders)) headers?.set(name, value);
    // W3C trace context: the subgraph's spans join the trace of this request.
    if (headers) propagation.inject(context.active(), headers, { set: (carrier, key, value) => carrier.set(key, value) });
  }

  override didReceiveResponse({
    response,
    context: requestContext,
  }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>>[0]) {
    recordWritePosition(requestContext, response.http?.headers.get(READ_AFTER_LSN_HEADER));
    return response;
  }
}
