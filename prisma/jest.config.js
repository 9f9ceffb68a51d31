const preset = require('../jest.preset.js');

// The drift check has a Turborepo task of its own (`npm run check-migrations`, cached): see
// src/check-migrations.test.ts.
module.exports = {
  ...preset,
  rootDir: __dirname,
  testPathIgnorePatterns: [...preset.testPathIgnorePatterns, '/src/check-migrations\\.test\\.ts$'],
};
