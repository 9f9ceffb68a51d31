// End-to-end tests boot every subgraph, and the first test file to run seeds the database
// (hundreds of thousands of synthetic observations): hooks get more time than unit tests.
// Two workers: the files spend much of their time waiting (processes starting, a writer running for
// its 30 s, a standby replaying), and Jest's default on two cores (cores − 1) left one core idle. Each
// worker has a database of its own (the preset's global setup), so one file's writes never reach the
// counts another file asserts at the same time. The files of jest.alone.config.js are left out here:
// `npm test` runs them (`npm run test:alone`) after every other task of the run has passed.
const path = require('node:path');
const preset = require('../jest.preset.js');
const alone = require('./jest.alone.config.js');

module.exports = {
  ...preset,
  rootDir: __dirname,
  testTimeout: 180_000,
  maxWorkers: 2,
  testPathIgnorePatterns: [
    ...preset.testPathIgnorePatterns,
    ...alone.testMatch.map((file) => `/${path.basename(file).replace(/\./g, '\\.')}$`),
  ],
};
