// Which keys of another subgraph's entity exist, asked of that subgraph through federation's own
// entry point, `_entities`: a write that links to a record of another subgraph (a project to its
// cooperation) refuses a key nobody holds, instead of storing a link every later read resolves to
// null. The owning subgraph answers exactly as it answers the gateway's entity fetches, so a
// subgraph still knows the others only by key and reads no table of theirs.
import { ErrorCode, subgraphEntry, subgraphUrlVariable, defaultSubgraphUrl, type SubgraphName } from '@regiograph/shared';
import { READ_AFTER_LSN_HEADER } from '@regiograph/db';
import { GraphQLError } from 'graphql';

/** How long a check waits for the owning subgraph: well inside the gateway's subgraph timeout (10 s). */
export const REFERENCE_CHECK_TIMEOUT_MS = 3_000;

/** Where another subgraph answers: its URL, or undefined while it is not known (yet). */
export type PeerUrl = (name: SubgraphName) => string | undefined;

/** A subgraph process finds the others as the gateway does: `<NAME>_URL`, else the registry's default port. */
export function peerUrlFromEnvironment(env: NodeJS.ProcessEnv = process.env): PeerUrl {
  return (name) => env[subgraphUrlVariable(name)] ?? defaultSubgraphUrl(subgraphEntry(name));
}

export interface EntityReferenceOptions {
  /** The subgraph that asks: the registry must list `owner` among its `peers`. */
  from: SubgraphName;
  /** The subgraph that owns the entity. */
  owner: SubgraphName;
  /** The entity's type name, e.g. "Cooperation". */
  typename: string;
  /** Its key field (a single scalar field): "id" for a Cooperation, "code" for an Indicator. */
  key: string;
  peerUrl: PeerUrl;
  timeoutMs?: number;
}

export interface EntityReferences {
  /**
   * The keys among `keys` that the owner does not hold, each once, in the order given. `readAfterLsn` is the caller's last write
   * position (the request's x-read-after-lsn), so that a record the same client has just created is
   * found even on a lagging replica. Throws REFERENCE_CHECK_UNAVAILABLE when the owner does not answer.
   */
  missing(keys: readonly string[], readAfterLsn?: string | null): Promise<string[]>;
}

interface EntitiesAnswer {
  data?: { _entities?: (Record<string, unknown> | null)[] } | null;
  errors?: { message?: string }[];
}

export function entityReferences(options: EntityReferenceOptions): EntityReferences {
  // Deployments give a subgraph the URL of, and a network path to, exactly its registered peers
  // (test/deploy.test.ts): a check of any other subgraph would fail only once deployed.
  if (!subgraphEntry(options.from).peers.some((peer) => peer === options.owner))
    throw new Error(`${options.owner} is not a peer of ${options.from} in the registry (shared/src/services.ts): add it to its peers`);
  const timeoutMs = options.timeoutMs ?? REFERENCE_CHECK_TIMEOUT_MS;
  const { typename, key } = options;
  const query = `query CheckReferences($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${typename} { ${key} } } }`;
  const unavailable = (reason: string) =>
    new GraphQLError(
      `The ${options.owner} subgraph could not check this write's references to ${typename} records (${reason}). Nothing was written; send it again.`,
      { extensions: { code: ErrorCode.ReferenceCheckUnavailable, subgraph: options.owner } },
    );
  return {
    async missing(keys, readAfterLsn) {
      const unique = [...new Set(keys)];
      if (unique.length === 0) return [];
      const url = options.peerUrl(options.owner);
      if (!url) throw unavailable('its address is not known');
      let answer: EntitiesAnswer;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(readAfterLsn ? { [READ_AFTER_LSN_HEADER]: readAfterLsn } : {}) },
          body: JSON.stringify({ query, variables: { representations: unique.map((value) => ({ __typename: typename, [key]: value })) } }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!response.ok) throw unavailable(`HTTP ${response.status}`);
        answer = (await response.json()) as EntitiesAnswer;
      } catch (error) {
        if (error instanceof GraphQLError) throw error;
        // By name: the abort's DOMException may come from another realm than this module's Error.
        const timedOut = (error as { name?: unknown } | null)?.name === 'TimeoutError';
        throw unavailable(timedOut ? `no answer within ${timeoutMs} ms` : 'it does not answer');
      }
      const entities = answer.data?._entities;
      // The owner's own error messages stay out of this one: it reaches clients in production.
      if (answer.errors?.length) throw unavailable('it answered with errors');
      if (!Array.isArray(entities) || entities.length !== unique.length) throw unavailable('an answer without entities');
      return unique.filter((value, index) => entities[index]?.[key] !== value);
    },
  };
}
