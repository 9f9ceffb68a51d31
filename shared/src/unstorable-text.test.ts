import { ApolloServer } from '@apollo/server';
import { parse } from 'graphql';
import { unstorableTextInDocument, unstorableTextInVariables, unstorableTextPlugin } from './unstorable-text';

const nul = (where: string) => ({ where, codePoint: 'U+0000' });

describe('unstorableTextInVariables', () => {
  it('names the first string holding U+0000 by its path, through lists and input objects', () => {
    expect(unstorableTextInVariables({ input: { title: 'ok', regions: [{ regionCode: '03' }, { regionCode: '03\u0000' }] } })).toEqual(
      nul('$input.regions[1].regionCode'),
    );
    expect(unstorableTextInVariables({ a: 'fine', code: '\u0000' })).toEqual(nul('$code'));
  });

  it('names an unpaired surrogate, high or low, and lets paired ones (characters beyond the BMP) through', () => {
    expect(unstorableTextInVariables({ input: { title: 'Celle \ud83d' } })).toEqual({ where: '$input.title', codePoint: 'U+D83D' });
    expect(unstorableTextInVariables({ list: ['ok', '\ude00 first'] })).toEqual({ where: '$list[1]', codePoint: 'U+DE00' });
    expect(unstorableTextInVariables({ title: 'Celle 😀' })).toBeNull();
  });

  it('walks JSON nested deeper than the call stack goes', () => {
    let deep: unknown = 'a\u0000';
    for (let level = 0; level < 200_000; level++) deep = [deep];
    expect(unstorableTextInVariables({ deep })).toEqual(nul(`$deep${'[0]'.repeat(200_000)}`));
  });

  it('names the first bad string in the order the variables hold them', () => {
    expect(unstorableTextInVariables({ input: { first: 'a\u0000', second: 'b\u0000' } })).toEqual(nul('$input.first'));
  });

  it('finds nothing in other values, or without variables', () => {
    expect(unstorableTextInVariables({ n: 1, b: true, none: null, list: ['a', 'b'], text: 'Lüneburg \\u0000 spelled out' })).toBeNull();
    expect(unstorableTextInVariables(undefined)).toBeNull();
  });
});

describe('unstorableTextInDocument', () => {
  it('names the line and column of a string literal that holds U+0000 (written as an escape)', () => {
    expect(unstorableTextInDocument(parse('{\n  region(code: "03") { name }\n  project(id: "P\\u0000") { title }\n}'))).toEqual(
      nul('the string at line 3, column 15'),
    );
  });

  it('finds nothing in a document without it, block strings and input objects included', () => {
    expect(unstorableTextInDocument(parse('{ a(input: { title: """x""", list: ["y"] }) }'))).toBeNull();
  });
});

describe('unstorableTextPlugin', () => {
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
    plugins: [unstorableTextPlugin()],
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

  it('refuses an unpaired surrogate in a variable as bad input (400), before any resolver runs', async () => {
    const response = await server.executeOperation({ query: 'query ($t: String!) { echo(text: $t) }', variables: { t: 'Celle \ud800' } });
    expect(response.http.status).toBe(400);
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    expect(response.body.singleResult.errors?.[0]).toMatchObject({
      message: 'Text must be well-formed Unicode, but $t holds an unpaired surrogate (U+D800): stored, it would become U+FFFD.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
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

  it('refuses a document with U+0000 each time it is sent, not only the first', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await server.executeOperation({ query: '{ echo(text: "again\\u0000") }' });
      expect(response.http.status).toBe(400);
    }
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
