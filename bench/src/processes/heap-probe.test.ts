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
  beforeAll(async () => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'heap-probe-test-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['--expose-gc', '--require', 'tsx/cjs', '--require', path.join(__dirname, 'heap-probe.ts'), '-e', 'setInterval(() => undefined, 1000)'], {
      env: { ...process.env, HEAP_PROBE_PORT: String(port), HEAP_PROBE_DIR: directory, HEAP_PROBE_NAME: 'probed' },
      stdio: 'ignore',
    });
  }, 60_000);
  afterAll(() => {
    child.kill('SIGKILL');
    rmSync(directory, { recursive: true, force: true });
  });

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
