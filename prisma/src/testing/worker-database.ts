// A setup file of the Jest preset, run in each worker before every test file: TEST_DATABASE_URL
// names this worker's own database (see global-setup.ts), whatever the number of workers. Workers
// inherit the environment the global setup left, so every worker's URL is there; JEST_WORKER_ID
// says which is ours.
import { workerDatabaseEnv } from './worker-env';

const own = process.env[workerDatabaseEnv(process.env.JEST_WORKER_ID ?? '1')];
if (own) process.env.TEST_DATABASE_URL = own;
