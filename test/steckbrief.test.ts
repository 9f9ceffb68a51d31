// The fact-sheet example (examples/steckbrief) as a team of another origin runs it against a
// production-like gateway: SAFELIST with the persisted-documents manifest GraphQL Code Generator wrote,
// CORS for the page's origin, the operation sent by hash with GET. The oracle is the API's own answer
// to the same operation; the page must show every attribution of what it shows, and say "nicht
// verfügbar" for what a failed subgraph left out.
import { randomUUID } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  fetchSteckbrief,
  renderSteckbrief,
  STECKBRIEF_INDICATORS,
  steckbriefHash,
  type SteckbriefAnswer,
} from '../examples/steckbrief/steckbrief';
import { SteckbriefDocument, type SteckbriefQuery } from '../examples/steckbrief/generated/graphql';
import { startStack, type ExtraGateway, type Stack } from './harness';

const root = path.join(__dirname, '..');
const examples = path.join(root, 'examples');
const MANIFEST = path.join(examples, 'steckbrief', 'generated', 'persisted-documents.json');
const PAGE_ORIGIN = 'https://steckbrief.example';
// Lamstedt, a member of the Samtgemeinde Börde Lamstedt in Landkreis Cuxhaven: its parent is not its county.
const CODE = '033525404029';

/** The gateway a team's page calls in production, on the stack's subgraphs (or others). */
const production = (stack: Stack, subgraphUrls?: Record<string, string>, env: Record<string, string> = {}) =>
  stack.startGateway({
    subgraphUrls,
    env: {
      ...env,
      NODE_ENV: 'production',
      AUTH_SECRET: 'a-test-secret-that-is-long-enough-for-hs256',
      SAFELIST: 'true',
      SAFELIST_MANIFEST: MANIFEST,
      CORS_ORIGINS: PAGE_ORIGIN,
    },
  });

let stack: Stack;
let gateway: ExtraGateway;

beforeAll(async () => {
  stack = await startStack();
  gateway = await production(stack);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('the generated code of the example', () => {
  it('matches what GraphQL Code Generator makes of steckbrief.graphql and the committed supergraph (run npm run generate when it does not)', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'regiograph-steckbrief-codegen-'));
    try {
      // The CLI in a process of its own: it loads ES modules that Jest's module sandbox cannot.
      const cli = path.join(path.dirname(require.resolve('@graphql-codegen/cli/package.json')), 'cjs', 'bin.js');
      execFileSync(process.execPath, [cli, '--config', 'codegen.ts', '--silent'], {
        cwd: examples,
        env: { ...process.env, STECKBRIEF_CODEGEN_OUT: `${out}/` },
        stdio: 'pipe',
      });
      const committed = path.join(examples, 'steckbrief', 'generated');
      expect(readdirSync(out).sort()).toEqual(['gql.ts', 'graphql.ts', 'index.ts', 'persisted-documents.json']);
      for (const file of readdirSync(out)) {
        expect({ file, content: readFileSync(path.join(committed, file), 'utf8') }).toEqual({
          file,
          content: readFileSync(path.join(out, file), 'utf8'),
        });
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('the fact sheet on a safelisted production gateway, from another origin', () => {
  let oracle: SteckbriefQuery;

  beforeAll(async () => {
    const answer = await stack.query<SteckbriefQuery>(SteckbriefDocument.toString(), { code: CODE, indicators: STECKBRIEF_INDICATORS });
    expect(answer.errors).toBeUndefined();
    oracle = answer.data!;
  });

  it('gets the answer by hash alone with GET, readable by the page and kept by its HTTP cache', async () => {
    const responses: Response[] = [];
    const recording: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      responses.push(response);
      return response;
    };
    const answer = await fetchSteckbrief(
      gateway.url,
      { code: CODE, indicators: STECKBRIEF_INDICATORS },
      { headers: { origin: PAGE_ORIGIN }, fetch: recording },
    );
    expect(answer).toEqual({ status: 200, data: oracle, errors: [] });
    const response = responses[0]!;
    expect({
      extensions: new URL(response.url).searchParams.get('extensions'),
      allowOrigin: response.headers.get('access-control-allow-origin'),
      vary: response.headers.get('vary'),
      cacheControl: response.headers.get('cache-control'),
    }).toEqual({
      extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: steckbriefHash() } }),
      allowOrigin: PAGE_ORIGIN,
      // An HTTP cache keeps one copy per origin and per coding (the gateway compresses for fetch's gzip).
      vary: 'Origin, accept-encoding',
      cacheControl: expect.stringMatching(/^public, max-age=\d+$/),
    });
    // The browser's copy, past its max-age, is revalidated without the answer coming again.
    const etag = response.headers.get('etag')!;
    const again = await fetch(response.url, {
      headers: { 'apollo-require-preflight': 'true', origin: PAGE_ORIGIN, 'if-none-match': etag },
    });
    expect({ status: again.status, body: await again.text() }).toEqual({ status: 304, body: '' });
  });

  it("runs the text of the team's own .graphql file too, which the generator printed anew for the manifest", async () => {
    const text = readFileSync(path.join(examples, 'steckbrief', 'steckbrief.graphql'), 'utf8');
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: PAGE_ORIGIN },
      body: JSON.stringify({ query: text, variables: { code: CODE, indicators: STECKBRIEF_INDICATORS } }),
    });
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 200,
      body: { data: oracle, extensions: expect.anything() },
    });
  });

  it('shows the county, the values and every attribution of what it shows, each once', async () => {
    const answer: SteckbriefAnswer = { status: 200, data: oracle, errors: [] };
    const html = renderSteckbrief(answer);
    const region = oracle.region!;
    // The parent is the Samtgemeinde; the page names the county.
    expect(region.county?.name).toBe('Cuxhaven');
    expect(html).toContain(`im Landkreis Cuxhaven`);
    const shown = [region.population!, ...region.values!];
    expect(shown.map((value) => value.indicatorCode)).toEqual(['population', ...STECKBRIEF_INDICATORS]);
    const attributions = [
      region.source.attribution,
      ...shown.map((value) => value.attribution),
      ...region.cooperations!.map((cooperation) => cooperation.attribution),
      ...region.projects!.map((project) => project.attribution),
    ];
    const footer = html.slice(html.indexOf('<footer>'));
    const escaped = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
    expect([...new Set(attributions)].filter((text) => !footer.includes(`<li>${escaped(text)}</li>`))).toEqual([]);
    expect(footer.split('<li>').length - 1).toBe(new Set(attributions).size);
    // Synthetic values are marked as such beside the value.
    for (const value of shown.filter((observation) => observation.indicator.synthetic))
      expect(html).toMatch(new RegExp(`${escaped(value.indicator.name)} \\(${value.year}\\)</dt><dd>[^<]*<small>[^<]*synthetische Daten`));
  });

  it('runs as the README shows, printing the fact sheet', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/steckbrief/steckbrief.ts', '--url', gateway.url, '--code', CODE], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ code, output: output.trim() }).toEqual({ code: 0, output: renderSteckbrief({ status: 200, data: oracle, errors: [] }) });
  });

  it('says which parts are not available when the projects subgraph does not answer, and no cache keeps that answer', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    // Keys of its own: on a Redis (REDIS_URL) the gateways share, the response cache would answer with
    // the whole fact sheet the healthy gateway stored, as it should, and this gateway would not ask projects.
    // Beneath the file's own prefix, whose keys go when the file ends (shared/src/testing/redis-test-prefix.ts).
    const degraded = await production(
      stack,
      { projects: `http://127.0.0.1:${closedPort}/graphql` },
      { REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX ?? ''}steckbrief-degraded-${randomUUID()}:` },
    );
    let cacheControl: string | null = null;
    const answer = await fetchSteckbrief(
      degraded.url,
      { code: CODE, indicators: STECKBRIEF_INDICATORS },
      {
        headers: { origin: PAGE_ORIGIN },
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          cacheControl = response.headers.get('cache-control');
          return response;
        },
      },
    );
    expect({
      codes: answer.errors.map((error) => [error.extensions?.code, error.extensions?.serviceName, error.path]),
      projects: answer.data?.region?.projects,
      rest: { ...answer.data?.region, projects: undefined },
      cacheControl,
    }).toEqual({
      // The error says which field it cost, so a page can say so there.
      codes: [['SUBGRAPH_UNAVAILABLE', 'projects', ['region', 'projects']]],
      projects: null,
      rest: { ...oracle.region, projects: undefined },
      cacheControl: 'no-store',
    });
    expect(renderSteckbrief(answer)).toContain(
      '<h3>Projekte</h3><p>nicht verfügbar (The projects service is unreachable; the fields it provides are missing from this answer.)</p>',
    );
  });
});
