import { parse, type OperationDefinitionNode } from 'graphql';
import { checkOperationLimits, MAX_EXPANDED_FIELDS, measureOperation } from './limits';

// The limits read the document alone, so these queries are measured without a schema.

function measure(query: string) {
  const document = parse(query);
  const operation = document.definitions.find((definition) => definition.kind === 'OperationDefinition') as OperationDefinitionNode;
  return measureOperation(document, operation);
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
    expect(checkOperationLimits(document, operation, limits)?.extensions.code).toBe('QUERY_TOO_COSTLY');
    expect(measureOperation(document, operation).fields).toBeLessThan(200_000);
  });
});

describe('checkOperationLimits', () => {
  const limits = { maxDepth: 3, maxAliases: 2, maxDirectives: 1 };
  function check(query: string) {
    const document = parse(query);
    const operation = document.definitions.find((definition) => definition.kind === 'OperationDefinition') as OperationDefinitionNode;
    return checkOperationLimits(document, operation, limits);
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

describe('fragments the walk cannot follow', () => {
  // measureOperation is exported and says it cannot loop on a cycle; in the gateway validation
  // refuses cycles and unknown fragments first (didResolveOperation), but a caller measuring a
  // document it has not validated must get a figure, not a stack overflow.
  it('measures a fragment cycle once around and skips an unknown fragment', () => {
    expect(
      measure('{ region(code: "03") { ...A } } fragment A on Region { parent { ...B } } fragment B on Region { children { ...A } }'),
    ).toEqual({ depth: 3, aliases: 0, directives: 0, fields: 3 });
    expect(measure('{ region(code: "03") { code ...Missing } }')).toEqual({ depth: 2, aliases: 0, directives: 0, fields: 2 });
  });
});

describe('the expanded-field bound', () => {
  // Fragments D1…D4 expand to 10, 100, 1,000 and 10,000 `code` fields; nine spreads of each and nine
  // `code`s make 99,999, and `region` itself one more.
  const tiers = [1, 2, 3, 4]
    .map((tier) => `fragment D${tier} on Region { ${(tier === 1 ? 'code ' : `...D${tier - 1} `).repeat(10)}}`)
    .join(' ');
  const nines = `${[4, 3, 2, 1].map((tier) => `...D${tier} `.repeat(9)).join('')}${'code '.repeat(9)}`;
  function check(extra: string) {
    const document = parse(`{ region(code: "03") { ${nines}${extra}} } ${tiers}`);
    const operation = document.definitions[0] as OperationDefinitionNode;
    return { measured: measureOperation(document, operation), error: checkOperationLimits(document, operation, generous) };
  }
  const generous = { maxDepth: 100, maxAliases: 100, maxDirectives: 100 };

  it('admits an operation that expands to exactly MAX_EXPANDED_FIELDS fields', () => {
    const { measured, error } = check('');
    expect(measured.fields).toBe(MAX_EXPANDED_FIELDS);
    expect(error).toBeNull();
  });

  it('refuses one field more as too costly, saying the bound, with status 400', () => {
    const { error } = check('name ');
    expect(error).toMatchObject({
      message: `The query expands to more than ${MAX_EXPANDED_FIELDS} fields (fragments spread within fragments multiply); ask for fewer fields.`,
      extensions: { code: 'QUERY_TOO_COSTLY', limit: MAX_EXPANDED_FIELDS, http: { status: 400 } },
    });
  });
});
