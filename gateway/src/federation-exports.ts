// Apollo's packages are TypeScript compiled to CommonJS, and the index of @apollo/federation-internals
// re-exports each of its 300 members through a getter (`get: function () { return m[k]; }`). Apollo
// Gateway's result shaping reads its helpers through that index for every value of every answer
// (`(0, federation_internals_1.isListType)(type)`, ten and more reads per value), and the keyed load
// the getters share never settles on one shape: in CPU profiles of the analyst table the getter was
// 10 % of the gateway's main thread (docs/benchmarks.md). Imported before Apollo Gateway is, this
// module puts a copy of the index's exports, the same values as plain properties, into the module
// cache, so that Apollo Gateway and its query planner bind to the copy. The values stay the same:
// every member is a function, a class, a constant or an object changed only in place, none is
// reassigned after loading (federation-exports.test.ts checks this once the query planner has used
// them).

import '@apollo/federation-internals';

/** The module whose exports the gateway's dependencies read on every value. */
export const FEDERATION_INTERNALS = require.resolve('@apollo/federation-internals');

/** The modules that must load after the copy is in place to bind to it. */
export const BOUND_TO_THE_COPY = [
  require.resolve('@apollo/gateway'),
  // Apollo Gateway's own planner, wherever npm put it.
  require.resolve('@apollo/query-planner', { paths: [require.resolve('@apollo/gateway')] }),
];

export interface FlattenedExports {
  /** The module's own exports object (with its getters). */
  original: Record<string, unknown>;
  /** What the module cache now holds: every enumerable member as a data property. */
  flat: Record<string, unknown>;
}

/** Replaces the cached exports of the CommonJS module `id`, loaded already, with a flat copy. */
export function flattenCachedExports(id: string): FlattenedExports {
  const cached = require.cache[id];
  if (!cached) throw new Error(`${id} is not loaded`);
  const original = cached.exports as Record<string, unknown>;
  const flat: Record<string, unknown> = {};
  for (const key of Object.keys(original)) flat[key] = original[key];
  Object.defineProperty(flat, '__esModule', { value: true });
  cached.exports = flat;
  return { original, flat };
}

/**
 * Of {@link BOUND_TO_THE_COPY}, those loaded before this module: they keep the getters (slower, not
 * wrong). The gateway server and the offload worker import this module first; a test holds each
 * of them to it.
 */
export const loadedBefore = BOUND_TO_THE_COPY.filter((id) => require.cache[id] !== undefined);

/** The exports before and after. */
export const federationInternals: FlattenedExports = flattenCachedExports(FEDERATION_INTERNALS);
