// The probe in a real node process, loaded the way the soak loads it (--expose-gc --require).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function get(url: string): Promise<Response> {
  // The child needs a moment to compile and listen; retry until it answers.
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await fetch(url);
    } catch (error) {
      if (attempt > 150) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

describe('heap probe', () => {
  let child: ChildProcess;
  let directory = '';
  let base = '';
  let output = '';
  beforeAll(async () => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'heap-probe-test-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // The process runs a worker thread, as the gateway does for expensive queries: the worker inherits
    // --require and loads the probe too. It reports "worker alive" a second after it started.
    const script = `const { Worker } = require('node:worker_threads');
      const worker = new Worker("setTimeout(() => require('node:worker_threads').parentPort.postMessage('alive'), 1000); setInterval(() => undefined, 1000);", { eval: true });
      worker.on('message', () => console.log('worker alive'));
      worker.on('error', (error) => { console.log('worker failed: ' + error.message); process.exit(3); });
      setInterval(() => undefined, 1000);`;
    child = spawn(
      process.execPath,
      ['--expose-gc', '--require', 'tsx/cjs', '--require', path.join(__dirname, 'heap-probe.ts'), '-e', script],
      {
        env: { ...process.env, HEAP_PROBE_PORT: String(port), HEAP_PROBE_DIR: directory, HEAP_PROBE_NAME: 'probed' },
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    child.stdout!.setEncoding('utf8').on('data', (text: string) => (output += text));
  }, 60_000);
  afterAll(() => {
    child.kill('SIGKILL');
    rmSync(directory, { recursive: true, force: true });
  });

  it('serves from the main thread only: a worker thread that inherits --require keeps running', async () => {
    await new Promise<void>((resolve) => {
      const done = () => (output.includes('worker') ? resolve() : undefined);
      child.stdout!.on('data', done);
      child.once('exit', () => resolve());
      done();
    });
    expect(output.trim()).toBe('worker alive');
    expect(child.exitCode).toBeNull();
    expect((await get(`${base}/gc`)).status).toBe(200);
  }, 60_000);

  it('forces a collection and reports the heap left', async () => {
    const response = await get(`${base}/gc`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { heapUsed: number; heapTotal: number; rss: number };
    expect(body.heapUsed).toBeGreaterThan(0);
    expect(body.heapTotal).toBeGreaterThanOrEqual(body.heapUsed);
    expect(body.rss).toBeGreaterThan(body.heapUsed);
  }, 60_000);

  it('writes a heap snapshot named after the process and label, and answers 404 to anything else', async () => {
    const response = await get(`${base}/snapshot?label=start`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { file: string };
    expect(body.file).toBe(path.join(directory, 'probed-start.heapsnapshot'));
    expect(existsSync(body.file)).toBe(true);
    expect((await get(`${base}/other`)).status).toBe(404);
  }, 60_000);
});
