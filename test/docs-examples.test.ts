// Every example of the documentation (README.md, docs/*.md and every workspace's README) as a
// reader copies it: each GraphQL block validates against the committed supergraph's API schema and
// runs through the gateway without errors, each curl command and CSV export address answers, and
// each TypeScript snippet type-checks against @regiograph/client (and runs, if it imports nothing
// else). The comment convention that marks a block demonstrating a refusal, or one that cannot run
// as it stands, is in test/doc-examples.ts and the README's Development section.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { Kind, parse, validate, type DocumentNode, type GraphQLError, type OperationDefinitionNode } from 'graphql';
import ts from 'typescript';
import * as regiographClient from '@regiograph/client';
import { testToken } from '@regiograph/shared/testing';
import {
  blocksOf,
  curlRequests,
  documentationBlocks,
  documentationFiles,
  exportAddresses,
  placeholdersOf,
  ROOT,
  substitutePlaceholders,
  type Block,
  type Marker,
} from './doc-examples';
import { startStack, type Stack } from './harness';

const BLOCKS = documentationBlocks();
const GRAPHQL = BLOCKS.filter((block) => block.language === 'graphql' || block.language === 'gql');
const SHELL = BLOCKS.filter(
  (block) => ['sh', 'bash', 'shell', 'console'].includes(block.language) && curlRequests(block.source).length > 0,
);
const TYPESCRIPT = BLOCKS.filter((block) => block.language === 'ts' || block.language === 'typescript');
const EXPORTS = documentationFiles().flatMap((file) => exportAddresses(file, readFileSync(path.join(ROOT, file), 'utf8')));
const named = (blocks: Block[]) => blocks.map((block) => [`${block.file}:${block.line}`, block] as const);

const API_SCHEMA = Supergraph.build(readFileSync(path.join(ROOT, 'gateway', 'supergraph.graphql'), 'utf8'))
  .apiSchema()
  .toGraphQLJSSchema();

/** The documentation's address of the gateway, which the examples' URLs start with. */
const DOCUMENTED_ORIGIN = 'http://localhost:4000';

// Mutations run as an editor of this file's own (its own actor in the change feeds), and only
// creates: they add records of their own and change none that another test file reads.
const EDITOR = testToken({ sub: 'docs-examples', name: 'Documentation examples', scopes: ['projects:write', 'cooperations:write'] });

let stack: Stack;
let origin: string;

beforeAll(async () => {
  stack = await startStack();
  origin = new URL(stack.gatewayUrl).origin;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

/** Each error with the file's line it stands on. */
function validationErrors(block: Block, source: string): string[] {
  const at = (error: GraphQLError) => `${block.file}:${block.line + (error.locations?.[0]?.line ?? 1) - 1}: ${error.message}`;
  let document: DocumentNode;
  try {
    document = parse(source);
  } catch (error) {
    return [at(error as GraphQLError)];
  }
  return validate(API_SCHEMA, document).map(at);
}

/** The refusals of an answer: GraphQL errors, and a mutation payload's field errors (`errors { code }`). */
function refusalsOf(body: {
  data?: unknown;
  errors?: { message: string; extensions?: { code?: unknown } }[];
}): { code: string; message: string }[] {
  const refusals = (body.errors ?? []).map((error) => ({ code: String(error.extensions?.code), message: error.message }));
  const seen = new WeakSet<object>();
  const visit = (value: unknown): void => {
    if (value && typeof value === 'object') {
      if (seen.has(value)) return;
      seen.add(value);
    }
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'errors' && Array.isArray(inner)) {
          for (const error of inner as { code?: unknown; message?: unknown }[])
            refusals.push({ code: String(error.code), message: String(error.message ?? '') });
        } else visit(inner);
      }
    }
  };
  visit(body.data);
  return refusals;
}

async function post(body: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const response = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, text: await response.text() };
}

/**
 * Runs each operation of a block as a reader would (a mutation with an editor's token): without
 * refusals, every root field answered; or, marked `expects`, refused with exactly those codes.
 */
async function runExample(name: string, source: string, marker: Extract<Marker, { kind: 'run' | 'expects' }>): Promise<void> {
  const operations = parse(source).definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const refusals: { code: string; message: string }[] = [];
  for (const operation of operations) {
    const mutation = operation.operation === 'mutation';
    if (mutation) {
      const fields = operation.selectionSet.selections.map((selection) =>
        selection.kind === Kind.FIELD ? selection.name.value : '(fragment)',
      );
      const changes = fields.filter((field) => !field.startsWith('create'));
      if (changes.length > 0) {
        throw new Error(
          `${name}: only creates run here (the database is shared with other test files); mark it "<!-- example: not run: why -->" for ${changes.join(', ')}`,
        );
      }
    }
    const answer = await post(
      JSON.stringify({ query: source, operationName: operation.name?.value }),
      mutation ? { authorization: `Bearer ${EDITOR}` } : {},
    );
    const body = JSON.parse(answer.text) as Parameters<typeof refusalsOf>[0];
    const refused = refusalsOf(body);
    refusals.push(...refused);
    if (marker.kind === 'run') {
      // A look-up answering null (an unknown code or id) shows the reader nothing.
      const nulls = Object.entries((body.data ?? {}) as Record<string, unknown>).flatMap(([field, value]) =>
        value === null ? [field] : [],
      );
      expect({ at: name, status: answer.status, refusals: refused, data: body.data ? 'some' : 'none', nulls }).toEqual({
        at: name,
        status: 200,
        refusals: [],
        data: 'some',
        nulls: [],
      });
    }
  }
  if (marker.kind === 'expects')
    expect({ at: name, codes: [...new Set(refusals.map((refusal) => refusal.code))].sort() }).toEqual({
      at: name,
      codes: [...marker.codes].sort(),
    });
}

describe('the comment convention', () => {
  it('reads a marker before a block, blank lines between, and nothing else as one', () => {
    const markdown = [
      '<!-- example: expects BAD_USER_INPUT, NOT_FOUND -->',
      '',
      '```graphql',
      '{ a }',
      '```',
      '<!-- example: not run: the cursor is yours -->',
      '```GraphQL',
      '  { b }',
      '```',
      'text',
      '```graphql',
      '{ c }',
      '```',
      '<!-- example: expect NOT_FOUND -->',
      '```graphql',
      '```',
    ].join('\n');
    expect(blocksOf('x.md', markdown)).toEqual([
      { file: 'x.md', line: 4, language: 'graphql', source: '{ a }', marker: { kind: 'expects', codes: ['BAD_USER_INPUT', 'NOT_FOUND'] } },
      { file: 'x.md', line: 8, language: 'graphql', source: '  { b }', marker: { kind: 'not run', reason: 'the cursor is yours' } },
      { file: 'x.md', line: 12, language: 'graphql', source: '{ c }', marker: { kind: 'run' } },
      { file: 'x.md', line: 16, language: 'graphql', source: '', marker: { kind: 'invalid', text: 'expect NOT_FOUND' } },
    ]);
  });

  it('finds placeholders and substitutes them as documented', () => {
    const source = 'query { projectChanges(after: "<stored endCursor>", first: 5) { endCursor } region(code: "03", …) { name } }';
    expect(placeholdersOf(source)).toEqual(['"<stored endCursor>"', '…']);
    expect(substitutePlaceholders(source)).toBe(
      'query { projectChanges(after: "stored endCursor", first: 5) { endCursor } region(code: "03", ) { name } }',
    );
  });

  it('reads curl commands as a shell does', () => {
    expect(
      curlRequests(`curl -s http://localhost:4000/graphql -H 'content-type: application/json' \\\n  -d '{"query":"{ a(b: \\"c\\") }"}'`),
    ).toEqual([
      {
        url: 'http://localhost:4000/graphql',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ a(b: \\"c\\") }"}',
      },
    ]);
  });

  it('covers the files a newcomer reads, found by listing folders', () => {
    const files = documentationFiles();
    expect(files).toEqual(
      expect.arrayContaining(['README.md', 'client/README.md', 'docs/operations.md', 'subgraphs/indicators/README.md']),
    );
    expect(GRAPHQL.length).toBeGreaterThanOrEqual(6);
  });

  it('runs a block marked "expects" and holds it to exactly those codes', async () => {
    const refused = '{ regions(filter: { search: "%" }) { nodes { code } } }';
    await runExample('probe', refused, { kind: 'expects', codes: ['BAD_USER_INPUT'] });
    await expect(runExample('probe', refused, { kind: 'expects', codes: ['NOT_FOUND'] })).rejects.toThrow(/BAD_USER_INPUT/);
    await expect(runExample('probe', refused, { kind: 'run' })).rejects.toThrow(/BAD_USER_INPUT/);
    await expect(runExample('probe', '{ region(code: "03999") { name } }', { kind: 'run' })).rejects.toThrow(/nulls/);
    await expect(runExample('probe', 'mutation { deleteProject(id: "P-2019-001") { __typename } }', { kind: 'run' })).rejects.toThrow(
      /only creates run/,
    );
  });

  it('understands every marker in the documentation', () => {
    const misunderstood = BLOCKS.flatMap((block) =>
      block.marker.kind === 'invalid' ? [`${block.file}:${block.line}: "${block.marker.text}"`] : [],
    );
    // A marker is "expects CODE, …" (GraphQL only) or "not run: why".
    expect(misunderstood).toEqual([]);
    expect(
      BLOCKS.filter((block) => block.marker.kind === 'expects' && !['graphql', 'gql'].includes(block.language)).map(
        (block) => `${block.file}:${block.line}`,
      ),
    ).toEqual([]);
  });
});

describe.each(named(GRAPHQL))('the GraphQL example at %s', (name, block) => {
  const placeholders = placeholdersOf(block.source);

  it('validates against the API schema', () => {
    if (placeholders.length > 0 && block.marker.kind !== 'not run') {
      throw new Error(
        `${name} holds placeholders (${placeholders.join(', ')}): complete it, or mark it "<!-- example: not run: why -->" to have it validated only`,
      );
    }
    expect({
      at: name,
      errors: validationErrors(block, block.marker.kind === 'not run' ? substitutePlaceholders(block.source) : block.source),
    }).toEqual({
      at: name,
      errors: [],
    });
  });

  if (block.marker.kind === 'not run' || block.marker.kind === 'invalid') return;
  const marker = block.marker;

  it(
    marker.kind === 'expects' ? `answers with exactly ${marker.codes.join(', ')}` : 'runs through the gateway without errors',
    async () => {
      await runExample(name, block.source, marker);
    },
  );
});

// it.each refuses an empty table: where the documentation holds no such example, there is nothing to run.
describe('curl commands', () => {
  if (SHELL.length > 0)
    it.each(named(SHELL))('%s answer as the text shows', async (name, block) => {
      for (const request of curlRequests(block.source)) {
        expect(request.url.startsWith(DOCUMENTED_ORIGIN)).toBe(true);
        const response = await fetch(origin + request.url.slice(DOCUMENTED_ORIGIN.length), {
          method: request.method,
          headers: request.headers,
          body: request.body,
        });
        const text = await response.text();
        expect({ at: name, url: request.url, status: response.status }).toEqual({ at: name, url: request.url, status: 200 });
        if (new URL(request.url).pathname === '/graphql') {
          expect({ at: name, refusals: refusalsOf(JSON.parse(text) as Parameters<typeof refusalsOf>[0]) }).toEqual({
            at: name,
            refusals: [],
          });
        }
      }
    });
});

describe('CSV export addresses', () => {
  it('are named somewhere (else this part tests nothing)', () => {
    expect(EXPORTS.length).toBeGreaterThan(0);
  });

  it.each(EXPORTS.map((entry) => [`${entry.file}:${entry.line} ${entry.address}`, entry] as const))(
    '%s answers with CSV',
    async (_name, entry) => {
      const response = await fetch(origin + entry.address);
      const text = await response.text();
      expect({ status: response.status, type: response.headers.get('content-type'), why: response.ok ? '' : text }).toEqual({
        status: 200,
        type: expect.stringMatching(/^text\/csv/),
        why: '',
      });
      const header = text.split('\r\n').find((line) => !line.startsWith('#'));
      expect(header).toMatch(/^region_code,region_name,/);
    },
  );
});

const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
  ...parameters: string[]
) => (...values: unknown[]) => Promise<unknown>;

/** The names a snippet declares at its top level (`const { project } = …`): what it got back. */
function topLevelNames(source: string): string[] {
  const names: string[] = [];
  const collect = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.push(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collect(element.name);
  };
  for (const statement of ts.createSourceFile('snippet.ts', source, ts.ScriptTarget.ES2022).statements) {
    if (ts.isVariableStatement(statement)) for (const declaration of statement.declarationList.declarations) collect(declaration.name);
  }
  return names;
}

describe('TypeScript snippets', () => {
  const checked = TYPESCRIPT.filter((block) => block.marker.kind !== 'not run');
  // A snippet that imports nothing but the client can also run, against this file's gateway.
  const runnable = checked.filter((block) =>
    [...block.source.matchAll(/from '([^']+)'/g)].every((match) => match[1] === '@regiograph/client'),
  );

  if (runnable.length > 0)
    it.each(named(runnable))('%s runs against the gateway: every value it declares is there, without refusals', async (name, block) => {
      // A partner's key with the scopes the snippets' writes need (read, projects:write).
      const key = await stack.apiKey('docs-examples', { scopes: ['read', 'projects:write'] });
      const source = block.source.replaceAll(DOCUMENTED_ORIGIN, origin);
      const names = topLevelNames(source);
      const { outputText } = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
      });
      const run = new AsyncFunction('require', 'exports', 'process', `${outputText}\nreturn { ${names.join(', ')} };`);
      const load = (id: string) => {
        if (id !== '@regiograph/client') throw new Error(`${name} imports ${id}`);
        return regiographClient;
      };
      const values = (await run(load, {}, { env: { REGIOGRAPH_API_KEY: key } })) as Record<string, unknown>;
      const missing = names.filter((declared) => values[declared] === null || values[declared] === undefined);
      expect({ at: name, missing, refusals: refusalsOf({ data: values }) }).toEqual({ at: name, missing: [], refusals: [] });
    });

  it('are there to check', () => {
    expect(checked.length).toBeGreaterThanOrEqual(2);
  });

  it.each(named(checked))('%s type-checks against @regiograph/client', (name, block) => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'regiograph-docs-examples-'));
    try {
      const file = path.join(folder, 'snippet.ts');
      // `export {}` makes every snippet a module, so a top-level await is allowed as in an ES module.
      writeFileSync(file, `${block.source}\nexport {};\n`);
      const program = ts.createProgram([file], {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
        types: ['node'],
        typeRoots: [path.join(ROOT, 'node_modules', '@types')],
        skipLibCheck: true,
        // The client's sources, as the other tests use it (never a stale dist/).
        paths: { '@regiograph/client': [path.join(ROOT, 'client', 'src', 'index.ts')] },
      });
      const diagnostics = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
        const where =
          diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start) : undefined;
        const line =
          where && diagnostic.file?.fileName === file ? `${block.file}:${block.line + where.line}` : (diagnostic.file?.fileName ?? name);
        return `${line}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
      });
      expect({ at: name, diagnostics }).toEqual({ at: name, diagnostics: [] });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
