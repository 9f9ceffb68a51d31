// The supply chain of the production images (docs/supply-chain.md): which third-party packages each
// image holds, from where, with which install scripts and for which Node. Read from package-lock.json,
// the installed packages' package.json files and the Dockerfile, without Docker or the network;
// test/image-packages.ts works out each image's packages as npm installs them. Their licences are
// checked by dev-tools/src/licences.test.ts, over every package the lockfile does not mark dev-only
// (a superset of every image's).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SUBGRAPHS } from '@regiograph/shared';
import semver from 'semver';
import {
  imagePackages,
  isThirdParty,
  packageName,
  productionInstall,
  readLockfile,
  runtimeLocations,
  type LockedPackage,
} from './image-packages';

const root = path.join(__dirname, '..');
const dockerfile = readFileSync(path.join(root, 'deploy/docker/Dockerfile'), 'utf8');
const lock = readLockfile();
const install = productionInstall(dockerfile);

/** Each image and the workspace package the Dockerfile builds and installs for it (SERVICE). */
const IMAGES: Record<string, string> = {
  gateway: '@regiograph/gateway',
  migrate: '@regiograph/db',
  ...Object.fromEntries(SUBGRAPHS.map((entry) => [entry.name, entry.packageName])),
};
const IMAGE_NAMES = Object.keys(IMAGES);

const packagesOf = new Map(IMAGE_NAMES.map((image) => [image, imagePackages(lock, IMAGES[image]!, install)]));

/** A package's own package.json, as installed by `npm ci` from the lockfile. */
function installedManifest(location: string): { engines?: { node?: string } } {
  return JSON.parse(readFileSync(path.join(root, location, 'package.json'), 'utf8')) as { engines?: { node?: string } };
}

/**
 * Runtime dependencies of one workspace that npm's --workspace install also puts in an image whose
 * workspaces reach them only through a dev dependency (Arborist flags dev per tree, not per
 * workspace). Small and inert: nothing of the image loads them.
 */
const RIDERS = new Set(['@types/pg', 'dataloader', 'd3-array', 'internmap', 'denque', 'iconv-lite', 'safer-buffer']);

/**
 * Packages a shipped package names as a required peer that the install leaves out (--omit=peer):
 * React 19 for Prisma Studio and CodeMirror for GraphiQL's sources. The gateway serves GraphiQL's
 * UMD bundle, which holds its own copy, and loads none of them in Node; its React 18 is a dependency.
 */
const PEERS_LEFT_OUT = /^(react|react-dom|scheduler|@codemirror\/.+|@lezer\/.+|@marijn\/find-cluster-break|style-mod|w3c-keyname|crelt)$/;

/**
 * Shipped packages whose engines field excludes the base image's Node, each checked by hand.
 * promise-helpers 2 asks for Node 22.15 but uses Promise.withResolvers only where it exists and
 * falls back to its own deferred otherwise (cjs/index.js, createDeferredPromise).
 */
const REVIEWED_ENGINES: Record<string, string> = { '@whatwg-node/promise-helpers': '>=22.15.0' };

/** The Node version of the base image every production image runs on (deploy/docker/Dockerfile). */
function imageNodeVersion(): string {
  const image = /^ARG NODE_IMAGE=node:(\d+\.\d+\.\d+)/m.exec(dockerfile)?.[1];
  if (!image) throw new Error('deploy/docker/Dockerfile: ARG NODE_IMAGE names no node:<major.minor.patch> image');
  return image;
}

describe('the third-party packages of each production image', () => {
  it('are what npm installs for the image alone: its workspace and the workspaces it needs, no dev, optional or peer-only package', () => {
    expect({ omit: [...install.omit].sort(), oneWorkspace: install.oneWorkspace }).toEqual({
      omit: ['dev', 'optional', 'peer'],
      oneWorkspace: true,
    });
  });

  it.each(IMAGE_NAMES)('%s: holds only packages its own workspaces load at run time, besides the reviewed riders', (image) => {
    const needed = runtimeLocations(lock, IMAGES[image]!);
    const shipped = packagesOf.get(image)!;
    const unneeded = shipped.filter((location) => !needed.has(location) && !RIDERS.has(packageName(location)));
    expect({ image, unneeded }).toEqual({ image, unneeded: [] });
    const leftOut = [...needed].filter((location) => isThirdParty(location) && !shipped.includes(location));
    const unexplained = leftOut.filter((location) => !(lock.packages[location]!.peer && PEERS_LEFT_OUT.test(packageName(location))));
    expect({ image, unexplained }).toEqual({ image, unexplained: [] });
  });

  it('keep the gateway image free of the subgraphs, and the subgraph and migration images free of the gateway', () => {
    const names = (image: string) => new Set(packagesOf.get(image)!.map(packageName));
    for (const foreign of ['@prisma/client', '@prisma/adapter-pg', '@pothos/core'])
      expect({ foreign, inGateway: names('gateway').has(foreign) }).toEqual({ foreign, inGateway: false });
    for (const image of IMAGE_NAMES.filter((name) => name !== 'gateway')) {
      for (const foreign of ['@apollo/gateway', 'graphiql', 'react']) {
        expect({ image, foreign, held: names(image).has(foreign) }).toEqual({ image, foreign, held: false });
      }
    }
    expect(names('migrate').has('@apollo/server')).toBe(false);
  });

  it.each(IMAGE_NAMES)("%s: ships only packages whose engines admit the base image's Node, or reviewed ones", (image) => {
    const node = imageNodeVersion();
    const excluded = packagesOf.get(image)!.flatMap((location) => {
      const range = installedManifest(location).engines?.node;
      if (range === undefined || semver.satisfies(node, range)) return [];
      return REVIEWED_ENGINES[packageName(location)] === range ? [] : [`${location}: node ${range}`];
    });
    expect({ image, node, excluded }).toEqual({ image, node, excluded: [] });
  });

  it('runs no install script: the production install ignores them, and every shipped package with one is reviewed in allowScripts', () => {
    expect(dockerfile).toMatch(/npm ci --omit=dev[^\n]*--ignore-scripts/);
    const { allowScripts } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { allowScripts: Record<string, boolean> };
    const scripted = [...new Set(IMAGE_NAMES.flatMap((image) => packagesOf.get(image)!))]
      .filter((location) => lock.packages[location]!.hasInstallScript)
      .map(packageName);
    expect([...new Set(scripted)].sort()).toEqual(['@apollo/protobufjs', 'protobufjs']);
    for (const name of scripted) expect({ name, allowed: allowScripts[name] }).toEqual({ name, allowed: false });
  });
});

describe('package-lock.json', () => {
  const thirdParty = Object.entries(lock.packages).filter(([location, entry]) => isThirdParty(location) && !entry.link);

  it('is a version 3 lockfile holding every package with a sha512 integrity hash', () => {
    expect(lock.lockfileVersion).toBe(3);
    expect(thirdParty.length).toBeGreaterThan(1000);
    const unhashed = thirdParty
      .filter(([, entry]) => !/^sha512-[A-Za-z0-9+/]+={0,2}$/.test(entry.integrity ?? ''))
      .map(([location]) => location);
    expect(unhashed).toEqual([]);
  });

  it('installs from the npm registry only: no git, tarball or file source, in the lockfile or a manifest', () => {
    const fromRegistry = (location: string, entry: LockedPackage) =>
      entry.resolved === undefined || entry.resolved.startsWith(`https://registry.npmjs.org/${packageName(location)}/-/`);
    expect(thirdParty.filter(([location, entry]) => !fromRegistry(location, entry)).map(([location]) => location)).toEqual([]);
    expect(thirdParty.filter(([, entry]) => !semver.valid(entry.version ?? '')).map(([location]) => location)).toEqual([]);
    // A manifest's own specifiers: a range or an exact version, never a URL, a path or a GitHub shorthand.
    const specifiers = Object.entries(lock.packages)
      .filter(([location]) => !isThirdParty(location))
      .flatMap(([location, entry]) =>
        Object.entries({ ...entry.dependencies, ...entry.devDependencies, ...entry.optionalDependencies }).map(([name, specifier]) => ({
          location: location || '(root)',
          name,
          specifier,
        })),
      );
    expect(specifiers.length).toBeGreaterThan(100);
    expect(specifiers.filter(({ specifier }) => semver.validRange(specifier) === null)).toEqual([]);
  });
});
