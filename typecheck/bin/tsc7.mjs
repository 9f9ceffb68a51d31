#!/usr/bin/env node
// TypeScript 7's `tsc`, with the arguments given. This workspace's own dependency on TypeScript 7
// is installed inside it (typecheck/node_modules), because the root's TypeScript 5 holds the
// repository's `tsc`; resolving from here finds 7, and the check below says so if it ever did not.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const manifestPath = require.resolve('typescript/package.json');
const { version } = require(manifestPath);
if (!version.startsWith('7.')) {
  console.error(`tsc7: found TypeScript ${version} at ${manifestPath}, not 7: run npm ci at the repository's root`);
  process.exit(1);
}
// The package exports no bin path, so it is found beside its manifest. It reads process.argv as
// `tsc` would: this file stands where its own would.
await import(pathToFileURL(path.join(path.dirname(manifestPath), 'bin', 'tsc')).href);
