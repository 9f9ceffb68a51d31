import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';

/**
 * Read-your-writes over streaming replicas. A write answers with the primary's WAL position (LSN)
 * in this header; a client that sends it back with its next requests has its reads served only by
 * a replica that has replayed that position, or else by the primary. Readers without it may see a
 * replica's slightly older state.
 */
export const READ_AFTER_LSN_HEADER = 'x-read-after-lsn';

/** How long a replica that failed is left out before it is tried again. */
const REPLICA_RETRY_MS = 5_000;

const LSN_PATTERN = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** A PostgreSQL LSN ("16/B374D848") as a number that orders like the WAL; null when malformed. */
export function parseLsn(text: string | null | undefined): bigint | null {
  const match = text ? LSN_PATTERN.exec(text.trim()) : null;
  if (!match) return null;
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/** What the reads of the running request must see: a WAL position, and whether only the primary will do. */
interface ReadScope {
  after: bigint | null;
  primaryOnly: boolean;
}
const readScope = new AsyncLocalStorage<ReadScope>();

/** Runs `work` (a request) with reads that must see the WAL position `lsn` (PostgreSQL text form). */
export function withReadAfterLsn<T>(lsn: string | null | undefined, work: () => T): T {
  return readScope.run({ after: parseLsn(lsn), primaryOnly: false }, work);
}

/**
 * Runs `work` with every read on the primary: for a write whose reads turned out older than the
 * record it is about to change (a replica behind, or a writer in between), so that its next
 * attempt reads what is committed now, not what a lagging replica still has.
 */
export function withPrimaryReads<T>(work: () => T): T {
  return readScope.run({ after: null, primaryOnly: true }, work);
}

/**
 * Sends every further read of the running request (see withReadAfterLsn) to the primary, and says
 * whether there was a request to do so for. For a mutation: its checks read the records it is about
 * to change, and a replica that has not replayed a record created a moment ago would answer
 * NOT_FOUND for it, or pass checks against an older state.
 */
export function readRestOfRequestOnPrimary(): boolean {
  const scope = readScope.getStore();
  if (!scope) return false;
  scope.primaryOnly = true;
  return true;
}

/** Whether the running code reads on the primary only (withPrimaryReads, readRestOfRequestOnPrimary). */
export function readsOnPrimaryOnly(): boolean {
  return readScope.getStore()?.primaryOnly === true;
}

/** Statements a replica may answer: plain reads, not row locks. */
function isReplicaRead(text: string): boolean {
  return /^\s*(SELECT|WITH)\b/i.test(text) && !/\bFOR\s+(UPDATE|NO\s+KEY\s+UPDATE|SHARE|KEY\s+SHARE)\b/i.test(text);
}

/**
 * Errors after which the same read is sent to the primary: the replica is unreachable or shutting
 * down (no SQLSTATE, class 08 or 57P), or cancelled the read over a recovery conflict (40001).
 */
function isReplicaFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return true;
  return code.startsWith('08') || code.startsWith('57P') || code === '40001';
}

interface Replica {
  pool: pg.Pool;
  /** Last seen replay position; null for a server not in recovery (it has every write it took). */
  replayed: bigint | null;
  downUntil: number;
}

type Query = (...args: unknown[]) => Promise<unknown>;

/**
 * A pool object for Prisma's driver adapter that routes each statement: transactions (connect())
 * and writes to the primary; reads outside transactions round-robin to a healthy replica that has
 * replayed the request's required LSN, and to the primary when none has or all are down.
 */
export function createRoutingPool(primary: pg.Pool, replicaPools: readonly pg.Pool[]): pg.Pool {
  if (replicaPools.length === 0) return primary;
  const replicas: Replica[] = replicaPools.map((pool) => ({ pool, replayed: 0n, downUntil: 0 }));
  let next = 0;

  async function replayPosition(replica: Replica): Promise<bigint | null> {
    const result = (await replica.pool.query('SELECT pg_last_wal_replay_lsn()::text AS lsn')) as { rows: { lsn: string | null }[] };
    replica.replayed = parseLsn(result.rows[0]?.lsn);
    return replica.replayed;
  }

  async function pick(required: bigint | null): Promise<Replica | null> {
    for (let attempt = 0; attempt < replicas.length; attempt += 1) {
      const replica = replicas[(next + attempt) % replicas.length]!;
      if (replica.downUntil > Date.now()) continue;
      // A replica known to be far enough is used without asking again: positions only grow.
      if (required !== null && replica.replayed !== null && replica.replayed < required) {
        try {
          const position = await replayPosition(replica);
          if (position !== null && position < required) continue;
        } catch {
          replica.downUntil = Date.now() + REPLICA_RETRY_MS;
          continue;
        }
      }
      next = (next + attempt + 1) % replicas.length;
      return replica;
    }
    return null;
  }

  const primaryQuery = primary.query.bind(primary) as Query;
  const routed = Object.create(primary) as pg.Pool;
  const methods = routed as unknown as Record<string, unknown>;
  // Pool state lives on the primary object: every method but query runs on it, not on this view.
  for (const name of ['connect', 'on', 'once', 'off', 'removeListener', 'end'] as const) {
    methods[name] = (primary[name] as (...args: unknown[]) => unknown).bind(primary);
  }
  methods.query = async (...args: unknown[]) => {
    const first = args[0] as string | { text?: string };
    const text = typeof first === 'string' ? first : (first.text ?? '');
    const scope = readScope.getStore();
    if (typeof args.at(-1) === 'function' || !isReplicaRead(text) || scope?.primaryOnly) return primaryQuery(...args);
    const replica = await pick(scope?.after ?? null);
    if (!replica) return primaryQuery(...args);
    try {
      return await (replica.pool.query.bind(replica.pool) as Query)(...args);
    } catch (error) {
      if (!isReplicaFailure(error)) throw error;
      replica.downUntil = Date.now() + REPLICA_RETRY_MS;
      return primaryQuery(...args);
    }
  };
  return routed;
}
