// `_entities` is meant for the gateway, which always sends each representation with its key as the
// owning subgraph serialised it. A subgraph's port answers anyone who reaches it, though, and a
// representation without its key (or with a number where the key is an ID) went straight into the
// entity's resolveReference: a DataLoader refuses `load(undefined)`, Prisma a number for a string,
// and the caller got INTERNAL_SERVER_ERROR for its own mistake. The keys are read from the schema's
// `@key` directives and checked here once, for every entity of every subgraph, before any
// resolveReference runs; so no resolveReference has to repeat the check, and an entity without one
// (an extended type answering from the representation itself) never sees a keyless representation.
import { ErrorCode, userError } from '@regiograph/shared';
import {
  getNamedType,
  GraphQLEnumType,
  GraphQLError,
  GraphQLScalarType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  Kind,
  parse,
  type FieldNode,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/** One field of a key: `code`, or `from { code }` with the fields below it. */
interface KeyField {
  name: string;
  type: GraphQLOutputType;
  below: KeyField[];
}

/** A key as `@key(fields:)` spells it, and its fields. */
interface EntityKey {
  fields: string;
  selection: KeyField[];
}

function keyFields(type: GraphQLObjectType, selectionSet: SelectionSetNode): KeyField[] {
  return selectionSet.selections.map((selection) => {
    // Federation allows only plain fields in a key; anything else would fail composition first.
    if (selection.kind !== Kind.FIELD) throw new Error(`The @key of ${type.name} holds a fragment.`);
    return keyField(type, selection);
  });
}

function keyField(type: GraphQLObjectType, node: FieldNode): KeyField {
  const field: GraphQLField<unknown, unknown> | undefined = type.getFields()[node.name.value];
  if (!field) throw new Error(`The @key of ${type.name} names ${node.name.value}, which is not one of its fields.`);
  const named = getNamedType(field.type);
  const below = node.selectionSet && isObjectType(named) ? keyFields(named, node.selectionSet) : [];
  return { name: node.name.value, type: field.type, below };
}

/** The resolvable keys of an entity type, from its `@key` directives (SDL or extension nodes). */
function entityKeys(type: GraphQLObjectType): EntityKey[] {
  const keys: EntityKey[] = [];
  for (const node of [type.astNode, ...type.extensionASTNodes]) {
    for (const directive of node?.directives ?? []) {
      if (directive.name.value !== 'key') continue;
      const argument = (name: string) => directive.arguments?.find((entry) => entry.name.value === name)?.value;
      const resolvable = argument('resolvable');
      if (resolvable?.kind === Kind.BOOLEAN && !resolvable.value) continue;
      const fields = argument('fields');
      if (fields?.kind !== Kind.STRING) continue;
      const document = parse(`{ ${fields.value} }`, { noLocation: true });
      const operation = document.definitions[0];
      if (operation?.kind !== Kind.OPERATION_DEFINITION) continue;
      keys.push({ fields: fields.value, selection: keyFields(type, operation.selectionSet) });
    }
  }
  return keys;
}

/** What a key field must be, in the words of an error message. */
function expectation(type: GraphQLOutputType): string {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return `a list, each item ${expectation(inner.ofType)}`;
  if (inner instanceof GraphQLEnumType)
    return `one of ${inner
      .getValues()
      .map((value) => value.name)
      .join(', ')}`;
  if (inner instanceof GraphQLScalarType) {
    if (inner.name === 'ID') return 'an ID (a string)';
    if (inner.name === 'String') return 'a string';
    if (inner.name === 'Int') return 'an integer';
    if (inner.name === 'Float') return 'a number';
    if (inner.name === 'Boolean') return 'a boolean';
    return `a ${inner.name}`;
  }
  return 'an object';
}

function described(value: unknown): string {
  if (value === undefined) return 'none';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `the ${typeof value} ${String(value)}`;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Why `value` is not what the key field's type serialises to, or null when it is. Strict on purpose:
 * an ID the gateway sends is always a string, and a number in its place would name another record
 * (`3241` is not the county `03241`).
 */
function valueProblem(value: unknown, type: GraphQLOutputType, below: KeyField[], path: string): string | null {
  if (value === undefined || value === null) return `${path} is missing`;
  const inner = isNonNullType(type) ? type.ofType : type;
  const wrong = () => `${path} must be ${expectation(inner)}, got ${described(value)}`;
  if (isListType(inner)) {
    if (!Array.isArray(value)) return wrong();
    for (const [index, item] of (value as unknown[]).entries()) {
      const problem = valueProblem(item, inner.ofType, below, `${path}[${index}]`);
      if (problem) return problem;
    }
    return null;
  }
  if (inner instanceof GraphQLEnumType) return typeof value === 'string' && inner.getValue(value) ? null : wrong();
  if (inner instanceof GraphQLScalarType) {
    switch (inner.name) {
      case 'ID':
      case 'String':
        return typeof value === 'string' ? null : wrong();
      case 'Int':
        return Number.isSafeInteger(value) ? null : wrong();
      case 'Float':
        return typeof value === 'number' && Number.isFinite(value) ? null : wrong();
      case 'Boolean':
        return typeof value === 'boolean' ? null : wrong();
      default:
        // A custom scalar's own parser knows its form; what it takes as input is what it serialises to.
        try {
          inner.parseValue(value);
          return null;
        } catch {
          return wrong();
        }
    }
  }
  if (!isRecord(value)) return wrong();
  return selectionProblem(value, below, `${path}.`);
}

function selectionProblem(representation: Record<string, unknown>, selection: KeyField[], prefix = ''): string | null {
  for (const field of selection) {
    const problem = valueProblem(representation[field.name], field.type, field.below, `${prefix}${field.name}`);
    if (problem) return problem;
  }
  return null;
}

/** The refusal of one representation, or null when it names an entity of this subgraph by a complete key. */
function refusal(representation: unknown, index: number, entities: ReadonlyMap<string, EntityKey[]>): GraphQLError | null {
  const refuse = (message: string, details: Record<string, unknown> = {}) =>
    userError(message, ErrorCode.BadUserInput, { argument: 'representations', index, ...details });
  const typenames = [...entities.keys()].join(', ');
  if (!isRecord(representation))
    return refuse(
      `Each representation must be an object with __typename and the entity's key; representation ${index} is ${described(representation)}.`,
    );
  const typename = representation.__typename;
  if (typeof typename !== 'string' || !entities.has(typename))
    return refuse(
      `The __typename of representation ${index} must name an entity of this subgraph (${typenames}), got ${described(typename).replace(/^the string /, '')}.`,
    );
  const keys = entities.get(typename)!;
  if (keys.length === 0) return null;
  const problems: string[] = [];
  for (const key of keys) {
    const problem = selectionProblem(representation, key.selection);
    if (!problem) return null;
    problems.push(problem);
  }
  const wanted = keys.map((key) => `"${key.fields}"`).join(' or ');
  return refuse(
    `${/^[AEIOU]/.test(typename) ? 'An' : 'A'} ${typename} representation must carry its key ${wanted}: ${problems.join('; ')} (representation ${index}).`,
    { typename, key: keys.length === 1 ? keys[0]!.fields : keys.map((key) => key.fields) },
  );
}

/** Schemas whose `_entities` already checks its representations (a schema module may serve several servers). */
const checked = new WeakSet<GraphQLSchema>();

/**
 * Makes the subgraph's `_entities` refuse a representation that does not name one of its entities
 * by a complete key of the right type, with BAD_USER_INPUT at that representation's position; the
 * other representations of the same request are resolved as before.
 */
export function checkEntityRepresentations(schema: GraphQLSchema): void {
  if (checked.has(schema)) return;
  checked.add(schema);
  const field = schema.getQueryType()?.getFields()._entities;
  const union = field && getNamedType(field.type);
  if (!field?.resolve || !isUnionType(union)) return;
  const entities = new Map(union.getTypes().map((type) => [type.name, entityKeys(type)]));
  const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve;
  field.resolve = (source, args: Record<string, unknown>, context, info) => {
    const representations = args.representations as unknown[];
    const refusals = representations.map((representation, index) => refusal(representation, index, entities));
    if (refusals.every((refused) => refused === null)) return resolve(source, args, context, info);
    const accepted = representations.filter((_, index) => refusals[index] === null);
    // graphql-js turns an Error in a list into an error at that item's path and null in its place.
    const merged = (resolved: unknown): unknown[] => {
      const values = resolved as unknown[];
      let next = 0;
      return refusals.map((refused) => refused ?? values[next++]);
    };
    if (accepted.length === 0) return merged([]);
    const resolved: unknown = resolve(source, { ...args, representations: accepted }, context, info);
    return resolved instanceof Promise ? resolved.then(merged) : merged(resolved);
  };
}
