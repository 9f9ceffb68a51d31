// Input values the gateway checks itself, so that a value the schema refuses never reaches a
// subgraph and its caller gets the reason.
//
// Apollo Gateway builds its schema from the supergraph, where Date, DateTime and Cents are bare
// names: any value passed its validation and variable coercion, and the subgraph that then refused
// it answered 400, which reached the client as "400: Bad Request" with code INTERNAL_SERVER_ERROR,
// the reason buried in the subgraph's response. With the parsers every subgraph declares (shared),
// the gateway refuses such a value itself, with their reason and status 400: a literal in
// validation (GRAPHQL_VALIDATION_FAILED), a variable in coercion (BAD_USER_INPUT).
import { INPUT_SCALARS } from '@regiograph/shared';
import { getVariableValues, isScalarType, valueFromASTUntyped, type GraphQLSchema, type ValueNode } from 'graphql';
import type { GatewayExecutor } from './gateway-executor';

/**
 * Gives the schema's input scalars their parsers. Set in place: the schema is the object Apollo
 * Gateway checks variables against and hands Apollo Server for validation, rebuilt on every
 * supergraph update (call it from `onSchemaLoadOrUpdate`). Only parsing changes: the gateway
 * still forwards values as the client sent them, and never serializes these scalars itself. The
 * offload worker's gateway needs none: it runs only operations this thread has checked.
 */
export function parseInputScalars(schema: GraphQLSchema): void {
  for (const [name, scalar] of Object.entries(INPUT_SCALARS)) {
    const type = schema.getType(name);
    if (!isScalarType(type)) continue;
    type.parseValue = scalar.parseValue;
    type.parseLiteral =
      'parseLiteral' in scalar
        ? scalar.parseLiteral
        : (node: ValueNode, variables?: Record<string, unknown> | null) => scalar.parseValue(valueFromASTUntyped(node, variables));
  }
}

/**
 * Whether the request's variables fit its operation's definitions. Apollo Gateway's execution checks
 * them before its first subgraph call; the paths that leave it (the pass-through, the offload to the
 * worker) ask this first and, when it says no, let that execution answer with the errors.
 */
export function variablesAccepted(requestContext: Parameters<GatewayExecutor>[0]): boolean {
  const definitions = requestContext.operation.variableDefinitions;
  if (!definitions?.length) return true;
  return getVariableValues(requestContext.schema, definitions, requestContext.request.variables ?? {}).errors === undefined;
}
