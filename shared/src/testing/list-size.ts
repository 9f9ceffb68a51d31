// What a subgraph's schema declares as a list's size for the gateway's demand control, read from the
// field's directives as printSubgraphSchema prints them (shared's listSize and sizedBy), so that a test
// can hold the shipped data to the bound the schema promises.
import { isInterfaceType, isObjectType, Kind, type GraphQLSchema } from 'graphql';

/** `@listSize(assumedSize:)` of the field `Type.field` in `schema`; throws when the field or the argument is missing. */
export function declaredAssumedSize(schema: GraphQLSchema, coordinate: string): number {
  return declaredInteger(schema, coordinate, 'listSize', 'assumedSize');
}

/** `@widenedBy(narrowSize:)` of the field `Type.field`: its size while no argument widens it. */
export function declaredNarrowSize(schema: GraphQLSchema, coordinate: string): number {
  return declaredInteger(schema, coordinate, 'widenedBy', 'narrowSize');
}

function declaredInteger(schema: GraphQLSchema, coordinate: string, directiveName: string, argumentName: string): number {
  const [typeName, fieldName] = coordinate.split('.');
  const type = schema.getType(typeName ?? '');
  const field = type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[fieldName ?? ''] : undefined;
  if (!field) throw new Error(`no field ${coordinate}`);
  const argument = field.astNode?.directives
    ?.find((directive) => directive.name.value === directiveName)
    ?.arguments?.find((candidate) => candidate.name.value === argumentName);
  if (argument?.value.kind !== Kind.INT) throw new Error(`${coordinate} declares no @${directiveName}(${argumentName}:)`);
  return Number(argument.value.value);
}
