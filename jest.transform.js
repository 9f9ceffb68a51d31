// The preset's TypeScript transform for Jest: esbuild strips the types, one file at a time.
//
// ts-jest did this before, through TypeScript's transpileModule (isolatedModules: one file at a
// time, no type check). That took 140 ms of CPU per file on a 2-vCPU machine. A cold end-to-end run
// spent about 55 CPU s of its 160 on it, and ts-jest's cache key holds the workspace's Jest
// configuration, so every workspace compiled the shared sources it imports again. esbuild takes a
// few milliseconds per file, and tsx already runs it for the dev server and the scripts. Type errors
// are the `typecheck` tasks' job, as they were with isolatedModules.
//
// One difference from tsc's CommonJS output: a namespace import (`import * as m`) of a CommonJS
// module is a copy of its exports behind getters, where tsc hands over the exports object itself.
// A test about that object reads it from the module cache (gateway/src/federation-exports.test.ts).
//
// The cache key is the source, its path and these settings: a file compiles once per machine,
// whichever workspace imports it.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

// Class fields follow the target, as in every build (tsconfig.base.json).
const { compilerOptions } = JSON.parse(readFileSync(path.join(__dirname, 'tsconfig.base.json'), 'utf8'));

const settings = {
  loader: 'ts',
  format: 'cjs',
  platform: 'node',
  target: `node${process.versions.node.split('.')[0]}`,
  sourcemap: 'external',
  tsconfigRaw: { compilerOptions: { target: compilerOptions.target } },
  // `import()` becomes `require()`, as in tsc's CommonJS output: Jest's module registry serves
  // require(), and a real dynamic import in a test needs --experimental-vm-modules.
  supported: { 'dynamic-import': false },
};

const settingsKey = createHash('sha256')
  .update(esbuild.version)
  .update(JSON.stringify(settings))
  .update(readFileSync(__filename))
  .digest('hex');

module.exports = {
  process(sourceText, sourcePath) {
    const { code, map } = esbuild.transformSync(sourceText, { ...settings, sourcefile: sourcePath });
    return { code, map };
  },
  getCacheKey(sourceText, sourcePath) {
    return createHash('sha256').update(settingsKey).update(sourcePath).update('\0').update(sourceText).digest('hex');
  },
};
