import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { Kind, parse, type DocumentNode, type FieldNode, type GraphQLFormattedError } from 'graphql';
import type { GatewayContext } from './context';
import { GatewayErrorCode } from './errors';
import type { GatewayMetrics } from './metrics';
import { sha256 } from './persisted';
import { answerData, dataJson, serialisedData } from './serialised-data';
import type { SharedStore } from './store';
import { DATA_VERSION_KEY, ErrorCode, keepCodedAnswer, type CodedAnswerStore } from '@regiograph/shared';

/**
 * Bumped by every mutation that may have written (and by the importer and seeding, see shared's
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

/**
 * Codes of errors that say their mutation field wrote nothing: the caller or the input was refused
 * before the write, or the request before execution. Any other error (a subgraph that timed out or
 * failed) may follow a commit.
 */
const NOTHING_WRITTEN: ReadonlySet<string> = new Set([
  ErrorCode.Unauthenticated,
  ErrorCode.Forbidden,
  ErrorCode.BadUserInput,
  ErrorCode.NotFound,
  ErrorCode.VersionConflict,
  ErrorCode.IdempotencyKeyReused,
  ErrorCode.ReferenceCheckUnavailable,
  ErrorCode.TooManyItems,
  GatewayErrorCode.QueryTooDeep,
  GatewayErrorCode.TooManyAliases,
  GatewayErrorCode.TooManyDirectives,
  GatewayErrorCode.TooManyTokens,
  GatewayErrorCode.QueryTooCostly,
  GatewayErrorCode.OperationNotRegistered,
  GatewayErrorCode.PersistedQueryHashMismatch,
  GatewayErrorCode.RateLimited,
  GatewayErrorCode.Overloaded,
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_USER_INPUT,
  ApolloServerErrorCode.BAD_REQUEST,
]);

/**
 * Whether a mutation's answer may follow a write, so that cached answers must not be read again.
 * A mutation field that answered wrote, or refused inside its payload; an answer may carry errors
 * beside a committed write (a field below the payload, whose null may have reached the root; one of
 * several aliased mutations; a subgraph that timed out after its commit). Only an answer without
 * any field and with refusals of the root fields alone leaves the cache as it is: an anonymous
 * caller's refused mutations cannot flush it.
 */
export function mayHaveWritten(result: { data?: Record<string, unknown> | null; errors?: readonly GraphQLFormattedError[] }): boolean {
  if (result.data && Object.values(result.data).some((value) => value !== null && value !== undefined)) return true;
  return (result.errors ?? []).some((error) => (error.path?.length ?? 0) > 1 || !NOTHING_WRITTEN.has(String(error.extensions?.code)));
}

export interface ResponseCacheOptions {
  store: SharedStore;
  metrics: GatewayMetrics;
  maxAgeSeconds: number;
  /**
   * Answers longer than this (characters of JSON) are not cached: a few analyst tables of megabytes
   * each, varied in white space, would otherwise fill the store (RESPONSE_CACHE_MAX_ENTRY_BYTES).
   */
  maxEntryBytes: number;
  /** Returns the currently cacheable root fields (the supergraph may be reloaded). */
  cacheableFields: () => Set<string>;
}

/**
 * The coded forms (brotli, gzip) of cached answers, beside them in the shared store and as long as
 * they may be served: a hit then costs the HTTP layer no compression, only a lookup. Base64, as the
 * store keeps text; a form larger than an entry may be is not kept. Keyed by the answer's bytes, so
 * a form outlives no data version: a changed answer has another key.
 */
function codedAnswerStore(store: SharedStore, maxAgeSeconds: number, maxEntryBytes: number): CodedAnswerStore {
  const keyOf = (fingerprint: string, coding: string) => `response-coded:${coding}:${fingerprint}`;
  return {
    async get(fingerprint, coding) {
      const text = await store.get(keyOf(fingerprint, coding));
      return text === undefined ? undefined : Buffer.from(text, 'base64');
    },
    async set(fingerprint, coding, coded) {
      const text = Buffer.from(coded.buffer, coded.byteOffset, coded.byteLength).toString('base64');
      if (text.length > maxEntryBytes) return;
      await store.set(keyOf(fingerprint, coding), text, maxAgeSeconds);
    },
  };
}

/**
 * Caches whole answers to queries that only read public reference data, for anonymous callers,
 * in the shared store (Redis across instances). Keys include the data version, which every
 * mutation that may have written bumps (dataVersionPlugin, installed with it): a write followed by a
 * read never sees a stale answer, on any instance.
 */
export function responseCachePlugin(options: ResponseCacheOptions): ApolloServerPlugin<GatewayContext> {
  const { store, metrics } = options;
  const codedAnswers = codedAnswerStore(store, options.maxAgeSeconds, options.maxEntryBytes);

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
          // Sent as the text it was stored as: parsing it and writing it again would cost the main
          // thread, outside load shedding, as much as the answer did when it was made.
          const data = answerData(cached);
          if (!data) {
            metrics.cache.inc({ result: 'miss' });
            return null;
          }
          metrics.cache.inc({ result: 'hit' });
          servedFromCache = true;
          requestContext.response.http.headers.set('x-cache', 'hit');
          keepCodedAnswer(codedAnswers);
          return { http: requestContext.response.http, body: { kind: 'single', singleResult: { data: serialisedData(data) } } };
        },
        async willSendResponse(requestContext) {
          const { response, operation } = requestContext;
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          // A mutation's answer is never kept; the data version it moves is dataVersionPlugin's.
          if (operation?.operation === 'mutation') return;
          // An answer with errors is kept by no cache, this one or the client's: fields a failed
          // subgraph left out would show as "unavailable" for the whole max-age after it is back.
          if (!key || (!servedFromCache && (result.errors?.length || !result.data))) {
            response.http.headers.set('cache-control', 'no-store');
            return;
          }
          response.http.headers.set('cache-control', `public, max-age=${options.maxAgeSeconds}`);
          if (servedFromCache) return;
          response.http.headers.set('x-cache', 'miss');
          // Kept no longer than it may be served: at max-age 0 not at all. Stored without an expiry it
          // would stay for good, beyond volatile-lru's reach, and any caller makes new ones.
          if (options.maxAgeSeconds <= 0) return;
          const json = dataJson(result.data);
          if (json.length > options.maxEntryBytes) {
            metrics.cache.inc({ result: 'too_large' });
            return;
          }
          await store.set(key, `{"data":${json}}`, options.maxAgeSeconds).catch(() => undefined);
          metrics.cache.inc({ result: 'store' });
          // The coded form this caller gets is the first a hit finds.
          keepCodedAnswer(codedAnswers);
        },
      };
    },
  };
}
