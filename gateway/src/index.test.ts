import path from 'node:path';
import { createLogger, silentLogger } from '@regiograph/shared';
import { documentedMetrics, scrapeServiceProcess, scrapeWithTokens, servedMetrics, TOKEN_ASKED } from '@regiograph/shared/testing';
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
      mainPortStatus,
      exitCode,
    } = await scrapeServiceProcess({
      entry: path.join(__dirname, 'index.ts'),
      // No subgraph is called: /metrics is answered by the gateway alone.
      env: {
        ...process.env,
        PORT: '0',
        // Blank, as a ConfigMap may leave it: the default 127.0.0.1, which the settings line says (it
        // was handed to listen as '', every interface, and logged as the URL http://:<port>/graphql).
        HOST: '',
        REDIS_URL: '',
        API_KEYS_DATABASE_URL: 'off',
        LOG_LEVEL: 'info',
      },
      listening: 'gateway listening',
    });
    expect(status).toBe(200);
    // Without METRICS_PORT, /metrics is served beside /graphql.
    expect(mainPortStatus).toBe(200);
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

describe('metrics on a port of their own (METRICS_PORT, METRICS_TOKEN)', () => {
  const gatewayEnv = { REDIS_URL: '', API_KEYS_DATABASE_URL: 'off' };
  const scrape = async (url: string) => {
    const response = await fetch(url);
    return { status: response.status, text: await response.text() };
  };

  it('serves /metrics only on the metrics port, never the API there, and closes it with the gateway', async () => {
    const gateway = await createGateway({ logger: silentLogger, env: { ...gatewayEnv, METRICS_PORT: '0' } });
    const running = await gateway.listen(0);
    try {
      expect(running.metricsUrl).not.toBeNull();
      expect(new URL(running.metricsUrl!).port).not.toBe(String(running.port));
      const metrics = await scrape(running.metricsUrl!);
      expect(metrics.status).toBe(200);
      expect(metrics.text).toContain('regiograph_gateway_requests_total');
      expect((await scrape(running.url.replace(/\/graphql$/, '/metrics'))).status).toBe(404);
      expect((await scrape(running.metricsUrl!.replace(/\/metrics$/, '/graphql?query=%7B__typename%7D'))).status).toBe(404);
    } finally {
      await gateway.close();
    }
    await expect(fetch(running.metricsUrl!)).rejects.toThrow();
  });

  it('asks for METRICS_TOKEN as a bearer token, on the main port as on the metrics port', async () => {
    for (const METRICS_PORT of ['', '0']) {
      const gateway = await createGateway({ logger: silentLogger, env: { ...gatewayEnv, METRICS_PORT, METRICS_TOKEN: 'scrape-secret' } });
      const running = await gateway.listen(0);
      try {
        const url = METRICS_PORT === '' ? running.url.replace(/\/graphql$/, '/metrics') : running.metricsUrl!;
        expect(await scrapeWithTokens(url, 'scrape-secret', 'regiograph_gateway_requests_total')).toEqual(TOKEN_ASKED);
        expect(running.metricsUrl).toBe(url);
      } finally {
        await gateway.close();
      }
    }
  });

  it('the gateway process with METRICS_PORT serves its metrics there and answers 404 for /metrics on its API port', async () => {
    const { status, text, mainPortStatus, exitCode } = await scrapeServiceProcess({
      entry: path.join(__dirname, 'index.ts'),
      env: {
        ...process.env,
        ...gatewayEnv,
        PORT: '0',
        METRICS_PORT: '0',
        METRICS_TOKEN: 'scrape-secret',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
      },
      listening: 'gateway listening',
      token: 'scrape-secret',
    });
    expect(status).toBe(200);
    expect(text).toContain(PROCESS_SERIES[0]);
    expect(mainPortStatus).toBe(404);
    // It closed the metrics listener too: a listener left open would keep the process from exiting.
    expect(exitCode).toBe(0);
  });
});

describe('settings in effect', () => {
  it('a gateway says at start which values it took, from where, secrets withheld, and names a misspelt variable', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger('gateway', { level: 'info', write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    const gateway = await createGateway({
      logger,
      env: {
        REDIS_URL: '',
        API_KEYS_DATABASE_URL: 'off',
        // Nothing listens for data changes, so their URL below is only logged.
        RESPONSE_CACHE: 'false',
        DEMAND_CONTROL_DATA_YEARS: 'false',
        RATE_LIMIT_REQUESTS: '50',
        RATE_LIMIT_REQEUSTS: '7',
        METRICS_TOKEN: 'scrape-s3cret',
        DATA_CHANGES_DATABASE_URL: 'postgresql://notices:notice-s3cret@127.0.0.1:1/regiograph',
      },
    });
    await gateway.close();
    const settings = lines.find((line) => line.message === 'settings in effect')?.settings;
    expect(settings).toMatchObject({
      RATE_LIMIT_REQUESTS: { value: '50', from: 'environment' },
      METRICS_TOKEN: { value: '(set, withheld from the log)', from: 'environment' },
      DATA_CHANGES_DATABASE_URL: { value: 'postgresql://notices:***@127.0.0.1:1/regiograph', from: 'environment' },
      GATEWAY_MAX_DEPTH: { value: '12', from: 'default' },
    });
    expect(lines.filter((line) => line.level === 'warn' && line.variable === 'RATE_LIMIT_REQEUSTS')).toEqual([
      expect.objectContaining({
        message: 'RATE_LIMIT_REQEUSTS is read by no RegioGraph service and has no effect: did you mean RATE_LIMIT_REQUESTS?',
        nearest: 'RATE_LIMIT_REQUESTS',
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('s3cret');
  });

  it('a gateway refused for a value it cannot take has logged what it was given first', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger('gateway', { level: 'info', write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    await expect(
      createGateway({ logger, env: { REDIS_URL: '', API_KEYS_DATABASE_URL: 'off', GATEWAY_MAX_DEPTH: 'deep' } }),
    ).rejects.toThrow('GATEWAY_MAX_DEPTH must be a non-negative integer, got "deep"');
    expect(lines.find((line) => line.message === 'settings in effect')?.settings).toMatchObject({
      GATEWAY_MAX_DEPTH: { value: 'deep', from: 'environment' },
    });
  });
});
