// The preset's Jest environment (jest.environment.js): a worker process exits once its loop drains,
// instead of freeing its heap first; any other process drains as usual.
import { spawn, type StdioOptions } from 'node:child_process';
import path from 'node:path';

const ENVIRONMENT = path.join(__dirname, '..', 'jest.environment.js');

// Builds the environment twice (Jest does so for every test file), then lets the loop drain with
// exit code 3. A `beforeExit` listener added after the environment's only runs if the process
// drained without exiting.
const CHILD = `
const Environment = require(process.argv[1]);
const config = { globalConfig: {}, projectConfig: { testEnvironmentOptions: {}, fakeTimers: {} } };
const context = { console, docblockPragmas: {}, testPath: 'child.test.ts' };
new Environment(config, context);
new Environment(config, context);
process.stdout.write('beforeExit listeners: ' + process.listenerCount('beforeExit') + '\\n');
process.on('beforeExit', () => process.stdout.write('drained without exiting\\n'));
process.exitCode = 3;
if (process.disconnect) process.disconnect();
`;

function runChild(stdio: StdioOptions): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['-e', CHILD, ENVIRONMENT], { env: { ...process.env, JEST_WORKER_ID: '1' }, stdio });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output })));
}

describe('the Jest environment of the preset', () => {
  it('in a worker (a child with an IPC channel, as jest-worker forks it) exits when the loop drains, once, with its exit code', async () => {
    const { code, output } = await runChild(['ignore', 'pipe', 'pipe', 'ipc']);
    expect(output).toBe('beforeExit listeners: 1\n');
    expect(code).toBe(3);
  });

  it('in a process without an IPC channel (Jest in band) adds nothing: the loop drains as usual', async () => {
    const { code, output } = await runChild(['ignore', 'pipe', 'pipe']);
    expect(output).toBe('beforeExit listeners: 0\ndrained without exiting\n');
    expect(code).toBe(3);
  });
});
