import { isCleanGraphQLBody, mergeRuns, type LoadResult, type MeasuredRun } from './load';

function run(latencies: number[], durationSeconds: number, extra: Partial<LoadResult> = {}): MeasuredRun {
  return {
    latencies,
    load: {
      requests: latencies.length,
      requestsPerSecond: latencies.length / durationSeconds,
      latency: { count: latencies.length, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 },
      errors: 0,
      non2xx: 0,
      graphqlErrors: 0,
      socketErrors: 0,
      timeouts: 0,
      bytesPerRequest: 100,
      durationSeconds,
      ...extra,
    },
  };
}

describe('mergeRuns', () => {
  it('merges the rounds of one contender: answers over the summed time, percentiles over every latency', () => {
    const merged = mergeRuns([run([10, 20, 30], 3), run([40, 50, 60, 70, 80, 90, 100, 110, 120], 3)])!;
    expect(merged.requests).toBe(12);
    expect(merged.requestsPerSecond).toBeCloseTo(12 / 6);
    expect(merged.durationSeconds).toBe(6);
    expect(merged.latency.count).toBe(12);
    expect(merged.latency.p50).toBe(60); // nearest rank over all twelve, not the mean of two medians
    expect(merged.latency.max).toBe(120);
  });

  it('weights CPU per answer by each round’s answers and adds up errors', () => {
    const merged = mergeRuns([
      run([1, 1, 1, 1], 1, { cpuMillisecondsPerRequest: { gateway: 2 }, errors: 1, non2xx: 1 }),
      run([1], 1, { cpuMillisecondsPerRequest: { gateway: 7, postgres: 1 }, errors: 2, timeouts: 2 }),
    ])!;
    expect(merged.cpuMillisecondsPerRequest!.gateway).toBeCloseTo((4 * 2 + 1 * 7) / 5);
    expect(merged.cpuMillisecondsPerRequest!.postgres).toBeCloseTo(1 / 5);
    expect([merged.errors, merged.non2xx, merged.timeouts]).toEqual([3, 1, 2]);
  });

  it('keeps the first error answers of all rounds, at most three', () => {
    const merged = mergeRuns([
      run([1], 1, { errorSamples: ['{"errors":[{"message":"a"}]}', '{"errors":[{"message":"b"}]}'] }),
      run([1], 1),
      run([1], 1, { errorSamples: ['{"errors":[{"message":"c"}]}', '{"errors":[{"message":"d"}]}'] }),
    ])!;
    expect(merged.errorSamples).toEqual(['{"errors":[{"message":"a"}]}', '{"errors":[{"message":"b"}]}', '{"errors":[{"message":"c"}]}']);
    expect(mergeRuns([run([1], 1)])!.errorSamples).toBeUndefined();
  });

  it('gives nothing for no runs', () => {
    expect(mergeRuns([])).toBeUndefined();
  });
});

describe('isCleanGraphQLBody', () => {
  it('accepts data without errors only', () => {
    expect(isCleanGraphQLBody('{"data":{"a":1}}')).toBe(true);
    expect(isCleanGraphQLBody('{"errors":[{"message":"x"}],"data":null}')).toBe(false);
  });
});
