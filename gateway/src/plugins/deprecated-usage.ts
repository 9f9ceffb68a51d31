import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutableDefinitionNode,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { Counter, type Registry } from 'prom-client';
import type { GatewayContext } from '../context';
import { fragmentsOf } from '../fragments';

/** The header Apollo Client and GraphOS send the client's name in; the gateway's CORS allows it. */
export const CLIENT_NAME_HEADER = 'apollographql-client-name';

export interface DeprecatedUsageOptions {
  /** The registry the counters join: the gateway's, served at /metrics (required; no default). */
  registry: Registry;
  /**
   * Distinct client names (from the apollographql-client-name header) a gateway labels; the names it
   * sees after these count as `other`. API keys are labelled by their id and do not count here: only
   * stored keys have one.
   * @default 50
   */
  maxClientNames?: number;
  /**
   * Characters of a client name kept in its label; the rest is cut off.
   * @default 64
   */
  maxClientNameLength?: number;
}

/** A variable whose value may hold a deprecated input field or enum value: read per request. */
interface VariableToRead {
  name: string;
  type: GraphQLInputType;
}

/** What an operation uses that its schema deprecates, found once per schema and operation. */
export interface DeprecatedUsage {
  /** Coordinates the document itself names: fields, arguments, input fields and enum values written in it. */
  coordinates: readonly string[];
  /** Variables whose values must be read to know (only those whose type reaches a deprecated element). */
  variables: readonly VariableToRead[];
}

/** Whether a value of the type can hold a deprecated input field or enum value. */
function mayHoldDeprecated(type: GraphQLNamedType, seen = new Set<string>()): boolean {
  if (seen.has(type.name)) return false;
  seen.add(type.name);
  if (isEnumType(type)) return type.getValues().some((value) => value.deprecationReason != null);
  if (!isInputObjectType(type)) return false;
  return Object.values(type.getFields()).some(
    (field) => field.deprecationReason != null || mayHoldDeprecated(getNamedType(field.type), seen),
  );
}

/**
 * Whether the schema deprecates anything an operation can use: a field, an argument (of a field or a
 * directive), an input field or an enum value. Without any, no operation needs analysing.
 */
export function deprecatesAnything(schema: GraphQLSchema): boolean {
  const deprecated = (element: { deprecationReason?: string | null }) => element.deprecationReason != null;
  if (schema.getDirectives().some((directive) => directive.args.some(deprecated))) return true;
  return Object.values(schema.getTypeMap()).some((type) => {
    if (isObjectType(type) || isInterfaceType(type)) {
      return Object.values(type.getFields()).some((field) => deprecated(field) || field.args.some(deprecated));
    }
    if (isInputObjectType(type)) return Object.values(type.getFields()).some(deprecated);
    if (isEnumType(type)) return type.getValues().some(deprecated);
    return false;
  });
}

/**
 * The deprecated elements an operation uses, from the operation and the fragments it spreads (a
 * document's other operations are not this one's). The same questions as graphql-js's
 * NoDeprecatedCustomRule, answered as schema coordinates.
 */
export function deprecatedUsageOf(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): DeprecatedUsage {
  const fragments = fragmentsOf(document);
  const coordinates = new Set<string>();
  const variables: VariableToRead[] = [];
  const pending: ExecutableDefinitionNode[] = [operation];
  const spread = new Set<string>();
  for (let definition = pending.pop(); definition; definition = pending.pop()) {
    const typeInfo = new TypeInfo(schema);
    visit(
      definition,
      visitWithTypeInfo(typeInfo, {
        Field() {
          const field = typeInfo.getFieldDef();
          const parent = typeInfo.getParentType();
          if (field?.deprecationReason != null && parent) coordinates.add(`${parent.name}.${field.name}`);
        },
        Argument() {
          const argument = typeInfo.getArgument();
          if (argument?.deprecationReason == null) return;
          const directive = typeInfo.getDirective();
          const field = typeInfo.getFieldDef();
          const parent = typeInfo.getParentType();
          if (directive) coordinates.add(`@${directive.name}(${argument.name}:)`);
          else if (field && parent) coordinates.add(`${parent.name}.${field.name}(${argument.name}:)`);
        },
        ObjectField(node) {
          const parent = typeInfo.getParentInputType();
          const inputObject = parent ? getNamedType(parent) : null;
          if (!isInputObjectType(inputObject)) return;
          const field = inputObject.getFields()[node.name.value];
          if (field?.deprecationReason != null) coordinates.add(`${inputObject.name}.${field.name}`);
        },
        EnumValue(node) {
          const type = typeInfo.getInputType();
          const enumType = type ? getNamedType(type) : null;
          if (!isEnumType(enumType)) return;
          const value = enumType.getValue(node.value);
          if (value?.deprecationReason != null) coordinates.add(`${enumType.name}.${value.name}`);
        },
        VariableDefinition(node) {
          const type = typeInfo.getInputType();
          if (type && mayHoldDeprecated(getNamedType(type))) variables.push({ name: node.variable.name.value, type });
        },
        FragmentSpread(node) {
          const fragment = fragments.get(node.name.value);
          if (fragment && !spread.has(fragment.name.value)) {
            spread.add(fragment.name.value);
            pending.push(fragment);
          }
        },
      }),
    );
  }
  return { coordinates: [...coordinates].sort(), variables };
}

/** Adds the deprecated input fields and enum values a variable's value holds (as sent, before coercion). */
function collectDeprecatedValues(value: unknown, type: GraphQLInputType, found: Set<string>): void {
  if (value === null || value === undefined) return;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    // A single value stands for a list of one, as input coercion reads it.
    for (const item of Array.isArray(value) ? value : [value]) collectDeprecatedValues(item, nullable.ofType, found);
  } else if (isEnumType(nullable)) {
    const enumValue = typeof value === 'string' ? nullable.getValue(value) : undefined;
    if (enumValue?.deprecationReason != null) found.add(`${nullable.name}.${enumValue.name}`);
  } else if (isInputObjectType(nullable) && typeof value === 'object' && !Array.isArray(value)) {
    const fields = nullable.getFields();
    for (const [name, fieldValue] of Object.entries(value)) {
      const field = fields[name];
      if (!field) continue;
      if (field.deprecationReason != null) found.add(`${nullable.name}.${name}`);
      collectDeprecatedValues(fieldValue, field.type, found);
    }
  }
}

/** Every deprecated coordinate one request's operation uses: the document's, then its variables'. */
export function deprecatedCoordinatesOf(usage: DeprecatedUsage, variableValues: Record<string, unknown> | undefined): string[] {
  if (usage.variables.length === 0) return [...usage.coordinates];
  const found = new Set(usage.coordinates);
  for (const { name, type } of usage.variables) collectDeprecatedValues(variableValues?.[name], type, found);
  return [...found];
}

/**
 * Client labels with bounded cardinality: a name the client sends, cut to its safe characters and
 * length, among the first `max` distinct names; `other` after them; `anonymous` without a name.
 */
export class ClientNames {
  private readonly labelled = new Set<string>();

  constructor(
    private readonly max: number,
    private readonly maxLength: number,
  ) {}

  labelOf(sent: string | undefined): string {
    const name = (sent ?? '')
      .trim()
      .slice(0, this.maxLength)
      .replace(/[^A-Za-z0-9._-]/g, '_');
    if (name === '') return 'anonymous';
    if (this.labelled.has(name)) return name;
    if (this.labelled.size >= this.max) return 'other';
    this.labelled.add(name);
    return name;
  }
}

/**
 * Counts operations that use deprecated fields, arguments, input fields or enum values, by schema
 * coordinate and client: how a team knows when a deprecated element can be removed
 * (docs/api-changes.md). The client is the partner API key (`apikey:<id>`), else the
 * apollographql-client-name header (bounded by ClientNames), else `anonymous`. Coordinates come from
 * the schema only. An operation is analysed once per schema: Apollo Server's document store hands
 * back the same parsed operation for the same text, so the analysis lives beside it and goes with
 * it; per request only variables whose type reaches a deprecated element are read. A schema that
 * deprecates nothing (asked once per schema) gets no per-request hook at all.
 */
export function deprecatedUsagePlugin(options: DeprecatedUsageOptions): ApolloServerPlugin<GatewayContext> {
  const usageTotal = new Counter({
    name: 'regiograph_gateway_deprecated_usage_total',
    help: 'Operations that used a deprecated field, argument, input field or enum value, by schema coordinate and client (API key id, apollographql-client-name, or anonymous).',
    labelNames: ['coordinate', 'client'] as const,
    registers: [options.registry],
  });
  const analyses = new Counter({
    name: 'regiograph_gateway_deprecated_usage_analyses_total',
    help: 'Operations analysed for deprecated usage: once per distinct operation text and schema, not per request.',
    registers: [options.registry],
  });
  const clients = new ClientNames(options.maxClientNames ?? 50, options.maxClientNameLength ?? 64);
  const analysed = new WeakMap<GraphQLSchema, WeakMap<OperationDefinitionNode, DeprecatedUsage>>();
  const deprecating = new WeakMap<GraphQLSchema, boolean>();
  return {
    async requestDidStart({ schema }) {
      let deprecates = deprecating.get(schema);
      if (deprecates === undefined) deprecating.set(schema, (deprecates = deprecatesAnything(schema)));
      if (!deprecates) return;
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return;
          let bySchema = analysed.get(schema);
          if (!bySchema) analysed.set(schema, (bySchema = new WeakMap()));
          let usage = bySchema.get(operation);
          if (!usage) {
            usage = deprecatedUsageOf(schema, document, operation);
            bySchema.set(operation, usage);
            analyses.inc();
          }
          const coordinates = deprecatedCoordinatesOf(usage, request.variables);
          if (coordinates.length === 0) return;
          const client = contextValue.apiKey
            ? `apikey:${contextValue.apiKey.id}`
            : clients.labelOf(request.http?.headers.get(CLIENT_NAME_HEADER));
          for (const coordinate of coordinates) usageTotal.inc({ coordinate, client });
        },
      };
    },
  };
}
