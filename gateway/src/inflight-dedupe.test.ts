import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getEventListeners } from 'node:events';
import { createAgentFetch, TimeoutError, type AgentFetchInit, type BufferedResponse } from './agent-fetch';
import { dedupeInflight, inflightKey, type SubgraphSend } from './inflight-dedupe';

/** A subgraph stand-in over real HTTP that counts the requests reaching it and answers after a delay. */
describe('merging identical subgraph requests in flight', () => {
  let server: http.Server;
  let url: string;
  const received: { url: string; authorization: string | undefined; body: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        received.push({ url: request.url ?? '', authorization: request.headers.authorization, body });
        if (request.url === '/slow') return void setTimeout(() => response.end('{"data":{}}'), 2000).unref();
        if (request.url === '/broken') return void setTimeout(() => request.socket.destroy(), 100);
        setTimeout(() => {
          response.writeHead(200, { 'content-type': 'application/json', 'x-read-after-lsn': '0/16B3748' });
          response.end(
            JSON.stringify({ data: { region: { code: '03', name: 'Niedersachsen', for: request.headers.authorization ?? null } } }),
          );
        }, 150);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    received.length = 0;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const query = (
    headers: Record<string, string> = {},
    body = '{"query":"query Region__regions__0{region(code:\\"03\\"){code name}}","variables":{}}',
  ): AgentFetchInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

  it('sends concurrent identical queries once, whatever their request ids and trace context', async () => {
    let merged = 0;
    const send = dedupeInflight(createAgentFetch(), { onMerged: () => (merged += 1) });
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        send(
          `${url}/graphql`,
          query({ 'x-request-id': `request-${index}`, traceparent: `00-${String(index).padStart(32, '0')}-00f067aa0ba902b7-01` }),
        ),
      ),
    );
    expect(received).toHaveLength(1);
    expect(merged).toBe(4);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-read-after-lsn')).toBe('0/16B3748');
      expect(await answer.json()).toEqual({ data: { region: { code: '03', name: 'Niedersachsen', for: null } } });
    }
    // Once answered, the same query is asked again: only requests in flight are shared.
    await send(`${url}/graphql`, query());
    expect(received).toHaveLength(2);
  });

  it('never merges requests with different authorization, and answers each with its own', async () => {
    const send = dedupeInflight(createAgentFetch());
    const [anonymous, alice, bob, aliceAgain] = await Promise.all([
      send(`${url}/graphql`, query()),
      send(`${url}/graphql`, query({ authorization: 'Bearer alice' })),
      send(`${url}/graphql`, query({ Authorization: 'Bearer bob' })),
      send(`${url}/graphql`, query({ authorization: 'Bearer alice' })),
    ]);
    expect(received.map((request) => request.authorization ?? null).sort()).toEqual(['Bearer alice', 'Bearer bob', null]);
    const who = async (response: typeof alice) => ((await response.json()) as { data: { region: { for: string | null } } }).data.region.for;
    expect(await Promise.all([who(anonymous), who(alice), who(bob), who(aliceAgain)])).toEqual([
      null,
      'Bearer alice',
      'Bearer bob',
      'Bearer alice',
    ]);
  });

  it('never merges requests that differ in read-after-write position, URL or body, nor any mutation', async () => {
    const send = dedupeInflight(createAgentFetch());
    const mutation = query({}, '{"query":"mutation Save__projects__0{saveProject(id:\\"1\\"){id}}","variables":{}}');
    await Promise.all([
      send(`${url}/graphql`, query({ 'x-read-after-lsn': '0/1' })),
      send(`${url}/graphql`, query({ 'x-read-after-lsn': '0/2' })),
      send(`${url}/other`, query()),
      send(`${url}/graphql`, query({}, '{"query":"query Region__regions__0{region(code:\\"03\\"){code name}}","variables":{"x":1}}')),
      send(`${url}/graphql`, mutation),
      send(`${url}/graphql`, mutation),
    ]);
    expect(received).toHaveLength(6);
    expect(inflightKey(`${url}/graphql`, mutation)).toBeNull();
    expect(inflightKey(`${url}/graphql`, { ...query(), method: 'GET' })).toBeNull();
    expect(inflightKey(`${url}/graphql`, query({}, '{"query":"{region(code:\\"03\\"){code}}"}'))).not.toBeNull();
  });

  it('gives every waiter its own answer objects: one waiter changing its result changes no other', async () => {
    const send = dedupeInflight(createAgentFetch());
    const [first, second] = await Promise.all([send(`${url}/graphql`, query()), send(`${url}/graphql`, query())]);
    expect(received).toHaveLength(1);
    expect(first).not.toBe(second);
    expect(first.headers).not.toBe(second.headers);
    const a = (await first.json()) as { data: { region: Record<string, unknown> } };
    const b = (await second.json()) as { data: { region: Record<string, unknown> } };
    expect(a.data.region).not.toBe(b.data.region);
    // What Apollo Gateway does to a fetch result while it builds the answer: merge more fields in.
    a.data.region.population = 8_000_000;
    delete a.data.region.name;
    first.headers.set('x-read-after-lsn', '9/9');
    expect(b).toEqual({ data: { region: { code: '03', name: 'Niedersachsen', for: null } } });
    expect(second.headers.get('x-read-after-lsn')).toBe('0/16B3748');
  });

  it('delivers a timeout or a broken connection to every waiter', async () => {
    const send = dedupeInflight(createAgentFetch());
    const timedOut = await Promise.allSettled(Array.from({ length: 3 }, () => send(`${url}/slow`, { ...query(), timeoutMs: 100 })));
    expect(received).toHaveLength(1);
    for (const outcome of timedOut) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(TimeoutError);
    }
    received.length = 0;
    const broken = await Promise.allSettled(Array.from({ length: 3 }, () => send(`${url}/broken`, query())));
    expect(received).toHaveLength(1);
    expect(broken.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
  });

  it('releases a waiter that hangs up without failing the others, and abandons the request when none waits', async () => {
    const send = dedupeInflight(createAgentFetch());
    const leaving = new AbortController();
    const staying = send(`${url}/graphql`, query());
    const left = send(`${url}/graphql`, { ...query(), signal: leaving.signal });
    leaving.abort(new Error('client went away'));
    await expect(left).rejects.toThrow('client went away');
    expect(await (await staying).json()).toEqual({ data: { region: { code: '03', name: 'Niedersachsen', for: null } } });
    expect(received).toHaveLength(1);

    received.length = 0;
    const everyone = [new AbortController(), new AbortController()];
    const abandoned = everyone.map((controller) => send(`${url}/slow`, { ...query(), signal: controller.signal }));
    // Abandoned once the subgraph has it: a fixed wait let a loaded machine abort it before it was sent.
    while (received.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    for (const controller of everyone) controller.abort(new Error('gone'));
    await expect(Promise.all(abandoned)).rejects.toThrow('gone');
    // The shared request was dropped with its last waiter: the next one is sent anew, not joined to it.
    await expect(send(`${url}/slow`, { ...query(), timeoutMs: 50 })).rejects.toBeInstanceOf(TimeoutError);
    expect(received).toHaveLength(2);
  });
});

describe('the key of a subgraph request in flight', () => {
  const url = 'http://regions/graphql';
  const body = '{"query":"query Region__regions__0{region(code:\\"03\\"){code}}","variables":{}}';
  const key = (headers?: AgentFetchInit['headers']) => inflightKey(url, { method: 'POST', body, headers });

  it('is the same whatever the order and form of the headers', () => {
    const plain = key({ authorization: 'Bearer alice', 'x-read-after-lsn': '0/1' });
    expect(plain).not.toBeNull();
    expect(key({ 'x-read-after-lsn': '0/1', authorization: 'Bearer alice' })).toBe(plain);
    expect(key(new Headers({ 'X-Read-After-LSN': '0/1', Authorization: 'Bearer alice' }))).toBe(plain);
    expect(
      key([
        ['x-read-after-lsn', '0/1'],
        ['authorization', 'Bearer alice'],
      ]),
    ).toBe(plain);
    expect(key(undefined)).toBe(key({}));
  });

  it('differs for other credentials in every form of the headers, and for values that would run into the next header', () => {
    expect(key(new Headers({ authorization: 'Bearer alice' }))).not.toBe(key(new Headers({ authorization: 'Bearer bob' })));
    expect(key([['authorization', 'Bearer alice']])).not.toBe(key([['authorization', 'Bearer bob']]));
    expect(key(new Headers({ authorization: 'Bearer alice' }))).not.toBe(key(undefined));
    expect(key({ 'x-a': '1x-b:2' })).not.toBe(key({ 'x-a': '1', 'x-b': '2' }));
  });

  it('is none for a body that is not text', () => {
    expect(inflightKey(url, { method: 'POST', body: Buffer.from(body) })).toBeNull();
  });
});

describe('merging requests in flight, with a subgraph the test answers', () => {
  /** A send that answers when the test says, and fails when its signal aborts. */
  function controlledSend() {
    const sent: { init: AgentFetchInit; answer: () => void }[] = [];
    const response = { status: 200, clone: () => response } as unknown as BufferedResponse;
    const send: SubgraphSend = (_url, init) =>
      new Promise((resolve, reject) => {
        sent.push({ init, answer: () => resolve(response) });
        init.signal?.addEventListener('abort', () => reject(init.signal!.reason as Error));
      });
    return { send, sent, response };
  }
  const init = (signal?: AbortSignal): AgentFetchInit => ({
    method: 'POST',
    body: '{"query":"query Q{region(code:\\"03\\"){code}}"}',
    signal,
  });
  const url = 'http://regions/graphql';

  it('sends nothing for a caller that gave up before asking, and fails it with its reason', async () => {
    const { send, sent } = controlledSend();
    const asked = dedupeInflight(send)(url, init(AbortSignal.abort(new Error('gone before asking'))));
    expect(sent).toHaveLength(0);
    await expect(asked).rejects.toThrow('gone before asking');
  });

  it('fails a caller that gives up for a reason that is no error with one', async () => {
    const { send } = controlledSend();
    const leaving = new AbortController();
    const asked = dedupeInflight(send)(url, init(leaving.signal));
    leaving.abort('closed');
    await expect(asked).rejects.toThrow('aborted');
  });

  it('lets a request that replaced an abandoned one be joined after the abandoned one fails', async () => {
    const { send, sent, response } = controlledSend();
    const dedupe = dedupeInflight(send);
    const leaving = new AbortController();
    const abandoned = dedupe(url, init(leaving.signal));
    leaving.abort(new Error('gone'));
    const second = dedupe(url, init());
    await expect(abandoned).rejects.toThrow('gone');
    await new Promise(setImmediate);
    const third = dedupe(url, init());
    expect(sent).toHaveLength(2);
    sent[1]!.answer();
    expect(await Promise.all([second, third])).toEqual([response, response]);
  });

  it("leaves no listener on a caller's signal once it is answered", async () => {
    const { send, sent } = controlledSend();
    const signal = new AbortController().signal;
    const asked = dedupeInflight(send)(url, init(signal));
    expect(getEventListeners(signal, 'abort')).toHaveLength(1);
    sent[0]!.answer();
    await asked;
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });
});
