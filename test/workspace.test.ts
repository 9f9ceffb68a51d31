// Properties of the whole tree that no single package can check.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '..');
/** Loads a Jest configuration (CommonJS) as Jest does. */
const loadConfig = createRequire(__filename);

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
  it('keeps the files that need the machine to themselves out of the end-to-end run, in a script of their own', () => {
    const { scripts } = JSON.parse(readFileSync(path.join(__dirname, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    // npm test runs `test:alone` after every other task (prisma/src/cli/test-run-args.test.ts checks that).
    expect(scripts['test:alone']).toBe('jest --config jest.alone.config.js');
    expect(scripts.test).toBe('jest');
    const alone = loadConfig(path.join(__dirname, 'jest.alone.config.js')) as { testMatch: string[] };
    const main = loadConfig(path.join(__dirname, 'jest.config.js')) as { testPathIgnorePatterns: string[] };
    expect(alone.testMatch.map((file) => path.basename(file)).sort()).toEqual(['exhaustion.test.ts', 'partner-sync.test.ts']);
    for (const file of alone.testMatch) {
      expect(main.testPathIgnorePatterns.some((pattern) => new RegExp(pattern).test(path.join(__dirname, path.basename(file))))).toBe(true);
    }
  });

  it('holds exactly one copy of graphql, a 16.x release (Apollo needs ^16)', () => {
    const copies = lockedCopies('graphql');
    expect(copies).toEqual([{ location: 'node_modules/graphql', version: expect.stringMatching(/^16\./) }]);
  });

  it('asks Jest for at most four workers in every workspace: the global setup copies the test database once per worker', () => {
    const configs = [...readdirSync(root), ...readdirSync(path.join(root, 'subgraphs')).map((name) => path.join('subgraphs', name))]
      .flatMap((folder) => ['jest.config.js', 'jest.alone.config.js'].map((file) => path.join(folder, file)))
      .filter((file) => existsSync(path.join(root, file)));
    // Every workspace with tests, the end-to-end suite's two configurations among them.
    expect(configs.length).toBeGreaterThanOrEqual(14);
    for (const file of configs) {
      const { maxWorkers } = loadConfig(path.join(root, file)) as { maxWorkers?: unknown };
      expect({ file, maxWorkers }).toEqual({ file, maxWorkers: expect.any(Number) });
      expect({ file, atMostFour: Number(maxWorkers) >= 1 && Number(maxWorkers) <= 4 }).toEqual({ file, atMostFour: true });
    }
  });

  it("type-checks every workspace with TypeScript 7 (tsc7) and keeps TypeScript 5 as the repository's tsc", () => {
    const rootManifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { workspaces: string[] };
    const folders = rootManifest.workspaces.flatMap((pattern) =>
      pattern.endsWith('/*')
        ? readdirSync(path.join(root, pattern.slice(0, -2))).map((name) => `${pattern.slice(0, -2)}/${name}`)
        : [pattern],
    );
    const checked = folders.filter((folder) => existsSync(path.join(root, folder, 'tsconfig.json')));
    expect(checked.length).toBeGreaterThanOrEqual(15);
    for (const folder of checked) {
      const { scripts } = JSON.parse(readFileSync(path.join(root, folder, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
      expect({ folder, typecheck: scripts?.typecheck }).toEqual({ folder, typecheck: 'tsc7 --noEmit' });
    }
    // Two copies, each where its command finds it: 5 for the root's tsc (builds, ESLint), 7 inside typecheck/.
    expect(lockedCopies('typescript').sort((a, b) => a.location.localeCompare(b.location))).toEqual([
      { location: 'node_modules/typescript', version: expect.stringMatching(/^5\./) },
      { location: 'typecheck/node_modules/typescript', version: expect.stringMatching(/^7\./) },
    ]);
  });

  it('tsc7 runs TypeScript 7 and fails on a type error', () => {
    const tsc7 = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(root, 'typecheck/bin/tsc7.mjs'), ...args], { encoding: 'utf8', timeout: 60_000 });
    expect(tsc7('--version').stdout).toMatch(/^Version 7\./);
    const project = mkdtempSync(path.join(os.tmpdir(), 'regiograph-tsc7-'));
    try {
      writeFileSync(
        path.join(project, 'tsconfig.json'),
        JSON.stringify({ compilerOptions: { strict: true, noEmit: true }, files: ['index.ts'] }),
      );
      writeFileSync(path.join(project, 'index.ts'), 'export const count: number = "seven";\n');
      const failed = tsc7('-p', project);
      expect(failed.status).toBeGreaterThan(0);
      expect(failed.stdout).toContain("error TS2322: Type 'string' is not assignable to type 'number'.");
      writeFileSync(path.join(project, 'index.ts'), 'export const count: number = 7;\n');
      expect(tsc7('-p', project)).toMatchObject({ status: 0, stdout: '' });
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
