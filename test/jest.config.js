// End-to-end tests boot every subgraph, and the first test file to run seeds the database
// (hundreds of thousands of synthetic observations): hooks get more time than unit tests.
module.exports = { ...require('../jest.preset.js'), rootDir: __dirname, testTimeout: 180_000 };
