import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { silentLogger } from '@regiograph/shared';
import { createGateway } from './server';

/** A series of prom-client's process metrics under the gateway's prefix (metrics.ts). */
const PROCESS_SERIES = [
  'regiograph_gateway_process_cpu_user_seconds_total',
  'regiograph_gateway_process_resident_memory_bytes',
  'regiograph_gateway_nodejs_eventloop_lag_seconds',
  'regiograph_gateway_nodejs_gc_duration_seconds',
];

/**
 * Every metric the operations guide's Monitoring section names (in its table and its alert rules),
 * without a histogram's series suffix; patterns such as `regiograph_gateway_process_*` are left out.
 */
function documentedMetrics(): string[] {
  const guide = readFileSync(path.join(__dirname, '../../docs/operations.md'), 'utf8');
  const monitoring = guide.slice(guide.indexOf('## Monitoring'));
  const names = [...monitoring.matchAll(/regiograph_gateway_[a-z0-9_]+/g)].map(([name]) => name.replace(/_(bucket|count|sum)$/, ''));
  return [...new Set(names.filter((name) => !name.endsWith('_')))].sort();
}

/** Resolves with the URL the process logs once it listens; rejects if it ends first. */
function listeningUrl(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const url = /"message":"gateway listening","url":"([^"]+)"/.exec(output())?.[1];
      if (url) resolve(url);
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`the gateway ended (code ${code}) before listening:\n${output()}`)));
  });
}

describe('process metrics', () => {
  it('a gateway made in-process installs none of them: they belong to the process, which adds them once', async () => {
    const gateway = await createGateway({ logger: silentLogger, env: { REDIS_URL: '', API_KEYS_DATABASE_URL: 'off' } });
    try {
      const { body } = await gateway.metrics.render();
      expect(body).toContain('regiograph_gateway_requests_total');
      for (const series of PROCESS_SERIES) expect(body).not.toContain(series);
    } finally {
      await gateway.close();
    }
  });

  it('the gateway process (index.ts) serves them at /metrics, with every metric docs/operations.md names', async () => {
    const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), path.join(__dirname, 'index.ts')], {
      // No subgraph is called: /metrics is answered by the gateway alone.
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        REDIS_URL: '',
        API_KEYS_DATABASE_URL: 'off',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await listeningUrl(child, () => output);
      const response = await fetch(url.replace(/\/graphql$/, '/metrics'));
      expect(response.status).toBe(200);
      const body = await response.text();
      for (const series of PROCESS_SERIES) expect(body).toContain(series);
      // Alert rules written against a name the gateway does not emit would never fire.
      const emitted = new Set([...body.matchAll(/^# TYPE (\S+)/gm)].map(([, name]) => name));
      const documented = documentedMetrics();
      expect(documented.length).toBeGreaterThan(10);
      expect(documented.filter((name) => !emitted.has(name))).toEqual([]);
    } finally {
      child.kill('SIGTERM');
      // Its shutdown on SIGTERM ends with exit code 0.
      expect(await exited).toBe(0);
    }
  });
});
