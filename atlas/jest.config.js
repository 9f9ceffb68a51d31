// The Atlas's unit tests need no database (pure functions, and the client against a small HTTP
// server of its own), so the preset's global setup is not used.
const path = require('node:path');
const preset = require('../jest.preset.js');

module.exports = {
  ...preset,
  rootDir: __dirname,
  globalSetup: undefined,
  globalTeardown: undefined,
  // d3's packages are ES modules, which Jest's CommonJS runtime does not load; their UMD builds are the same code.
  moduleNameMapper: {
    ...preset.moduleNameMapper,
    '^d3-(geo|array)$': path.join(__dirname, '..', 'node_modules', 'd3-$1', 'dist', 'd3-$1.js'),
  },
};
