#!/usr/bin/env node
// `prisma generate` needs no schema engine, yet Prisma's CLI tries to download the native one
// at every command and fails where that download is impossible (offline machines, closed CI).
// Pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file skips the download; generate never
// executes it. A value set by the caller (a real engine) wins.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};
const prismaCli = require.resolve('prisma/build/index.js');
const result = spawnSync(process.execPath, [prismaCli, 'generate', '--config', path.join(__dirname, '..', 'prisma.config.ts')], {
  cwd: path.join(__dirname, '..'),
  env,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
