// The kit's own tests need no database: no global database setup here.
module.exports = { ...require('../jest.preset.js'), rootDir: __dirname, globalSetup: undefined, globalTeardown: undefined };
