// One Jest preset for every workspace: TypeScript through ts-jest, workspace packages resolved
// to their sources so tests never run against a stale dist/.
const path = require('node:path');

const root = __dirname;

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(root, 'tsconfig.jest.json') }],
  },
  moduleNameMapper: {
    '^@regiograph/shared$': path.join(root, 'shared/src/index.ts'),
    '^@regiograph/db$': path.join(root, 'prisma/src/index.ts'),
    '^@regiograph/gateway$': path.join(root, 'gateway/src/server.ts'),
    '^@regiograph/client$': path.join(root, 'client/src/index.ts'),
    '^@regiograph/(regions|indicators|projects|cooperations)$': path.join(root, 'subgraphs/$1/src/server.ts'),
  },
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  globalSetup: path.join(root, 'prisma/src/testing/global-setup.ts'),
  // Points TEST_DATABASE_URL at the database of the worker running the file (one per worker).
  setupFiles: [path.join(root, 'prisma/src/testing/worker-database.ts')],
  globalTeardown: path.join(root, 'prisma/src/testing/global-teardown.ts'),
  testTimeout: 60_000,
};
