// Files that need the machine to themselves: the exhaustion test asserts the per-request
// bounds (each request answered within 3 s, a plain query's p95 below 1 s under load) on the
// production stack, and another file running beside it on two cores would take that time from it;
// the partner-sync test's writer process must get every one of its writes through for 30 s, and its
// write transactions (5 s) expired when another file shared the two cores.
// `npm test` runs them (the `test:alone` script) in a Turborepo run of its own after all its other tasks
// have passed, so that nothing else of the run shares the machine; in one worker, with their own database.
module.exports = {
  ...require('../jest.preset.js'),
  rootDir: __dirname,
  testTimeout: 180_000,
  testMatch: ['<rootDir>/exhaustion.test.ts', '<rootDir>/partner-sync.test.ts'],
  maxWorkers: 1,
};
