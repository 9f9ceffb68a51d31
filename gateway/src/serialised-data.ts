// Answers that reach the gateway as JSON text — a subgraph's answer passed through (pass-through.ts),
// the offload worker's result (offload.ts) — go out as that text. Before, the main thread parsed the
// text into objects, walked them for demand control's actual cost and had Apollo Server serialise
// them again: for the 500-municipality partner lookup (~200 KB) 4.3 ms of the main thread's CPU per
// answer, now 0.3 ms; for the funding query (3 KB) 60 µs, now 28 µs (in-process, docs/benchmarks.md).
//
// The data stays an object for everything that reads it (plugins, the CSV export): a proxy that
// parses the text on first access. Apollo Server's `stringifyResult` (stringifyResult below) writes
// the text in place of the data as long as nothing has read it; once read, the data may have been
// changed anywhere inside, so it is written as JSON.stringify writes the parsed object.

/** Data kept as the JSON text it arrived in. */
export interface SerialisedData {
  /** The data as JSON, exactly as JSON.stringify would write it. */
  readonly json: string;
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
  const parsed = () => (entry.parsed ??= JSON.parse(json) as Record<string, unknown>);
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

/** Data as JSON: its own text when it still has it. */
export function dataJson(data: unknown): string {
  return serialisedDataOf(data)?.json ?? JSON.stringify(data);
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

/** Data as text and object count, for another thread: its own text when it still has it. */
export function serialise(data: unknown): SerialisedData {
  // Walking the objects costs a third of scanning their text (200 KB: 0.3 against 0.9 ms).
  return serialisedDataOf(data) ?? { json: JSON.stringify(data), objects: walkObjects(data) };
}

/**
 * Apollo Server's `stringifyResult`: JSON.stringify(result) and a line break, as Apollo's own,
 * with serialised data written as its text. Key order and omitted keys are JSON.stringify's.
 */
export function stringifyResult(result: { errors?: unknown; data?: unknown; extensions?: unknown }): string {
  const serialised = serialisedDataOf(result.data);
  if (!serialised) return JSON.stringify(result) + '\n';
  // Appended, not joined: a join copies the data's text into a new string, which the HTTP layer
  // then walks again to encode it.
  let text = '{';
  for (const key of Object.keys(result) as (keyof typeof result)[]) {
    const value = key === 'data' ? serialised.json : JSON.stringify(result[key]);
    if (value !== undefined) text += `${text.length > 1 ? ',' : ''}${JSON.stringify(key)}:${value}`;
  }
  return text + '}\n';
}
