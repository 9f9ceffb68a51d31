import {
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  Kind,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLOutputType,
  type GraphQLSchema,
  type GraphQLNamedType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { GraphQLError } from 'graphql';
import { GatewayErrorCode } from './errors';

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxCost: number;
}

export interface OperationMeasure {
  depth: number;
  aliases: number;
  directives: number;
  cost: number;
}

/** Arguments that bound how many items a list field returns. */
const PAGE_SIZE_ARGUMENTS = new Set(['first', 'last', 'limit', 'take', 'top']);
/** Lists whose length is unknown before running are assumed to be this long. */
export const ASSUMED_LIST_SIZE = 25;

function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables[node.name.value];
    case Kind.INT:
      return Number(node.value);
    case Kind.LIST:
      return node.values.map((value) => valueOf(value, variables));
    default:
      return undefined;
  }
}

function isListOutput(type: GraphQLOutputType): boolean {
  const unwrapped = isNonNullType(type) ? type.ofType : type;
  return isListType(unwrapped);
}

/**
 * Measures an operation before anything runs: nesting depth, aliases, directives, and an estimated
 * cost — one per field resolved, multiplied by the sizes of the lists it sits in (page sizes and
 * list arguments from the query and its variables; ASSUMED_LIST_SIZE where the query says nothing).
 * Fragments are followed; a fragment cycle (already refused by validation) cannot loop here.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  stopAboveCost = Number.POSITIVE_INFINITY,
): OperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  let directives = 0;
  visit(operation, { Directive: () => void directives++ });
  for (const fragment of fragments.values()) visit(fragment, { Directive: () => void directives++ });

  let aliases = 0;
  let maxDepth = 0;
  let cost = 0;

  // `listSize` carries a page size from a connection field (regions(first: 500)) down to the list
  // inside it (nodes, edges) that it bounds.
  const walk = (
    selectionSet: SelectionSetNode,
    parentType: GraphQLNamedType | undefined,
    depth: number,
    multiplier: number,
    path: Set<string>,
    listSize: number | null = null,
  ): void => {
    for (const selection of selectionSet.selections) {
      if (cost > stopAboveCost) return;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__')) continue; // introspection is governed by its own switch
        if (selection.alias) aliases++;
        const fieldDepth = depth + 1;
        maxDepth = Math.max(maxDepth, fieldDepth);
        cost += multiplier;
        const field = parentType && (isObjectType(parentType) || isInterfaceType(parentType)) ? parentType.getFields()[name] : undefined;
        if (!selection.selectionSet) continue;
        const statedSizes = (selection.arguments ?? []).flatMap((argument) => {
          const value = valueOf(argument.value, variables);
          if (PAGE_SIZE_ARGUMENTS.has(argument.name.value) && typeof value === 'number') return [Math.max(0, value)];
          return Array.isArray(value) ? [value.length] : [];
        });
        const stated = statedSizes.length > 0 ? Math.max(...statedSizes) : null;
        const isList = field !== undefined && isListOutput(field.type);
        const size = isList ? (stated ?? listSize ?? ASSUMED_LIST_SIZE) : 1;
        walk(selection.selectionSet, field ? getNamedType(field.type) : undefined, fieldDepth, multiplier * size, path, isList ? null : stated);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typeCondition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parentType;
        walk(selection.selectionSet, typeCondition ?? parentType, depth, multiplier, path, listSize);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || path.has(name)) continue;
        path.add(name);
        walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? parentType, depth, multiplier, path, listSize);
        path.delete(name);
      }
    }
  };
  const rootType = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  walk(operation.selectionSet, rootType ?? undefined, 0, 1, new Set());
  return { depth: maxDepth, aliases, directives, cost };
}

function refusal(message: string, code: GatewayErrorCode, details: Record<string, number>): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...details, http: { status: 400 } } });
}

/** The first limit an operation exceeds, as the error to answer with, or null. */
export function checkOperationLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  limits: OperationLimits,
): GraphQLError | null {
  const measure = measureOperation(schema, document, operation, variables, limits.maxCost);
  if (measure.depth > limits.maxDepth) {
    return refusal(`The query is nested ${measure.depth} levels deep; at most ${limits.maxDepth} are allowed.`, GatewayErrorCode.QueryTooDeep, { depth: measure.depth, limit: limits.maxDepth });
  }
  if (measure.aliases > limits.maxAliases) {
    return refusal(`The query uses ${measure.aliases} aliases; at most ${limits.maxAliases} are allowed.`, GatewayErrorCode.TooManyAliases, { aliases: measure.aliases, limit: limits.maxAliases });
  }
  if (measure.directives > limits.maxDirectives) {
    return refusal(`The query uses ${measure.directives} directives; at most ${limits.maxDirectives} are allowed.`, GatewayErrorCode.TooManyDirectives, { directives: measure.directives, limit: limits.maxDirectives });
  }
  if (measure.cost > limits.maxCost) {
    return refusal(
      `The query's estimated cost exceeds ${limits.maxCost} (page sizes and list arguments multiply it); ask for fewer items or fields.`,
      GatewayErrorCode.QueryTooCostly,
      { limit: limits.maxCost },
    );
  }
  return null;
}
