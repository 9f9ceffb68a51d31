// The one write path of every subgraph that accepts mutations: authorization, field validation,
// refusals that roll a transaction back, and optimistic concurrency by a version column. A
// mutation validates its input with a Validator, answers refused input as field errors in its
// payload (nothing written), and does its writes in `refusable(() => prisma.$transaction(…))`,
// where `bumpVersion` refuses a stale expectedVersion. A mutation that reads the record for its
// checks before its transaction passes the version it read (`read`) and runs in `retryStaleReads`.
import { readsOnPrimaryOnly, withPrimaryReads } from '@regiograph/db';
import { requireDistrict, requireScope, type Caller } from '@regiograph/shared';

/** Why an input field was refused; every subgraph uses a subset of these codes with the same meaning. */
export type InputErrorCode =
  | 'REQUIRED'
  | 'INVALID'
  | 'OUT_OF_RANGE'
  | 'UNKNOWN_REGION'
  | 'UNKNOWN_PROGRAMME'
  | 'NOT_FOUND'
  | 'VERSION_CONFLICT'
  | 'INVALID_TRANSITION'
  | 'IN_USE';

/** One problem with one input field. */
export interface FieldError<Code extends string = InputErrorCode> {
  /** Path of the input field, e.g. "input.endDate" or "input.regions[1].regionCode". */
  field: string;
  message: string;
  code: Code;
}

/** Raised inside a transaction to roll it back and answer with field errors instead. */
export class RefusedWrite<Code extends string = InputErrorCode> extends Error {
  constructor(readonly errors: FieldError<Code>[]) {
    super('refused');
  }
}

/**
 * Runs a write, usually `prisma.$transaction(…)`: its result, or the field errors of a RefusedWrite
 * thrown inside it (the transaction is then rolled back). Any other error propagates.
 */
export async function refusable<T, Code extends string = InputErrorCode>(write: () => Promise<T>): Promise<T | FieldError<Code>[]> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof RefusedWrite) return error.errors as FieldError<Code>[];
    throw error;
  }
}

/** Whether `refusable` answered with field errors rather than a result. */
export function isRefused<T, Code extends string>(result: T | FieldError<Code>[]): result is FieldError<Code>[] {
  return Array.isArray(result);
}

/** The field error of a record that is not there. */
export function notFound(field: string, what: string, id: string): FieldError<'NOT_FOUND'> {
  return { field, message: `${what} ${JSON.stringify(id)} does not exist`, code: 'NOT_FOUND' };
}

/** The largest key of a PostgreSQL `serial` (int4) column. */
export const MAX_SERIAL_KEY = 2_147_483_647;

/**
 * The key of a record with a `serial` id given as a GraphQL ID (a string, or an integer literal the
 * ID scalar accepts): a canonical decimal 1–2147483647, else null, which a mutation answers like any
 * key nobody holds (notFound). Strict on purpose: `Number()` reads "0x10", "1e2" and " 12 " as other
 * records' keys, and a key beyond int4 is a database error, not an unknown record.
 */
export function serialKey(id: string | number): number | null {
  const text = String(id);
  if (!/^[1-9][0-9]{0,9}$/.test(text)) return null;
  const key = Number(text);
  return key <= MAX_SERIAL_KEY ? key : null;
}

/** How many of the records that stand in a write's way its message names. */
const KEYS_NAMED = 10;

/**
 * The keys of the records that stand in a write's way (records of another subgraph that link to
 * the record, entityLinks in references.ts), as its message names them: the first few, quoted, and
 * how many more.
 */
export function namedKeys(keys: readonly string[]): string {
  const named = keys.slice(0, KEYS_NAMED).map((key) => JSON.stringify(key));
  if (keys.length > KEYS_NAMED) named.push(`${keys.length - KEYS_NAMED} more`);
  return named.join(', ');
}

/** The field error of a delete that records of another subgraph still link to (entityLinks in references.ts). */
export function inUse(field: string, what: string, id: string, linking: { what: string; keys: readonly string[] }): FieldError<'IN_USE'> {
  return {
    field,
    message: `${what} ${JSON.stringify(id)} is still linked from ${linking.keys.length} ${linking.what} record(s) (${namedKeys(linking.keys)}): unlink them before deleting it`,
    code: 'IN_USE',
  };
}

/**
 * The field error of an expectedVersion that is not the record's; `current` is null when the record
 * is gone. A version above the current one was never read from this record (a partner's mirror of
 * another environment, a counter kept by the caller): "changed by someone else" sent them looking for
 * a concurrent writer that does not exist.
 */
export function versionConflict(
  field: string,
  what: string,
  current: number | null,
  expected?: number | null,
): FieldError<'VERSION_CONFLICT'> {
  let message: string;
  if (current === null) message = `the ${what} no longer exists`;
  else if (expected != null && expected > current)
    message = `the ${what} has never had version ${expected}; its current version is ${current}: send the version you read`;
  else message = `the ${what} was changed by someone else; its current version is ${current}`;
  return { field, message, code: 'VERSION_CONFLICT' };
}

/**
 * The rows of a table with an `id` and an integer `version` column, as a Prisma model delegate (or a
 * transaction's) offers them.
 */
export interface VersionedRows<Data> {
  updateMany(args: { where: { id: string; version?: number }; data: Data }): PromiseLike<{ count: number }>;
  findUnique(args: { where: { id: string }; select: { version: true } }): PromiseLike<{ version: number } | null>;
}

export interface BumpVersionOptions<Data> {
  /**
   * The version the caller read, or null or undefined where the mutation lets the caller leave it
   * out: then `read` stands in for it.
   */
  expected: number | null | undefined;
  /**
   * The version the write read with its checks, before its transaction: the condition when the
   * caller sent no `expected`. A change since (by a writer that committed in between, or one that
   * holds the row) throws StaleRead, and `retryStaleReads` runs the write again from a fresh read;
   * so does a `read` older than `expected` (the reads came from a replica behind the caller).
   * Without either, the increment is unconditional.
   */
  read?: number;
  /** Further changes written with the increment, in the same statement. */
  data?: Data;
  /** The input field named by a VERSION_CONFLICT, e.g. "input.expectedVersion". */
  field: string;
  /** What the record is called in messages, e.g. "project". */
  what: string;
}

/**
 * Thrown by `bumpVersion` when the record changed after the write read it for its checks, and the
 * caller had sent no version: the write's checks and its audit entry would describe a state that is
 * gone. Not a RefusedWrite, so `refusable` lets it through to `retryStaleReads`.
 */
export class StaleRead extends Error {
  constructor(readonly conflict: FieldError<'VERSION_CONFLICT'>) {
    super(conflict.message);
  }
}

/**
 * Increments the record's version if it is still `expected` (or, without it, `read`), else throws a
 * RefusedWrite with a VERSION_CONFLICT (inside `refusable`, the transaction rolls back) or, for a
 * changed `read`, a StaleRead. The row lock the update takes also serialises concurrent writers of
 * the record until the transaction ends: the condition is checked again once a writer holding the
 * row has committed.
 */
export async function bumpVersion<Data extends object>(
  rows: VersionedRows<Data & { version: { increment: number } }>,
  id: string,
  options: BumpVersionOptions<Data>,
): Promise<void> {
  const mismatch = options.read === undefined ? null : versionReadMismatch(options.read, options);
  if (mismatch) throw new RefusedWrite([mismatch]);
  const condition = options.expected ?? options.read;
  const { count } = await rows.updateMany({
    where: condition == null ? { id } : { id, version: condition },
    data: { ...(options.data ?? ({} as Data)), version: { increment: 1 } },
  });
  if (count === 0) {
    const current = await rows.findUnique({ where: { id }, select: { version: true } });
    const conflict = versionConflict(options.field, options.what, current?.version ?? null, options.expected);
    if (options.expected == null && current) throw new StaleRead(conflict);
    throw new RefusedWrite([conflict]);
  }
}

/**
 * The version a write read for its checks against the one its caller sent: null when they agree (or
 * the caller sent none), else the VERSION_CONFLICT to answer. Read older than the caller's version
 * where reads may come from a replica means a replica behind the caller: StaleRead, so the checks
 * run again on the primary instead of on a state the caller has already seen pass. On the primary
 * (inside `withPrimaryReads`, or any mutation request: see the kit's server) it is a version that
 * does not exist yet, refused at once like any other.
 */
export function versionReadMismatch(
  read: number,
  options: { expected: number | null | undefined; field: string; what: string },
): FieldError<'VERSION_CONFLICT'> | null {
  if (options.expected == null || read === options.expected) return null;
  const conflict = versionConflict(options.field, options.what, read, options.expected);
  if (read < options.expected && !readsOnPrimaryOnly()) throw new StaleRead(conflict);
  return conflict;
}

/** How often `retryStaleReads` runs a write whose read went stale before it answers VERSION_CONFLICT. */
export const STALE_READ_ATTEMPTS = 10;

/**
 * Runs a write (the whole mutation: its reads, checks and transaction) again while its reads went
 * stale before its transaction (StaleRead), so that a caller who sent no version neither overwrites
 * a concurrent change with values read before it nor passes checks against data that is gone. After
 * `attempts` stale runs in a row it answers `refused(conflict)`: the record is changing faster than
 * the write can be applied.
 */
export async function retryStaleReads<T>(
  write: () => Promise<T>,
  refused: (conflict: FieldError<'VERSION_CONFLICT'>) => T,
  attempts = STALE_READ_ATTEMPTS,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      // The first run may read from a replica; once that proved stale, read what is committed now.
      return await (attempt === 1 ? write() : withPrimaryReads(write));
    } catch (error) {
      if (!(error instanceof StaleRead)) throw error;
      if (attempt >= attempts) return refused(error.conflict);
    }
  }
}

/** The rows of a versioned table as a Prisma model delegate offers them for a delete. */
export interface DeletableRows {
  deleteMany(args: { where: { id: string; version: number } }): PromiseLike<{ count: number }>;
  findUnique(args: { where: { id: string }; select: { version: true } }): PromiseLike<{ version: number } | null>;
}

/**
 * Deletes the record if it still has version `expected`, else throws a RefusedWrite with a
 * VERSION_CONFLICT; with `read` (the version its checks read), a read behind `expected` is a
 * StaleRead, as for bumpVersion.
 */
export async function deleteVersioned(
  rows: DeletableRows,
  id: string,
  options: Omit<BumpVersionOptions<object>, 'data' | 'expected'> & { expected: number },
): Promise<void> {
  const mismatch = options.read === undefined ? null : versionReadMismatch(options.read, options);
  if (mismatch) throw new RefusedWrite([mismatch]);
  const { count } = await rows.deleteMany({ where: { id, version: options.expected } });
  if (count === 0) {
    const current = await rows.findUnique({ where: { id }, select: { version: true } });
    throw new RefusedWrite([versionConflict(options.field, options.what, current?.version ?? null, options.expected)]);
  }
}

/**
 * The caller allowed to write with `scope` records of every given ArL district: UNAUTHENTICATED when
 * anonymous or the token was refused, FORBIDDEN without the scope or when a district-bound editor
 * names another district (null: a record of no district, e.g. the state as a whole).
 */
export function authorizeWrite(caller: () => Caller | null, scope: string, districtCodes: Iterable<string | null> = []): Caller {
  const authorized = requireScope(caller(), scope);
  for (const districtCode of new Set(districtCodes)) requireDistrict(authorized, districtCode);
  return authorized;
}

/**
 * Characters that show nothing: white space, the default-ignorable code points (zero-width space
 * and joiners, word joiner, soft hyphen, bidi controls, variation selectors, Hangul fillers, tags),
 * control characters, and the blank Braille cell (U+2800, the usual way round a blank check).
 */
const INVISIBLE = /[\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}\u2800]/u;
const ONLY_INVISIBLE = new RegExp(`^${INVISIBLE.source}*$`, 'u');
/**
 * Control characters other than tab and line breaks, and the bidirectional embeddings, overrides
 * and isolates: a title holding ESC or BEL garbles every terminal and CSV it reaches, and U+202E
 * shows a reader other text than the one stored, compared and searched ("Trojan Source").
 */
const UNPRINTABLE = /(?![\t\n\r])[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

/**
 * The length of a text in characters as limits count them: Unicode code points, so an emoji counts
 * once, not as its two UTF-16 units. Not graphemes: a grapheme may carry any number of combining
 * marks, and a limit must bound what is stored.
 */
export function characterCount(text: string): number {
  return [...text].length;
}

/** Collects field errors; field names are given relative to the mutation's `input` argument. */
export class Validator<Code extends string = InputErrorCode> {
  readonly errors: FieldError<Code | 'REQUIRED' | 'INVALID' | 'OUT_OF_RANGE'>[] = [];

  constructor(private readonly prefix = 'input.') {}

  add(field: string, code: Code | 'REQUIRED' | 'INVALID' | 'OUT_OF_RANGE', message: string): void {
    this.errors.push({ field: `${this.prefix}${field}`, code, message });
  }

  has(field: string): boolean {
    return this.errors.some((error) => error.field === `${this.prefix}${field}`);
  }

  get ok(): boolean {
    return this.errors.length === 0;
  }

  /**
   * A text, trimmed: undefined when not given (an update keeps the stored value), null when empty
   * or made only of invisible characters, which looks empty to every reader (REQUIRED if it must not
   * be), OUT_OF_RANGE beyond `max` characters (code points, see characterCount), and INVALID with
   * a control character or a bidirectional override in it (UNPRINTABLE).
   */
  text(
    field: string,
    value: string | null | undefined,
    options: { required: boolean; max: number; /** url() refuses them itself, in its own words. */ allowUnprintable?: boolean },
  ): string | null | undefined {
    if (value === undefined) return undefined;
    const trimmed = value?.trim() ?? '';
    if (ONLY_INVISIBLE.test(trimmed)) {
      if (options.required) this.add(field, 'REQUIRED', 'must not be empty.');
      return null;
    }
    if (characterCount(trimmed) > options.max) this.add(field, 'OUT_OF_RANGE', `must be at most ${options.max} characters.`);
    if (!options.allowUnprintable && UNPRINTABLE.test(trimmed)) {
      this.add(field, 'INVALID', 'must not contain control characters (other than tabs and line breaks) or bidirectional overrides.');
    }
    return trimmed;
  }

  /**
   * An http(s) URL of at most `max` characters, trimmed like a text (null when empty, REQUIRED if
   * `required`). White space, control or invisible characters inside it are refused rather than
   * stored: the URL parser drops or encodes them, so the text stored would not be the address that
   * was checked, nor what a reader sees the address to be. Store the returned value.
   */
  url(field: string, value: string | null | undefined, max: number, options: { required?: boolean } = {}): string | null | undefined {
    const before = this.errors.length;
    const text = this.text(field, value, { required: options.required ?? false, max, allowUnprintable: true });
    // Too long is reported as too long, not as malformed as well.
    if (!text || this.errors.length > before) return text;
    if (INVISIBLE.test(text)) {
      this.add(field, 'INVALID', 'must not contain spaces, control or invisible characters (percent-encode them, e.g. a space as %20).');
      return text;
    }
    try {
      const url = new URL(text);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
    } catch {
      this.add(field, 'INVALID', 'must be an http(s) URL.');
    }
    return text;
  }

  /** OUT_OF_RANGE when both days are known and `until` lies before `from`. */
  dateOrder(field: string, from: Date | null, until: Date | null, message: string): void {
    if (from && until && until < from) this.add(field, 'OUT_OF_RANGE', message);
  }

  /** OUT_OF_RANGE when a day lies outside the years `minYear`–`maxYear`; the day, or null. */
  yearRange(field: string, day: Date | null, minYear: number, maxYear: number): Date | null {
    if (!day) return null;
    const year = day.getUTCFullYear();
    if (year < minYear || year > maxYear) {
      this.add(field, 'OUT_OF_RANGE', `must lie between ${minYear} and ${maxYear}`);
      return null;
    }
    return day;
  }
}
