import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, isSpecifiedScalarType, type GraphQLSchema } from 'graphql';

/** Types that come from GraphQL itself or from federation, not from our schema. */
function isForeign(name: string): boolean {
  return (
    name.startsWith('__') ||
    name.startsWith('_') ||
    name.startsWith('link__') ||
    name.startsWith('federation__') ||
    name.startsWith('join__')
  );
}

/**
 * Every type, field, argument and enum value our schema declares without a description. The
 * schema is the API's documentation: tests assert this list is empty.
 */
export function findUndocumented(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (isForeign(type.name) || isSpecifiedScalarType(type)) continue;
    const isRootType = type === schema.getQueryType() || type === schema.getMutationType();
    if (!type.description && !isRootType) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (isForeign(field.name)) continue;
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        if ('args' in field) {
          for (const arg of field.args) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
    }
  }
  return missing;
}

/**
 * The Region entity's words, as its owner (the regions subgraph) and every subgraph that knows it by
 * key describe it: federation composes the descriptions, so they must not differ.
 */
export const REGION_ENTITY_DOCS = {
  description:
    'A region of Lower Saxony — the state, an ArL district, a county, a Samtgemeinde or a municipality — keyed by its official ARS code.',
  code: 'The Amtlicher Regionalschlüssel (ARS): 2, 3, 5, 9 or 12 digits.',
} as const;
