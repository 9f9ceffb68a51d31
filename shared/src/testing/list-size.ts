// What a subgraph's schema declares as a list's size for the gateway's demand control, read from the
// field's directives as printSubgraphSchema prints them (shared's listSize and sizedBy), so that a test
// can hold the shipped data to the bound the schema promises.
import { isInterfaceType, isObjectType, Kind, valueFromASTUntyped, type GraphQLField, type GraphQLSchema } from 'graphql';
import { DATA_YEARS, sizeFromArguments, type DataYears, type SizedByArguments } from '../cost';

/** `@listSize(assumedSize:)` of the field `Type.field` in `schema`; throws when the field or the argument is missing. */
export function declaredAssumedSize(schema: GraphQLSchema, coordinate: string): number {
  return declaredInteger(schema, coordinate, 'listSize', 'assumedSize');
}

/** `@widenedBy(narrowSize:)` of the field `Type.field`: its size while no argument widens it. */
export function declaredNarrowSize(schema: GraphQLSchema, coordinate: string): number {
  return declaredInteger(schema, coordinate, 'widenedBy', 'narrowSize');
}

/**
 * The sizes the field `Type.field`'s @sizedBy declarations give the lists they name (paths such as
 * "rows.values") for these argument values, as the gateway's estimate reads them (shared's
 * sizeFromArguments) over the data's years and bounds `years`, as the gateway last read them; null
 * where an occurrence's arguments are absent and it assumes no size.
 */
export function declaredSizes(
  schema: GraphQLSchema,
  coordinate: string,
  args: Record<string, unknown>,
  years: DataYears = DATA_YEARS,
): Map<string, number | null> {
  const sizes = new Map<string, number | null>();
  for (const directive of fieldOf(schema, coordinate).astNode?.directives ?? []) {
    if (directive.name.value !== 'sizedBy') continue;
    const declaration = Object.fromEntries(
      (directive.arguments ?? []).map((argument) => [argument.name.value, valueFromASTUntyped(argument.value)]),
    ) as unknown as SizedByArguments;
    for (const path of declaration.sizedFields ?? []) sizes.set(path, sizeFromArguments(declaration, args, years));
  }
  if (sizes.size === 0) throw new Error(`${coordinate} declares no @sizedBy(sizedFields:)`);
  return sizes;
}

function fieldOf(schema: GraphQLSchema, coordinate: string): GraphQLField<unknown, unknown> {
  const [typeName, fieldName] = coordinate.split('.');
  const type = schema.getType(typeName ?? '');
  const field = type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[fieldName ?? ''] : undefined;
  if (!field) throw new Error(`no field ${coordinate}`);
  return field;
}

function declaredInteger(schema: GraphQLSchema, coordinate: string, directiveName: string, argumentName: string): number {
  const argument = fieldOf(schema, coordinate)
    .astNode?.directives?.find((directive) => directive.name.value === directiveName)
    ?.arguments?.find((candidate) => candidate.name.value === argumentName);
  if (argument?.value.kind !== Kind.INT) throw new Error(`${coordinate} declares no @${directiveName}(${argumentName}:)`);
  return Number(argument.value.value);
}
