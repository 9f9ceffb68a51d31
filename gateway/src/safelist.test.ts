// A team outside this repository registers its own operations for a SAFELIST gateway: from the
// persisted-documents manifest GraphQL Code Generator's client preset writes (as the Atlas does), or
// from the gateway's own manifest, and then sends them by hash or as the text in its files.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { silentLogger, type RunningServer } from '@regiograph/shared';
import { sha256 } from './persisted';
import { createGateway, type Gateway } from './server';
import { SUBGRAPHS } from './subgraphs';

// Operations that need no subgraph, as the team's tooling prints them.
const GREETING = 'query Greeting {\n  __typename\n}';
const OTHER = 'query Other {\n  __typename\n}';

let folder: string;
let subgraphUrls: Record<string, string>;

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'regiograph-safelist-'));
  const closedPort = await new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  subgraphUrls = Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, `http://127.0.0.1:${closedPort}/graphql`]));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function safelistedGateway(manifest: unknown): Promise<{ gateway: Gateway; running: RunningServer }> {
  const file = path.join(folder, `manifest-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify(manifest));
  const gateway = await createGateway({ env: { SAFELIST: 'true', SAFELIST_MANIFEST: file }, logger: silentLogger, subgraphUrls });
  return { gateway, running: await gateway.listen(0) };
}

async function ask(running: RunningServer, body: unknown): Promise<{ status: number; data: unknown; codes: string[] }> {
  const response = await fetch(running.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  return {
    status: response.status,
    data: answer.data ?? null,
    codes: (answer.errors ?? []).map((error) => String(error.extensions?.code)),
  };
}

const byHash = (hash: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
const answered = { status: 200, data: { __typename: 'Query' }, codes: [] };
const refused = { status: 403, data: null, codes: ['OPERATION_NOT_REGISTERED'] };

describe('a safelisted gateway and a team’s own operations', () => {
  it('loads the persisted-documents manifest of GraphQL Code Generator’s client preset and runs its operations by hash', async () => {
    // As the client preset writes it: on one line, fields sorted; and as the team's file has it.
    const printed = 'query Greeting { a: __typename b: __typename }';
    const file = '# the greeting\nquery Greeting {\n  b: __typename\n  a: __typename\n}\n';
    const { gateway, running } = await safelistedGateway({ [`sha256:${sha256(printed)}`]: printed });
    try {
      const both = { status: 200, data: { a: 'Query', b: 'Query' }, codes: [] };
      expect(await ask(running, byHash(sha256(printed)))).toEqual(both);
      expect(await ask(running, { query: file })).toEqual({ ...both, data: { b: 'Query', a: 'Query' } });
      expect(await ask(running, { query: OTHER })).toEqual(refused);
    } finally {
      await gateway.close();
    }
  });

  it('runs a registered operation sent as text in another layout than the registered one, and nothing else', async () => {
    const { gateway, running } = await safelistedGateway({
      format: 'regiograph-safelist/1',
      operations: [{ name: 'Greeting', sha256: sha256(GREETING), document: GREETING }],
    });
    try {
      // The text as it stands in the team's file, not as the registration printed it.
      expect(await ask(running, { query: 'query Greeting { __typename }' })).toEqual(answered);
      expect(
        await ask(running, {
          query: '# the greeting\nquery Greeting {\n  __typename\n}\nquery Other { __typename }',
          operationName: 'Greeting',
        }),
      ).toEqual(answered);
      expect(await ask(running, { query: 'query Greeting { __typename }\nquery Other { __typename }', operationName: 'Other' })).toEqual(
        refused,
      );
      expect(await ask(running, { query: '{ __typename }' })).toEqual(refused);
    } finally {
      await gateway.close();
    }
  });

  it('names the refused operation and the hash it was looked up by, so a team can tell which registration is missing', async () => {
    const { gateway, running } = await safelistedGateway({ [`sha256:${sha256(GREETING)}`]: GREETING });
    try {
      const response = await fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: OTHER }),
      });
      const { errors } = (await response.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
      expect(
        errors.map(({ message, extensions }) => ({
          message,
          code: extensions.code,
          operationName: extensions.operationName,
          sha256: extensions.sha256,
        })),
      ).toEqual([
        {
          message: `The operation Other (sha256 ${sha256(OTHER)}) is not registered. Only registered operations run on this gateway.`,
          code: 'OPERATION_NOT_REGISTERED',
          operationName: 'Other',
          sha256: sha256(OTHER),
        },
      ]);
    } finally {
      await gateway.close();
    }
  });

  it('refuses to start with a manifest it cannot read, naming the file and what it expected', async () => {
    const wrongHash = path.join(folder, 'wrong-hash.json');
    await writeFile(wrongHash, JSON.stringify({ [`sha256:${sha256(OTHER)}`]: GREETING }));
    await expect(
      createGateway({ env: { SAFELIST: 'true', SAFELIST_MANIFEST: wrongHash }, logger: silentLogger, subgraphUrls }),
    ).rejects.toThrow(`${wrongHash}: sha256:${sha256(OTHER)} is not the sha256 of its document`);
    const unknown = path.join(folder, 'unknown.json');
    await writeFile(unknown, JSON.stringify([GREETING]));
    await expect(
      createGateway({ env: { SAFELIST: 'true', SAFELIST_MANIFEST: unknown }, logger: silentLogger, subgraphUrls }),
    ).rejects.toThrow(`${unknown}: not a safelist manifest`);
  });

  it('opens no connection to Redis when its manifest cannot be used', async () => {
    // Found on CI's run against a Redis: a start that failed on its manifest left a Redis client open,
    // and Jest never exited. A listener stands where Redis would be and counts who connects.
    const anonymous = path.join(folder, 'anonymous.json');
    await writeFile(anonymous, JSON.stringify({ [`sha256:${sha256('{ __typename }')}`]: '{ __typename }' }));
    // The peers' ports in the order the listener accepted them (the kernel's queue is first come, first served).
    const accepted: (number | undefined)[] = [];
    const listener = net.createServer((socket) => {
      accepted.push(socket.remotePort);
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const { port } = listener.address() as AddressInfo;
    try {
      for (const file of [anonymous, path.join(folder, 'missing.json')]) {
        await expect(
          createGateway({
            env: { SAFELIST: 'true', SAFELIST_MANIFEST: file, REDIS_URL: `redis://127.0.0.1:${port}` },
            logger: silentLogger,
            subgraphUrls,
          }),
        ).rejects.toThrow(file);
      }
      // A Redis client of those starts would have connected before this probe, which comes last.
      const probe = net.connect(port, '127.0.0.1');
      await new Promise((resolve) => probe.once('connect', resolve));
      const probePort = probe.localPort;
      while (!accepted.includes(probePort)) await new Promise((resolve) => setImmediate(resolve));
      probe.destroy();
      expect(accepted).toEqual([probePort]);
    } finally {
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    }
  });
});
