import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { IncomingMessage } from 'node:http';
import { createGraphQLHttpServer, isProduction, type RunningServer } from '@regiograph/shared';
import { ideRoutes } from './ide';
import { SUBGRAPHS, defaultSubgraphUrl, subgraphUrlVariable } from './subgraphs';

export { SUBGRAPHS, defaultSubgraphUrl, subgraphUrlVariable } from './subgraphs';
export type { SubgraphEntry } from './subgraphs';

export const SUPERGRAPH_PATH = path.join(__dirname, '..', 'supergraph.graphql');

export interface GatewayContext extends BaseContext {
  /** Headers passed on to every subgraph call (caller identity, request id). */
  forwardedHeaders: Record<string, string>;
}

export interface GatewayOptions {
  /** Defaults to the checked-in supergraph.graphql. */
  supergraphSdl?: string;
  /** Subgraph URLs by name; otherwise <NAME>_URL from the environment, else the supergraph's. */
  subgraphUrls?: Record<string, string>;
  production?: boolean;
  corsOrigins?: readonly string[] | '*';
}

export interface Gateway {
  apollo: ApolloServer<GatewayContext>;
  listen(port: number, host?: string): Promise<RunningServer>;
  close(): Promise<void>;
}

const FORWARDED_HEADERS = ['authorization', 'x-request-id'];

class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (options.kind !== GraphQLDataSourceRequestKind.INCOMING_OPERATION) return;
    const { forwardedHeaders } = options.context as GatewayContext;
    for (const [name, value] of Object.entries(forwardedHeaders)) options.request.http?.headers.set(name, value);
  }
}

function forwardedHeadersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

function corsOriginsFromEnvironment(production: boolean): readonly string[] | '*' {
  const configured = process.env.CORS_ORIGINS;
  if (configured === '*') return '*';
  if (configured) return configured.split(',').map((origin) => origin.trim()).filter(Boolean);
  return production ? [] : '*';
}

export async function createGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const production = options.production ?? isProduction();
  const urls = options.subgraphUrls ?? {};
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl ?? readFileSync(SUPERGRAPH_PATH, 'utf8'),
    buildService: ({ name, url }) => {
      const entry = SUBGRAPHS.find((subgraph) => subgraph.name === name);
      const resolved = urls[name] ?? process.env[subgraphUrlVariable(name)] ?? url ?? (entry ? defaultSubgraphUrl(entry) : undefined);
      return new SubgraphDataSource({ url: resolved });
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !production,
    includeStacktraceInErrorResponses: !production,
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();
  const http = createGraphQLHttpServer({
    apollo,
    context: async (request) => ({ forwardedHeaders: forwardedHeadersOf(request) }),
    corsOrigins: options.corsOrigins ?? corsOriginsFromEnvironment(production),
    routes: production && process.env.GATEWAY_IDE !== 'true' ? {} : ideRoutes(),
  });
  let running: RunningServer | null = null;
  return {
    apollo,
    async listen(port, host) {
      running = await http.listen(port, host);
      return running;
    },
    async close() {
      await running?.close();
      await apollo.stop();
    },
  };
}
