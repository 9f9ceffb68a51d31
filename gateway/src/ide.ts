import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RouteHandler } from '@regiograph/shared';

/**
 * GraphiQL served from the gateway itself: the page and its scripts come from npm packages on
 * disk, never from a CDN (the machines this runs on may have no internet).
 */
const ASSETS = {
  '/ide/react.js': { packageName: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' },
  '/ide/react-dom.js': { packageName: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'text/javascript' },
  '/ide/graphiql.js': { packageName: 'graphiql', file: 'dist/index.umd.js', type: 'text/javascript' },
  '/ide/graphiql.css': { packageName: 'graphiql', file: 'dist/style.css', type: 'text/css' },
} as const;

/** The packages' `exports` maps hide their browser bundles, so files are found from package.json. */
function assetPath(packageName: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${packageName}/package.json`)), file);
}

export const EXAMPLE_QUERY = `# The counties of ArL district Weser-Ems (034) with their parents.
query CountiesOfWeserEms {
  region(code: "034") {
    name
    descendants(level: COUNTY) {
      code
      name
      officialType
      parent { code name }
    }
  }
}
`;

function page(endpoint: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>RegioGraph — GraphiQL</title>
  <link rel="stylesheet" href="/ide/graphiql.css">
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="/ide/react.js"></script>
  <script src="/ide/react-dom.js"></script>
  <script src="/ide/graphiql.js"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({ url: ${JSON.stringify(endpoint)} });
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, { fetcher, defaultQuery: ${JSON.stringify(EXAMPLE_QUERY)}, defaultEditorToolsVisibility: true })
    );
  </script>
</body>
</html>`;
}

export function ideRoutes(endpoint = '/graphql'): Record<string, RouteHandler> {
  const html = page(endpoint);
  const routes: Record<string, RouteHandler> = {
    '/': (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
      response.end(html);
    },
  };
  routes['/graphiql'] = routes['/']!;
  for (const [route, asset] of Object.entries(ASSETS)) {
    let body: Buffer | null = null;
    routes[route] = (_request, response) => {
      body ??= readFileSync(assetPath(asset.packageName, asset.file));
      response.writeHead(200, { 'content-type': `${asset.type}; charset=utf-8`, 'cache-control': 'public, max-age=86400' });
      response.end(body);
    };
  }
  return routes;
}
