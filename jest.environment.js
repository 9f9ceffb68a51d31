// Jest's node environment, and a Jest worker that has been told to end exits at once.
//
// jest-worker ends a worker process by dropping its message listener and waiting up to 500 ms for
// the event loop to drain. A drained Node process then frees its whole heap, object by object,
// before it ends. The end-to-end workers hold 0.6–1 GB after their ten files (each file boots
// gateways and subgraphs), and that freeing took them 0.5–0.75 s on a 2-vCPU machine (0.35–0.4 s
// with process.exit(), measured by timestamping a worker's end). Past the 500 ms, Jest SIGTERMs a
// process with nothing left to do and prints "A worker process has failed to exit gracefully",
// which reads like a leaked handle. In a worker, `beforeExit` comes only then: the IPC channel keeps
// the loop alive while it runs files. process.exit() leaves the memory to the kernel.
const { TestEnvironment } = require('jest-environment-node');

const EXITS_WHEN_DRAINED = Symbol.for('regiograph.jest.exitsWhenDrained');
// Set by shared/src/testing/redis-test-prefix.ts (a setup file of the preset) in the file's context.
const REDIS_CLEANUP = Symbol.for('regiograph.jest.redisCleanup');

class RegioGraphEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    // Once per worker process (this runs for every test file); not in a run in band, where the
    // process is Jest's own.
    if (process.send !== undefined && process.env.JEST_WORKER_ID !== undefined && !process[EXITS_WHEN_DRAINED]) {
      process[EXITS_WHEN_DRAINED] = true;
      process.once('beforeExit', (code) => process.exit(code));
    }
  }

  // After the file's last afterAll (its servers stopped): the keys of the file's Redis prefix go.
  async teardown() {
    const cleanup = this.global[REDIS_CLEANUP];
    if (typeof cleanup === 'function') await cleanup();
    await super.teardown();
  }
}

module.exports = RegioGraphEnvironment;
