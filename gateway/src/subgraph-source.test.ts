import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { silentLogger } from '@regiograph/shared';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from './context';
import { createSubgraphFetcher } from './subgraph-fetch';
import { SubgraphDataSource } from './subgraph-source';

interface Seen {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A subgraph stand-in on a real socket: each path answers one way, every request is recorded. */
const answers: Record<string, { status: number; headers: Record<string, string>; body: string }> = {
  '/ok': {
    status: 200,
    headers: { 'content-type': 'application/graphql-response+json', 'cache-control': 'public, max-age=30', 'x-read-after-lsn': '0/1A' },
    body: '{"data":{"region":{"name":"Niedersachsen"}}}',
  },
  '/private': { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'private' }, body: '{"data":{}}' },
  '/denied': { status: 401, headers: { 'content-type': 'application/json' }, body: '{"errors":[{"message":"who are you"}]}' },
  '/broken': { status: 500, headers: { 'content-type': 'text/plain' }, body: 'it broke' },
  '/list': { status: 200, headers: { 'content-type': 'application/json' }, body: '[1,2]' },
};

describe('SubgraphDataSource', () => {
  let server: http.Server;
  let base: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seen.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        const answer = answers[request.url ?? ''] ?? answers['/ok']!;
        response.writeHead(answer.status, answer.headers);
        response.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => void (seen.length = 0));

  // A subgraph that verifies callers' tokens (projects): the only kind the caller's Authorization goes to.
  const source = (path: string, name = 'projects') =>
    new SubgraphDataSource(
      `${base}${path}`,
      createSubgraphFetcher(
        name,
        5_000,
        {
          fetched: () => undefined,
          merged: () => undefined,
          shortCircuited: () => undefined,
          probed: () => undefined,
          circuitChanged: () => undefined,
        },
        { dedupeInflight: false },
      ),
      { name, maxNesting: 40 },
    );

  function operation(restrictions: unknown[] = []) {
    const context: GatewayContext = {
      requestId: 'r-1',
      caller: null,
      forwardedHeaders: { authorization: 'Bearer caller', 'x-request-id': 'r-1' },
      readAfterLsn: null,
      logger: silentLogger,
      estimatedCost: null,
      client: 'ip:127.0.0.1',
      apiKey: null,
      chargedCostPoints: 0,
    };
    const overallCachePolicy = { restrict: (hint: unknown) => void restrictions.push(hint) };
    const options = {
      kind: 'incoming operation',
      request: { query: 'query R($code: String!) { region(code: $code) { name } }', variables: { code: '03' }, operationName: 'R' },
      incomingRequestContext: { overallCachePolicy },
      context,
    } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;
    return { options, context };
  }

  it("sends the caller's headers and the query first in a JSON body, and hands back the answer", async () => {
    const restrictions: unknown[] = [];
    const { options, context } = operation(restrictions);
    const answer = await source('/ok').process(options);
    expect(answer.data).toEqual({ region: { name: 'Niedersachsen' } });
    expect(answer.http?.headers.get('x-read-after-lsn')).toBe('0/1A');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.body).toBe(
      '{"query":"query R($code: String!) { region(code: $code) { name } }","variables":{"code":"03"},"operationName":"R"}',
    );
    expect(seen[0]!.headers).toMatchObject({ authorization: 'Bearer caller', 'x-request-id': 'r-1', 'content-type': 'application/json' });
    // The subgraph's write position goes back to the client; its Cache-Control bounds the answer's.
    expect(context.readAfterLsn).toBe('0/1A');
    expect(restrictions).toEqual([{ maxAge: 30, scope: 'PUBLIC' }]);
  });

  it('keeps the Authorization from a subgraph that verifies no caller (regions, indicators), and from one it does not know', async () => {
    for (const name of ['regions', 'indicators', 'unlisted']) {
      seen.length = 0;
      await source('/ok', name).process(operation().options);
      expect(seen[0]!.headers.authorization).toBeUndefined();
      expect(seen[0]!.headers['x-request-id']).toBe('r-1');
    }
  });

  it('makes an answer without max-age uncacheable', async () => {
    const restrictions: unknown[] = [];
    await source('/private').process(operation(restrictions).options);
    expect(restrictions).toEqual([{ maxAge: 0, scope: 'PRIVATE' }]);
  });

  it("sends health checks and schema loading without any caller's headers", async () => {
    const options = {
      kind: 'health check',
      request: { query: '{ __typename }' },
      context: {},
    } as GraphQLDataSourceProcessOptions<GatewayContext>;
    expect((await source('/ok').process(options)).data).toEqual({ region: { name: 'Niedersachsen' } });
    expect(seen[0]!.headers.authorization).toBeUndefined();
    expect(seen[0]!.body).toBe('{"query":"{ __typename }"}');
  });

  it('turns an HTTP error into a GraphQL error with the status and the answer, as Apollo does', async () => {
    const denied = await source('/denied')
      .process(operation().options)
      .catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(GraphQLError);
    expect((denied as GraphQLError).message).toBe('401: Unauthorized');
    expect((denied as GraphQLError).extensions).toEqual({
      code: 'UNAUTHENTICATED',
      response: { url: `${base}/denied`, status: 401, statusText: 'Unauthorized', body: { errors: [{ message: 'who are you' }] } },
    });
    const broken = (await source('/broken')
      .process(operation().options)
      .catch((error: unknown) => error)) as GraphQLError;
    expect(broken.message).toBe('500: Internal Server Error');
    expect(broken.extensions).toEqual({
      response: { url: `${base}/broken`, status: 500, statusText: 'Internal Server Error', body: 'it broke' },
    });
  });

  it('refuses an answer that is not a JSON object', async () => {
    await expect(source('/list').process(operation().options)).rejects.toThrow('Expected JSON response body, but received: 1,2');
  });
});
