// What each deployed process really runs, found by esbuild rather than by whole workspaces: its entry
// points bundled with tree shaking, so a function of shared that only the gateway calls is not part
// of a subgraph's code although shared's barrel reaches both.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { WORKSPACE_FOLDERS } from './workspaces';

const root = path.join(__dirname, '..');

/**
 * Resolves `@regiograph/<package>` (and `@regiograph/<package>/dist/<file>`) to the TypeScript
 * source of that workspace, where the built images' `dist` comes from. Other packages stay outside
 * the bundle: the variables of interest are read by our code.
 */
const workspaceSources: Plugin = {
  name: 'regiograph-workspace-sources',
  setup(plugin) {
    plugin.onResolve({ filter: /^@regiograph\// }, (args) => {
      const [, scope, name, ...rest] = /^(@regiograph)\/([^/]+)(?:\/(.+))?$/.exec(args.path) ?? [];
      const folder = WORKSPACE_FOLDERS[`${scope}/${name}`];
      if (!folder) return { errors: [{ text: `${args.path}: not a workspace of this repository (test/workspaces.ts)` }] };
      const manifest = JSON.parse(readFileSync(path.join(root, folder, 'package.json'), 'utf8')) as { main: string };
      const built = rest[0] ?? manifest.main;
      const source = built.replace(/^dist\//, 'src/').replace(/(\.js)?$/, '.ts');
      return { path: path.join(root, folder, source) };
    });
  },
};

/**
 * The JavaScript esbuild keeps of these entry points (paths from the repository root, or a module's
 * text) and of every
 * workspace module they import: functions and classes nothing reachable uses are left out, module
 * top levels that may have effects are kept (Node runs them when the barrel loads the module).
 * Comments are dropped, so only code counts.
 */
export async function bundledCode(entryPoints: readonly string[] | { contents: string }, plugins: Plugin[] = []): Promise<string> {
  const result = await build({
    absWorkingDir: root,
    ...('contents' in entryPoints
      ? { stdin: { contents: entryPoints.contents, resolveDir: root, loader: 'ts' } }
      : { entryPoints: [...entryPoints] }),
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    plugins: [...plugins, workspaceSources],
    write: false,
    outdir: 'bundle',
    logLevel: 'silent',
  });
  return result.outputFiles.map((file) => file.text).join('\n');
}

/**
 * Takes every module of a workspace as free of effects on load, so that only code the export calls is
 * kept, not the top levels of the other modules its package's barrel loads (shared's `silentLogger`
 * calls `createLogger`, which reads LOG_LEVEL).
 */
const withoutLoadEffects: Plugin = {
  name: 'without-load-effects',
  setup(plugin) {
    plugin.onResolve({ filter: /^\./ }, async (args) => {
      if (args.pluginData === 'resolving') return undefined;
      const resolved = await plugin.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'resolving' });
      return { ...resolved, sideEffects: false };
    });
  },
};

/** The code of one export of a workspace package and of what it calls (`readDocumentLimits` of `@regiograph/shared`). */
export function bundledExport(packageName: string, exportName: string): Promise<string> {
  return bundledCode({ contents: `export { ${exportName} } from '${packageName}';` }, [withoutLoadEffects]);
}

/** How code reads a variable: `process.env.X`, `env.X`, `env['X']`, and shared's readers (`readInteger('X', …)`, `requireEnv('X')`). */
const READS = [
  /process\.env\.([A-Z][A-Z0-9_]*)/g,
  /\benv\.([A-Z][A-Z0-9_]*)/g,
  /\benv\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\]/g,
  /\b(?:read|require)[A-Za-z]*\(\s*['"`]([A-Z][A-Z0-9_]*)['"`]/g,
];

/**
 * esbuild renames a local that would clash with another module's top-level name (`env` → `env2`),
 * which READS would no longer see: such a bundle is refused rather than read short.
 */
const RENAMED_ENVIRONMENT = /\b(?:env|process)\d+\b/;

/** The environment variables bundled code reads (READS). */
export function variablesReadIn(code: string): Set<string> {
  const renamed = RENAMED_ENVIRONMENT.exec(code);
  if (renamed) throw new Error(`the bundle renamed ${renamed[0]}: extend READS in test/service-code.ts to see its reads`);
  const names = new Set<string>();
  for (const pattern of READS) for (const match of code.matchAll(pattern)) names.add(match[1]!);
  return names;
}
