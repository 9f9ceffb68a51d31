import { readMetricsExposure } from './metrics';

describe('readMetricsExposure', () => {
  it('serves /metrics on the main port without a token when neither variable is set', () => {
    expect(readMetricsExposure({})).toEqual({ port: null, token: null });
    expect(readMetricsExposure({ METRICS_PORT: '', METRICS_TOKEN: '' })).toEqual({ port: null, token: null });
  });

  it('reads the port and the token', () => {
    expect(readMetricsExposure({ METRICS_PORT: '9464', METRICS_TOKEN: 'scrape-secret' })).toEqual({ port: 9464, token: 'scrape-secret' });
    expect(readMetricsExposure({ METRICS_PORT: '0' }).port).toBe(0);
  });

  it('refuses a port that is no port, as every port setting', () => {
    expect(() => readMetricsExposure({ METRICS_PORT: 'metrics' })).toThrow('METRICS_PORT must be a port number');
    expect(() => readMetricsExposure({ METRICS_PORT: '70000' })).toThrow('METRICS_PORT must be a port number');
  });
});
