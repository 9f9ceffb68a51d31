import { DATA_VERSION_KEY, DATA_YEARS } from '@regiograph/shared';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DATA_BOUND_SUBGRAPHS,
  DATA_YEARS_QUERY,
  dataBoundsReader,
  DataYearsSource,
  dataYearsOf,
  indicatorYearsReader,
  type IndicatorYears,
} from './data-years';
import { MemoryStore } from './store';

describe('dataYearsOf', () => {
  it('spans the indicators’ years, never fewer than the shipped ones, with each series', () => {
    const years = dataYearsOf([
      { code: 'a', years: [2021, 2022, 2024] },
      { code: 'b', years: [] },
    ]);
    expect({ first: years.first, last: years.last }).toEqual({ first: DATA_YEARS.first, last: 2024 });
    expect(years.series?.get('a')).toEqual({ first: 2021, last: 2024, count: 3 });
    expect(years.series?.get('b')?.count).toBe(0);
    expect(dataYearsOf([{ code: 'old', years: [1970, 1971] }])).toMatchObject({ first: 1970, last: DATA_YEARS.last });
  });
});

describe('DataYearsSource', () => {
  it('reads once per data version; a failed read keeps the span last known without the series and is tried again later', async () => {
    const store = new MemoryStore();
    let answer: IndicatorYears[] | Error = [{ code: 'a', years: [2023, 2024] }];
    let reads = 0;
    let now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const source = new DataYearsSource({
      store,
      retryAfterMs: 5_000,
      read: async () => {
        reads += 1;
        if (answer instanceof Error) throw answer;
        return answer;
      },
    });
    const first = await source.current();
    expect(first).toMatchObject({ first: DATA_YEARS.first, last: 2024 });
    expect(await source.current()).toBe(first);
    expect(reads).toBe(1);

    answer = new Error('indicators down');
    await store.increment(DATA_VERSION_KEY);
    const failed = await source.current();
    // The span read before stays (an estimate never falls back below it), the series that may have grown do not.
    expect(failed).toEqual({ first: DATA_YEARS.first, last: 2024 });
    expect(await source.current()).toBe(failed);
    expect(reads).toBe(2);

    now += 5_000;
    answer = [{ code: 'a', years: [2025] }];
    expect(await source.current()).toMatchObject({ last: 2025 });
    expect(reads).toBe(3);
    jest.restoreAllMocks();
  });

  it('shares one read between the estimates waiting for it', async () => {
    const store = new MemoryStore();
    let reads = 0;
    const source = new DataYearsSource({
      store,
      read: async () => {
        reads += 1;
        await new Promise((resolve) => setTimeout(resolve, 10));
        return [{ code: 'a', years: [2024] }];
      },
    });
    const all = await Promise.all([source.current(), source.current(), source.current()]);
    expect(all.map((years) => years.last)).toEqual([2024, 2024, 2024]);
    expect(reads).toBe(1);
  });
});

describe('data years, further', () => {
  it('gives an indicator without observations the shipped span, not an empty one', () => {
    expect(dataYearsOf([{ code: 'b', years: [] }]).series?.get('b')).toEqual({ first: DATA_YEARS.first, last: DATA_YEARS.last, count: 0 });
  });

  it('reads again at each new data version, and knows the years last read without asking', async () => {
    const store = new MemoryStore();
    let reads = 0;
    const source = new DataYearsSource({ store, read: async () => [{ code: 'a', years: [2024 + reads++] }] });
    expect(source.known()).toBe(DATA_YEARS);
    expect((await source.current()).last).toBe(2024);
    await store.increment(DATA_VERSION_KEY);
    expect((await source.current()).last).toBe(2025);
    await store.increment(DATA_VERSION_KEY);
    expect((await source.current()).last).toBe(2026);
    expect(source.known().last).toBe(2026);
    expect(reads).toBe(3);
  });

  it('tries a failed read again after retryAfterMs, not after the default', async () => {
    const store = new MemoryStore();
    let now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    let fail = true;
    const source = new DataYearsSource({
      store,
      retryAfterMs: 1_000,
      read: async () => {
        if (fail) throw new Error('indicators down');
        return [{ code: 'a', years: [2030] }];
      },
    });
    expect((await source.current()).last).toBe(DATA_YEARS.last);
    fail = false;
    now += 999;
    expect((await source.current()).last).toBe(DATA_YEARS.last);
    now += 1;
    expect((await source.current()).last).toBe(2030);
    jest.restoreAllMocks();
  });
});

describe('indicatorYearsReader', () => {
  /** An indicators subgraph that answers every request with `status` and `body`, and keeps what it was sent. */
  async function subgraph(status: number, body: unknown) {
    const requests: { method?: string; contentType?: string; body: string }[] = [];
    const server = createServer((request: IncomingMessage, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      request.on('end', () => {
        requests.push({ method: request.method, contentType: request.headers['content-type'], body: text });
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    return { url, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  it('posts the years query as JSON and keeps only well-formed rows', async () => {
    const stub = await subgraph(200, {
      data: { indicators: [{ code: 'a', years: [2024] }, { code: 1, years: [] }, { code: 'b' }, null, 'c'] },
    });
    expect(await indicatorYearsReader(() => stub.url)()).toEqual([{ code: 'a', years: [2024] }]);
    expect(stub.requests).toEqual([{ method: 'POST', contentType: 'application/json', body: JSON.stringify({ query: DATA_YEARS_QUERY }) }]);
    await stub.close();
  });

  it('rejects without a URL, on an error status and on an answer without indicators', async () => {
    await expect(indicatorYearsReader(() => undefined)()).rejects.toThrow('the indicators subgraph has no URL yet');
    const failing = await subgraph(503, { data: { indicators: [] } });
    await expect(indicatorYearsReader(() => failing.url)()).rejects.toThrow('the indicators subgraph answered 503 without indicators');
    await failing.close();
    const empty = await subgraph(200, { errors: [{ message: 'down' }] });
    await expect(indicatorYearsReader(() => empty.url)()).rejects.toThrow('the indicators subgraph answered 200 without indicators');
    await empty.close();
  });
});

describe('dataBoundsReader', () => {
  /** A subgraph answering `{ <field> }` with `value` (status 200), keeping the queries it was sent. */
  async function boundSubgraph(field: string, value: unknown) {
    const queries: string[] = [];
    const server = createServer((request: IncomingMessage, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      request.on('end', () => {
        queries.push((JSON.parse(text) as { query: string }).query);
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { [field]: value } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    return { url, queries, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  it('asks each bound of the subgraph that answers it, each on its own, and refuses an answer that is no count', async () => {
    const cooperations = await boundSubgraph('largestMembership', 120);
    const indicators = await boundSubgraph('importCount', 7);
    const urls: Record<string, string> = { cooperations: cooperations.url, indicators: indicators.url };
    expect(await dataBoundsReader((name) => urls[name])()).toEqual({ bounds: { largestMembership: 120, importCount: 7 }, problems: [] });
    expect([cooperations.queries, indicators.queries]).toEqual([['{ largestMembership }'], ['{ importCount }']]);
    expect(DATA_BOUND_SUBGRAPHS).toEqual({ largestMembership: 'cooperations', importCount: 'indicators' });
    // Each on its own: one subgraph without a URL, or answering no count, leaves the other's read.
    expect(await dataBoundsReader((name) => (name === 'indicators' ? indicators.url : undefined))()).toEqual({
      bounds: { importCount: 7 },
      problems: ['the cooperations subgraph has no URL yet'],
    });
    const broken = await boundSubgraph('largestMembership', -1);
    expect(await dataBoundsReader((name) => (name === 'indicators' ? indicators.url : broken.url))()).toEqual({
      bounds: { importCount: 7 },
      problems: ['the cooperations subgraph answered 200 without largestMembership'],
    });
    await Promise.all([cooperations.close(), indicators.close(), broken.close()]);
  });
});
