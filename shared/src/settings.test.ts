import { createLogger } from './logger';
import { SUBGRAPHS } from './services';
import { logSettingsInEffect, maskUrlPasswords, settingsInEffect, settingsOf, unknownSettings, type ServiceName } from './settings';

/** A logger that keeps its lines, parsed. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('gateway', { level: 'debug', write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { lines, logger };
}

describe('maskUrlPasswords', () => {
  it.each([
    ['postgresql://regiograph:s3cret@postgres:5432/regiograph', 'postgresql://regiograph:***@postgres:5432/regiograph'],
    ['postgres://user:pa@ss:w0rd@db.internal/app?sslmode=require', 'postgres://user:***@db.internal/app?sslmode=require'],
    ['redis://:hunter2@redis:6379', 'redis://:***@redis:6379'],
    ['redis://default:hunter2@redis:6379/0', 'redis://default:***@redis:6379/0'],
    // One word before a Redis or HTTP host may be the password itself (or a token).
    ['redis://hunter2@redis:6379', 'redis://***@redis:6379'],
    ['https://t0ken@collector.example/v1/traces', 'https://***@collector.example/v1/traces'],
    // PostgreSQL's one word is the role: no secret, and what an operator looks for.
    ['postgresql://postgres@127.0.0.1:5432/postgres', 'postgresql://postgres@127.0.0.1:5432/postgres'],
    ['postgresql://db/app?user=app&password=s3cret&sslpassword=k3y', 'postgresql://db/app?user=app&password=***&sslpassword=***'],
    // DATABASE_REPLICA_URLS: each URL of the list.
    [
      'postgresql://app:one@replica-1/app,postgresql://app:two@replica-2/app',
      'postgresql://app:***@replica-1/app,postgresql://app:***@replica-2/app',
    ],
    ['http://127.0.0.1:4002/graphql', 'http://127.0.0.1:4002/graphql'],
    ['https://atlas.example.org,https://admin.example.org', 'https://atlas.example.org,https://admin.example.org'],
    ['12', '12'],
  ])('%s → %s', (value, masked) => {
    expect(maskUrlPasswords(value)).toBe(masked);
  });
});

describe('settingsInEffect', () => {
  const secrets = {
    DATABASE_URL: 'postgresql://regiograph:db-s3cret@postgres:5432/regiograph',
    API_KEYS_DATABASE_URL: 'postgresql://keys:keys-s3cret@postgres:5432/regiograph',
    REDIS_URL: 'redis://:redis-s3cret@redis:6379',
    AUTH_SECRET: 'auth-s3cret-auth-s3cret-auth-s3cret-0123',
    GATEWAY_CLIENT_ID_KEY: 'client-id-s3cret-client-id-s3cret-0123',
    METRICS_TOKEN: 'metrics-s3cret',
  };

  it("shows the gateway's settings with every password and secret withheld", () => {
    const settings = settingsInEffect('gateway', { ...secrets, RATE_LIMIT_REQUESTS: '50', CORS_ORIGINS: '', NODE_ENV: 'production' });
    expect(JSON.stringify(settings)).not.toMatch(/s3cret/);
    expect(settings).toMatchObject({
      DATABASE_URL: { value: 'postgresql://regiograph:***@postgres:5432/regiograph', from: 'environment' },
      API_KEYS_DATABASE_URL: { value: 'postgresql://keys:***@postgres:5432/regiograph', from: 'environment' },
      REDIS_URL: { value: 'redis://:***@redis:6379', from: 'environment' },
      AUTH_SECRET: { value: '(set, withheld from the log)', from: 'environment' },
      GATEWAY_CLIENT_ID_KEY: { value: '(set, withheld from the log)', from: 'environment' },
      METRICS_TOKEN: { value: '(set, withheld from the log)', from: 'environment' },
      RATE_LIMIT_REQUESTS: { value: '50', from: 'environment' },
      NODE_ENV: { value: 'production', from: 'environment' },
      // Blank is unset, as the readers take it.
      CORS_ORIGINS: { value: '(unset: * in development, none in production)', from: 'default' },
      RATE_LIMIT_WINDOW_SECONDS: { value: '60', from: 'default' },
      PORT: { value: '4000', from: 'default' },
      REGIONS_URL: { value: "(unset: the supergraph's)", from: 'default' },
    });
  });

  it("shows each service every setting it reads, and none it does not: a subgraph's port, its peers' URLs", () => {
    const services: ServiceName[] = ['gateway', ...SUBGRAPHS.map((entry) => entry.name)];
    for (const service of services) {
      const settings = settingsInEffect(service, {});
      expect(Object.keys(settings)).toEqual(settingsOf(service).map((setting) => setting.name));
      expect(Object.values(settings).every((setting) => setting.from === 'default')).toBe(true);
    }
    const projects = settingsInEffect('projects', { ...secrets, SEED_ON_START: 'off' });
    expect(JSON.stringify(projects)).not.toMatch(/s3cret/);
    expect(projects).toMatchObject({
      PORT: { value: '4003', from: 'default' },
      SEED_ON_START: { value: 'off', from: 'environment' },
      INDICATORS_URL: { value: 'http://127.0.0.1:4002/graphql', from: 'default' },
      COOPERATIONS_URL: { value: 'http://127.0.0.1:4004/graphql', from: 'default' },
      CHANGE_LOG_ACTOR_RETENTION_DAYS: { value: '(unset: kept without limit)', from: 'default' },
    });
    // The gateway's own settings are not the subgraphs', nor is a peer's URL asked by another.
    expect(projects).not.toHaveProperty('RATE_LIMIT_REQUESTS');
    expect(projects).not.toHaveProperty('REGIONS_URL');
    expect(settingsInEffect('regions', secrets)).not.toHaveProperty('AUTH_SECRET');
  });
});

describe('unknownSettings', () => {
  it('names a misspelt setting with the one meant, by its prefix or a couple of edits from a known name', () => {
    expect(
      unknownSettings({
        RATE_LIMIT_REQEUSTS: '50',
        GATWAY_MAX_DEPTH: '8',
        REDIS_HOST: 'redis',
        CHANGE_LOG_RETENTION_DAYS: '730',
        INTROSPECTON: 'false',
      }),
    ).toEqual([
      { name: 'CHANGE_LOG_RETENTION_DAYS', nearest: 'CHANGE_LOG_ACTOR_RETENTION_DAYS' },
      { name: 'GATWAY_MAX_DEPTH', nearest: 'GATEWAY_MAX_DEPTH' },
      { name: 'INTROSPECTON', nearest: 'INTROSPECTION' },
      { name: 'RATE_LIMIT_REQEUSTS', nearest: 'RATE_LIMIT_REQUESTS' },
      { name: 'REDIS_HOST', nearest: 'REDIS_URL' },
    ]);
  });

  it("is quiet about variables another service or a tool reads, other software's, and Kubernetes' service links", () => {
    expect(
      unknownSettings({
        // Read by the subgraphs, not the gateway; by npm start; by the test runner.
        SEED_ON_START: 'true',
        REGIONS_PORT: '4101',
        TEST_DATABASE_URL: 'postgresql://postgres@127.0.0.1/test',
        HOME: '/home/node',
        PATH: '/usr/bin',
        HOSTNAME: 'gateway-7d9f',
        NODE_OPTIONS: '--max-semi-space-size=64',
        OTEL_EXPORTER_OTLP_HEADERS: 'x=1',
        npm_config_cache: '/home/node/.npm',
        GATEWAY_SERVICE_HOST: '10.0.0.4',
        GATEWAY_SERVICE_PORT: '4000',
        GATEWAY_PORT: 'tcp://10.0.0.4:4000',
        REGIONS_PORT_4001_TCP_ADDR: '10.0.0.5',
        REDIS_PORT: 'tcp://10.0.0.6:6379',
      }),
    ).toEqual([]);
    // A port given as a number is no service link, but a setting nobody reads.
    expect(unknownSettings({ GATEWAY_PORT: '4000' })).toEqual([{ name: 'GATEWAY_PORT', nearest: expect.any(String) }]);
  });
});

describe('logSettingsInEffect', () => {
  it('logs one line of settings and a warning per unknown variable, never its value', () => {
    const { lines, logger } = capturingLogger();
    logSettingsInEffect(logger, 'gateway', {
      RATE_LIMIT_REQEUSTS: '50',
      REDIS_PASWORD: 'hunter2',
      AUTH_SECRET: 'hunter2-hunter2-hunter2-hunter2-x',
    });
    expect(lines.map((line) => [line.level, line.message])).toEqual([
      ['info', 'settings in effect'],
      ['warn', 'RATE_LIMIT_REQEUSTS is read by no RegioGraph service and has no effect: did you mean RATE_LIMIT_REQUESTS?'],
      ['warn', 'REDIS_PASWORD is read by no RegioGraph service and has no effect: did you mean REDIS_URL?'],
    ]);
    expect(lines[1]).toMatchObject({ variable: 'RATE_LIMIT_REQEUSTS', nearest: 'RATE_LIMIT_REQUESTS' });
    expect(JSON.stringify(lines)).not.toContain('hunter2');
  });
});
