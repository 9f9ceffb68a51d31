import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { checkOperationLimits, measureOperation } from './limits';

const schema = buildSchema(`
  type Query { region(code: ID!): Region regions(first: Int): Connection! byCodes(codes: [ID!]!): [Region!]! }
  type Connection { nodes: [Region!]! total: Int! }
  type Region { code: ID! name: String! parent: Region children: [Region!]! }
`);

function measure(query: string) {
  const document = parse(query);
  const operation = document.definitions.find((definition) => definition.kind === 'OperationDefinition') as OperationDefinitionNode;
  return measureOperation(schema, document, operation);
}

describe('measureOperation', () => {
  it('counts depth through fragments and inline fragments, not introspection', () => {
    expect(measure('{ region(code: "03") { parent { parent { name } } } }').depth).toBe(4);
    expect(measure('{ region(code: "03") { ...F } } fragment F on Region { ... on Region { parent { code } } }').depth).toBe(3);
    expect(measure('{ __schema { types { fields { type { ofType { name } } } } } }').depth).toBe(0);
  });

  it('counts aliases and directives', () => {
    const measured = measure('{ a: region(code: "03") { n: name @include(if: true) } b: region(code: "031") { name @skip(if: false) } }');
    expect(measured.aliases).toBe(3);
    expect(measured.directives).toBe(2);
  });

  // The cost estimate is demand control's (demand-control.test.ts).

  it('stops early on exponential fragment fan-out instead of walking it', () => {
    const fragments = Array.from({ length: 40 }, (_, i) => `fragment F${i} on Region { children { ...F${i + 1} ...F${i + 1} } }`).join(' ');
    const query = `{ region(code: "03") { ...F0 } } ${fragments} fragment F40 on Region { name }`;
    const document = parse(query);
    const operation = document.definitions[0] as OperationDefinitionNode;
    const limits = { maxDepth: 100, maxAliases: 100, maxDirectives: 100 };
    expect(checkOperationLimits(schema, document, operation, limits)?.extensions.code).toBe('QUERY_TOO_COSTLY');
    expect(measureOperation(schema, document, operation).fields).toBeLessThan(200_000);
  });
});

describe('checkOperationLimits', () => {
  const limits = { maxDepth: 3, maxAliases: 2, maxDirectives: 1 };
  function check(query: string) {
    const document = parse(query);
    const operation = document.definitions.find((definition) => definition.kind === 'OperationDefinition') as OperationDefinitionNode;
    return checkOperationLimits(schema, document, operation, limits);
  }

  it('lets an operation at every limit through', () => {
    expect(check('{ a: region(code: "03") { parent { name @include(if: true) } } b: region(code: "031") { code } }')).toBeNull();
  });

  it('refuses one level, alias or directive past its limit, saying which and by how much, with status 400', () => {
    expect(check('{ region(code: "03") { parent { parent { name } } } }')).toMatchObject({
      message: 'The query is nested 4 levels deep; at most 3 are allowed.',
      extensions: { code: 'QUERY_TOO_DEEP', depth: 4, limit: 3, http: { status: 400 } },
    });
    expect(check('{ a: region(code: "03") { code } b: region(code: "031") { code } c: region(code: "032") { code } }')).toMatchObject({
      message: 'The query uses 3 aliases; at most 2 are allowed.',
      extensions: { code: 'TOO_MANY_ALIASES', aliases: 3, limit: 2, http: { status: 400 } },
    });
    expect(check('{ region(code: "03") { code @skip(if: false) name @include(if: true) } }')).toMatchObject({
      message: 'The query uses 2 directives; at most 1 are allowed.',
      extensions: { code: 'TOO_MANY_DIRECTIVES', directives: 2, limit: 1, http: { status: 400 } },
    });
  });

  it('counts the directives of fragments too, and the depth of fields below a named fragment', () => {
    expect(check('{ region(code: "03") { ...F } } fragment F on Region { code @skip(if: false) name @include(if: true) }')).toMatchObject({
      extensions: { code: 'TOO_MANY_DIRECTIVES', directives: 2 },
    });
    expect(check('{ region(code: "03") { ...F } } fragment F on Region { parent { parent { code } } }')).toMatchObject({
      extensions: { code: 'QUERY_TOO_DEEP', depth: 4 },
    });
  });
});
