// The change feed, audit trail and idempotency keys of every subgraph that accepts writes, written
// once. Each subgraph owns two tables in its own Postgres schema (created by its migration):
// `change_log` (one row per changed entity per write: the feed and, with `changes`, the audit trail;
// append-only, enforced by a trigger that allows only redactExpiredActors' edit) and `idempotency_key`
// (the first answer of a keyed write).
import { createHash } from 'node:crypto';
import { Prisma, readsOnPrimaryOnly, withPrimaryReads, type PrismaClient, type RawExecutor } from '@regiograph/db';
import {
  decodeCursor,
  encodeCursor,
  ErrorCode,
  IMPORT_ACTOR_PREFIX,
  REDACTED_ACTOR,
  requireCaller,
  SEED_ACTOR,
  userError,
  type Caller,
} from '@regiograph/shared';
import { canonicalJson } from './canonical-json';

export type ChangeOperation = 'CREATED' | 'UPDATED' | 'DELETED';

/** An entity as JSON, as the audit trail compares it; a `version` field is reported as the change's version. */
export type Snapshot = Record<string, unknown>;

/** What may run SQL: the Prisma client or one of its transactions. */
export type Sql = Pick<Prisma.TransactionClient, '$queryRaw' | '$executeRaw'>;

/** The current state of entities of one type by key (absent keys: not there, e.g. deleted or not yet created). */
export type SnapshotLoader = (sql: Sql, keys: string[]) => Promise<Map<string, Snapshot>>;

/** Runs a snapshot query whose rows are (key, snapshot): the usual body of a SnapshotLoader. */
export async function snapshotsOf(sql: Sql, query: Prisma.Sql): Promise<Map<string, Snapshot>> {
  const rows = await sql.$queryRaw<{ key: string; snapshot: Snapshot }[]>(query);
  return new Map(rows.map((row) => [row.key, row.snapshot]));
}

export interface ChangeFeed<Entity extends string> {
  /** The subgraph's Postgres schema holding change_log and idempotency_key. */
  schema: string;
  /** Each entity type the feed reports, with how to read its state. */
  entities: Record<Entity, SnapshotLoader>;
  /**
   * A jsonb expression over the change row `log` that the subgraph stores beside it (null where it
   * stores none), read in the page's one statement: ChangeEntry.details. The indicators subgraph
   * tells what an import changed this way; a lookup per change would cost a statement per change.
   */
  details?: Prisma.Sql;
  /**
   * The tables of the schema whose `updated_by` names the subject of a record's last write (with
   * `updated_at` its time and `id` its key): redactExpiredActors replaces it like the feed's actors.
   */
  updatedByTables?: readonly string[];
}

/** How long a stored idempotent answer is replayed; afterwards the key may be used again. */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;

/** The longest idempotency key accepted (Stripe allows 255 characters too). */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

/** What the idempotencyKey argument of every mutation means. */
export const IDEMPOTENCY_KEY_DESCRIPTION =
  'Optional: a key you choose (1–255 characters) so that a retry does not write twice. A repeat with the same key and the same arguments ' +
  'returns the first answer without writing again; the same key with other arguments is refused with IDEMPOTENCY_KEY_REUSED. Keys are ' +
  'kept per caller for 24 hours.';

/** The largest page of the feed and the audit trail. */
export const CHANGE_PAGE_MAX = 1000;

/** Fields that change with every write and so say nothing in the audit trail's old/new values. */
const BOOKKEEPING_FIELDS = new Set(['version', 'updated_at', 'updated_by', 'created_at']);

/** A table of the feed's schema, for raw SQL. */
export function feedTable(feed: ChangeFeed<string>, name: 'change_log' | 'idempotency_key'): Prisma.Sql {
  // Schema names come from the subgraph's code, never from a request.
  return Prisma.raw(`"${feed.schema}".${name}`);
}

/**
 * Commit order. A position taken from the sequence early in a transaction that commits late would
 * let a follower that already read past it skip the change for ever. So every writer of a feed takes
 * one transaction-scoped advisory lock right before it inserts its change rows, at the very end of
 * its transaction, and holds it until commit: positions are drawn in commit order, and a row with a
 * higher position only exists once every lower one is visible. (The xid/snapshot technique would
 * avoid the short serialisation but needs every reader to filter on pg_snapshot_xmin, and would
 * still show rows out of position order across a wrap; the lock keeps the reader a plain range scan.)
 * Writers of one subgraph serialise only for the few milliseconds from this lock to their commit.
 */
async function lockFeed(sql: RawExecutor, feed: ChangeFeed<string>): Promise<void> {
  await lockUntilCommit(sql, `regiograph.change_log.${feed.schema}`);
}

/** Takes the named transaction-scoped advisory lock: other transactions asking for it wait for this one to end. */
export async function lockUntilCommit(sql: RawExecutor, name: string): Promise<void> {
  await sql.$executeRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext(${name})::bigint)`;
}

interface PendingChange {
  entityType: string;
  key: string;
  before: Snapshot | null;
}

/** The old and new value of every field that differs (all fields when created or deleted). */
export function diffSnapshots(before: Snapshot | null, after: Snapshot | null): Record<string, { old: unknown; new: unknown }> {
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: Record<string, { old: unknown; new: unknown }> = {};
  for (const field of [...fields].sort()) {
    if (BOOKKEEPING_FIELDS.has(field)) continue;
    const old = before?.[field] ?? null;
    const now = after?.[field] ?? null;
    if (JSON.stringify(old) !== JSON.stringify(now)) changes[field] = { old, new: now };
  }
  return changes;
}

/** Collects the entities a write touches, read before it, and records their changes at its end. */
export class ChangeTracker<Entity extends string> {
  private readonly pending = new Map<string, PendingChange>();

  constructor(
    private readonly sql: Sql,
    private readonly feed: ChangeFeed<Entity>,
  ) {}

  /** Call before changing (or creating, or deleting) these entities: their state now is the "old" side. */
  async track(entityType: Entity, ...keys: string[]): Promise<void> {
    const fresh = keys.filter((key) => !this.pending.has(`${entityType}|${key}`));
    if (fresh.length === 0) return;
    const before = await this.feed.entities[entityType](this.sql, fresh);
    for (const key of fresh) this.pending.set(`${entityType}|${key}`, { entityType, key, before: before.get(key) ?? null });
  }

  /** Marks entities this write has just created (their keys were not known before): no "old" side. */
  created(entityType: Entity, ...keys: string[]): void {
    for (const key of keys) this.pending.set(`${entityType}|${key}`, { entityType, key, before: null });
  }

  /** Reads the new state, then inserts one change row per tracked entity that exists or existed. */
  async record(actor: string): Promise<number> {
    const byType = new Map<Entity, PendingChange[]>();
    for (const change of this.pending.values())
      byType.set(change.entityType as Entity, [...(byType.get(change.entityType as Entity) ?? []), change]);
    const rows: ChangeRowInput[] = [];
    for (const [entityType, changes] of byType) {
      const after = await this.feed.entities[entityType](
        this.sql,
        changes.map((change) => change.key),
      );
      for (const change of changes) {
        const now = after.get(change.key) ?? null;
        if (!change.before && !now) continue;
        const operation: ChangeOperation = !change.before ? 'CREATED' : !now ? 'DELETED' : 'UPDATED';
        const version = now && typeof now.version === 'number' ? now.version : null;
        rows.push({ entity_type: entityType, key: change.key, operation, version, changes: diffSnapshots(change.before, now) });
      }
    }
    this.pending.clear();
    await insertChanges(this.sql, this.feed, actor, rows);
    return rows.length;
  }
}

interface ChangeRowInput {
  entity_type: string;
  key: string;
  operation: ChangeOperation;
  version: number | null;
  changes: Record<string, { old: unknown; new: unknown }> | null;
}

async function insertChanges(sql: Sql, feed: ChangeFeed<string>, actor: string, rows: ChangeRowInput[]): Promise<void> {
  if (rows.length === 0) return;
  await lockFeed(sql, feed);
  await sql.$executeRaw`
    INSERT INTO ${feedTable(feed, 'change_log')} (entity_type, key, operation, version, actor, changes)
    SELECT entry.entity_type, entry.key, entry.operation, entry.version, ${actor}, entry.changes
    FROM jsonb_to_recordset(${JSON.stringify(rows.map((row, ordinal) => ({ ...row, ordinal })))}::jsonb)
      AS entry(entity_type text, key text, operation text, version int, changes jsonb, ordinal int)
    ORDER BY entry.ordinal`;
}

/**
 * Records the changes of a bulk load (seeding, an import) in one set-based statement: every row of
 * `current` (columns key, version) as CREATED, or UPDATED when the feed already knows the key; and,
 * with `existing` (column key: every entity of the type that exists now), a tombstone for each key
 * the feed shows alive that no longer exists. The audit trail carries no field values for them.
 * Answers the positions the rows of `current` got, for what a subgraph stores beside them (`details`).
 */
export async function recordBulkChanges(
  sql: RawExecutor,
  feed: ChangeFeed<string>,
  actor: string,
  entityType: string,
  current: Prisma.Sql,
  existing?: Prisma.Sql,
): Promise<{ key: string; position: string }[]> {
  await lockFeed(sql, feed);
  const log = feedTable(feed, 'change_log');
  const recorded = await sql.$queryRaw<{ key: string; position: string }>`
    INSERT INTO ${log} (entity_type, key, operation, version, actor)
    SELECT ${entityType}, entity.key,
           CASE WHEN EXISTS (SELECT 1 FROM ${log} known WHERE known.entity_type = ${entityType} AND known.key = entity.key) THEN 'UPDATED' ELSE 'CREATED' END,
           entity.version, ${actor}
    FROM (${current}) AS entity(key, version)
    ORDER BY entity.key
    RETURNING key, position::text AS position`;
  if (!existing) return recorded;
  await sql.$executeRaw`
    INSERT INTO ${log} (entity_type, key, operation, version, actor)
    SELECT ${entityType}, latest.key, 'DELETED', NULL, ${actor}
    FROM (SELECT DISTINCT ON (key) key, operation FROM ${log} WHERE entity_type = ${entityType} ORDER BY key, position DESC) AS latest
    WHERE latest.operation <> 'DELETED' AND latest.key NOT IN (SELECT entity.key FROM (${existing}) AS entity(key))
    ORDER BY latest.key`;
  return recorded;
}

/** An idempotent write's key, its operation and the fingerprint of its arguments. */
export interface IdempotencyRequest {
  key: string;
  operation: string;
  requestHash: string;
}

/**
 * The idempotency request of a mutation call, or null without a key. `args` are the mutation's
 * arguments without the key itself. BAD_USER_INPUT for an empty or overlong key.
 */
export function idempotencyRequest(key: string | null | undefined, operation: string, args: unknown): IdempotencyRequest | null {
  if (key == null) return null;
  if (key.trim() === '' || key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    throw userError(`idempotencyKey must be 1–${IDEMPOTENCY_KEY_MAX_LENGTH} characters.`, ErrorCode.BadUserInput, {
      argument: 'idempotencyKey',
    });
  }
  const requestHash = createHash('sha256').update(canonicalJson({ operation, args })).digest('hex');
  return { key, operation, requestHash };
}

/** A stored answer as JSON that keeps dates, big integers and decimals (Prisma rows hold all three). */
export function encodeStored(value: unknown): unknown {
  if (value instanceof Date) return { $date: value.toISOString() };
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (Prisma.Decimal.isDecimal(value)) return { $decimal: value.toString() };
  if (Array.isArray(value)) return value.map(encodeStored);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([name, field]) => [name, encodeStored(field)]));
  return value;
}

export function decodeStored(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeStored);
  if (value !== null && typeof value === 'object') {
    const tagged = value as Record<string, unknown>;
    if (typeof tagged.$date === 'string') return new Date(tagged.$date);
    if (typeof tagged.$bigint === 'string') return BigInt(tagged.$bigint);
    if (typeof tagged.$decimal === 'string') return new Prisma.Decimal(tagged.$decimal);
    return Object.fromEntries(Object.entries(tagged).map(([name, field]) => [name, decodeStored(field)]));
  }
  return value;
}

interface StoredAnswer {
  operation: string;
  request_hash: string;
  response: unknown;
}

function replayOf<T>(stored: StoredAnswer, request: IdempotencyRequest): { value: T } {
  if (stored.operation !== request.operation || stored.request_hash !== request.requestHash) {
    throw userError(
      `The idempotency key ${JSON.stringify(request.key)} was already used for a different request (${stored.operation}); use a new key for a new request.`,
      ErrorCode.IdempotencyKeyReused,
      { argument: 'idempotencyKey' },
    );
  }
  return { value: decodeStored(stored.response) as T };
}

/**
 * The first answer of a keyed write of this actor, if there is one (then nothing is written again);
 * IDEMPOTENCY_KEY_REUSED when the key was used for other arguments or another mutation. Read before a
 * mutation validates anything, so a retry gets the first answer even though the record moved on.
 */
export async function replayIdempotent<T>(sql: Sql, feed: ChangeFeed<string>, options: WriteOptions): Promise<{ value: T } | null> {
  const { actor, idempotency: request } = options;
  if (!request) return null;
  const [stored] = await sql.$queryRaw<StoredAnswer[]>`
    SELECT operation, request_hash, response FROM ${feedTable(feed, 'idempotency_key')}
    WHERE actor = ${actor} AND key = ${request.key} AND created_at > now() - make_interval(hours => ${IDEMPOTENCY_KEY_TTL_HOURS})`;
  return stored ? replayOf<T>(stored, request) : null;
}

/**
 * The next key `<prefix><number>` (at least three digits) for a new record of `table`: one above the
 * largest number of every live record and of every deleted one, whose tombstone stays in the feed, so
 * a partner that saw a deletion never sees the same key come back as another record. The largest
 * number, not the last key in text order: "P-2026-999" sorts after "P-2026-1000".
 *
 * `sql` must be a transaction: creates of one table and prefix take turns from here to its end, so two
 * of them never read the same largest number. Retrying on the primary key alone was not enough: under
 * a steady concurrent load, five retries failed now and then (projects first, then cooperations in
 * CI's partner-sync test). The feed's own lock comes later in the transaction, always in this order,
 * so the two cannot deadlock.
 */
export async function nextRecordKey(
  sql: Sql,
  feed: ChangeFeed<string>,
  record: { table: string; entityType: string; prefix: string },
): Promise<string> {
  const { prefix } = record;
  await lockUntilCommit(sql, `${feed.schema}.${record.table}.id.${prefix}`);
  const digitsFrom = prefix.length + 1;
  const pattern = `${prefix}%`;
  // Table names come from the subgraph's code, never from a request.
  const [{ last }] = await sql.$queryRaw<[{ last: number | null }]>`
    SELECT max(substring(key FROM ${digitsFrom}::int)::int) AS last FROM (
      SELECT id AS key FROM ${Prisma.raw(`"${feed.schema}".${record.table}`)} WHERE id LIKE ${pattern}
      UNION ALL
      SELECT key FROM ${feedTable(feed, 'change_log')}
      WHERE entity_type = ${record.entityType} AND operation = 'DELETED' AND key LIKE ${pattern}
    ) numbered WHERE substring(key FROM ${digitsFrom}::int) ~ '^[0-9]+$'`;
  return `${prefix}${String((last ?? 0) + 1).padStart(3, '0')}`;
}

/**
 * Deletes the idempotency keys past their 24 hours, which nothing replays any more; without it the
 * table would keep a row for every keyed write ever made. Safe beside writers: a write claiming an
 * expired key deletes that one row itself and holds no other key, so the two only wait, never
 * deadlock. Returns the number of keys deleted.
 */
export async function purgeExpiredIdempotencyKeys(sql: Sql, feed: ChangeFeed<string>): Promise<number> {
  return sql.$executeRaw`
    DELETE FROM ${feedTable(feed, 'idempotency_key')} WHERE created_at <= now() - make_interval(hours => ${IDEMPOTENCY_KEY_TTL_HOURS})`;
}

/** The setting that bounds how long the change feeds keep a write's personal actor (docs/privacy.md). */
export const ACTOR_RETENTION_SETTING = 'CHANGE_LOG_ACTOR_RETENTION_DAYS';

/**
 * The storage period of personal actors in days, or null when unset: then they are kept without
 * limit, as before the setting existed. Anything but a whole number of at least 1 is refused, so a
 * typo stops the start instead of keeping subjects for ever or redacting them all at once.
 */
export function readActorRetentionDays(env: NodeJS.ProcessEnv = process.env): number | null {
  // Read by its literal name: test/deploy.test.ts finds the variables a service reads in its code.
  const raw = env.CHANGE_LOG_ACTOR_RETENTION_DAYS;
  if (raw === undefined || raw.trim() === '') return null;
  return checkedRetentionDays(/^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN, JSON.stringify(raw));
}

function checkedRetentionDays(days: number, shown: string): number {
  if (!Number.isSafeInteger(days) || days < 1) {
    throw new Error(
      `${ACTOR_RETENTION_SETTING} must be a whole number of days, at least 1, got ${shown}. Leave it unset to keep the actors ` +
        'of the change feeds without limit.',
    );
  }
  return days;
}

/**
 * A column naming a person: a token subject or an API key's `apikey:<id>`, not the seed, an import or
 * the placeholder. The partial index change_log_personal_changed_at_idx (migration
 * 20261207143000) carries this very predicate with these values written out: the planner uses the
 * index only where it can prove the statement's condition implies the index's.
 */
function personalActor(column: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`${column} NOT IN (${SEED_ACTOR}, ${REDACTED_ACTOR}) AND NOT starts_with(${column}, ${IMPORT_ACTOR_PREFIX})`;
}

/**
 * The statement of redactExpiredActors that redacts the feed's expired personal actors: a range scan
 * of the partial index on changed_at of the rows that still name a person, never the whole log.
 */
export function expiredActorRedaction(feed: ChangeFeed<string>, days: number): Prisma.Sql {
  checkedRetentionDays(days, String(days));
  return Prisma.sql`
    UPDATE ${feedTable(feed, 'change_log')} SET actor = ${REDACTED_ACTOR}
    WHERE changed_at <= ${expiryOf(days)} AND ${personalActor(Prisma.raw('actor'))}`;
}

/** The moment before which a write's personal actor has outlived a storage period of `days`. */
function expiryOf(days: number): Prisma.Sql {
  return Prisma.sql`now() - make_interval(days => ${days}::int)`;
}

/**
 * Replaces the personal actor of every change older than `days` by REDACTED_ACTOR, in place: the
 * position, key, operation, version, time and values stay, so cursors and partners' positions do
 * not move; the trigger of change_log allows this one edit and no other. Likewise `updated_by` of
 * the records (ChangeFeed.updatedByTables) last written before then, which names the same subject,
 * without a new version or change: the record's data did not change. A record a write holds is left
 * for the next run rather than waited for. One statement for the feed and one per such table,
 * whatever their number of rows. Returns how many changes and records it redacted.
 */
export async function redactExpiredActors(sql: Sql, feed: ChangeFeed<string>, days: number): Promise<{ changes: number; records: number }> {
  const changes = await sql.$executeRaw(expiredActorRedaction(feed, days));
  const before = expiryOf(days);
  let records = 0;
  for (const table of feed.updatedByTables ?? []) {
    // Table names come from the subgraph's code, never from a request.
    const target = Prisma.raw(`"${feed.schema}".${table}`);
    records += await sql.$executeRaw`
      UPDATE ${target} SET updated_by = ${REDACTED_ACTOR}
      WHERE id IN (SELECT id FROM ${target} WHERE updated_at <= ${before} AND ${personalActor(Prisma.raw('updated_by'))} FOR UPDATE SKIP LOCKED)`;
  }
  return { changes, records };
}

/** What of the server's options the change feed's upkeep reads. */
export interface ChangeFeedUpkeepOptions {
  /** The storage period of personal actors in days, null to keep them; CHANGE_LOG_ACTOR_RETENTION_DAYS when absent. */
  actorRetentionDays?: number | null;
}

/**
 * The hourly upkeep of a subgraph's change feed (createSubgraphServer's housekeeping): expired
 * idempotency keys purged and, with a storage period, personal actors past it redacted. Made while
 * the server is created, so a bad setting stops the start with its message.
 */
export function changeFeedUpkeep(
  feed: ChangeFeed<string>,
  options: ChangeFeedUpkeepOptions = {},
): (database: { prisma: Sql }) => Promise<void> {
  const days =
    options.actorRetentionDays === undefined
      ? readActorRetentionDays()
      : options.actorRetentionDays === null
        ? null
        : checkedRetentionDays(options.actorRetentionDays, String(options.actorRetentionDays));
  return async ({ prisma }) => {
    await purgeExpiredIdempotencyKeys(prisma, feed);
    if (days !== null) await redactExpiredActors(prisma, feed, days);
  };
}

/**
 * Claims the key inside the write's transaction. A concurrent first attempt with the same key waits
 * here on the primary key until the other commits (then its answer is replayed) or rolls back.
 */
async function claimIdempotent<T>(
  sql: Sql,
  feed: ChangeFeed<string>,
  actor: string,
  request: IdempotencyRequest,
): Promise<{ value: T } | null> {
  const keys = feedTable(feed, 'idempotency_key');
  await sql.$executeRaw`DELETE FROM ${keys} WHERE actor = ${actor} AND key = ${request.key} AND created_at <= now() - make_interval(hours => ${IDEMPOTENCY_KEY_TTL_HOURS})`;
  const claimed = await sql.$executeRaw`
    INSERT INTO ${keys} (actor, key, operation, request_hash) VALUES (${actor}, ${request.key}, ${request.operation}, ${request.requestHash})
    ON CONFLICT (actor, key) DO NOTHING`;
  if (claimed === 1) return null;
  const [stored] = await sql.$queryRaw<
    StoredAnswer[]
  >`SELECT operation, request_hash, response FROM ${keys} WHERE actor = ${actor} AND key = ${request.key}`;
  return replayOf<T>(stored!, request);
}

export interface WriteOptions {
  /** Who writes: the caller's subject, `import:<file>`, `seed`. */
  actor: string;
  /** The mutation's idempotency request, if it has a key. */
  idempotency?: IdempotencyRequest | null;
  /** The transaction's timeout in milliseconds (Prisma's default is 5 s). */
  timeout?: number;
}

/**
 * The write options of a mutation called by `caller` (UNAUTHENTICATED when anonymous): the caller's
 * subject as actor, and the idempotency request when `key` is given; `args` are the mutation's other
 * arguments.
 */
export function writeOptions(caller: () => Caller | null, key: string | null | undefined, operation: string, args: unknown): WriteOptions {
  return { actor: requireCaller(caller()).subject, idempotency: idempotencyRequest(key, operation, args) };
}

/**
 * The one transaction of every write: `work` tracks the entities it changes (before changing them)
 * and writes; then, in the same transaction, their change rows go to the feed and audit trail and the
 * answer is stored under the idempotency key. A RefusedWrite thrown by `work` rolls all of it back.
 */
export async function writeTransaction<Entity extends string, T>(
  prisma: PrismaClient,
  feed: ChangeFeed<Entity>,
  options: WriteOptions,
  work: (tx: Prisma.TransactionClient, changes: ChangeTracker<Entity>) => Promise<T>,
): Promise<T> {
  return prisma.$transaction(
    async (tx) => {
      const request = options.idempotency ?? null;
      if (request) {
        const replay = await claimIdempotent<T>(tx, feed, options.actor, request);
        if (replay) return replay.value;
      }
      const changes = new ChangeTracker(tx, feed);
      const result = await work(tx, changes);
      await changes.record(options.actor);
      if (request) {
        await tx.$executeRaw`
          UPDATE ${feedTable(feed, 'idempotency_key')} SET response = ${JSON.stringify(encodeStored(result))}::jsonb
          WHERE actor = ${options.actor} AND key = ${request.key}`;
      }
      return result;
    },
    options.timeout === undefined ? undefined : { timeout: options.timeout },
  );
}

/** One change as the feed and the audit trail show it. */
export interface ChangeEntry {
  position: string;
  cursor: string;
  entityType: string;
  key: string;
  operation: ChangeOperation;
  version: number | null;
  actor: string;
  changedAt: Date;
  changes: { field: string; oldValue: unknown; newValue: unknown }[];
  /** What the subgraph stores beside the change (ChangeFeed.details), as JSON; null where it stores none. */
  details: unknown;
}

export interface ChangePage {
  entries: ChangeEntry[];
  /** Where to continue: after the last entry (a narrowed page that is not full: the head it read up to), or where the page started when it is empty. */
  endCursor: string;
  hasMore: boolean;
}

export interface ChangeQuery {
  after?: string | null;
  types?: readonly string[] | null;
  key?: string | null;
  actor?: string | null;
  first?: number | null;
}

function cursorKind(feed: ChangeFeed<string>): string {
  return `${feed.schema}-changes`;
}

/**
 * A change's stamp as its cursor carries it: the moment it was recorded, in milliseconds. A position
 * alone cannot tell this feed from a reset one (or another environment's) that has grown past it:
 * such a cursor was read there as a place in this feed, and the partner skipped every change up to
 * it without a word. The row at the cursor's position must still carry the stamp.
 */
const STAMP = Prisma.sql`(extract(epoch FROM changed_at) * 1000)::bigint::text`;

/** A cursor's text: the position and, past the start, the stamp of the change there. */
function cursorOf(feed: ChangeFeed<string>, position: string, stamp: string | null): string {
  return encodeCursor(cursorKind(feed), stamp === null ? position : `${position}.${stamp}`);
}

/**
 * The position and stamp of a cursor; BAD_USER_INPUT (argument `after`) for a cursor of another list.
 * A cursor of an earlier release carries no stamp: it is read by its position alone, up to the last
 * position the feed had when stamps began (unstampedUntil), and refused beyond it.
 */
function decodeChangeCursor(feed: ChangeFeed<string>, cursor: string): { position: string; stamp: string | null } {
  const text = decodeCursor(cursorKind(feed), cursor, (position) => /^\d{1,18}(\.\d{1,18})?$/.test(position));
  const [position, stamp] = text.split('.') as [string, string | undefined];
  return { position, stamp: stamp ?? null };
}

/** BAD_USER_INPUT (argument `after`) for a cursor whose position holds another change than the one it was given for. */
function otherFeedError(): Error {
  return userError(
    'after is not a place in this list: the change at its position is not the one it was given for, so the list was reset ' +
      'or the cursor comes from another environment (a database restored from a backup resets it). Start again without after ' +
      '(copy anew), or from a cursor this list gave.',
    ErrorCode.BadUserInput,
    { argument: 'after' },
  );
}

/**
 * The last position of the feed when its cursors began to carry stamps, which a migration recorded
 * (the function change_log_unstamped_until of the feed's schema): every cursor without a stamp was
 * given out up to there. Beyond it such a cursor names no change this feed gave it for; read there,
 * a reset feed grown past it would make the partner skip every change up to it without a word.
 */
function unstampedUntil(feed: ChangeFeed<string>): Prisma.Sql {
  // Schema names come from the subgraph's code, never from a request.
  return Prisma.sql`${Prisma.raw(`"${feed.schema}".change_log_unstamped_until()`)}::text`;
}

interface ChangeLogRow {
  /** The feed's last position (0 when empty), read in the same statement as the page. */
  head: string;
  /** unstampedUntil, read in the same statement. */
  unstamped_until: string;
  /** The stamp of the change at the cursor's position; null when there is none. */
  after_stamp: string | null;
  /** The stamp of the last change (null when the feed is empty). */
  head_stamp: string | null;
  stamp: string | null;
  /** The columns of the change; all null on the one row of an empty page. */
  position: string | null;
  entity_type: string;
  key: string;
  operation: ChangeOperation;
  version: number | null;
  actor: string;
  changed_at: Date;
  changes: Record<string, { old: unknown; new: unknown }> | null;
  details: unknown;
}

/**
 * BAD_USER_INPUT (argument `after`) for a cursor past the feed's last position on the primary. No position this feed
 * gave can be ahead of its head, as positions only grow; such a cursor outlived a reset of the
 * database or came from another environment. Answering it with an empty page and the same cursor
 * would make the partner skip every change written until the feed grows past it, so it is refused
 * like a cursor of another list.
 */
function pastHeadError(): Error {
  return userError(
    'after is past the end of this list: the list was reset (a database restored from a backup resets it) or the cursor was ' +
      'not issued by it. ' +
      'Start again without after, or from a cursor this list gave.',
    ErrorCode.BadUserInput,
    { argument: 'after' },
  );
}

/**
 * A cursor past the head of the feed as read: a read replica behind the primary may not have the
 * changes a follower already read there (it is not refused for that), so the page is read again on
 * the primary, and refused only if the cursor is past the primary's head as well.
 */
function readPastHead(sql: Sql, feed: ChangeFeed<string>, query: ChangeQuery, withValues: boolean): Promise<ChangePage> {
  if (readsOnPrimaryOnly()) throw pastHeadError();
  return withPrimaryReads(() => readChanges(sql, feed, query, withValues));
}

/**
 * A page of the feed (or, with `withValues`, of the audit trail) after a cursor, in commit order:
 * one SQL statement per page, a range scan of the primary key, which also reads the feed's last
 * position (the end of the same index) to refuse a cursor past it. BAD_USER_INPUT (argument `after`)
 * for a cursor of another list or past the end of this one.
 */
export async function readChanges(sql: Sql, feed: ChangeFeed<string>, query: ChangeQuery, withValues = false): Promise<ChangePage> {
  const first = query.first ?? 100;
  if (!Number.isInteger(first) || first < 0 || first > CHANGE_PAGE_MAX) {
    throw userError(`first must be between 0 and ${CHANGE_PAGE_MAX}.`, ErrorCode.BadUserInput, { argument: 'first' });
  }
  const { position: after, stamp } = query.after == null ? { position: '0', stamp: null } : decodeChangeCursor(feed, query.after);
  const log = feedTable(feed, 'change_log');
  const afterStamp = Prisma.sql`(SELECT ${STAMP} FROM ${log} WHERE position = ${after}::bigint)`;
  /** The page's cursor is past the head as read, or names a change this feed does not hold there (or cannot vouch for). */
  const misplaced = (head: string, atAfter: string | null, unstampedLast: string): Promise<ChangePage> | null => {
    if (BigInt(after) > BigInt(head) || (BigInt(after) > 0n && atAfter === null)) return readPastHead(sql, feed, query, withValues);
    if (stamp !== null && atAfter !== stamp) throw otherFeedError();
    if (stamp === null && BigInt(after) > BigInt(unstampedLast)) throw otherFeedError();
    return null;
  };
  if (first === 0) {
    // The head: a follower that snapshots the lists next starts here and misses nothing committed after.
    const [head] = await sql.$queryRaw<{ position: string; stamp: string | null; after_stamp: string | null; unstamped_until: string }[]>`
      SELECT last.position::text AS position, (SELECT ${STAMP} FROM ${log} WHERE position = last.position) AS stamp,
             ${afterStamp} AS after_stamp, ${unstampedUntil(feed)} AS unstamped_until
      FROM (SELECT coalesce(max(position), 0) AS position FROM ${log}) AS last`;
    const refused = misplaced(head!.position, head!.after_stamp, head!.unstamped_until);
    if (refused) return refused;
    return { entries: [], endCursor: cursorOf(feed, head!.position, head!.stamp), hasMore: false };
  }
  // The head comes from the same snapshot as the page, so a change committed in between cannot make a
  // cursor the feed just gave look past its end. The LEFT JOIN keeps one row (the head, no change)
  // when the page is empty.
  const rows = await sql.$queryRaw<ChangeLogRow[]>`
    WITH head AS (
      SELECT coalesce(max(position), 0) AS last, ${afterStamp} AS after_stamp,
             (SELECT ${STAMP} FROM ${log} ORDER BY position DESC LIMIT 1) AS head_stamp, ${unstampedUntil(feed)} AS unstamped_until
      FROM ${log}
    )
    SELECT head.last::text AS head, head.after_stamp, head.head_stamp, head.unstamped_until, page.position::text AS position, page.stamp, page.entity_type, page.key,
           page.operation, page.version, page.actor, page.changed_at, page.changes, page.details
    FROM head LEFT JOIN LATERAL (
      SELECT log.position, ${STAMP} AS stamp, log.entity_type, log.key, log.operation, log.version, log.actor, log.changed_at,
             ${withValues ? Prisma.sql`log.changes` : Prisma.sql`NULL::jsonb`} AS changes, ${feed.details ?? Prisma.sql`NULL::jsonb`} AS details
      FROM ${feedTable(feed, 'change_log')} AS log
      WHERE log.position > ${after}::bigint
        ${query.types && query.types.length > 0 ? Prisma.sql`AND log.entity_type = ANY(${[...query.types]}::text[])` : Prisma.empty}
        ${query.key != null ? Prisma.sql`AND log.key = ${query.key}` : Prisma.empty}
        ${query.actor != null ? Prisma.sql`AND log.actor = ${query.actor}` : Prisma.empty}
      ORDER BY log.position
      LIMIT ${first + 1}
    ) AS page ON true
    -- The bigint column, not the text alias of the same name: positions order as numbers.
    ORDER BY page.position`;
  const refused = misplaced(rows[0]!.head, rows[0]!.after_stamp, rows[0]!.unstamped_until);
  if (refused) return refused;
  const found = rows.filter((row): row is ChangeLogRow & { position: string } => row.position !== null);
  const page = found.slice(0, first);
  const entries = page.map((row) => ({
    position: row.position,
    cursor: cursorOf(feed, row.position, row.stamp),
    entityType: row.entity_type,
    key: row.key,
    operation: row.operation,
    version: row.version,
    actor: row.actor,
    changedAt: row.changed_at,
    changes: Object.entries(row.changes ?? {}).map(([field, values]) => ({ field, oldValue: values.old, newValue: values.new })),
    details: row.details,
  }));
  const hasMore = found.length > first;
  const { head, head_stamp: headStamp, after_stamp: afterStampRead } = rows[0]!;
  // A narrowed page (types, key, actor) that is not full has read every change up to the head of its
  // snapshot, and positions up to the head are all committed (lockFeed): it ends there. Ending at its
  // last match instead, a partner following one type behind a busy other type read the same
  // non-matching changes again on every poll, and an empty page never moved at all.
  const narrowed = (query.types?.length ?? 0) > 0 || query.key != null || query.actor != null;
  // An empty page otherwise gives back the cursor it was asked with, with its stamp (also one of an earlier release's).
  const endCursor =
    narrowed && !hasMore && BigInt(head) > BigInt(after)
      ? cursorOf(feed, head, headStamp)
      : (entries.at(-1)?.cursor ?? cursorOf(feed, after, afterStampRead));
  return { entries, endCursor, hasMore };
}
