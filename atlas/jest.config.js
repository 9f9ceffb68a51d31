// The Atlas's unit tests are pure functions: no database, so the preset's global setup is not used.
module.exports = { ...require('../jest.preset.js'), rootDir: __dirname, globalSetup: undefined, globalTeardown: undefined };
