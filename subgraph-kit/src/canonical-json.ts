/**
 * A value as canonical JSON: object keys sorted, dates as ISO text, big integers as digits, undefined
 * fields left out. Two values that mean the same give the same text, whatever order their fields were
 * built in: what a hash of them (an idempotency request, a seed's fingerprint) needs.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}

function canonical(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, field]) => field !== undefined);
    return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, field]) => [name, canonical(field)]));
  }
  return value;
}
