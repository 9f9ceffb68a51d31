// The bench's unit tests cover pure functions only: no database setup.
module.exports = { ...require('../jest.preset.js'), rootDir: __dirname, globalSetup: undefined, globalTeardown: undefined };
