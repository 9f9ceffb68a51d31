import { ApolloServer } from '@apollo/server';
import { parse } from 'graphql';
import { nulCharacterInDocument, nulCharacterInVariables, nulCharacterPlugin } from './nul-character';

describe('nulCharacterInVariables', () => {
  it('names the first string holding U+0000 by its path, through lists and input objects', () => {
    expect(nulCharacterInVariables({ input: { title: 'ok', regions: [{ regionCode: '03' }, { regionCode: '03\u0000' }] } })).toBe(
      '$input.regions[1].regionCode',
    );
    expect(nulCharacterInVariables({ a: 'fine', code: '\u0000' })).toBe('$code');
  });

  it('walks JSON nested deeper than the call stack goes', () => {
    let deep: unknown = 'a\u0000';
    for (let level = 0; level < 200_000; level++) deep = [deep];
    expect(nulCharacterInVariables({ deep })).toBe(`$deep${'[0]'.repeat(200_000)}`);
  });

  it('finds nothing in other values, or without variables', () => {
    expect(nulCharacterInVariables({ n: 1, b: true, none: null, list: ['a', 'b'], text: 'Lüneburg \\u0000 spelled out' })).toBeNull();
    expect(nulCharacterInVariables(undefined)).toBeNull();
  });
});

describe('nulCharacterInDocument', () => {
  it('names the line and column of a string literal that holds U+0000 (written as an escape)', () => {
    expect(nulCharacterInDocument(parse('{\n  region(code: "03") { name }\n  project(id: "P\\u0000") { title }\n}'))).toBe(
      'the string at line 3, column 15',
    );
  });

  it('finds nothing in a document without it, block strings and input objects included', () => {
    expect(nulCharacterInDocument(parse('{ a(input: { title: """x""", list: ["y"] }) }'))).toBeNull();
  });
});

describe('nulCharacterPlugin', () => {
  const calls: string[] = [];
  const server = new ApolloServer({
    typeDefs: 'type Query { echo(text: String!): String! }',
    resolvers: {
      Query: {
        echo: (_parent: unknown, { text }: { text: string }) => {
          calls.push(text);
          return text;
        },
      },
    },
    plugins: [nulCharacterPlugin()],
  });

  beforeAll(async () => {
    await server.start();
  });

  afterAll(async () => {
    await server.stop();
  });

  it('refuses a variable or a literal with U+0000 as bad input (400), before any resolver runs', async () => {
    for (const request of [
      { query: 'query ($t: String!) { echo(text: $t) }', variables: { t: 'a\u0000b' } },
      { query: '{ echo(text: "a\\u0000b") }' },
    ]) {
      const response = await server.executeOperation(request);
      expect(response.http.status).toBe(400);
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      expect(response.body.singleResult.errors?.[0]).toMatchObject({
        message: expect.stringMatching(
          /^Text must not contain the NUL character \(U\+0000\), found in (\$t|the string at line 1, column 14)/,
        ),
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    expect(calls).toEqual([]);
  });

  it('names a path of hostile depth only by its start', async () => {
    let deep: unknown = 'a\u0000';
    for (let level = 0; level < 100_000; level++) deep = [deep];
    const response = await server.executeOperation({ query: 'query ($t: String!) { echo(text: $t) }', variables: { t: deep } });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    const message = response.body.singleResult.errors?.[0]?.message ?? '';
    expect(message).toMatch(/^Text must not contain the NUL character \(U\+0000\), found in \$t(\[0\])+…: PostgreSQL/);
    expect(message.length).toBeLessThan(400);
    expect(calls).toEqual([]);
  });

  it('lets other text through, again and again for the same document', async () => {
    for (const text of ['Lüneburg', 'Celle']) {
      const response = await server.executeOperation({ query: 'query ($t: String!) { echo(text: $t) }', variables: { t: text } });
      expect(response.body.kind === 'single' && response.body.singleResult).toMatchObject({ data: { echo: text } });
    }
    expect(calls).toEqual(['Lüneburg', 'Celle']);
  });
});
