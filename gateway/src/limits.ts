import { GraphQLError, Kind, visit, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { GatewayErrorCode } from './errors';
import { fragmentsOf } from './fragments';

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
}

export interface OperationMeasure {
  depth: number;
  aliases: number;
  directives: number;
  /** Fields with fragments expanded; the walk stops a little past its bound. */
  fields: number;
}

/**
 * Fields of an operation with its fragments expanded beyond which it is refused unmeasured: a
 * fragment spread several times at every level fans out exponentially (and costs at least as much).
 */
export const MAX_EXPANDED_FIELDS = 100_000;

/**
 * Measures an operation before anything runs: nesting depth, aliases and directives (its cost is
 * demand control's, demand-control.ts). Fragments are followed; a fragment cycle (already refused
 * by validation) cannot loop here, and a fragment is walked once per spread path only up to the
 * depth limit.
 */
export function measureOperation(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  stopAboveFields = MAX_EXPANDED_FIELDS,
): OperationMeasure {
  const fragments = fragmentsOf(document);
  let directives = 0;
  visit(operation, { Directive: () => void directives++ });
  for (const fragment of fragments.values()) visit(fragment, { Directive: () => void directives++ });

  let aliases = 0;
  let maxDepth = 0;
  let fields = 0;

  const walk = (selectionSet: SelectionSetNode, depth: number, path: Set<string>): void => {
    for (const selection of selectionSet.selections) {
      if (fields > stopAboveFields) return;
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue; // introspection is governed by its own switch
        if (selection.alias) aliases++;
        const fieldDepth = depth + 1;
        maxDepth = Math.max(maxDepth, fieldDepth);
        fields++;
        if (selection.selectionSet) walk(selection.selectionSet, fieldDepth, path);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, depth, path);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || path.has(name)) continue;
        path.add(name);
        walk(fragment.selectionSet, depth, path);
        path.delete(name);
      }
    }
  };
  walk(operation.selectionSet, 0, new Set());
  return { depth: maxDepth, aliases, directives, fields };
}

function refusal(message: string, code: GatewayErrorCode, details: Record<string, number>): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...details, http: { status: 400 } } });
}

/** The first limit an operation exceeds, as the error to answer with, or null. */
export function checkOperationLimits(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  limits: OperationLimits,
): GraphQLError | null {
  const measure = measureOperation(document, operation);
  if (measure.depth > limits.maxDepth) {
    return refusal(
      `The query is nested ${measure.depth} levels deep; at most ${limits.maxDepth} are allowed.`,
      GatewayErrorCode.QueryTooDeep,
      { depth: measure.depth, limit: limits.maxDepth },
    );
  }
  if (measure.aliases > limits.maxAliases) {
    return refusal(
      `The query uses ${measure.aliases} aliases; at most ${limits.maxAliases} are allowed.`,
      GatewayErrorCode.TooManyAliases,
      { aliases: measure.aliases, limit: limits.maxAliases },
    );
  }
  if (measure.directives > limits.maxDirectives) {
    return refusal(
      `The query uses ${measure.directives} directives; at most ${limits.maxDirectives} are allowed.`,
      GatewayErrorCode.TooManyDirectives,
      { directives: measure.directives, limit: limits.maxDirectives },
    );
  }
  if (measure.fields > MAX_EXPANDED_FIELDS) {
    return refusal(
      `The query expands to more than ${MAX_EXPANDED_FIELDS} fields (fragments spread within fragments multiply); ask for fewer fields.`,
      GatewayErrorCode.QueryTooCostly,
      { limit: MAX_EXPANDED_FIELDS },
    );
  }
  return null;
}
