// The repository's workspace packages as the tests of manifests and deployments see them: each
// package's folder, its manifest, and the workspaces it needs at run time.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SUBGRAPHS } from '@regiograph/shared';

const root = path.join(__dirname, '..');

export interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** The folder of every workspace package but the test-only ones (test, bench). */
export const WORKSPACE_FOLDERS: Record<string, string> = {
  '@regiograph/shared': 'shared',
  '@regiograph/db': 'prisma',
  '@regiograph/subgraph-kit': 'subgraph-kit',
  '@regiograph/gateway': 'gateway',
  '@regiograph/atlas': 'atlas',
  '@regiograph/dev-tools': 'dev-tools',
  '@regiograph/chaos': 'chaos',
  '@regiograph/client': 'client',
  '@regiograph/examples': 'examples',
  '@regiograph/typecheck': 'typecheck',
  ...Object.fromEntries(SUBGRAPHS.map((entry) => [entry.packageName, `subgraphs/${entry.name}`])),
};

export function manifest(packageName: string): Manifest {
  return JSON.parse(readFileSync(path.join(root, WORKSPACE_FOLDERS[packageName]!, 'package.json'), 'utf8')) as Manifest;
}

/** Every workspace package a package needs at run time, directly or through another workspace. */
export function runtimeWorkspaces(packageName: string, seen = new Set<string>()): Set<string> {
  for (const dependency of Object.keys(manifest(packageName).dependencies ?? {})) {
    if (!dependency.startsWith('@regiograph/') || seen.has(dependency)) continue;
    seen.add(dependency);
    runtimeWorkspaces(dependency, seen);
  }
  return seen;
}
