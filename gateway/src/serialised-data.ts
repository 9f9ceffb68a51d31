// Answers that reach the gateway as JSON — a subgraph's answer passed through (pass-through.ts) as
// text, the offload worker's result (offload.ts) as UTF-8 bytes — go out as they came. Before, the
// main thread parsed the text into objects, walked them for demand control's actual cost and had
// Apollo Server serialise them again: for the 500-municipality partner lookup (~200 KB) 4.3 ms of the
// main thread's CPU per answer, then 0.3 ms; for the funding query (3 KB) 60 µs, then 28 µs
// (in-process, docs/benchmarks.md).
//
// The data stays an object for everything that reads it (plugins, the CSV export): a proxy that
// parses the JSON on first access. Apollo Server's `stringifyResult` (stringifyResult below) writes
// the JSON in place of the data as long as nothing has read it (bytes through the HTTP layer's
// placeholders, answerBytesPlaceholder); once read, the data may have been changed anywhere inside,
// so it is written as JSON.stringify writes the parsed object.
import { answerBytesPlaceholder } from '@regiograph/shared';

/** Data kept as the JSON it arrived in. */
export interface SerialisedData {
  /** The data as JSON, exactly as JSON.stringify would write it: the text, or its UTF-8 bytes. */
  readonly json: string | Uint8Array;
  /** Objects in the data, as {@link countObjects} counts them. */
  readonly objects: number;
}

interface Entry extends SerialisedData {
  /** The parsed data, once anything read it: from then on the text may no longer say what it holds. */
  parsed: Record<string, unknown> | null;
}

/** The proxies handed out, to their entries. */
const entries = new WeakMap<object, Entry>();

/** Data that reads like the parsed `json` and is written back as `json` by {@link stringifyResult}. */
export function serialisedData({ json, objects }: SerialisedData): Record<string, unknown> {
  const entry: Entry = { json, objects, parsed: null };
  const parsed = () => (entry.parsed ??= JSON.parse(jsonText(json)) as Record<string, unknown>);
  // The target stays empty and extensible, so the proxy may report any configurable property of the
  // parsed object as its own (the invariants of ownKeys and getOwnPropertyDescriptor hold).
  const proxy = new Proxy<Record<string, unknown>>(
    {},
    {
      get: (_target, key) => Reflect.get(parsed(), key),
      has: (_target, key) => Reflect.has(parsed(), key),
      ownKeys: () => Reflect.ownKeys(parsed()),
      getOwnPropertyDescriptor: (_target, key) => Reflect.getOwnPropertyDescriptor(parsed(), key),
      set: (_target, key, value) => Reflect.set(parsed(), key, value),
      deleteProperty: (_target, key) => Reflect.deleteProperty(parsed(), key),
      defineProperty: (_target, key, descriptor) => Reflect.defineProperty(parsed(), key, descriptor),
    },
  );
  entries.set(proxy, entry);
  return proxy;
}

/** The text and object count of data made by {@link serialisedData}, while nothing has read it. */
export function serialisedDataOf(data: unknown): SerialisedData | undefined {
  if (data === null || typeof data !== 'object') return undefined;
  const entry = entries.get(data);
  return entry && entry.parsed === null ? { json: entry.json, objects: entry.objects } : undefined;
}

/** Objects in a value, itself included; lists of scalars are skipped whole (GraphQL lists are of one kind). */
function walkObjects(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  if (Array.isArray(value)) {
    let count = 0;
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      if (item !== null && typeof item !== 'object') return count;
      count += walkObjects(item);
    }
    return count;
  }
  let count = 1;
  const record = value as Record<string, unknown>;
  for (const key in record) count += walkObjects(record[key]);
  return count;
}

/**
 * The objects in an answer's data, as demand control's actual cost counts them: serialised data by
 * the count taken when it arrived (walking it would parse it), other data by walking it.
 */
export function countObjects(data: unknown): number {
  return serialisedDataOf(data)?.objects ?? walkObjects(data);
}

/** JSON as text. */
function jsonText(json: string | Uint8Array): string {
  return typeof json === 'string' ? json : Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('utf8');
}

/** Data as JSON text: its own when it still has it. */
export function dataJson(data: unknown): string {
  const serialised = serialisedDataOf(data);
  return serialised ? jsonText(serialised.json) : JSON.stringify(data);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_LIST = 0x5b;
const CLOSE_LIST = 0x5d;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const LETTER_F = 0x66;
const LETTER_T = 0x74;
const SPACE = 0x20;
const NEWLINE = 0x0a;
const TAB = 0x09;
const RETURN = 0x0d;

/**
 * The objects in a JSON text, counted as {@link countObjects} counts them in an answer (every object,
 * lists item by item, a list stops counting at its first scalar item other than null), or null when
 * the text, an object or a list, is not one value well formed in its brackets and strings (a cut-off
 * answer, two values).
 * The text comes from a subgraph's or the worker's JSON.stringify, so this checks its structure, not
 * every token.
 */
export function countJsonObjects(json: string): number | null {
  // Per open bracket: whether it is a list, and whether objects inside it still count.
  const lists: boolean[] = [];
  const counting: boolean[] = [];
  let counts = true;
  let inList = false;
  let objects = 0;
  let closed = false;
  for (let index = 0; index < json.length; index++) {
    const code = json.charCodeAt(index);
    // After the outermost bracket closed, only white space may follow: one value, not several.
    if (closed && code !== SPACE && code !== NEWLINE && code !== TAB && code !== RETURN) return null;
    if (code === QUOTE) {
      let end = json.indexOf('"', index + 1);
      while (end !== -1) {
        let backslashes = 0;
        for (let before = end - 1; json.charCodeAt(before) === BACKSLASH; before--) backslashes++;
        if (backslashes % 2 === 0) break;
        end = json.indexOf('"', end + 1);
      }
      if (end === -1) return null;
      index = end;
      if (inList) counts = false;
    } else if (code === OPEN_OBJECT || code === OPEN_LIST) {
      if (code === OPEN_OBJECT && counts) objects++;
      lists.push(inList);
      counting.push(counts);
      inList = code === OPEN_LIST;
    } else if (code === CLOSE_OBJECT || code === CLOSE_LIST) {
      if (inList !== (code === CLOSE_LIST) || lists.length === 0) return null;
      inList = lists.pop()!;
      counts = counting.pop()!;
      closed = lists.length === 0;
    } else if (inList && (code === MINUS || (code >= DIGIT_0 && code <= DIGIT_9) || code === LETTER_T || code === LETTER_F)) {
      counts = false;
    }
  }
  return lists.length === 0 ? objects : null;
}

const DATA_PREFIX = '{"data":';

/**
 * The data of a subgraph's answer `{"data":{…}}` (nothing else in it, as pass-through checks), or
 * null when the text is not such an answer or is cut off.
 */
export function answerData(answer: string): SerialisedData | null {
  const end = answer.lastIndexOf('}');
  if (!answer.startsWith(DATA_PREFIX) || answer.charCodeAt(DATA_PREFIX.length) !== OPEN_OBJECT || end <= DATA_PREFIX.length) return null;
  if (answer.slice(end + 1).trim() !== '') return null;
  const json = answer.slice(DATA_PREFIX.length, end);
  const objects = countJsonObjects(json);
  return objects === null ? null : { json, objects };
}

/** Serialised data whose JSON is UTF-8 bytes in an ArrayBuffer of their own, which a message can transfer. */
export type TransferableData = SerialisedData & { readonly json: Uint8Array<ArrayBuffer> };

/**
 * Serialised data for another thread: its JSON as UTF-8 bytes that own their ArrayBuffer, so that the
 * message moves them instead of copying, and the receiving thread writes them to its client as they
 * are. Encoding here spares the main thread a copy of a long text and its encoding.
 */
export function transferable({ json, objects }: SerialisedData): TransferableData {
  if (
    typeof json !== 'string' &&
    json.buffer instanceof ArrayBuffer &&
    json.byteOffset === 0 &&
    json.byteLength === json.buffer.byteLength
  ) {
    return { json: json as Uint8Array<ArrayBuffer>, objects };
  }
  // Not Buffer.from: short texts would share its pool's ArrayBuffer, which cannot be transferred alone.
  const bytes = Buffer.allocUnsafeSlow(typeof json === 'string' ? Buffer.byteLength(json) : json.byteLength);
  if (typeof json === 'string') bytes.write(json);
  else bytes.set(json);
  return { json: bytes, objects };
}

/** Data as JSON and object count, for another thread: its own JSON when it still has it. */
export function serialise(data: unknown): TransferableData {
  // Walking the objects costs a third of scanning their text (200 KB: 0.3 against 0.9 ms).
  return transferable(serialisedDataOf(data) ?? { json: JSON.stringify(data), objects: walkObjects(data) });
}

/** The data's place in the answer's text: its text, or a placeholder for its bytes. */
function dataText(json: string | Uint8Array): string {
  return typeof json === 'string' ? json : (answerBytesPlaceholder(json) ?? jsonText(json));
}

/**
 * Apollo Server's `stringifyResult`: JSON.stringify(result) and a line break, as Apollo's own,
 * with serialised data written as its JSON (bytes through a placeholder of the HTTP layer). Key
 * order and omitted keys are JSON.stringify's.
 */
export function stringifyResult(result: { errors?: unknown; data?: unknown; extensions?: unknown }): string {
  const serialised = serialisedDataOf(result.data);
  if (!serialised) return JSON.stringify(result) + '\n';
  // Appended, not joined: a join copies the data's text into a new string, which the HTTP layer
  // then walks again to encode it.
  let text = '{';
  for (const key of Object.keys(result) as (keyof typeof result)[]) {
    const value = key === 'data' ? dataText(serialised.json) : JSON.stringify(result[key]);
    if (value !== undefined) text += `${text.length > 1 ? ',' : ''}${JSON.stringify(key)}:${value}`;
  }
  return text + '}\n';
}
