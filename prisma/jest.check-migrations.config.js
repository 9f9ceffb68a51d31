const preset = require('../jest.preset.js');

// The drift check alone (the `check-migrations` task): it reads files and runs the schema engine in
// memory, so it needs no test database and skips the preset's global setup.
module.exports = {
  ...preset,
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/check-migrations.test.ts'],
  globalSetup: undefined,
  globalTeardown: undefined,
};
