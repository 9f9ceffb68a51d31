import { readGatewayConfig } from './config';

describe('readGatewayConfig', () => {
  it('is strict by default in production and open for development', () => {
    const production = readGatewayConfig({ NODE_ENV: 'production' });
    expect(production).toMatchObject({ introspection: false, ide: false, corsOrigins: [], watchSupergraph: false });
    const development = readGatewayConfig({});
    expect(development).toMatchObject({ introspection: true, ide: true, corsOrigins: '*' });
  });

  it('reads the key of client pseudonyms, unset when blank, and refuses one shorter than AUTH_SECRET may be', () => {
    expect(readGatewayConfig({}).rateLimit.clientIdKey).toBeNull();
    expect(readGatewayConfig({ GATEWAY_CLIENT_ID_KEY: '' }).rateLimit.clientIdKey).toBeNull();
    expect(readGatewayConfig({ GATEWAY_CLIENT_ID_KEY: 'k'.repeat(32) }).rateLimit.clientIdKey).toBe('k'.repeat(32));
    expect(() => readGatewayConfig({ GATEWAY_CLIENT_ID_KEY: 'short' })).toThrow('GATEWAY_CLIENT_ID_KEY must be at least 32 bytes long');
  });

  it('reads limits and switches, and refuses malformed values', () => {
    const config = readGatewayConfig({ GATEWAY_MAX_DEPTH: '5', SAFELIST: 'yes', CORS_ORIGINS: 'https://a.example, https://b.example' });
    expect(config.limits.maxDepth).toBe(5);
    expect(config.persistedQueries.safelist).toBe(true);
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(() => readGatewayConfig({ GATEWAY_MAX_DEPTH: 'deep' })).toThrow(/GATEWAY_MAX_DEPTH/);
    expect(() => readGatewayConfig({ SAFELIST: 'perhaps' })).toThrow(/SAFELIST must be true or false/);
    // X-Forwarded-For counts only when proxies are declared (rate-limit.ts).
    expect(readGatewayConfig({}).rateLimit.trustedProxyHops).toBe(0);
    expect(readGatewayConfig({ TRUSTED_PROXY_HOPS: '2' }).rateLimit.trustedProxyHops).toBe(2);
    expect(() => readGatewayConfig({ TRUSTED_PROXY_HOPS: '-1' })).toThrow(/TRUSTED_PROXY_HOPS must be a non-negative integer/);
  });

  it('refuses a rate-limit window of 0 s, whose counters would never expire and whose limit would refuse every request', () => {
    expect(readGatewayConfig({ RATE_LIMIT_WINDOW_SECONDS: '1' }).rateLimit.windowSeconds).toBe(1);
    expect(() => readGatewayConfig({ RATE_LIMIT_WINDOW_SECONDS: '0' })).toThrow(
      /RATE_LIMIT_WINDOW_SECONDS must be a positive integer, got "0"/,
    );
  });

  it("bounds Apollo Gateway's query plans by GATEWAY_QUERY_PLAN_STORE_BYTES, 8 MiB unless set, and refuses a bound that holds nothing", () => {
    expect(readGatewayConfig({}).queryPlanStoreBytes).toBe(8 * 1024 * 1024);
    expect(readGatewayConfig({ GATEWAY_QUERY_PLAN_STORE_BYTES: '1048576' }).queryPlanStoreBytes).toBe(1024 * 1024);
    expect(() => readGatewayConfig({ GATEWAY_QUERY_PLAN_STORE_BYTES: '8MiB' })).toThrow(
      /GATEWAY_QUERY_PLAN_STORE_BYTES must be a non-negative integer/,
    );
    expect(() => readGatewayConfig({ GATEWAY_QUERY_PLAN_STORE_BYTES: '0' })).toThrow(
      /GATEWAY_QUERY_PLAN_STORE_BYTES must be a positive integer, got "0"/,
    );
  });

  it("keeps Apollo Gateway's usage reporting off unless APOLLO_TELEMETRY_DISABLED is false, and refuses a malformed value", () => {
    expect(readGatewayConfig({}).apolloUsageReporting).toBe(false);
    expect(readGatewayConfig({ APOLLO_TELEMETRY_DISABLED: '' }).apolloUsageReporting).toBe(false);
    for (const value of ['true', '1']) expect(readGatewayConfig({ APOLLO_TELEMETRY_DISABLED: value }).apolloUsageReporting).toBe(false);
    for (const value of ['false', '0']) expect(readGatewayConfig({ APOLLO_TELEMETRY_DISABLED: value }).apolloUsageReporting).toBe(true);
    expect(() => readGatewayConfig({ APOLLO_TELEMETRY_DISABLED: 'maybe' })).toThrow(/APOLLO_TELEMETRY_DISABLED must be true or false/);
  });

  it('turns API keys on with a database: API_KEYS_DATABASE_URL, else DATABASE_URL; off without one or with "off"', () => {
    expect(readGatewayConfig({}).apiKeys).toEqual({ databaseUrl: null, cacheTtlSeconds: 30, tokenLifetimeSeconds: 120, poolMax: 10 });
    expect(readGatewayConfig({ DATABASE_URL: 'postgresql://db/main' }).apiKeys.databaseUrl).toBe('postgresql://db/main');
    expect(
      readGatewayConfig({ DATABASE_URL: 'postgresql://db/main', API_KEYS_DATABASE_URL: 'postgresql://db/keys' }).apiKeys.databaseUrl,
    ).toBe('postgresql://db/keys');
    expect(readGatewayConfig({ DATABASE_URL: 'postgresql://db/main', API_KEYS_DATABASE_URL: 'off' }).apiKeys.databaseUrl).toBeNull();
    expect(readGatewayConfig({ API_KEYS_CACHE_TTL_SECONDS: '5' }).apiKeys.cacheTtlSeconds).toBe(5);
  });

  it("sizes the API key lookups' pool by API_KEYS_POOL_MAX, 10 unless set, and refuses 0 (pg: no limit)", () => {
    expect(readGatewayConfig({}).apiKeys.poolMax).toBe(10);
    expect(readGatewayConfig({ API_KEYS_POOL_MAX: '3' }).apiKeys.poolMax).toBe(3);
    expect(() => readGatewayConfig({ API_KEYS_POOL_MAX: '0' })).toThrow(/API_KEYS_POOL_MAX must be a positive integer/);
  });

  it('refuses at start a key token lifetime the verifiers would refuse (AUTH_MAX_TOKEN_LIFETIME_SECONDS), or none', () => {
    expect(
      readGatewayConfig({ API_KEYS_TOKEN_LIFETIME_SECONDS: '600', AUTH_MAX_TOKEN_LIFETIME_SECONDS: '600' }).apiKeys.tokenLifetimeSeconds,
    ).toBe(600);
    expect(() => readGatewayConfig({ API_KEYS_TOKEN_LIFETIME_SECONDS: '601', AUTH_MAX_TOKEN_LIFETIME_SECONDS: '600' })).toThrow(
      'API_KEYS_TOKEN_LIFETIME_SECONDS (601) must not exceed AUTH_MAX_TOKEN_LIFETIME_SECONDS (600)',
    );
    expect(() => readGatewayConfig({ API_KEYS_TOKEN_LIFETIME_SECONDS: '0' })).toThrow(
      /API_KEYS_TOKEN_LIFETIME_SECONDS must be a positive integer/,
    );
  });

  it('listens for data changes on DATA_CHANGES_DATABASE_URL, else the API keys’ database, else DATABASE_URL; "off" turns it off', () => {
    const main = 'postgresql://db/main';
    expect(readGatewayConfig({}).dataChangesDatabaseUrl).toBeNull();
    expect(readGatewayConfig({ DATABASE_URL: main }).dataChangesDatabaseUrl).toBe(main);
    expect(readGatewayConfig({ DATABASE_URL: main, API_KEYS_DATABASE_URL: 'postgresql://db/keys' }).dataChangesDatabaseUrl).toBe(
      'postgresql://db/keys',
    );
    // API keys off is no reason to miss an import's notice.
    expect(readGatewayConfig({ DATABASE_URL: main, API_KEYS_DATABASE_URL: 'off' }).dataChangesDatabaseUrl).toBe(main);
    expect(readGatewayConfig({ DATABASE_URL: main, DATA_CHANGES_DATABASE_URL: 'postgresql://db/notices' }).dataChangesDatabaseUrl).toBe(
      'postgresql://db/notices',
    );
    expect(readGatewayConfig({ DATABASE_URL: main, DATA_CHANGES_DATABASE_URL: 'off' }).dataChangesDatabaseUrl).toBeNull();
  });
});
