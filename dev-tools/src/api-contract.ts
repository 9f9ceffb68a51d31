import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import {
  BreakingChangeType,
  buildSchema,
  DangerousChangeType,
  findBreakingChanges,
  findDangerousChanges,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  lexicographicSortSchema,
  printSchema,
  specifiedScalarTypes,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { SUPERGRAPH_PATH } from '@regiograph/gateway';

/** The API schema the gateway serves, printed from the checked-in supergraph by `npm run generate`. */
export const API_SCHEMA_PATH = path.join(path.dirname(SUPERGRAPH_PATH), 'api-schema.graphql');

/** The API schema as last released (`npm run schema:release`): the contract clients build on. */
export const RELEASED_API_SCHEMA_PATH = path.join(path.dirname(SUPERGRAPH_PATH), 'api-schema.released.graphql');

/**
 * The public API schema of a supergraph, as the gateway serves it (no join/link internals), printed
 * with its types and fields in alphabetical order: the printed file then changes only where the API does.
 */
export function printApiSchema(supergraphSdl: string): string {
  const apiSchema = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  return printSchema(lexicographicSortSchema(apiSchema)) + '\n';
}

/** The current API schema, printed from the checked-in supergraph. */
export function currentApiSchemaSdl(): string {
  return printApiSchema(readFileSync(SUPERGRAPH_PATH, 'utf8'));
}

/** One change between two API schemas, by the schema coordinate it concerns. */
export interface SchemaChange {
  /** `Type`, `Type.field`, `Type.field(argument:)`, `Enum.VALUE` or `@directive`. */
  coordinate: string;
  /** graphql-js's BreakingChangeType or DangerousChangeType. */
  kind: string;
  description: string;
}

export interface ContractComparison {
  /** Breaking changes to elements that were not deprecated in the released contract: refused. */
  breaking: SchemaChange[];
  /** Breaking changes to elements deprecated in the released contract: deprecate first, remove later. */
  retired: SchemaChange[];
  /** Changes that break only clients that assumed too much (an enum value added, a default changed): listed. */
  dangerous: SchemaChange[];
  /** Coordinates new in the current schema (a new type stands for its fields, a new field for its arguments). */
  added: string[];
  /** Coordinates deprecated since the release, with the reason. */
  deprecated: { coordinate: string; reason: string }[];
  /** Coordinates no longer deprecated. */
  undeprecated: string[];
  /** Coordinates gone from the current schema (a removed type stands for its fields). */
  removed: string[];
}

type Change = { type: string; description: string };

// graphql 16 names a change's element only in its description; these read the coordinate back
// (one pattern per kind, since "X was removed from Y." reads the same for a directive's argument
// and for its location). A description no pattern reads keeps the coordinate "?": never exempt.
const COORDINATE_OF: Record<string, [RegExp, (match: RegExpMatchArray) => string]> = {
  [BreakingChangeType.TYPE_REMOVED]: [/^(?:Standard scalar )?(\w+) was removed/, (m) => m[1]!],
  [BreakingChangeType.TYPE_CHANGED_KIND]: [/^(\w+) changed from/, (m) => m[1]!],
  [BreakingChangeType.TYPE_REMOVED_FROM_UNION]: [/^\w+ was removed from union type (\w+)\.$/, (m) => m[1]!],
  [DangerousChangeType.TYPE_ADDED_TO_UNION]: [/^\w+ was added to union type (\w+)\.$/, (m) => m[1]!],
  [BreakingChangeType.VALUE_REMOVED_FROM_ENUM]: [/^(\w+) was removed from enum type (\w+)\.$/, (m) => `${m[2]}.${m[1]}`],
  [DangerousChangeType.VALUE_ADDED_TO_ENUM]: [/^(\w+) was added to enum type (\w+)\.$/, (m) => `${m[2]}.${m[1]}`],
  [BreakingChangeType.REQUIRED_INPUT_FIELD_ADDED]: [/field (\w+) on input type (\w+) was added\.$/, (m) => `${m[2]}.${m[1]}`],
  [DangerousChangeType.OPTIONAL_INPUT_FIELD_ADDED]: [/field (\w+) on input type (\w+) was added\.$/, (m) => `${m[2]}.${m[1]}`],
  [BreakingChangeType.IMPLEMENTED_INTERFACE_REMOVED]: [/^(\w+) no longer implements interface/, (m) => m[1]!],
  [DangerousChangeType.IMPLEMENTED_INTERFACE_ADDED]: [/added to interfaces implemented by (\w+)\.$/, (m) => m[1]!],
  [BreakingChangeType.FIELD_REMOVED]: [/^(\w+)\.(\w+) was removed\.$/, (m) => `${m[1]}.${m[2]}`],
  [BreakingChangeType.FIELD_CHANGED_KIND]: [/^(\w+)\.(\w+) changed type/, (m) => `${m[1]}.${m[2]}`],
  [BreakingChangeType.REQUIRED_ARG_ADDED]: [/arg (\w+) on (\w+)\.(\w+) was added\.$/, (m) => `${m[2]}.${m[3]}(${m[1]}:)`],
  [DangerousChangeType.OPTIONAL_ARG_ADDED]: [/arg (\w+) on (\w+)\.(\w+) was added\.$/, (m) => `${m[2]}.${m[3]}(${m[1]}:)`],
  [BreakingChangeType.ARG_REMOVED]: [/^(\w+)\.(\w+) arg (\w+) /, (m) => `${m[1]}.${m[2]}(${m[3]}:)`],
  [BreakingChangeType.ARG_CHANGED_KIND]: [/^(\w+)\.(\w+) arg (\w+) /, (m) => `${m[1]}.${m[2]}(${m[3]}:)`],
  [DangerousChangeType.ARG_DEFAULT_VALUE_CHANGE]: [/^(\w+)\.(\w+) arg (\w+) /, (m) => `${m[1]}.${m[2]}(${m[3]}:)`],
  [BreakingChangeType.DIRECTIVE_REMOVED]: [/^(\w+) was removed\.$/, (m) => `@${m[1]}`],
  [BreakingChangeType.DIRECTIVE_ARG_REMOVED]: [/^(\w+) was removed from (\w+)\.$/, (m) => `@${m[2]}(${m[1]}:)`],
  [BreakingChangeType.REQUIRED_DIRECTIVE_ARG_ADDED]: [/arg (\w+) on directive (\w+) was added\.$/, (m) => `@${m[2]}(${m[1]}:)`],
  [BreakingChangeType.DIRECTIVE_REPEATABLE_REMOVED]: [/from (\w+)\.$/, (m) => `@${m[1]}`],
  [BreakingChangeType.DIRECTIVE_LOCATION_REMOVED]: [/^\w+ was removed from (\w+)\.$/, (m) => `@${m[1]}`],
};

// Int, Float, String, Boolean and ID belong to every GraphQL schema: graphql-js reports one "removed"
// when no field uses it any more, but no client can lose it.
const STANDARD_SCALARS = new Set(specifiedScalarTypes.map((type) => type.name));

/** The changes with their coordinates, without the standard scalars' comings and goings. */
function withCoordinates(changes: readonly Change[]): SchemaChange[] {
  return changes.map(withCoordinate).filter((change) => !STANDARD_SCALARS.has(change.coordinate));
}

function withCoordinate(change: Change): SchemaChange {
  const reader = COORDINATE_OF[change.type];
  const match = reader ? change.description.match(reader[0]) : null;
  return { coordinate: reader && match ? reader[1](match) : '?', kind: change.type, description: change.description };
}

/** Every named type a client reaches from the root types without passing a deprecated element. */
function typesInUse(schema: GraphQLSchema): Set<string> {
  const reached = new Set<string>();
  const pending: GraphQLNamedType[] = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(
    (type): type is NonNullable<typeof type> => type != null,
  );
  const reach = (type: GraphQLNamedType) => {
    if (!reached.has(type.name)) pending.push(type);
  };
  for (let type = pending.pop(); type; type = pending.pop()) {
    if (reached.has(type.name)) continue;
    reached.add(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (field.deprecationReason != null) continue;
        reach(getNamedType(field.type));
        for (const arg of field.args) if (arg.deprecationReason == null) reach(getNamedType(arg.type));
      }
      if (isInterfaceType(type)) schema.getPossibleTypes(type).forEach(reach);
      else type.getInterfaces().forEach(reach);
    } else if (isUnionType(type)) {
      type.getTypes().forEach(reach);
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (field.deprecationReason == null) reach(getNamedType(field.type));
    }
  }
  return reached;
}

/** Every schema coordinate of a schema's own types and fields, with its deprecation reason (null if none). */
function coordinatesOf(schema: GraphQLSchema): Map<string, string | null> {
  const coordinates = new Map<string, string | null>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || STANDARD_SCALARS.has(type.name)) continue;
    coordinates.set(type.name, null);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        coordinates.set(`${type.name}.${field.name}`, field.deprecationReason ?? null);
        for (const arg of field.args) coordinates.set(`${type.name}.${field.name}(${arg.name}:)`, arg.deprecationReason ?? null);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) coordinates.set(`${type.name}.${field.name}`, field.deprecationReason ?? null);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) coordinates.set(`${type.name}.${value.name}`, value.deprecationReason ?? null);
    }
  }
  return coordinates;
}

/** The coordinate that contains this one (`Type.field` for an argument, `Type` for a field), or null. */
function parentOf(coordinate: string): string | null {
  const argument = coordinate.match(/^(\w+\.\w+)\(\w+:\)$/);
  if (argument) return argument[1]!;
  const member = coordinate.match(/^(\w+)\.\w+$/);
  return member ? member[1]! : null;
}

/**
 * Whether the released contract had announced the element's end: it, or the field it belongs to, was
 * `@deprecated`, or its type could be reached only through deprecated elements (a type whose last
 * field was deprecated goes with that field). Directives and unreadable changes never are.
 */
function wasDeprecated(coordinate: string, released: Map<string, string | null>, inUse: Set<string>): boolean {
  if (coordinate.startsWith('@') || coordinate === '?') return false;
  for (let element: string | null = coordinate; element; element = parentOf(element)) {
    if (released.get(element) != null) return true;
    if (parentOf(element) === null) return released.has(element) && !inUse.has(element);
  }
  return false;
}

/** Compares the current API schema with the released contract (graphql-js finds the changes; this classifies them). */
export function compareApiSchemas(released: GraphQLSchema, current: GraphQLSchema): ContractComparison {
  const releasedCoordinates = coordinatesOf(released);
  const currentCoordinates = coordinatesOf(current);
  const inUse = typesInUse(released);
  const breaking: SchemaChange[] = [];
  const retired: SchemaChange[] = [];
  for (const change of withCoordinates(findBreakingChanges(released, current))) {
    (wasDeprecated(change.coordinate, releasedCoordinates, inUse) ? retired : breaking).push(change);
  }
  // What one schema has and the other lacks, each at its top: a new type stands for its fields.
  const newIn = (from: Map<string, string | null>, to: Map<string, string | null>) =>
    [...to.keys()]
      .filter((coordinate) => {
        const parent = parentOf(coordinate);
        return !from.has(coordinate) && (parent === null || from.has(parent));
      })
      .sort();
  const deprecated: { coordinate: string; reason: string }[] = [];
  const undeprecated: string[] = [];
  for (const [coordinate, reason] of currentCoordinates) {
    if (!releasedCoordinates.has(coordinate)) continue;
    const before = releasedCoordinates.get(coordinate);
    if (reason != null && before == null) deprecated.push({ coordinate, reason });
    if (reason == null && before != null) undeprecated.push(coordinate);
  }
  return {
    breaking,
    retired,
    dangerous: withCoordinates(findDangerousChanges(released, current)),
    added: newIn(releasedCoordinates, currentCoordinates),
    deprecated: deprecated.sort((a, b) => a.coordinate.localeCompare(b.coordinate)),
    undeprecated: undeprecated.sort(),
    removed: newIn(currentCoordinates, releasedCoordinates),
  };
}

/** Compares two printed API schemas. */
export function compareApiSchemaSdl(releasedSdl: string, currentSdl: string): ContractComparison {
  return compareApiSchemas(buildSchema(releasedSdl), buildSchema(currentSdl));
}

/** One line per change: coordinate, kind, description. */
export function formatChanges(changes: readonly SchemaChange[]): string {
  return changes.map((change) => `- ${change.coordinate} [${change.kind}] ${change.description}`).join('\n');
}

export interface ReleaseRequest {
  /** The released contract's SDL; null before the first release. */
  releasedSdl: string | null;
  currentSdl: string;
  /** What the release is, in a sentence (`--note`). */
  note: string;
  /** Why undeprecated elements go anyway (`--breaking`); without it such a release is refused. */
  breakingReason?: string;
  /** The day of the release, YYYY-MM-DD. */
  date: string;
}

export type ReleaseOutcome = { kind: 'unchanged' } | { kind: 'refused'; message: string } | { kind: 'released'; entry: string };

const code = (coordinate: string) => `\`${coordinate}\``;
const described = (changes: readonly SchemaChange[]) => changes.map((change) => `${code(change.coordinate)}: ${change.description}`);

/** Decides a release and writes its changelog entry (Markdown, from the diff). */
export function planRelease(request: ReleaseRequest): ReleaseOutcome {
  const note = request.note.trim();
  if (note === '') return { kind: 'refused', message: 'Say what the release is: --note "…".' };
  if (request.releasedSdl === request.currentSdl) return { kind: 'unchanged' };
  const heading = `### ${request.date}: ${note}`;
  if (request.releasedSdl === null) return { kind: 'released', entry: `${heading}\n\nThe first released contract.\n` };
  const diff = compareApiSchemaSdl(request.releasedSdl, request.currentSdl);
  const reason = request.breakingReason?.trim();
  if (diff.breaking.length > 0 && !reason) {
    return {
      kind: 'refused',
      message:
        `The release breaks clients: these elements were not deprecated in the released contract.\n${formatChanges(diff.breaking)}\n` +
        'Deprecate them first and remove them in a later release, or pass --breaking "<reason>" to release the break anyway.',
    };
  }
  const sections: [string, string[]][] = [
    ['Added', diff.added.map(code)],
    ['Deprecated', diff.deprecated.map(({ coordinate, reason: why }) => `${code(coordinate)}: ${why}`)],
    ['No longer deprecated', diff.undeprecated.map(code)],
    ['Removed', diff.removed.map(code)],
    ['Removed or changed after deprecation', described(diff.retired)],
    ['Breaking', described(diff.breaking)],
    ['Dangerous', described(diff.dangerous)],
  ];
  const lines = [heading, ''];
  if (diff.breaking.length > 0) lines.push(`**Breaking change released on purpose:** ${reason}`, '');
  for (const [title, items] of sections) {
    if (items.length === 0) continue;
    lines.push(`${title}:`, '', ...items.map((item) => `- ${item}`), '');
  }
  if (lines.length === 2) lines.push('Descriptions only.', '');
  return { kind: 'released', entry: lines.join('\n') };
}
