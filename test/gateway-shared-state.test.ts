// Two gateway instances act as one: they share the response cache (and its invalidation by
// mutations), the safelist and the rate limits — through Redis when REDIS_URL is set (as in CI),
// and through one in-process store otherwise.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { registerOperations, Safelist, type GatewayConfig, type SharedStore } from '@regiograph/gateway';
import { compress, type ContentCoding } from '@regiograph/shared';
import { testBearer } from '@regiograph/shared/testing';
import type { ExtraGateway } from './harness';
import { stackWithStoreBackends, type StoreBackend } from './store-backends';

const { stack, backends } = stackWithStoreBackends();

async function pair(
  backend: StoreBackend,
  env: NodeJS.ProcessEnv,
  config?: Partial<GatewayConfig>,
): Promise<{ a: ExtraGateway; b: ExtraGateway; store: SharedStore }> {
  const { options, store } = backend.make();
  const start = () =>
    stack().startGateway({
      ...options,
      env: { NODE_ENV: 'development', WATCH_SUPERGRAPH: 'false', RATE_LIMIT_REQUESTS: '100000', ...options.env, ...env },
      config,
    });
  return { a: await start(), b: await start(), store };
}

const EDITOR = testBearer({ sub: 'editor', name: 'State-wide editor', scopes: ['projects:write'] });

describe.each(backends)('two gateways sharing $name', (backend) => {
  it('share cached answers, and a mutation through one is seen at once through the other', async () => {
    const { a, b } = await pair(backend, { RESPONSE_CACHE: 'true' });
    const list = await a.query<{ projects: { nodes: { id: string; version: number; leadRegion: { code: string } }[] } }>(
      '{ projects(first: 1) { nodes { id version leadRegion { code } } } }',
    );
    const project = list.data!.projects.nodes[0]!;
    const read = `{ region(code: "${project.leadRegion.code}") { name projects { id title } } }`;
    const post = (gateway: ExtraGateway, headers: Record<string, string> = {}) =>
      fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: read }),
      });

    const first = await post(a);
    expect(first.headers.get('x-cache')).toBe('miss');
    expect(first.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
    const firstBody = await first.json();
    const second = await post(b);
    expect(second.headers.get('x-cache')).toBe('hit');
    expect(await second.json()).toEqual(firstBody);
    // Callers with a token get answers made for them, never cached ones.
    const signedIn = await post(b, EDITOR);
    expect(signedIn.headers.get('x-cache')).toBeNull();
    expect(signedIn.headers.get('cache-control')).toBe('no-store');

    const title = `Renamed in a cache test ${randomUUID().slice(0, 8)} (synthetic)`;
    const update = await a.query<{ updateProject: { project: { title: string } | null; errors: unknown[] } }>(
      'mutation ($input: UpdateProjectInput!) { updateProject(input: $input) { project { title } errors { field message code } } }',
      { input: { id: project.id, expectedVersion: project.version, title } },
      EDITOR,
    );
    expect(update.data!.updateProject).toEqual({ project: { title }, errors: [] });

    const after = await post(b);
    expect(after.headers.get('x-cache')).toBe('miss');
    const afterBody = (await after.json()) as { data: { region: { projects: { id: string; title: string }[] } } };
    expect(afterBody.data.region.projects.find((candidate) => candidate.id === project.id)?.title).toBe(title);
  });

  it('drop cached answers after a write whose answer also carries an error, not after a refused anonymous one', async () => {
    const { a, b } = await pair(backend, { RESPONSE_CACHE: 'true' });
    const list = await a.query<{ projects: { nodes: { id: string; version: number; leadRegion: { code: string } }[] } }>(
      '{ projects(first: 2) { nodes { id version leadRegion { code } } } }',
    );
    const project = list.data!.projects.nodes[1]!;
    const read = `{ region(code: "${project.leadRegion.code}") { projects { id title } } }`;
    const post = async (gateway: ExtraGateway) => {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: read }),
      });
      const body = (await response.json()) as { data: { region: { projects: { id: string; title: string }[] } } };
      return { cache: response.headers.get('x-cache'), title: body.data.region.projects.find((row) => row.id === project.id)?.title };
    };
    const before = await post(a);
    expect((await post(b)).cache).toBe('hit');

    // Refused before any write (no token): the cached answers stay, so anonymous callers cannot flush them.
    const refused = await b.query('mutation { deleteProject(id: "P-0000-000", expectedVersion: 1) { project { id } } }');
    expect(refused.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })]);
    expect(await post(a)).toEqual({ cache: 'hit', title: before.title });

    // The write commits, and a field below its payload fails in another subgraph: the answer has an
    // error, yet what was cached before the write is not read again.
    const title = `Renamed beside an error ${randomUUID().slice(0, 8)} (synthetic)`;
    const update = await a.query<{ updateProject: { project: { title: string } | null; errors: unknown[] } }>(
      `mutation ($input: UpdateProjectInput!) { updateProject(input: $input) {
         project { title transferCandidates(first: -1) { excludedRegionCodes } } errors { code } } }`,
      { input: { id: project.id, expectedVersion: project.version, title } },
      EDITOR,
    );
    expect(update.errors).toEqual([expect.objectContaining({ path: ['updateProject', 'project', 'transferCandidates'] })]);
    expect(update.data!.updateProject.project?.title).toBe(title);
    expect(await post(b)).toEqual({ cache: 'miss', title });
  });

  it('send a cached answer as it was stored, and do not store one larger than RESPONSE_CACHE_MAX_ENTRY_BYTES', async () => {
    const { a, b } = await pair(backend, { RESPONSE_CACHE: 'true', RESPONSE_CACHE_MAX_ENTRY_BYTES: '2000' });
    const send = async (gateway: ExtraGateway, query: string) => {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      return { cache: response.headers.get('x-cache'), text: await response.text() };
    };
    const small = '{ region(code: "034") { name children { code } } }';
    const made = await send(a, small);
    expect(made.cache).toBe('miss');
    expect(made.text.length).toBeLessThan(2000);
    // The very bytes of the answer made, from either gateway.
    expect(await send(b, small)).toEqual({ cache: 'hit', text: made.text });
    expect(await send(a, small)).toEqual({ cache: 'hit', text: made.text });
    const large = '{ region(code: "03") { name descendants(level: MUNICIPALITY) { code name } } }';
    const first = await send(a, large);
    expect(first.text.length).toBeGreaterThan(2000);
    expect(first.cache).toBe('miss');
    expect((await send(b, large)).cache).toBe('miss');
  });

  it('send a cached answer in each coding compressed once, from either gateway, with its own Vary and ETag', async () => {
    const compressed: ContentCoding[] = [];
    const { a, b } = await pair(
      backend,
      { RESPONSE_CACHE: 'true' },
      {
        compression: {
          minBytes: 0,
          compress: (body, coding, effort) => {
            compressed.push(coding);
            return compress(body, coding, effort);
          },
        },
      },
    );
    const query = '{ region(code: "034") { name children { code name } } }';
    // GET: the answer has an entity tag per coding. fetch unpacks the body and leaves the headers.
    const send = async (gateway: ExtraGateway, acceptEncoding: string) => {
      const response = await fetch(`${gateway.url}?query=${encodeURIComponent(query)}`, {
        headers: { 'apollo-require-preflight': 'true', 'accept-encoding': acceptEncoding },
      });
      const { headers } = response;
      return {
        cache: headers.get('x-cache'),
        coding: headers.get('content-encoding'),
        vary: headers.get('vary'),
        etag: headers.get('etag'),
        text: await response.text(),
      };
    };
    const identity = await send(a, 'identity');
    expect({ cache: identity.cache, coding: identity.coding, compressed }).toEqual({ cache: 'miss', coding: null, compressed: [] });
    const brotli = await send(b, 'br');
    expect(brotli).toEqual({ ...identity, cache: 'hit', coding: 'br', etag: identity.etag!.replace(/"$/, '-br"') });
    expect(await send(a, 'br')).toEqual(brotli);
    expect(await send(b, 'gzip')).toEqual({ ...brotli, coding: 'gzip', etag: identity.etag!.replace(/"$/, '-gzip"') });
    expect(await send(a, 'gzip, br;q=0')).toEqual({ ...brotli, coding: 'gzip', etag: identity.etag!.replace(/"$/, '-gzip"') });
    expect(identity.vary).toMatch(/accept-encoding/);
    // Once per coding for both gateways; every later hit took the coded form kept beside the answer.
    expect(compressed).toEqual(['br', 'gzip']);
  });

  it('share one safelist: an operation registered once runs on both, anything else on neither', async () => {
    const { a, b, store } = await pair(backend, { SAFELIST: 'true', RESPONSE_CACHE: 'false' });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'regiograph-app-'));
    await writeFile(path.join(dir, 'app.graphql'), 'query WeserEms { region(code: "034") { name } }');
    const [operation] = await registerOperations(new Safelist(store), [dir]);
    await rm(dir, { recursive: true, force: true });
    const post = (gateway: ExtraGateway, body: unknown) =>
      fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    // extensions.cost: what the answer cost, by the gateway's demand control (one object).
    const answer = { data: { region: { name: 'Weser-Ems' } }, extensions: { cost: { estimated: 1, actual: 1, limit: 100_000 } } };
    for (const gateway of [a, b]) {
      const byHash = await post(gateway, { extensions: { persistedQuery: { version: 1, sha256Hash: operation!.sha256 } } });
      expect(await byHash.json()).toEqual(answer);
      const byText = await post(gateway, { query: operation!.document });
      expect(await byText.json()).toEqual(answer);
      const other = await post(gateway, { query: '{ region(code: "033") { name } }' });
      expect(other.status).toBe(403);
      expect(await other.json()).toMatchObject({ errors: [{ extensions: { code: 'OPERATION_NOT_REGISTERED' } }] });
    }
  });

  it('share rate limits per client: the sixth request of five allowed is refused on either instance', async () => {
    const { a, b } = await pair(backend, { RATE_LIMIT_REQUESTS: '5', RATE_LIMIT_WINDOW_SECONDS: '60', RESPONSE_CACHE: 'false' });
    const client = { 'x-api-key': await stack().apiKey(`partner-${randomUUID()}`) };
    const statuses: number[] = [];
    for (const gateway of [a, b, a, b, a, b]) {
      statuses.push((await gateway.query('{ region(code: "03") { name } }', undefined, client)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const refused = await fetch(a.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...client },
      body: '{"query":"{ __typename }"}',
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED' } }] });
    // Another client is not affected.
    expect(
      (await b.query('{ region(code: "03") { name } }', undefined, { 'x-api-key': await stack().apiKey(`partner-${randomUUID()}`) }))
        .status,
    ).toBe(200);
  });
});
