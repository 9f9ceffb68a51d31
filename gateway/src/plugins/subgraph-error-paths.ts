import type { ApolloServerPlugin } from '@apollo/server';
import {
  buildASTSchema,
  getNamedType,
  isObjectType,
  Kind,
  parse,
  type DirectiveNode,
  type DocumentNode,
  type GraphQLObjectType,
  type SelectionSetNode,
} from 'graphql';
import type { GatewayContext } from '../context';
import { GatewayErrorCode } from '../errors';
import { fragmentsOf } from '../fragments';

/** Per object type and field: the services (subgraph names) that can answer it. */
type Owners = Map<string, Map<string, ReadonlySet<string>>>;

const argumentValue = (directive: DirectiveNode, name: string) => {
  const argument = directive.arguments?.find((candidate) => candidate.name.value === name);
  return argument && argument.value.kind === Kind.ENUM ? argument.value.value : null;
};

/** Which services answer which fields, from the supergraph's join__ directives. */
export function fieldOwners(supergraphSdl: string): { owners: Owners; schema: ReturnType<typeof buildASTSchema> } {
  const document = parse(supergraphSdl);
  const schema = buildASTSchema(document, { assumeValidSDL: true });
  // join__Graph's values name the services: REGIONS @join__graph(name: "regions", …).
  const services = new Map<string, string>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const graph = value.directives?.find((directive) => directive.name.value === 'join__graph');
      const name = graph?.arguments?.find((argument) => argument.name.value === 'name')?.value;
      if (name?.kind === Kind.STRING) services.set(value.name.value, name.value);
    }
  }
  const owners: Owners = new Map();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const typeGraphs = (definition.directives ?? [])
      .filter((directive) => directive.name.value === 'join__type')
      .map((directive) => argumentValue(directive, 'graph'));
    const fields = new Map<string, ReadonlySet<string>>();
    for (const field of definition.fields ?? []) {
      const joins = (field.directives ?? []).filter((directive) => directive.name.value === 'join__field');
      // Without join__field every graph of the type answers the field (a key field, for one).
      const graphs = joins.length > 0 ? joins.map((directive) => argumentValue(directive, 'graph')) : typeGraphs;
      fields.set(field.name.value, new Set(graphs.flatMap((graph) => (graph && services.has(graph) ? [services.get(graph)!] : []))));
    }
    owners.set(definition.name.value, fields);
  }
  return { owners, schema };
}

/**
 * The response paths of the fields only `service` answers that are null in `data`: where a page sees
 * what the failed subgraph left out. Object types only (the schema has no interfaces or unions);
 * fragments of the parent's type are followed.
 */
export function missingFieldPaths(
  model: ReturnType<typeof fieldOwners>,
  operation: DocumentNode,
  operationName: string | null | undefined,
  data: Record<string, unknown>,
  service: string,
): (string | number)[][] {
  const fragments = fragmentsOf(operation);
  const root = operation.definitions.find(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION && (!operationName || definition.name?.value === operationName),
  );
  const queryType = model.schema.getQueryType();
  if (!root || root.kind !== Kind.OPERATION_DEFINITION || root.operation !== 'query' || !queryType) return [];
  const paths: (string | number)[][] = [];
  const walk = (type: GraphQLObjectType, selectionSet: SelectionSetNode, value: Record<string, unknown>, path: (string | number)[]) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (!selection.typeCondition || selection.typeCondition.name.value === type.name) walk(type, selection.selectionSet, value, path);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment && fragment.typeCondition.name.value === type.name) walk(type, fragment.selectionSet, value, path);
        continue;
      }
      const key = selection.alias?.value ?? selection.name.value;
      if (!(key in value)) continue;
      const inner = value[key];
      const owners = model.owners.get(type.name)?.get(selection.name.value);
      if (inner === null) {
        if (owners?.size === 1 && owners.has(service)) paths.push([...path, key]);
        continue;
      }
      const fieldType = type.getFields()[selection.name.value]?.type;
      const named = fieldType && getNamedType(fieldType);
      if (!selection.selectionSet || !named || !isObjectType(named)) continue;
      const visit = (item: unknown, at: (string | number)[]) => {
        if (Array.isArray(item)) item.forEach((element, index) => visit(element, [...at, index]));
        else if (item !== null && typeof item === 'object') walk(named, selection.selectionSet!, item as Record<string, unknown>, at);
      };
      visit(inner, [...path, key]);
    }
  };
  walk(queryType, root.selectionSet, data, []);
  return paths;
}

/** A path with its list indexes as "@" (as Apollo's query plans write them): the field it is, whichever item. */
function pathPattern(path: readonly (string | number)[]): string[] {
  return path.map((segment) => (typeof segment === 'number' ? '@' : segment));
}

export interface SubgraphErrorPathsOptions {
  /**
   * The most concrete paths one failed field is named at. A field under a list fails once per item
   * (a list of all 967 municipalities with an indicators field gave 967 errors, some 200 KB); beyond
   * this many, the first of its errors says how many paths more failed and their pattern
   * (`extensions.morePaths: { count, pathPattern }`, list indexes as "@"), so the answer's errors are
   * bounded by the query, not by the data.
   * @default 10
   */
  maxPathsPerField?: number;
}

/** {@link SubgraphErrorPathsOptions.maxPathsPerField}'s default. */
export const DEFAULT_MAX_PATHS_PER_FIELD = 10;

/**
 * A subgraph that does not answer (SUBGRAPH_UNAVAILABLE) costs only its own fields, but Apollo
 * Gateway's error for the failed fetch has no `path`: a page learned which service failed, not which
 * of its fields are missing. This gives each such error the paths of the fields only that service
 * answers and that are null in the answer, one error per path (as GraphQL reports a field's error)
 * up to `maxPathsPerField` per field of the query (the same path pattern), the first of them with
 * how many more and their pattern; an error for which none is found stays as it is.
 */
export function subgraphErrorPathsPlugin(
  supergraphSdl: () => string,
  { maxPathsPerField = DEFAULT_MAX_PATHS_PER_FIELD }: SubgraphErrorPathsOptions = {},
): ApolloServerPlugin<GatewayContext> {
  let cached: { sdl: string; model: ReturnType<typeof fieldOwners> } | null = null;
  const model = () => {
    const sdl = supergraphSdl();
    if (cached?.sdl !== sdl) cached = { sdl, model: fieldOwners(sdl) };
    return cached.model;
  };
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, document, request }) {
          if (response.body.kind !== 'single' || !document) return;
          const result = response.body.singleResult;
          const data = result.data;
          const pathless = (result.errors ?? []).filter(
            (error) => error.extensions?.code === GatewayErrorCode.SubgraphUnavailable && !error.path,
          );
          if (pathless.length === 0 || !data) return;
          // A service may have failed in several fetches (each an error of its own): its fields' paths
          // are given once, with the first of them.
          const expanded = new Set<string>();
          result.errors = result.errors!.flatMap((error) => {
            const service = error.extensions?.serviceName;
            if (!pathless.includes(error) || typeof service !== 'string') return [error];
            if (expanded.has(service)) return [];
            const paths = missingFieldPaths(model(), document, request.operationName, data, service);
            if (paths.length === 0) return [error];
            expanded.add(service);
            // Paths come in answer order, so each field's first paths are its first items.
            const byField = new Map<string, (string | number)[][]>();
            for (const path of paths) {
              const key = pathPattern(path).join('.');
              const named = byField.get(key);
              if (named) named.push(path);
              else byField.set(key, [path]);
            }
            // At least one path per field: the first carries the count of the others.
            const named = Math.max(1, maxPathsPerField);
            return [...byField.values()].flatMap((fieldPaths) => {
              const more = fieldPaths.length - named;
              return fieldPaths.slice(0, named).map((path, index) =>
                index === 0 && more > 0
                  ? {
                      ...error,
                      message: `${error.message} (and ${more} more at ${pathPattern(path).join('.')})`,
                      path,
                      extensions: { ...error.extensions, morePaths: { count: more, pathPattern: pathPattern(path) } },
                    }
                  : { ...error, path },
              );
            });
          });
        },
      };
    },
  };
}
