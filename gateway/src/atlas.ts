import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compress, representation, type CompressionOptions, type ContentCoding, type RouteHandler } from '@regiograph/shared';
import { safelistManifestDocuments } from './operations';
import type { Safelist } from './persisted';

/**
 * The Atlas (the `@regiograph/atlas` workspace) is a static Vite build served from /atlas/, next to
 * GraphiQL: no CDN, no second server. Its operations ship with the build as a persisted-documents
 * manifest, registered here so the Atlas sends only hashes and runs on a safelisted gateway too.
 */
export const ATLAS_PATH = '/atlas/';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Where the Atlas's build lies; null when the package is not installed. */
export function atlasDistDir(): string | null {
  try {
    return path.join(path.dirname(require.resolve('@regiograph/atlas/package.json')), 'dist');
  } catch {
    return null;
  }
}

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Registers the Atlas's operations (hash → document) so they run by hash alone; returns how many. */
export async function registerAtlasOperations(safelist: Safelist, dist = atlasDistDir()): Promise<number> {
  const manifest = dist && path.join(dist, 'operations.json');
  if (!manifest || !existsSync(manifest)) return 0;
  // GraphQL Code Generator's persisted documents: each key is the sha256 the browser sends, checked
  // against its document (a mismatch would break every request).
  const documents = safelistManifestDocuments(readFileSync(manifest, 'utf8'), `Atlas operation manifest ${manifest}`);
  for (const document of documents) await safelist.register(document);
  return documents.length;
}

/** Types worth compressing: text. A PNG is compressed already. */
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.txt', '.svg']);

/**
 * The Atlas's routes. With `compression`, a text file goes out as brotli or gzip to a browser that takes
 * it (the script: 311 KB as it is, about 82 KB as brotli), each coding compressed once per process at its
 * first request and kept: the files never change while the gateway runs.
 */
export function atlasRoutes(dist = atlasDistDir(), compression: CompressionOptions | null = null): Record<string, RouteHandler> {
  const index = dist && path.join(dist, 'index.html');
  if (!dist || !index || !existsSync(index)) {
    const missing: RouteHandler = (_request, response) => {
      response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('The Atlas is not built: run npm run build.\n');
    };
    return { '/atlas': missing, [ATLAS_PATH]: missing };
  }
  const routes: Record<string, RouteHandler> = {
    '/atlas': (_request, response) => {
      response.writeHead(308, { location: ATLAS_PATH });
      response.end();
    },
  };
  for (const file of filesBelow(dist)) {
    const relative = path.relative(dist, file).split(path.sep).join('/');
    const hashed = relative.startsWith('assets/');
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    let body: Buffer | null = null;
    const coded = new Map<ContentCoding, Promise<Buffer>>();
    const fileCompression = COMPRESSIBLE.has(path.extname(file)) ? compression : null;
    const handler: RouteHandler = async (request, response) => {
      const identity = (body ??= readFileSync(file));
      const encoded = (coding: ContentCoding) => {
        let kept = coded.get(coding);
        if (!kept) coded.set(coding, (kept = compress(identity, coding, 'static')));
        return kept;
      };
      // Vite names assets by content hash: they never change; the page itself is always revalidated.
      const headers = { 'content-type': type, 'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache' };
      const sent = await representation(request, identity, headers, fileCompression, encoded);
      response.writeHead(200, sent.headers);
      response.end(sent.body);
    };
    routes[`${ATLAS_PATH}${relative}`] = handler;
    if (relative === 'index.html') routes[ATLAS_PATH] = handler;
  }
  return routes;
}
