// The client's tests talk to small HTTP servers of their own: no database, so the preset's global setup is not used.
module.exports = { ...require('../jest.preset.js'), rootDir: __dirname, globalSetup: undefined, globalTeardown: undefined };
