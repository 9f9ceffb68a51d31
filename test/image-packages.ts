// The third-party packages each production image holds, worked out of package-lock.json the way the
// Dockerfile's prod-deps stage installs them: `npm ci --omit=dev --omit=optional --omit=peer --workspace=<package>`
// takes the image's workspace package, the workspaces it needs and every package they reach through
// `dependencies` and peers, and leaves out what the lockfile flags dev, optional or peer. Reading the
// lockfile needs no network and no Docker; docs/supply-chain.md compares it with a real install.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..');

/** One entry of the lockfile's `packages`: an installed folder, keyed by its path from the root. */
export interface LockedPackage {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  license?: string;
  hasInstallScript?: boolean;
  engines?: { node?: string } | string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

export interface Lockfile {
  lockfileVersion: number;
  packages: Record<string, LockedPackage>;
}

export function readLockfile(): Lockfile {
  return JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as Lockfile;
}

/** A lockfile location's package name: the part after its last node_modules/. */
export function packageName(location: string): string {
  return location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

/** Whether a location is installed from the registry (below a node_modules folder), not a workspace. */
export function isThirdParty(location: string): boolean {
  return location.includes('node_modules/');
}

/**
 * Where Node (and npm's tree) finds `name` required from `location`: the nearest node_modules folder
 * holding it, walking up to the root. A workspace link is followed to the workspace's folder.
 */
function resolveFrom(lock: Lockfile, location: string, name: string): string | null {
  let from = location;
  for (;;) {
    const candidate = from === '' ? `node_modules/${name}` : `${from}/node_modules/${name}`;
    const entry = lock.packages[candidate];
    if (entry) return entry.link ? (entry.resolved ?? null) : candidate;
    if (from === '') return null;
    const parent = from.lastIndexOf('/node_modules/');
    from = parent < 0 ? '' : from.slice(0, parent);
  }
}

/** What the production install of the Dockerfile leaves out (npm's --omit) and whether it takes one workspace. */
export interface ProductionInstall {
  omit: Set<string>;
  oneWorkspace: boolean;
}

/** The flags of the `npm ci` in a Dockerfile's prod-deps stage, the install every image's node_modules come from. */
export function productionInstall(dockerfile: string): ProductionInstall {
  const stage = dockerfile.slice(dockerfile.search(/^FROM\s+\S+\s+AS\s+prod-deps$/m));
  const command = /npm ci\b((?:[^\n]|\\\n)*)/.exec(stage)?.[1] ?? '';
  return {
    omit: new Set([...command.matchAll(/--omit[= ](\w+)/g)].map((match) => match[1]!)),
    oneWorkspace: /--workspace[= ]/.test(command),
  };
}

/**
 * Every lockfile location (workspace folders and installed packages) the production install puts
 * in the image of `workspacePackage`, as npm's Arborist picks them. With `--workspace`: the
 * workspace and everything it reaches through any edge (its devDependencies, optional dependencies
 * and peers included); without it: every workspace and what they reach. Then every package the
 * lockfile flags (for the whole tree) with an omitted type is left out: `dev`, `optional` and
 * `devOptional` for --omit=dev and --omit=optional, `peer` for --omit=peer. So a package that one
 * workspace needs at run time rides along with an image that reaches it only through a dev
 * dependency (docs/supply-chain.md lists these few); a required dependency the lockfile cannot
 * resolve is an error.
 */
export function installedLocations(lock: Lockfile, workspacePackage: string, install: ProductionInstall): Set<string> {
  const reached = reachable(lock, install.oneWorkspace ? [workspaceFolder(lock, workspacePackage)] : [''], 'every edge');
  const omitted = (entry: LockedPackage) =>
    (install.omit.has('dev') && entry.dev === true) ||
    (install.omit.has('optional') && entry.optional === true) ||
    (install.omit.has('dev') && install.omit.has('optional') && entry.devOptional === true) ||
    (install.omit.has('peer') && entry.peer === true);
  return new Set([...reached].filter((location) => !omitted(lock.packages[location]!)));
}

/**
 * What the workspace really needs at run time: the locations it reaches through `dependencies` and
 * required peers alone. An image holding more carries packages nothing of it loads.
 */
export function runtimeLocations(lock: Lockfile, workspacePackage: string): Set<string> {
  return reachable(lock, [workspaceFolder(lock, workspacePackage)], 'runtime edges');
}

function workspaceFolder(lock: Lockfile, workspacePackage: string): string {
  const link = lock.packages[`node_modules/${workspacePackage}`];
  if (!link?.link || !link.resolved) throw new Error(`${workspacePackage} is not a workspace of package-lock.json`);
  return link.resolved;
}

/** The locations reached from `starts` ('' is the root, whose edges include every workspace). */
function reachable(lock: Lockfile, starts: string[], edges: 'every edge' | 'runtime edges'): Set<string> {
  const reached = new Set<string>();
  const queue = [...starts];
  while (queue.length > 0) {
    const location = queue.pop()!;
    if (reached.has(location)) continue;
    reached.add(location);
    const entry = lock.packages[location]!;
    const optional = new Set([
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.entries(entry.peerDependenciesMeta ?? {})
        .filter(([, meta]) => meta.optional)
        .map(([name]) => name),
    ]);
    const names =
      edges === 'every edge'
        ? [
            ...Object.keys(entry.dependencies ?? {}),
            ...Object.keys(entry.devDependencies ?? {}),
            ...Object.keys(entry.optionalDependencies ?? {}),
            ...Object.keys(entry.peerDependencies ?? {}),
          ]
        : [...Object.keys(entry.dependencies ?? {}), ...Object.keys(entry.peerDependencies ?? {})].filter((name) => !optional.has(name));
    // The root's workspaces are its edges too: without --workspace npm installs every one of them.
    if (location === '') for (const [key, value] of Object.entries(lock.packages)) if (value.link) names.push(packageName(key));
    for (const name of names) {
      const target = resolveFrom(lock, location, name);
      if (target !== null) queue.push(target);
      else if (!optional.has(name)) throw new Error(`${location || 'the root'} needs ${name}, which package-lock.json does not hold`);
    }
  }
  return reached;
}

/** The third-party packages of an image, as lockfile locations, sorted. */
export function imagePackages(lock: Lockfile, workspacePackage: string, install: ProductionInstall): string[] {
  return [...installedLocations(lock, workspacePackage, install)].filter(isThirdParty).sort();
}
