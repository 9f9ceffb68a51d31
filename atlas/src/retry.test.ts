import { isTransient, MAX_RETRY_MS, retryDelay, retryText } from './retry';

describe('the automatic retry', () => {
  it('waits 2 s after the first failure and doubles the wait after each further one, up to a minute', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 12].map(retryDelay)).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(retryDelay(1000)).toBe(MAX_RETRY_MS);
  });

  it('asks again after a subgraph that did not answer or an unclassified failure, not after a refusal of the request itself', () => {
    expect(isTransient([{ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }])).toBe(true);
    expect(isTransient([{}])).toBe(true);
    expect(isTransient([{ extensions: { code: 'BAD_USER_INPUT' } }, { extensions: { code: 'OVERLOADED' } }])).toBe(true);
    expect(isTransient([{ extensions: { code: 'BAD_USER_INPUT' } }])).toBe(false);
    expect(isTransient([{ extensions: { code: 'OUT_OF_RANGE' } }, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }])).toBe(false);
  });

  it('says the delay in seconds, a minute in minutes', () => {
    expect([2_000, 32_000, 60_000].map(retryText)).toEqual(['in 2 s', 'in 32 s', 'in 1 min']);
  });
});
