// A database seeded by an earlier release keeps what that release wrote: a corrected date or a new
// break note reaches it only if the seed runs again. So each subgraph lists the fingerprints of what
// its seed wrote, release by release (the last one its seed test recomputes, so it cannot go stale
// unnoticed), and its schema's `seed_state` row holds the fingerprint of what was last seeded there. A
// start seeds only forward: when the stored fingerprint is an earlier one of the list, or there is
// none. One the list does not know was written by a later release: an older replica still running
// during a rolling upgrade, or a rollback, leaves it as it is instead of undoing it, so that the data
// does not flip between releases (each flip a new version for editors and partners). A seed that
// holds back part of what it would write (the cooperations seed, a removal projects still link to)
// does not record its fingerprint, so that the next start seeds again and tries again.
//
// Seeding again must lose nothing people did: a seeded record that anyone but the seed wrote since
// (an editor changed or deleted it, an import replaced it) is left as it is. The change feed already
// names the actor of every write, so it tells which ones.
import { createHash } from 'node:crypto';
import { Prisma, type RawExecutor } from '@regiograph/db';
import { SEED_ACTOR, type Logger } from '@regiograph/shared';
import { canonicalJson } from './canonical-json';
import { feedTable, lockUntilCommit, type ChangeFeed } from './change-feed';

/**
 * The fingerprint of what a seed writes: SHA-256 over its records as canonical JSON, part by part
 * (in the order of the part names) and record by record (in the order given), so that a large seed
 * is hashed without one string of all of it.
 */
export function shippedDataFingerprint(parts: Record<string, readonly unknown[]>): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(parts).sort()) {
    hash.update(`${name}\n`);
    for (const record of parts[name]!) hash.update(`${canonicalJson(record)}\n`);
  }
  return hash.digest('hex');
}

function seedStateTable(schema: string): Prisma.Sql {
  // Schema names come from the subgraph's code, never from a request.
  return Prisma.raw(`"${schema}".seed_state`);
}

/** The fingerprint of what was last seeded in the schema; null when nothing was, or before fingerprints were kept. */
export async function seededFingerprint(sql: RawExecutor, schema: string): Promise<string | null> {
  const rows = await sql.$queryRaw<{ fingerprint: string }>`SELECT fingerprint FROM ${seedStateTable(schema)}`;
  return rows[0]?.fingerprint ?? null;
}

/**
 * Takes the schema's seed lock until the transaction ends, as the seed's first statement: replicas of
 * a subgraph that start together after an upgrade seed one after the other. With `onlyIfBehind` (a
 * start's seed: its release's fingerprints) it then checks again that the data is still behind
 * (assertStillBehind).
 */
export async function lockSeed(sql: RawExecutor, schema: string, onlyIfBehind?: readonly string[]): Promise<void> {
  await lockUntilCommit(sql, `regiograph.seed.${schema}`);
  await assertStillBehind(sql, schema, onlyIfBehind);
}

/** Ends a start's seed that, holding the seed lock, finds the data no longer behind (assertStillBehind). */
export class SeededMeanwhile extends Error {
  constructor(readonly schema: string) {
    super(`${schema}: seeded by another replica meanwhile`);
    this.name = 'SeededMeanwhile';
  }
}

/**
 * For a start's seed, holding the seed lock: checks again that the data is still behind this release.
 * Another replica, perhaps of another release, may have seeded while this one waited for the lock;
 * then SeededMeanwhile ends the transaction before it wrote anything (seedIfBehind answers null).
 */
export async function assertStillBehind(sql: RawExecutor, schema: string, fingerprints: readonly string[] | undefined): Promise<void> {
  if (fingerprints && seedDecision(await seededFingerprint(sql, schema), fingerprints) !== 'seed') throw new SeededMeanwhile(schema);
}

/** Stores the fingerprint of what the seed wrote, in the seed's transaction. */
export async function recordSeededFingerprint(sql: RawExecutor, schema: string, fingerprint: string): Promise<void> {
  await sql.$executeRaw`
    INSERT INTO ${seedStateTable(schema)} (id, fingerprint, seeded_at) VALUES (true, ${fingerprint}, now())
    ON CONFLICT (id) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, seeded_at = EXCLUDED.seeded_at`;
}

/** What a start does with the data stored: seed it forward, leave it (current), or leave it (a later release's). */
export type SeedDecision = 'seed' | 'current' | 'later';

/**
 * The decision for a stored fingerprint (null: nothing seeded, or seeded before fingerprints were
 * kept) and the subgraph's fingerprints, oldest first, the last this release's.
 */
export function seedDecision(stored: string | null, fingerprints: readonly string[]): SeedDecision {
  if (stored === fingerprints.at(-1)) return 'current';
  if (stored === null || fingerprints.includes(stored)) return 'seed';
  return 'later';
}

/**
 * A start's seed: runs `seed` (given the release's fingerprints, for lockSeed) when the schema's data
 * is behind this release (seedDecision), and answers its result; null when there was nothing to do,
 * also when another replica seeded while this one waited for the lock. One statement when current,
 * as at most starts. Data a later release seeded is left as it is, and `logger` says so.
 */
export async function seedIfBehind<Result>(
  sql: RawExecutor,
  schema: string,
  fingerprints: readonly string[],
  logger: Pick<Logger, 'warn'> | undefined,
  seed: (onlyIfBehind: readonly string[]) => Promise<Result>,
): Promise<Result | null> {
  const stored = await seededFingerprint(sql, schema);
  const decision = seedDecision(stored, fingerprints);
  if (decision === 'later') {
    logger?.warn(`${schema}: the data was seeded by a release this one does not know (a later one): left as it is`, { stored });
  }
  if (decision !== 'seed') return null;
  try {
    return await seed(fingerprints);
  } catch (error) {
    if (error instanceof SeededMeanwhile) return null;
    throw error;
  }
}

/**
 * Keys of `entityType` that some write other than the seed's touched: created, changed or deleted
 * by an editor, or written by an import. A seed that runs again leaves these as they are.
 */
export async function keysWrittenByPeople(sql: RawExecutor, feed: ChangeFeed<string>, entityType: string): Promise<Set<string>> {
  const rows = await sql.$queryRaw<{ key: string }>`
    SELECT DISTINCT key FROM ${feedTable(feed, 'change_log')}
    WHERE entity_type = ${entityType} AND actor <> ${SEED_ACTOR}`;
  return new Set(rows.map((row) => row.key));
}

/**
 * The versions the seed writes `keys` at: one above any each had, stored or announced in the feed. A
 * key the seed removed once (a tombstone) and ships again continues from its last version, so a
 * partner never sees a key's versions run backwards.
 */
export async function nextSeedVersions(
  sql: RawExecutor,
  feed: ChangeFeed<string>,
  entityType: string,
  keys: readonly string[],
  stored: ReadonlyMap<string, number>,
): Promise<(key: string) => number> {
  const rows = await sql.$queryRaw<{ key: string; version: number }>`
    SELECT DISTINCT ON (key) key, version FROM ${feedTable(feed, 'change_log')}
    WHERE entity_type = ${entityType} AND key = ANY(${keys}::text[]) AND version IS NOT NULL
    ORDER BY key, position DESC`;
  const announced = new Map(rows.map((row) => [row.key, row.version]));
  return (key) => Math.max(stored.get(key) ?? 0, announced.get(key) ?? 0) + 1;
}

/** The log line of a seed that ran again: what it wrote, removed and kept, e.g. "cooperations seed: wrote 1 cooperation(s) …". */
export function describeReseed(subgraph: string, records: string, plan: ReseedPlan): string {
  return (
    `${subgraph} seed: wrote ${plan.write.length} ${records} new or changed, removed ${plan.remove.length} no longer shipped, ` +
    `kept ${plan.kept.length} people changed since${plan.kept.length > 0 ? `: ${plan.kept.join(', ')}` : ''}`
  );
}

/** What a seed that runs again does with each seeded record, by key. */
export interface ReseedPlan {
  /** Shipped records to write: new ones, and stored ones whose shipped form changed. */
  write: string[];
  /** Stored seeded records the shipped data no longer has (e.g. of an earlier generator). */
  remove: string[];
  /** Records people wrote since, left as they are (also when the shipped data changed them). */
  kept: string[];
}

/**
 * Compares the shipped records with the stored seeded ones, each given as its comparable form by
 * key (`comparableForm`), and leaves out every key in `people` (keysWrittenByPeople): records
 * that did not change are not written again, so their versions stay and the feed reports nothing.
 */
export function planReseed(shipped: Map<string, string>, stored: Map<string, string>, people: Set<string>): ReseedPlan {
  const plan: ReseedPlan = { write: [], remove: [], kept: [] };
  for (const [key, form] of shipped) {
    if (people.has(key)) plan.kept.push(key);
    else if (stored.get(key) !== form) plan.write.push(key);
  }
  for (const key of stored.keys()) {
    if (shipped.has(key)) continue;
    if (people.has(key)) plan.kept.push(key);
    else plan.remove.push(key);
  }
  return plan;
}

/**
 * A record as comparable text: the fields the shipped record `template` sets (the fields the seed
 * writes), numbers and decimals as their digits (without trailing zeros), dates as ISO text, keys
 * sorted. A shipped record and the row read back for it give the same text when the row holds what
 * the record says.
 */
export function comparableForm(record: object, template: object = record): string {
  const values = record as Record<string, unknown>;
  const fields = Object.entries(template).filter(([, value]) => value !== undefined);
  return canonicalJson(Object.fromEntries(fields.map(([field]) => [field, comparable(values[field])])));
}

function comparable(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'bigint' || Prisma.Decimal.isDecimal(value)) return String(value);
  // A decimal the seed gives as text ("0.6500") reads back as the column's Decimal, written "0.65".
  if (typeof value === 'string' && /^-?\d+\.\d+$/.test(value)) return value.replace(/\.?0+$/, '');
  if (Array.isArray(value)) return value.map(comparable);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([name, field]) => [name, comparable(field)]));
  }
  return value;
}

/**
 * A seeded record with its children (memberships, fundings, …: one list per kind) as one comparable
 * text. For a stored row, `shipped` is the shipped record it is compared with and one shipped child
 * of each kind (undefined when the shipped record has none): their fields are the ones compared.
 */
export function recordForm(
  record: object,
  children: readonly (readonly object[])[],
  shipped?: { record: object; children: readonly (object | undefined)[] },
): string {
  const childForms = children.map((list, kind) => {
    const template = shipped ? shipped.children[kind] : undefined;
    return (
      list
        // A stored child of a kind the shipped record has none of differs from every shipped form.
        .map((child) => (shipped ? (template ? comparableForm(child, template) : 'not shipped') : comparableForm(child)))
        .sort()
        .join('\n')
    );
  });
  return [comparableForm(record, shipped?.record ?? record), ...childForms].join('\n\n');
}
