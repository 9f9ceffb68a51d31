import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { Kind, parse, type DocumentNode, type FieldNode } from 'graphql';
import type { GatewayContext } from './context';
import type { GatewayMetrics } from './metrics';
import { sha256 } from './persisted';
import { dataJson } from './serialised-data';
import type { SharedStore } from './store';
import { DATA_VERSION_KEY } from '@regiograph/shared';

/**
 * Bumped by every successful mutation (and by the importer and seeding, see shared's
 * bumpDataVersion): cached answers of older versions are never read again.
 */
export { DATA_VERSION_KEY };

/**
 * Which root query fields serve public reference data, found from the supergraph: fields whose
 * owning subgraph is one of `subgraphs` (e.g. regions and indicators).
 */
export function cacheableRootFields(supergraphSdl: string, subgraphs: readonly string[]): Set<string> {
  const wanted = new Set(subgraphs.map((name) => name.toUpperCase()));
  const fields = new Set<string>();
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION || definition.name.value !== 'Query') continue;
    for (const field of definition.fields ?? []) {
      const owners = (field.directives ?? [])
        .filter((directive) => directive.name.value === 'join__field')
        .map((directive) => directive.arguments?.find((argument) => argument.name.value === 'graph')?.value)
        .map((value) => (value?.kind === Kind.ENUM ? value.value : null));
      if (owners.length > 0 && owners.every((owner) => owner !== null && wanted.has(owner))) fields.add(field.name.value);
    }
  }
  return fields;
}

function rootFieldNames(document: DocumentNode, operationName: string | null | undefined): string[] | null {
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const operation = operations.find((candidate) => !operationName || candidate.name?.value === operationName);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION || operation.operation !== 'query') return null;
  // Fragments at the root would hide fields from this simple check: such queries are not cached.
  if (operation.selectionSet.selections.some((selection) => selection.kind !== Kind.FIELD)) return null;
  return operation.selectionSet.selections.map((selection) => (selection as FieldNode).name.value);
}

export interface ResponseCacheOptions {
  store: SharedStore;
  metrics: GatewayMetrics;
  maxAgeSeconds: number;
  /** Returns the currently cacheable root fields (the supergraph may be reloaded). */
  cacheableFields: () => Set<string>;
}

/**
 * Caches whole answers to queries that only read public reference data, for anonymous callers,
 * in the shared store (Redis across instances). Keys include the data version, which every
 * successful mutation bumps: a write followed by a read never sees a stale answer, on any instance.
 */
export function responseCachePlugin(options: ResponseCacheOptions): ApolloServerPlugin<GatewayContext> {
  const { store, metrics } = options;

  async function cacheKeyOf(requestContext: GraphQLRequestContext<GatewayContext>): Promise<string | null> {
    if (requestContext.contextValue.caller || !requestContext.document) return null;
    const roots = rootFieldNames(requestContext.document, requestContext.request.operationName);
    const cacheable = options.cacheableFields();
    if (!roots || roots.some((field) => field !== '__typename' && !cacheable.has(field))) return null;
    const version = (await store.get(DATA_VERSION_KEY)) ?? '0';
    const { query, operationName, variables } = requestContext.request;
    return `response:${version}:${sha256(JSON.stringify([query ?? requestContext.queryHash, operationName ?? null, variables ?? {}]))}`;
  }

  return {
    async requestDidStart() {
      let key: string | null = null;
      let servedFromCache = false;
      return {
        async responseForOperation(requestContext) {
          key = await cacheKeyOf(requestContext).catch(() => null);
          if (!key) return null;
          const cached = await store.get(key).catch(() => undefined);
          if (cached === undefined) {
            metrics.cache.inc({ result: 'miss' });
            return null;
          }
          metrics.cache.inc({ result: 'hit' });
          servedFromCache = true;
          requestContext.response.http.headers.set('x-cache', 'hit');
          return { http: requestContext.response.http, body: { kind: 'single', singleResult: JSON.parse(cached) } };
        },
        async willSendResponse(requestContext) {
          const { response, operation } = requestContext;
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (operation?.operation === 'mutation') {
            if (result.data && !result.errors?.length) await store.increment(DATA_VERSION_KEY).catch(() => undefined);
            return;
          }
          if (!key) {
            response.http.headers.set('cache-control', 'no-store');
            return;
          }
          response.http.headers.set('cache-control', `public, max-age=${options.maxAgeSeconds}`);
          if (servedFromCache || result.errors?.length || !result.data) return;
          response.http.headers.set('x-cache', 'miss');
          await store.set(key, `{"data":${dataJson(result.data)}}`, options.maxAgeSeconds).catch(() => undefined);
          metrics.cache.inc({ result: 'store' });
        },
      };
    },
  };
}
