// Which keys of another subgraph's entity exist, asked of that subgraph through federation's own
// entry point, `_entities`: a write that links to a record of another subgraph (a project to its
// cooperation) refuses a key nobody holds, instead of storing a link every later read resolves to
// null. The owning subgraph answers exactly as it answers the gateway's entity fetches, so a
// subgraph still knows the others only by key and reads no table of theirs. The other direction
// (entityLinks): before it deletes a record, its owner asks the subgraph that links to it which of
// its records still do (a cooperation's projects), through the same entry point; and before it
// moves a day those records depend on, which of them the new day would contradict (the projects
// that start before a cooperation's new founding day).
import { ErrorCode, subgraphEntry, subgraphUrlVariable, defaultSubgraphUrl, type SubgraphName } from '@regiograph/shared';
import { READ_AFTER_LSN_HEADER } from '@regiograph/db';
import type { IncomingMessage } from 'node:http';
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
  /**
   * Further scalar fields of the entity that `found` returns, read in the same `_entities` call
   * (a Cooperation's "founded", which a carried project must not start before).
   * @default []
   */
  fields?: readonly string[];
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
  /**
   * The entities among `keys` that the owner holds, by key, with the key and the option's `fields`
   * as the owner serialises them; a key nobody holds is absent. One call for all keys, none for
   * none; `readAfterLsn` and failures as for `missing`.
   */
  found(keys: readonly string[], readAfterLsn?: string | null): Promise<Map<string, Record<string, unknown>>>;
}

interface EntitiesAnswer {
  data?: { _entities?: (Record<string, unknown> | null)[] } | null;
  errors?: { message?: string }[];
}

/** The caller's last write position, as a subgraph's context keeps it for these checks. */
export function readAfterLsnOf(request?: IncomingMessage): string | null {
  const lsn = request?.headers[READ_AFTER_LSN_HEADER];
  return typeof lsn === 'string' ? lsn : null;
}

function assertPeer(from: SubgraphName, peer: SubgraphName): void {
  // Deployments give a subgraph the URL of, and a network path to, exactly its registered peers
  // (test/deploy.test.ts): a check of any other subgraph would fail only once deployed.
  if (!subgraphEntry(from).peers.some((registered) => registered === peer))
    throw new Error(`${peer} is not a peer of ${from} in the registry (shared/src/services.ts): add it to its peers`);
}

/** One `_entities` call to a peer: its entities, one per representation, or the `unavailable` error. */
type AskEntities = (
  query: string,
  representations: Record<string, string>[],
  readAfterLsn: string | null | undefined,
  variables?: Readonly<Record<string, LinkArgument>>,
) => Promise<(Record<string, unknown> | null)[]>;

function entitiesAsker(
  peer: SubgraphName,
  peerUrl: PeerUrl,
  timeout: number | undefined,
  unavailable: (reason: string) => GraphQLError,
): AskEntities {
  const timeoutMs = timeout ?? REFERENCE_CHECK_TIMEOUT_MS;
  return async (query, representations, readAfterLsn, variables = {}) => {
    const url = peerUrl(peer);
    if (!url) throw unavailable('its address is not known');
    let answer: EntitiesAnswer;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(readAfterLsn ? { [READ_AFTER_LSN_HEADER]: readAfterLsn } : {}) },
        body: JSON.stringify({ query, variables: { ...variables, representations } }),
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
    // The peer's own error messages stay out of this one: it reaches clients in production.
    if (answer.errors?.length) throw unavailable('it answered with errors');
    if (!Array.isArray(entities) || entities.length !== representations.length) throw unavailable('an answer without entities');
    return entities;
  };
}

function unavailableError(peer: SubgraphName, what: string): (reason: string) => GraphQLError {
  return (reason) =>
    new GraphQLError(`The ${peer} subgraph could not check ${what} (${reason}). Nothing was written; send it again.`, {
      extensions: { code: ErrorCode.ReferenceCheckUnavailable, subgraph: peer },
    });
}

export function entityReferences(options: EntityReferenceOptions): EntityReferences {
  assertPeer(options.from, options.owner);
  const { typename, key } = options;
  const selection = [key, ...(options.fields ?? [])].join(' ');
  const query = `query CheckReferences($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${typename} { ${selection} } } }`;
  const unavailable = unavailableError(options.owner, `this write's references to ${typename} records`);
  const ask = entitiesAsker(options.owner, options.peerUrl, options.timeoutMs, unavailable);
  const found: EntityReferences['found'] = async (keys, readAfterLsn) => {
    const unique = [...new Set(keys)];
    const held = new Map<string, Record<string, unknown>>();
    if (unique.length === 0) return held;
    const representations = unique.map((value) => ({ __typename: typename, [key]: value }));
    const entities = await ask(query, representations, readAfterLsn);
    unique.forEach((value, index) => {
      const entity = entities[index];
      if (entity?.[key] === value) held.set(value, entity);
    });
    return held;
  };
  return {
    found,
    async missing(keys, readAfterLsn) {
      const held = await found(keys, readAfterLsn);
      return [...new Set(keys)].filter((value) => !held.has(value));
    },
  };
}

export interface EntityLinkOptions {
  /** The subgraph that asks, about an entity it owns: the registry must list `linker` among its `peers`. */
  from: SubgraphName;
  /** The subgraph whose records link to that entity, and which adds their list to it as a field. */
  linker: SubgraphName;
  /** The entity's type name, e.g. "Cooperation", and its key field, e.g. "id". */
  typename: string;
  key: string;
  /** The linker's list field on the entity, e.g. "projects", and the key field of its records, e.g. "id". */
  field: string;
  fieldKey: string;
  /**
   * Arguments of that field a check may narrow the records with, by name, each with its GraphQL
   * input type: { startingBefore: 'Date' } for the projects a cooperation carries that start before
   * a day. Only the ones a check gives are sent, so a check without any asks what it asked before
   * the field had them.
   * @default {}
   */
  arguments?: Readonly<Record<string, string>>;
  peerUrl: PeerUrl;
  timeoutMs?: number;
}

/** The value of an argument of a linker's field, as JSON sends it (a Date as its calendar day). */
export type LinkArgument = string | number | boolean;

export interface EntityLinks {
  /**
   * The keys of the linker's records that link to the entity with key `value`: before a delete, the
   * records it would leave pointing at nothing. `narrowedBy` gives some of the option's `arguments`,
   * to ask about only the records the field then lists (before a cooperation's founding day moves
   * later, its projects that would start before it). `readAfterLsn` as for `missing`. Throws
   * REFERENCE_CHECK_UNAVAILABLE when the linker does not answer.
   */
  linking(value: string, readAfterLsn?: string | null, narrowedBy?: Readonly<Record<string, LinkArgument>>): Promise<string[]>;
}

/**
 * Which records of another subgraph link to an entity of this one, asked of that subgraph through
 * `_entities` and the field it adds to the entity (projects adds `Cooperation.projects`): the owner
 * refuses to delete a record others still link to.
 */
export function entityLinks(options: EntityLinkOptions): EntityLinks {
  assertPeer(options.from, options.linker);
  const { typename, key, field, fieldKey } = options;
  const argumentTypes = options.arguments ?? {};
  const queryWith = (names: readonly string[]) => {
    const declared = names.map((name) => `, $${name}: ${argumentTypes[name]}`).join('');
    const passed = names.length === 0 ? '' : `(${names.map((name) => `${name}: $${name}`).join(', ')})`;
    return `query CheckLinks($representations: [_Any!]!${declared}) { _entities(representations: $representations) { ... on ${typename} { ${field}${passed} { ${fieldKey} } } } }`;
  };
  const unavailable = unavailableError(options.linker, `which of its records link to this ${typename}`);
  const ask = entitiesAsker(options.linker, options.peerUrl, options.timeoutMs, unavailable);
  return {
    async linking(value, readAfterLsn, narrowedBy = {}) {
      const names = Object.keys(narrowedBy);
      const undeclared = names.filter((name) => !Object.hasOwn(argumentTypes, name));
      if (undeclared.length > 0) throw new Error(`${field} of ${typename} is not declared with the argument(s) ${undeclared.join(', ')}`);
      const representations = [{ __typename: typename, [key]: value }];
      const [entity] = await ask(queryWith(names), representations, readAfterLsn, narrowedBy);
      // No entity is not "no links": a delete goes ahead only on an answer that lists them.
      if (!entity) throw unavailable('an answer without the entity');
      const records: unknown = entity[field] ?? [];
      if (!Array.isArray(records)) throw unavailable('an answer without a list');
      return records.map((record: unknown) => {
        const linked = (record as Record<string, unknown> | null)?.[fieldKey];
        if (typeof linked !== 'string') throw unavailable('an answer without keys');
        return linked;
      });
    },
  };
}
