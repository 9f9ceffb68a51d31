// Properties of the whole tree that no single package can check.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..');

interface LockedPackage {
  version?: string;
  link?: boolean;
}

/**
 * Every copy of a package the lockfile installs, at any depth. `npm ci` installs exactly what
 * package-lock.json lists, so reading it tells the same as walking node_modules, in a fraction of
 * the time.
 */
function lockedCopies(name: string): { location: string; version: string | undefined }[] {
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };
  return Object.entries(lock.packages)
    .filter(([location, entry]) => !entry.link && (location === `node_modules/${name}` || location.endsWith(`/node_modules/${name}`)))
    .map(([location, entry]) => ({ location, version: entry.version }));
}

describe('the workspace', () => {
  it('holds exactly one copy of graphql, a 16.x release (Apollo needs ^16)', () => {
    const copies = lockedCopies('graphql');
    expect(copies).toEqual([{ location: 'node_modules/graphql', version: expect.stringMatching(/^16\./) }]);
  });
});
