// The Atlas's unit tests need no database (pure functions, and the client against a small HTTP
// server of its own), so the preset's global setup is not used.
module.exports = { ...require('../jest.preset.js'), rootDir: __dirname, globalSetup: undefined, globalTeardown: undefined };
