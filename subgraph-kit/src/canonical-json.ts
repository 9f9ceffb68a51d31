/**
 * A value as canonical JSON: object keys sorted, dates as ISO text, big integers as digits, undefined
 * fields left out. Two values that mean the same give the same text, whatever order their fields were
 * built in: what a hash of them (an idempotency request, a seed's fingerprint) needs.
 *
 * The text is exactly `JSON.stringify` of a copy with sorted keys, the form stored fingerprints and
 * idempotency hashes were made with, so keys that are array indices ("0", "2011") come first in
 * numeric order, as a JavaScript object orders them. It is written directly rather than through
 * such a copy: the indicators seed's fingerprint covers about 320,000 observations, and building the copy
 * took most of its time.
 */
export function canonicalJson(value: unknown): string {
  return write(value) ?? 'null';
}

/** The value's text; undefined where JSON.stringify leaves a field out (undefined, functions, symbols). */
function write(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
      return 'null';
    case 'function':
    case 'symbol':
      return undefined;
    case 'bigint':
      return `"${value.toString()}"`;
    case 'object':
      break;
    default:
      return JSON.stringify(value);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((item: unknown) => write(item) ?? 'null').join(',')}]`;
  const record = value as Record<string, unknown>;
  let text = '';
  for (const name of orderedKeys(record)) {
    const field = record[name];
    if (field === undefined) continue;
    const written = write(field);
    if (written === undefined) continue;
    text += `${text === '' ? '' : ','}${JSON.stringify(name)}:${written}`;
  }
  return `{${text}}`;
}

/** Sorted keys, array indices first in numeric order (an object built from sorted entries orders them so). */
function orderedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record).sort();
  if (!keys.some(isArrayIndex)) return keys;
  return [...keys.filter(isArrayIndex).sort((a, b) => Number(a) - Number(b)), ...keys.filter((key) => !isArrayIndex(key))];
}

function isArrayIndex(key: string): boolean {
  // Most keys are field names: a first character that is no digit settles it without a conversion.
  const first = key.charCodeAt(0);
  if (!(first >= 48 && first <= 57)) return false;
  const index = Number(key);
  return Number.isInteger(index) && index < 2 ** 32 - 1 && String(index) === key;
}
