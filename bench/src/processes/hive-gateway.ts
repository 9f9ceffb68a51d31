// The peer: GraphQL Hive Gateway's runtime on the same supergraph, with each subgraph's URL
// replaced by the port the benchmark started it on, served by node:http like our gateway.
// Run as its own process so its CPU and memory are measured apart from everything else.
// With HIVE_ROUTER_RUNTIME=true it runs Hive Gateway with the Rust query planner and Hive Router's
// executor (@graphql-hive/router-runtime, a native addon shipped in the npm package), the fastest
// federation runtime that installs from npm into Node.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';

/** Points every `@join__graph(name: "<name>", url: ...)` of the supergraph at the given URL. */
export function overrideSubgraphUrls(supergraphSdl: string, urls: Record<string, string>): string {
  let sdl = supergraphSdl;
  for (const [name, url] of Object.entries(urls)) {
    const pattern = new RegExp(`(@join__graph\\(name:\\s*"${name}",\\s*url:\\s*)"[^"]*"`);
    if (!pattern.test(sdl)) throw new Error(`the supergraph has no subgraph named ${name}`);
    sdl = sdl.replace(pattern, `$1${JSON.stringify(url)}`);
  }
  return sdl;
}

function routerRuntime(): typeof import('@graphql-hive/router-runtime') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, see above
  return require('@graphql-hive/router-runtime') as typeof import('@graphql-hive/router-runtime');
}

function main(): void {
  const supergraphPath = process.env.SUPERGRAPH_PATH;
  if (!supergraphPath) throw new Error('SUPERGRAPH_PATH must be set');
  const urls = JSON.parse(process.env.SUBGRAPH_URLS ?? '{}') as Record<string, string>;
  const supergraph = overrideSubgraphUrls(readFileSync(supergraphPath, 'utf8'), urls);
  const gateway = createGatewayRuntime({
    supergraph,
    // Loaded only for this variant: the plain Hive Gateway process does not load the native addon.
    ...(process.env.HIVE_ROUTER_RUNTIME === 'true' ? { unifiedGraphHandler: routerRuntime().unifiedGraphHandler } : {}),
    logging: 'error',
    graphiql: false,
    landingPage: false,
  });
  // The runtime is a Node request listener that answers its own errors; the promise it returns only
  // says when the answer is sent, so node:http may ignore it.
  // eslint-disable-next-line @typescript-eslint/no-misused-promises
  const server = http.createServer(gateway);
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT ?? 4100), process.env.HOST ?? '127.0.0.1');
  const shutdown = () => {
    server.close();
    server.closeAllConnections();
    void Promise.resolve(gateway.dispose()).finally(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

if (require.main === module) main();
