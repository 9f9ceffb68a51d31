import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { canonicalOperation, operationsOf, registerOperations, sha256 } from './operations';
import { SUPERGRAPH_PATH } from './server';
import { Safelist } from './persisted';
import { MemoryStore } from './store';

describe('operationsOf', () => {
  it('gives each named operation its own document with exactly the fragments it uses', () => {
    const operations = operationsOf(`
      query County($code: ID!) { region(code: $code) { ...Names } }
      query State { region(code: "03") { ...Deep } }
      fragment Names on Region { name }
      fragment Deep on Region { ...Names code }
      fragment Unused on Region { nuts }
    `);
    expect(operations.map((operation) => operation.name)).toEqual(['County', 'State']);
    expect(operations[0]!.document).toContain('fragment Names');
    expect(operations[0]!.document).not.toContain('fragment Deep');
    expect(operations[1]!.document).toMatch(/fragment Deep[\s\S]*fragment Names/);
    expect(operations.every((operation) => !operation.document.includes('Unused'))).toBe(true);
  });

  it('refuses anonymous operations and undefined fragments with the file named', () => {
    expect(() => operationsOf('{ region(code: "03") { name } }', 'app.graphql')).toThrow(
      'app.graphql: every registered operation needs a name',
    );
    expect(() => operationsOf('query A { region(code: "03") { ...Missing } }', 'app.graphql')).toThrow('fragment Missing is not defined');
  });
});

describe('canonicalOperation', () => {
  it("gives a query the same signature in any order of its fields, but keeps a mutation's root fields in their order", () => {
    expect(canonicalOperation('query Q { b { y x } a }', 'Q')).toBe(canonicalOperation('query Q {\n  a\n  b { x y }\n}', 'Q'));
    // A mutation's root fields run one after the other: another order is another operation.
    expect(canonicalOperation('mutation M { deleteA createB }', 'M')).not.toBe(canonicalOperation('mutation M { createB deleteA }', 'M'));
    expect(canonicalOperation('mutation M { ...Root } fragment Root on Mutation { deleteA createB }', 'M')).not.toBe(
      canonicalOperation('mutation M { ...Root } fragment Root on Mutation { createB deleteA }', 'M'),
    );
    expect(canonicalOperation('mutation M { ... on Mutation { deleteA createB } }', 'M')).not.toBe(
      canonicalOperation('mutation M { ... on Mutation { createB deleteA } }', 'M'),
    );
    // Below a root field, selections are data to return, sorted as a query's.
    expect(canonicalOperation('mutation M { a { y x } }', 'M')).toBe(canonicalOperation('mutation M { a { x y } }', 'M'));
  });
});

describe('registerOperations', () => {
  it('registers the operations of a folder so the safelist knows their hashes', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'regiograph-ops-'));
    await writeFile(path.join(dir, 'a.graphql'), 'query A { region(code: "03") { name } }');
    await writeFile(path.join(dir, 'b.gql'), 'query B { region(code: "031") { name } }');
    await writeFile(path.join(dir, 'notes.txt'), 'not GraphQL');
    const store = new MemoryStore();
    const safelist = new Safelist(store);
    const registered = await registerOperations(safelist, [dir]);
    await rm(dir, { recursive: true, force: true });
    expect(registered.map((operation) => operation.name)).toEqual(['A', 'B']);
    for (const operation of registered) {
      expect(operation.sha256).toBe(sha256(operation.document));
      expect(await safelist.has(operation.sha256)).toBe(true);
      expect(await store.get(`apq:${operation.sha256}`)).toBe(operation.document);
    }
    expect(await safelist.has(sha256('query C { __typename }'))).toBe(false);
  });

  it('registers a persisted-documents manifest of GraphQL Code Generator as it is, so the hashes a browser sends are known', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'regiograph-ops-'));
    const document = 'query Steckbrief($code: ID!) {\n  region(code: $code) {\n    name\n  }\n}';
    const manifest = path.join(dir, 'persisted-documents.json');
    await writeFile(manifest, JSON.stringify({ [`sha256:${sha256(document)}`]: document }));
    const safelist = new Safelist(new MemoryStore());
    const registered = await registerOperations(safelist, [manifest]);
    await rm(dir, { recursive: true, force: true });
    expect(registered).toEqual([{ name: 'Steckbrief', sha256: sha256(document), document }]);
    expect(await safelist.has(sha256(document))).toBe(true);
  });

  it('checks every operation against the API before registering any, naming the file and the mistake', async () => {
    // A typo found at registration, not by the page at run time (GRAPHQL_VALIDATION_FAILED).
    const schema = Supergraph.build(readFileSync(SUPERGRAPH_PATH, 'utf8')).apiSchema().toGraphQLJSSchema();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'regiograph-ops-'));
    await writeFile(path.join(dir, 'a.graphql'), 'query Fine { region(code: "03") { name county { name } } }');
    await writeFile(path.join(dir, 'b.graphql'), 'query Typo { region(code: "03") { nmae } }');
    const safelist = new Safelist(new MemoryStore());
    await expect(registerOperations(safelist, [dir], { schema })).rejects.toThrow(
      `${path.join(dir, 'b.graphql')}: operation Typo does not fit the API: Cannot query field "nmae" on type "Region".`,
    );
    await rm(dir, { recursive: true, force: true });
    expect(await safelist.has(sha256(operationsOf('query Fine { region(code: "03") { name county { name } } }')[0]!.document))).toBe(false);
  });
});
