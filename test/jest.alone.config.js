// Files that need the machine to themselves: the exhaustion test asserts the per-request
// bounds (each request answered within 3 s, a plain query's p95 below 1 s under load) on the
// production stack, and another file running beside it on two cores would take that time from it;
// the partner-sync test's writer process must get every one of its writes through for 30 s, and its
// write transactions (5 s) expired when another file shared the two cores.
// They run after the rest (package.json's `test`), in one worker, with their own database.
module.exports = {
  ...require('../jest.preset.js'),
  rootDir: __dirname,
  testTimeout: 180_000,
  testMatch: ['<rootDir>/exhaustion.test.ts', '<rootDir>/partner-sync.test.ts'],
  maxWorkers: 1,
};
