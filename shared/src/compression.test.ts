import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { ApolloServer } from '@apollo/server';
import { codingFor, entityTagOfCoding, preferredCoding, representation, varyOnEncoding } from './compression';
import { DEFAULT_DOCUMENT_LIMITS } from './document-limits';
import { createGraphQLHttpServer, type RunningServer } from './http';
import { publicAnswersPlugin } from './testing/public-answers';
import { rawRequest } from './testing/raw-http';

describe('preferredCoding (Accept-Encoding)', () => {
  it.each([
    [undefined, null],
    ['', null],
    ['identity', null],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['br', 'br'],
    ['gzip, deflate, br', 'br'],
    ['gzip, deflate', 'gzip'],
    ['GZIP', 'gzip'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
    ['br;q=0.8, gzip;q=0.8', 'br'],
    ['br;q=0, gzip', 'gzip'],
    ['br; q=0 , gzip;q=0', null],
    ['*', 'br'],
    ['*;q=0.1, br;q=0', 'gzip'],
    ['gzip;q=abc', null],
    ['deflate, identity;q=0', null],
  ])('%p → %p', (header, coding) => {
    expect(preferredCoding(header)).toBe(coding);
  });

  it('reads a header given more than once', () => {
    expect(preferredCoding(['deflate', 'gzip;q=0.5'])).toBe('gzip');
  });
});

describe('the headers of a coded representation', () => {
  it('adds accept-encoding to Vary once', () => {
    expect(varyOnEncoding(undefined)).toBe('accept-encoding');
    expect(varyOnEncoding('Origin')).toBe('Origin, accept-encoding');
    expect(varyOnEncoding('origin, Accept-Encoding')).toBe('origin, Accept-Encoding');
    expect(varyOnEncoding('*')).toBe('*');
  });

  it('gives each coding an entity tag of its own', () => {
    expect(entityTagOfCoding('"abc"', null)).toBe('"abc"');
    expect(entityTagOfCoding('"abc"', 'br')).toBe('"abc-br"');
    expect(entityTagOfCoding('"abc"', 'gzip')).toBe('"abc-gzip"');
  });
});

describe('representation', () => {
  const text = JSON.stringify({ data: { rows: Array.from({ length: 200 }, (_, index) => ({ code: `03${index}`, value: index })) } });
  const body = Buffer.from(text);
  const requestWith = (acceptEncoding?: string) =>
    ({ headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } }) as IncomingMessage;

  it('sends the body as it is when compression is off, and adds nothing but its length', async () => {
    const sent = await representation(requestWith('br'), body, { 'content-type': 'application/json' }, null);
    expect(sent).toEqual({ body, headers: { 'content-type': 'application/json', 'content-length': String(body.length) } });
    expect(codingFor(requestWith('br'), body.length, null)).toBeNull();
  });

  it('compresses a body of minBytes or more for a caller that takes it, and says so', async () => {
    const brotli = await representation(requestWith('gzip, br'), body, { vary: 'origin' }, { minBytes: body.length });
    expect(brotli.headers).toEqual({
      vary: 'origin, accept-encoding',
      'content-encoding': 'br',
      'content-length': String(brotli.body.length),
    });
    expect(brotliDecompressSync(brotli.body).toString()).toBe(text);
    expect(brotli.body.length).toBeLessThan(body.length / 4);
    const gzipped = await representation(requestWith('gzip'), body, {}, { minBytes: 0 });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.body).toString()).toBe(text);
  });

  it('sends a smaller body, or one to a caller that takes no coding, as it is, varying on the caller’s coding', async () => {
    for (const [header, minBytes] of [
      ['br', body.length + 1],
      [undefined, 0],
      ['identity', 0],
    ] as const) {
      const sent = await representation(requestWith(header), body, {}, { minBytes });
      expect({ header, sent }).toEqual({
        header,
        sent: { body, headers: { vary: 'accept-encoding', 'content-length': String(body.length) } },
      });
    }
  });

  it('takes a coded body kept from before instead of compressing again', async () => {
    const kept = Buffer.from('kept');
    const sent = await representation(requestWith('br'), body, {}, { minBytes: 0 }, async () => kept);
    expect(sent.body).toBe(kept);
    expect(sent.headers['content-length']).toBe('4');
  });
});

describe('a GraphQL server with compression', () => {
  let running: RunningServer;
  // Long enough to pass minBytes; `short` is not.
  const long = 'Samtgemeinde '.repeat(200);

  beforeAll(async () => {
    const apollo = new ApolloServer({
      typeDefs: 'type Query { long: String, short: String }',
      resolvers: { Query: { long: () => long, short: () => 'moin' } },
      plugins: [publicAnswersPlugin()],
    });
    await apollo.start();
    running = await createGraphQLHttpServer({
      apollo,
      documentLimits: DEFAULT_DOCUMENT_LIMITS,
      context: async () => ({}),
      compression: { minBytes: 1024 },
    }).listen(0);
  });

  afterAll(async () => {
    await running.close();
  });

  const postQuery = (query: string, headers: OutgoingHttpHeaders = {}) =>
    rawRequest(running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });

  it('answers in brotli or gzip as the caller takes it, with the coded length', async () => {
    const brotli = await postQuery('{ long }', { 'accept-encoding': 'gzip, deflate, br' });
    expect({ status: brotli.status, coding: brotli.headers['content-encoding'], vary: brotli.headers.vary }).toEqual({
      status: 200,
      coding: 'br',
      vary: expect.stringContaining('accept-encoding'),
    });
    expect(Number(brotli.headers['content-length'])).toBe(brotli.body.length);
    expect(JSON.parse(brotliDecompressSync(brotli.body).toString())).toEqual({ data: { long } });
    expect(brotli.body.length).toBeLessThan(long.length / 10);

    const gzipped = await postQuery('{ long }', { 'accept-encoding': 'gzip' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gzipped.body).toString())).toEqual({ data: { long } });
  });

  it('answers a caller that sends no Accept-Encoding, and a short answer, as they are', async () => {
    for (const [query, headers] of [
      ['{ long }', {}],
      ['{ short }', { 'accept-encoding': 'br' }],
    ] as const) {
      const answer = await postQuery(query, headers);
      expect({ query, coding: answer.headers['content-encoding'], vary: answer.headers.vary }).toEqual({
        query,
        coding: undefined,
        vary: expect.stringContaining('accept-encoding'),
      });
      expect(Number(answer.headers['content-length'])).toBe(answer.body.length);
      expect(JSON.parse(answer.body.toString())).toHaveProperty('data');
    }
  });

  it('gives a coded GET answer its own entity tag, and revalidates each representation by its own', async () => {
    const url = `${running.url}?query=${encodeURIComponent('{ long }')}`;
    const headers = { 'apollo-require-preflight': 'true' };
    const plain = await rawRequest(url, { headers });
    const brotli = await rawRequest(url, { headers: { ...headers, 'accept-encoding': 'br' } });
    const plainTag = plain.headers.etag!;
    expect(brotli.headers.etag).toBe(plainTag.replace(/"$/, '-br"'));
    // A cache holding the identity body is not told it may serve it as the brotli one, nor the other way round.
    expect((await rawRequest(url, { headers: { ...headers, 'accept-encoding': 'br', 'if-none-match': plainTag } })).status).toBe(200);
    expect((await rawRequest(url, { headers: { ...headers, 'if-none-match': brotli.headers.etag! } })).status).toBe(200);
    const revalidated = await rawRequest(url, { headers: { ...headers, 'accept-encoding': 'br', 'if-none-match': brotli.headers.etag! } });
    expect({ status: revalidated.status, etag: revalidated.headers.etag, bytes: revalidated.body.length }).toEqual({
      status: 304,
      etag: brotli.headers.etag,
      bytes: 0,
    });
  });
});
