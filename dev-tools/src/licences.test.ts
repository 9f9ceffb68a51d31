import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ALLOWED_LICENCES,
  checkLicences,
  describePackage,
  installedManifest,
  LICENCE_EXCEPTIONS,
  licenceAllowed,
  manifestLicence,
  runtimePackages,
} from './licences';

const root = path.join(__dirname, '..', '..');
const allowed = new Set(ALLOWED_LICENCES.keys());

describe('licenceAllowed', () => {
  it.each([
    ['MIT', true],
    ['(MIT OR GPL-3.0-only)', true],
    ['MIT AND ISC', true],
    ['MIT and ISC', true],
    ['(MIT AND BSD-3-Clause)', true],
    ['GPL-3.0-only', false],
    ['MIT AND GPL-2.0-only', false],
    ['AGPL-3.0-or-later OR MPL-2.0', false],
    ['LGPL-2.1-only OR (Apache-2.0 AND MIT)', true],
    ['(LGPL-2.1-only OR Apache-2.0) AND MPL-2.0', false],
    // AND binds tighter than OR.
    ['MIT OR GPL-2.0-only AND MPL-2.0', true],
    ['GPL-2.0-only AND MPL-2.0 OR MIT', true],
    ['GPL-2.0-only WITH Classpath-exception-2.0', false],
    ['SEE LICENSE IN LICENSE.txt', false],
    ['UNLICENSED', false],
    ['(MIT', false],
    ['MIT)', false],
    ['MIT OR', false],
    ['', false],
  ])('%j → %s', (expression, expected) => {
    expect(licenceAllowed(expression, allowed)).toBe(expected);
  });

  it('allows an exception clause only when it is listed with it', () => {
    expect(licenceAllowed('Apache-2.0 WITH LLVM-exception', new Set(['Apache-2.0 WITH LLVM-exception']))).toBe(true);
    expect(licenceAllowed('Apache-2.0 WITH LLVM-exception', new Set(['Apache-2.0']))).toBe(false);
  });
});

describe('checkLicences', () => {
  const lockfile = JSON.stringify({
    packages: {
      '': { name: 'root' },
      atlas: { name: '@regiograph/atlas' },
      'node_modules/@regiograph/atlas': { resolved: 'atlas', link: true },
      'node_modules/react': { version: '18.3.1', license: 'MIT' },
      'node_modules/copyleft': { version: '1.0.0', license: 'GPL-3.0-only' },
      'node_modules/a/node_modules/weak': { version: '2.0.0', license: 'MPL-2.0' },
      'node_modules/quiet': { version: '0.1.0' },
      'node_modules/legacy': { version: '0.2.0' },
      'node_modules/dev-only-gpl': { version: '1.0.0', license: 'GPL-3.0-only', dev: true },
    },
  });
  const manifests: Record<string, { licenses?: { type: string }[] }> = {
    'node_modules/quiet': {},
    'node_modules/legacy': { licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }] },
  };
  const packages = runtimePackages(lockfile, (location) => manifests[location] ?? null);

  it('takes the run-time copies only, reading the manifest where the lockfile names no licence', () => {
    expect(packages.map(({ name, licence }) => [name, licence])).toEqual([
      ['react', 'MIT'],
      ['copyleft', 'GPL-3.0-only'],
      ['weak', 'MPL-2.0'],
      ['quiet', null],
      ['legacy', '(MIT OR Apache-2.0)'],
    ]);
  });

  it('names every package that is neither allowed nor a reviewed exception for that very licence', () => {
    const findings = checkLicences(packages, allowed, {
      weak: { licence: 'MPL-2.0', reason: 'file-level copyleft, used unmodified' },
      copyleft: { licence: 'LGPL-3.0-only', reason: 'reviewed when it was LGPL' },
      gone: { licence: 'MIT', reason: 'no longer installed' },
    });
    expect(findings.rejected.map(describePackage)).toEqual([
      'copyleft@1.0.0 (GPL-3.0-only) at node_modules/copyleft',
      'quiet@0.1.0 (no licence declared) at node_modules/quiet',
    ]);
    expect(findings.excepted.map((found) => found.name)).toEqual(['weak']);
    // The exception reviewed for another licence no longer fits either: review it again.
    expect(findings.unusedExceptions).toEqual(['copyleft', 'gone']);
  });

  it('reads a manifest’s licence in each of its shapes', () => {
    expect(manifestLicence({ license: 'ISC' })).toBe('ISC');
    expect(manifestLicence({ license: { type: 'BSD-2-Clause' } })).toBe('BSD-2-Clause');
    expect(manifestLicence({ licenses: [{ type: 'MIT' }] })).toBe('MIT');
    expect(manifestLicence({})).toBeNull();
  });
});

describe('the packages that ship at run time', () => {
  const packages = runtimePackages(readFileSync(path.join(root, 'package-lock.json'), 'utf8'), installedManifest(root));

  it('carry allowed licences or reviewed exceptions only, and every exception is still needed', () => {
    const findings = checkLicences(packages, allowed, LICENCE_EXCEPTIONS);
    // The inventory, for the review: each licence and how many run-time copies carry it.
    const counts = new Map<string, number>();
    for (const found of packages)
      counts.set(found.licence ?? 'no licence declared', (counts.get(found.licence ?? 'no licence declared') ?? 0) + 1);
    console.log(
      [
        `${packages.length} run-time packages by licence:`,
        ...[...counts].sort((a, b) => b[1] - a[1]).map(([licence, count]) => `  ${count} × ${licence}`),
        'accepted as reviewed exceptions:',
        ...findings.excepted.map((found) => `  ${describePackage(found)}`),
      ].join('\n'),
    );
    expect(findings.rejected.map(describePackage)).toEqual([]);
    expect(findings.unusedExceptions).toEqual([]);
  });

  it('include the Atlas’s bundled browser dependencies', () => {
    const { dependencies } = JSON.parse(readFileSync(path.join(root, 'atlas', 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const names = new Set(packages.map((found) => found.name));
    expect(Object.keys(dependencies).filter((name) => !names.has(name))).toEqual([]);
    expect(Object.keys(dependencies)).toEqual(expect.arrayContaining(['react', 'd3-geo']));
  });
});

describe('npm run sbom', () => {
  it("writes an image's software bill of materials (CycloneDX) offline, with licences and without dev-only packages", () => {
    // npm sbom needs a version on the root package for its purl; it reads node_modules, not the registry.
    const run = spawnSync('npm', ['run', '-s', 'sbom', '--', '--offline', '-w', '@regiograph/gateway'], { cwd: root, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const bom = JSON.parse(run.stdout) as { bomFormat: string; components: { name: string; licenses?: { license: { id?: string } }[] }[] };
    expect(bom.bomFormat).toBe('CycloneDX');
    expect(bom.components.find((component) => component.name === '@apollo/gateway')?.licenses).toEqual([
      { license: { id: 'Elastic-2.0' } },
    ]);
    // The gateway's own devDependency (its types of pg) is in its tree only without --omit dev.
    expect(bom.components.map((component) => component.name)).not.toContain('@types/pg');
  });
});
