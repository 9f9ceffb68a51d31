import path from 'node:path';
import { silentLogger } from '@regiograph/shared';
import { documentedMetrics, scrapeServiceProcess, servedMetrics } from '@regiograph/shared/testing';
import { createGateway } from './server';

/** A series of prom-client's process metrics under the gateway's prefix (metrics.ts). */
const PROCESS_SERIES = [
  'regiograph_gateway_process_cpu_user_seconds_total',
  'regiograph_gateway_process_resident_memory_bytes',
  'regiograph_gateway_nodejs_eventloop_lag_seconds',
  'regiograph_gateway_nodejs_gc_duration_seconds',
];

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
    const {
      status,
      text: body,
      exitCode,
    } = await scrapeServiceProcess({
      entry: path.join(__dirname, 'index.ts'),
      // No subgraph is called: /metrics is answered by the gateway alone.
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        REDIS_URL: '',
        API_KEYS_DATABASE_URL: 'off',
        LOG_LEVEL: 'info',
      },
      listening: 'gateway listening',
    });
    expect(status).toBe(200);
    for (const series of PROCESS_SERIES) expect(body).toContain(series);
    // Alert rules written against a name the gateway does not emit would never fire.
    const emitted = servedMetrics(body);
    const documented = documentedMetrics(path.join(__dirname, '../../docs/operations.md'), 'regiograph_gateway_');
    expect(documented.length).toBeGreaterThan(10);
    expect(documented.filter((name) => !emitted.has(name))).toEqual([]);
    // Its shutdown on SIGTERM ends with exit code 0.
    expect(exitCode).toBe(0);
  });
});
