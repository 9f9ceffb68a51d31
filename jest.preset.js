// One Jest preset for every workspace: TypeScript through esbuild (jest.transform.js), workspace
// packages resolved to their sources so tests never run against a stale dist/.
const os = require('node:os');
const path = require('node:path');

const root = __dirname;

// The global setup makes one database per Jest worker (a copy of the seeded template under npm
// test), before any file runs. Jest's default, one worker per core but one, would make 63 copies
// for every workspace on a 64-core machine, most of them for workers that get no file: a
// workspace's tests need a few workers at most, and Turborepo runs two workspaces at a time.
const MAX_TEST_WORKERS = 4;

module.exports = {
  // Jest's node environment; a worker told to end exits without freeing its heap first (see the file).
  testEnvironment: path.join(root, 'jest.environment.js'),
  // One transform for every workspace, so a shared source compiles once per machine (see the file).
  transform: {
    '^.+\\.ts$': path.join(root, 'jest.transform.js'),
  },
  moduleNameMapper: {
    '^@regiograph/shared$': path.join(root, 'shared/src/index.ts'),
    '^@regiograph/shared/testing$': path.join(root, 'shared/src/testing/index.ts'),
    '^@regiograph/db$': path.join(root, 'prisma/src/index.ts'),
    '^@regiograph/db/testing$': path.join(root, 'prisma/src/testing/index.ts'),
    '^@regiograph/gateway$': path.join(root, 'gateway/src/server.ts'),
    '^@regiograph/client$': path.join(root, 'client/src/index.ts'),
    '^@regiograph/(regions|indicators|projects|cooperations)$': path.join(root, 'subgraphs/$1/src/server.ts'),
  },
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  globalSetup: path.join(root, 'prisma/src/testing/global-setup.ts'),
  // Points TEST_DATABASE_URL at the database of the worker running the file (one per worker), and
  // gives the file a Redis prefix of its own when REDIS_URL is set (see the file).
  setupFiles: [path.join(root, 'prisma/src/testing/worker-database.ts'), path.join(root, 'shared/src/testing/redis-test-prefix.ts')],
  globalTeardown: path.join(root, 'prisma/src/testing/global-teardown.ts'),
  testTimeout: 60_000,
  maxWorkers: Math.max(1, Math.min(MAX_TEST_WORKERS, os.availableParallelism() - 1)),
};
