// The layering of the workspaces, checked three ways: the package manifests (what an image
// installs), the ESLint rule (what the code imports), and what Node really loads.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SUBGRAPHS } from '@regiograph/shared';
import * as testing from '@regiograph/shared/testing';
import { manifest, runtimeWorkspaces, WORKSPACE_FOLDERS, type Manifest } from './workspaces';

const root = path.join(__dirname, '..');

const SUBGRAPH_PACKAGES = SUBGRAPHS.map((entry) => entry.packageName);

describe('package manifests', () => {
  it('knows every workspace of the root package.json', () => {
    const rootManifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { workspaces: string[] };
    const folders = rootManifest.workspaces.filter((workspace) => !['test', 'bench', 'subgraphs/*'].includes(workspace));
    expect(folders.sort()).toEqual(
      Object.values(WORKSPACE_FOLDERS)
        .filter((folder) => !folder.startsWith('subgraphs/'))
        .sort(),
    );
  });

  it('shared needs no other workspace, so nothing that imports it installs Prisma', () => {
    expect([...runtimeWorkspaces('@regiograph/shared')]).toEqual([]);
    expect(
      Object.keys(manifest('@regiograph/shared').dependencies ?? {}).filter((name) => name.startsWith('@prisma/') || name === 'pg'),
    ).toEqual([]);
  });

  it('the gateway needs shared and the Atlas (static files it serves) only: no subgraph, no database, no development tool', () => {
    expect([...runtimeWorkspaces('@regiograph/gateway')].sort()).toEqual(['@regiograph/atlas', '@regiograph/shared']);
    expect([...runtimeWorkspaces('@regiograph/atlas')]).toEqual([]);
  });

  it('the client needs no other workspace (a partner installs it alone), and the examples only the client', () => {
    expect([...runtimeWorkspaces('@regiograph/client')]).toEqual([]);
    expect(
      Object.keys(manifest('@regiograph/client').dependencies ?? {}).filter(
        (name) => name.startsWith('@prisma/') || name === 'pg' || name.startsWith('@apollo/'),
      ),
    ).toEqual([]);
    expect([...runtimeWorkspaces('@regiograph/examples')]).toEqual(['@regiograph/client']);
  });

  // The composition (dev-tools), the end-to-end harness (test) and the bench load every registered
  // subgraph by package name. npm's hoisting finds an undeclared one all the same, so nothing else
  // fails: but Turborepo orders builds and generators by the declared dependencies, and a missing
  // one lets composition read a stale or missing schema.graphql.
  it.each(['dev-tools', 'test', 'bench'])('%s/package.json depends on every registered subgraph', (folder) => {
    const { dependencies = {} } = JSON.parse(readFileSync(path.join(root, folder, 'package.json'), 'utf8')) as Manifest;
    const missing = SUBGRAPH_PACKAGES.filter((name) => !(name in dependencies));
    expect({ file: `${folder}/package.json`, missingDependencies: missing }).toEqual({
      file: `${folder}/package.json`,
      missingDependencies: [],
    });
  });

  it.each(SUBGRAPH_PACKAGES)('%s needs no other subgraph, the gateway or the development tools', (name) => {
    const needed = runtimeWorkspaces(name);
    expect([...needed].sort()).toEqual(['@regiograph/db', '@regiograph/shared', '@regiograph/subgraph-kit']);
  });
});

describe('the import rule', () => {
  const probes: { file: string; code: string; refused: boolean }[] = [
    { file: 'shared/src/layering-probe.ts', code: "export { Prisma } from '@regiograph/db';\n", refused: true },
    { file: 'shared/src/layering-probe.ts', code: "export { createSubgraphServer } from '@regiograph/subgraph-kit';\n", refused: true },
    { file: 'shared/src/layering-probe.ts', code: "export { PrismaClient } from '@prisma/client';\n", refused: true },
    { file: 'shared/src/layering-probe.ts', code: "export { readFileSync } from 'node:fs';\n", refused: false },
    ...[...SUBGRAPH_PACKAGES, '@regiograph/db', '@regiograph/subgraph-kit', '@regiograph/dev-tools'].map((name) => ({
      file: 'gateway/src/layering-probe.ts',
      code: `export * from '${name}';\n`,
      refused: true,
    })),
    { file: 'gateway/src/layering-probe.ts', code: "export { createLogger } from '@regiograph/shared';\n", refused: false },
    ...['@regiograph/shared', '@regiograph/gateway', '@regiograph/db', 'pg'].map((name) => ({
      file: 'client/src/layering-probe.ts',
      code: `export * from '${name}';\n`,
      refused: true,
    })),
    { file: 'client/src/layering-probe.ts', code: "export { randomUUID } from 'node:crypto';\n", refused: false },
    // Test helpers: for tests only, never for code that ships.
    { file: 'gateway/src/layering-probe.ts', code: "export { testToken } from '@regiograph/shared/testing';\n", refused: true },
    { file: 'subgraph-kit/src/layering-probe.ts', code: "export { testBearer } from '@regiograph/shared/testing';\n", refused: true },
    { file: 'shared/src/layering-probe.ts', code: "export { testToken } from './testing';\n", refused: true },
    { file: 'shared/src/layering-probe.ts', code: "export { testToken } from './testing/tokens';\n", refused: true },
    { file: 'gateway/src/layering-probe.test.ts', code: "export { testToken } from '@regiograph/shared/testing';\n", refused: false },
    { file: 'test/layering-probe.ts', code: "export { testToken } from '@regiograph/shared/testing';\n", refused: false },
    { file: 'shared/src/testing/layering-probe.ts', code: "export { mintToken } from '../auth';\n", refused: false },
    // The PostgreSQL driver only in the API key store, which reads the gateway's own table, and in
    // notices.ts, which only LISTENs.
    { file: 'gateway/src/layering-probe.ts', code: "export { Pool } from 'pg';\n", refused: true },
    { file: 'gateway/src/api-keys/store.ts', code: "export { Pool } from 'pg';\n", refused: false },
    { file: 'gateway/src/api-keys/store.ts', code: "export { PrismaClient } from '@prisma/client';\n", refused: true },
    { file: 'gateway/src/notices.ts', code: "export { Pool } from 'pg';\n", refused: false },
    { file: 'gateway/src/notices.ts', code: "export { PrismaClient } from '@prisma/client';\n", refused: true },
    { file: 'gateway/src/data-changes.ts', code: "export { Pool } from 'pg';\n", refused: true },
  ];

  it('refuses the database and other workspaces in shared and the client, and everything but shared in the gateway', () => {
    // ESLint runs in its own process, once for all probes: its config is an ES module, which Jest's
    // module sandbox cannot import.
    const program = `
      const { ESLint } = require('eslint');
      const tseslint = require('typescript-eslint');
      const probes = JSON.parse(process.argv[1]);
      // The probes exist only as text, so the project service cannot type them: the import rule needs
      // no types, and without this every probe would end in a parsing error with no rule reported.
      const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: tseslint.configs.disableTypeChecked });
      (async () => {
        const counts = [];
        for (const probe of probes) {
          const [result] = await eslint.lintText(probe.code, { filePath: probe.file });
          const fatal = result.messages.find((message) => message.fatal);
          if (fatal) throw new Error(probe.file + ': ' + fatal.message);
          // The workspace's import rule, and the test-helper rule beside it (eslint.config.mjs).
          const rules = ['no-restricted-imports', '@typescript-eslint/no-restricted-imports'];
          counts.push(result.messages.filter((message) => rules.includes(message.ruleId)).length);
        }
        process.stdout.write(JSON.stringify(counts));
      })();`;
    const input = probes.map((probe) => ({ file: path.join(root, probe.file), code: probe.code }));
    const counts = JSON.parse(
      execFileSync(process.execPath, ['-e', program, JSON.stringify(input)], { cwd: root, encoding: 'utf8' }),
    ) as number[];
    expect(probes.map((probe, index) => ({ ...probe, refusals: counts[index] }))).toEqual(
      probes.map((probe) => ({ ...probe, refusals: probe.refused ? 1 : 0 })),
    );
  });
});

describe('what Node loads', () => {
  const loaded = new Map<string, string[]>();
  /** The modules a fresh Node process has loaded after requiring `packageName` (one process per package). */
  const loadedBy = (packageName: string): string[] => {
    let modules = loaded.get(packageName);
    if (!modules) {
      modules = JSON.parse(
        execFileSync(
          process.execPath,
          ['-e', `require(${JSON.stringify(packageName)}); process.stdout.write(JSON.stringify(Object.keys(require.cache)))`],
          { cwd: __dirname, encoding: 'utf8' },
        ),
      ) as string[];
      loaded.set(packageName, modules);
    }
    return modules;
  };

  it('requiring the client loads no Prisma, no PostgreSQL driver and no graphql-js (its documents are typed strings)', () => {
    const loaded = loadedBy('@regiograph/client');
    expect(loaded.length).toBeGreaterThan(1);
    expect(loaded.filter((file) => /[\\/](@prisma|prisma|pg|pg-pool|graphql|@apollo)[\\/]/.test(file))).toEqual([]);
  });

  it('requiring shared loads no Prisma and no PostgreSQL driver', () => {
    const loaded = loadedBy('@regiograph/shared');
    expect(loaded.length).toBeGreaterThan(1);
    expect(loaded.filter((file) => /[\\/](@prisma|prisma|pg|pg-pool)[\\/]/.test(file))).toEqual([]);
  });

  it('requiring shared loads neither the tracing SDK nor the Redis client: only processes that trace or bump the data version need them', () => {
    const loaded = loadedBy('@regiograph/shared');
    expect(loaded.some((file) => /[\\/]@opentelemetry[\\/]api[\\/]/.test(file))).toBe(true);
    expect(loaded.filter((file) => /[\\/](@opentelemetry[\\/](sdk-|exporter-|resources)|ioredis)/.test(file))).toEqual([]);
  });

  it("shared's build carries none of its test helpers (@regiograph/shared/testing) and needs no tsx", () => {
    const exported = JSON.parse(
      execFileSync(process.execPath, ['-e', "process.stdout.write(JSON.stringify(Object.keys(require('@regiograph/shared'))))"], {
        cwd: __dirname,
        encoding: 'utf8',
      }),
    ) as string[];
    const helpers = Object.keys(testing);
    expect(helpers.length).toBeGreaterThan(0);
    expect(exported.length).toBeGreaterThan(helpers.length);
    expect(exported.filter((name) => helpers.includes(name))).toEqual([]);
    const dist = path.join(root, 'shared', 'dist');
    const built = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'));
    expect(built.length).toBeGreaterThan(0);
    expect(
      built.filter(
        (file) => /(^|[\\/])testing([\\/]|$)|^test-/.test(file) || /['"]tsx[/'"]/.test(readFileSync(path.join(dist, file), 'utf8')),
      ),
    ).toEqual([]);
  });
});
