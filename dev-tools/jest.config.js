// Composition and the process helpers need no database: no global database setup here.
module.exports = { ...require('../jest.preset.js'), rootDir: __dirname, globalSetup: undefined, globalTeardown: undefined };
