// The software licences of the third-party npm packages that ship at run time: in the images (gateway,
// subgraphs) and, bundled, in every browser that opens the Atlas. Read from package-lock.json, which
// `npm ci` installs exactly, so no node_modules walk is needed for all but the few entries without a
// `license` field.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Permissive licences: each lets the authority run, copy and ship the package in a proprietary or an
 * open deployment, asking no more than that the copyright and licence notice go with copies (the Atlas
 * build writes those notices into its dist) and, for Apache-2.0, that changes be marked.
 */
export const ALLOWED_LICENCES: ReadonlyMap<string, string> = new Map([
  ['MIT', 'permissive; keep the notice'],
  ['ISC', 'permissive, MIT-equivalent; keep the notice'],
  ['BSD-2-Clause', 'permissive; keep the notice'],
  ['BSD-3-Clause', 'permissive; keep the notice, do not use the authors’ names for endorsement'],
  ['Apache-2.0', 'permissive with a patent grant; keep the notice and NOTICE file, mark changes'],
  ['0BSD', 'public-domain-like: no conditions at all'],
  ['BlueOak-1.0.0', 'permissive with a patent grant; keep the notice'],
  ['CC0-1.0', 'public-domain dedication'],
  ['Unlicense', 'public-domain dedication'],
  ['Python-2.0', 'permissive (PSF licence, used by argparse); keep the notice'],
  // Creative Commons suits data, not code: allowed for packages that ship data only (e.g. caniuse-lite).
  ['CC-BY-4.0', 'attribution only; for data-only packages'],
]);

/**
 * A package whose licence is not on the allow-list but which was reviewed and accepted for its use
 * here. Pinned to the licence expression that was reviewed: a package that changes its licence is
 * reviewed again.
 */
export interface LicenceException {
  licence: string;
  reason: string;
}

/** One copy of a package the lockfile installs for run time. */
export interface RuntimePackage {
  location: string;
  name: string;
  version: string;
  /** The SPDX expression the package declares; null when it declares none. */
  licence: string | null;
}

interface LockedPackage {
  version?: string;
  license?: string;
  link?: boolean;
  dev?: boolean;
}

interface Manifest {
  license?: string | { type?: string };
  licenses?: { type?: string }[];
}

/** What a package.json declares, including the legacy `licenses` array (alternatives, hence OR). */
export function manifestLicence(manifest: Manifest): string | null {
  if (typeof manifest.license === 'string') return manifest.license;
  if (manifest.license?.type) return manifest.license.type;
  const types = (manifest.licenses ?? []).flatMap((entry) => (entry.type ? [entry.type] : []));
  return types.length === 0 ? null : types.length === 1 ? types[0]! : `(${types.join(' OR ')})`;
}

/**
 * Every copy the lockfile installs that is not dev-only: the images' dependencies and the Atlas's,
 * which its Vite build bundles (they are the Atlas workspace's `dependencies`, so the lockfile does
 * not mark them dev). Optional packages count: `npm ci --omit dev` installs them where they fit.
 * `readManifest` is asked only for entries whose lockfile record names no licence.
 */
export function runtimePackages(lockfile: string, readManifest: (location: string) => Manifest | null): RuntimePackage[] {
  const { packages } = JSON.parse(lockfile) as { packages: Record<string, LockedPackage> };
  return Object.entries(packages)
    .filter(([location, entry]) => location.includes('node_modules/') && !entry.link && !entry.dev)
    .map(([location, entry]) => {
      const manifest = entry.license === undefined ? readManifest(location) : null;
      return {
        location,
        name: location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length),
        version: entry.version ?? '',
        licence: entry.license ?? (manifest && manifestLicence(manifest)),
      };
    });
}

/** Reads an installed package's manifest below the repository root. */
export function installedManifest(root: string): (location: string) => Manifest | null {
  return (location) => {
    const file = path.join(root, location, 'package.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Manifest) : null;
  };
}

/**
 * Whether an SPDX expression is satisfied by the allow-list: `A OR B` when either is allowed (the
 * authority picks), `A AND B` when both are, parentheses group, AND binds tighter than OR. `X WITH
 * exception` is one licence of its own, allowed only when listed as such. A malformed expression is
 * not allowed (it needs a human to read it).
 */
export function licenceAllowed(expression: string, allowed: ReadonlySet<string>): boolean {
  const tokens = expression.match(/\(|\)|[^\s()]+/g) ?? [];
  let at = 0;
  const peek = (): string | undefined => tokens[at];
  const keyword = (word: string): boolean => peek()?.toUpperCase() === word;
  // Each parser returns null on a syntax error.
  const primary = (): boolean | null => {
    const token = tokens[at++];
    if (token === undefined || token === ')' || ['AND', 'OR', 'WITH'].includes(token.toUpperCase())) return null;
    if (token === '(') {
      const inner = or();
      if (inner === null || tokens[at++] !== ')') return null;
      return inner;
    }
    if (keyword('WITH')) {
      at++;
      const exception = tokens[at++];
      if (exception === undefined || exception === '(' || exception === ')') return null;
      return allowed.has(`${token} WITH ${exception}`);
    }
    return allowed.has(token);
  };
  const and = (): boolean | null => {
    let result = primary();
    while (result !== null && keyword('AND')) {
      at++;
      const next = primary();
      result = next === null ? null : result && next;
    }
    return result;
  };
  function or(): boolean | null {
    let result = and();
    while (result !== null && keyword('OR')) {
      at++;
      const next = and();
      result = next === null ? null : result || next;
    }
    return result;
  }
  const result = tokens.length === 0 ? null : or();
  return result === true && at === tokens.length;
}

export interface LicenceFindings {
  /** Neither allowed nor a reviewed exception (or an exception reviewed for another licence). */
  rejected: RuntimePackage[];
  /** Accepted as reviewed exceptions. */
  excepted: RuntimePackage[];
  /** Exceptions no runtime package needs any more: remove them so the list stays a review record. */
  unusedExceptions: string[];
}

export function checkLicences(
  packages: readonly RuntimePackage[],
  allowed: ReadonlySet<string>,
  exceptions: Readonly<Record<string, LicenceException>>,
): LicenceFindings {
  const rejected: RuntimePackage[] = [];
  const excepted: RuntimePackage[] = [];
  for (const found of packages) {
    if (found.licence !== null && licenceAllowed(found.licence, allowed)) continue;
    const exception = exceptions[found.name];
    if (exception && exception.licence === (found.licence ?? 'UNDECLARED')) excepted.push(found);
    else rejected.push(found);
  }
  const used = new Set(excepted.map((found) => found.name));
  return { rejected, excepted, unusedExceptions: Object.keys(exceptions).filter((name) => !used.has(name)) };
}

/** One line per package for the inventory and the failure message. */
export function describePackage(found: RuntimePackage): string {
  return `${found.name}@${found.version} (${found.licence ?? 'no licence declared'}) at ${found.location}`;
}

const APOLLO_FEDERATION =
  'Elastic License 2.0 (source-available, not open source): Apollo Federation’s gateway, query planner and ' +
  'composition. ELv2 allows using, copying, changing and self-hosting; it forbids offering the software to ' +
  'third parties as a hosted or managed service that exposes a substantial set of its features, and ' +
  'circumventing licence keys. RegioGraph runs the gateway itself for its own API, which ELv2 allows; ' +
  'offering RegioGraph’s gateway as a service to other bodies needs a legal review first.';

/**
 * Reviewed exceptions: run-time packages whose licence is not on the allow-list, each with why it is
 * accepted here. Keyed by package name, pinned to the licence expression that was reviewed.
 */
export const LICENCE_EXCEPTIONS: Readonly<Record<string, LicenceException>> = {
  '@apollo/composition': { licence: 'Elastic-2.0', reason: APOLLO_FEDERATION },
  '@apollo/federation-internals': { licence: 'Elastic-2.0', reason: APOLLO_FEDERATION },
  '@apollo/gateway': { licence: 'Elastic-2.0', reason: APOLLO_FEDERATION },
  '@apollo/query-graphs': { licence: 'Elastic-2.0', reason: APOLLO_FEDERATION },
  '@apollo/query-planner': { licence: 'Elastic-2.0', reason: APOLLO_FEDERATION },
  elkjs: {
    licence: 'EPL-2.0',
    reason:
      'Eclipse Public License 2.0, a weak, file-level copyleft: only changes to its own files would have to be ' +
      'published. Used unmodified, as a dependency of the Prisma CLI (Prisma Studio’s diagram layout), never ' +
      'bundled into the Atlas nor combined with RegioGraph code; its source is public on npm.',
  },
  'seq-queue': {
    licence: 'UNDECLARED',
    reason:
      'Declares no licence in its package.json; its LICENSE file is the MIT licence (checked). Reached only ' +
      'through mysql2, a dependency of the Prisma CLI that RegioGraph (PostgreSQL) never loads.',
  },
};
