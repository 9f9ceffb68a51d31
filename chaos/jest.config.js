// Chaos's tests start their own PostgreSQL (through chaos itself) or none: no global database setup here.
module.exports = { ...require('../jest.preset.js'), rootDir: __dirname, globalSetup: undefined, globalTeardown: undefined };
