import { canonicalJson } from './canonical-json';

/**
 * The form the stored fingerprints (SHIPPED_DATA_FINGERPRINTS) and idempotency hashes were made
 * with: JSON.stringify of a copy whose objects were rebuilt from their sorted entries. canonicalJson
 * must write exactly this text, or every database would seed again and retried writes would be
 * refused as different requests.
 */
function stringifySortedCopy(value: unknown): string {
  const copy = (item: unknown): unknown => {
    if (item === null || item === undefined) return null;
    if (item instanceof Date) return item.toISOString();
    if (typeof item === 'bigint') return item.toString();
    if (Array.isArray(item)) return item.map(copy);
    if (typeof item === 'object') {
      const entries = Object.entries(item as Record<string, unknown>).filter(([, field]) => field !== undefined);
      return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, field]) => [name, copy(field)]));
    }
    return item;
  };
  return JSON.stringify(copy(value));
}

/** A deterministic generator (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = [
  'a',
  'b',
  'B',
  'é',
  'z9',
  '0',
  '1',
  '2',
  '10',
  '2011',
  '01',
  '-1',
  '1.5',
  '4294967294',
  '4294967295',
  'code',
  'value',
  '',
  '"q"',
];

function randomValue(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 3 ? 9 : 11));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return undefined;
    case 2:
      return Math.round(next() * 1e6) / 100 - 5000;
    case 3:
      return `text ${Math.floor(next() * 100)} "quoted" \\ ü \n`;
    case 4:
      return next() < 0.5;
    case 5:
      return BigInt(Math.floor(next() * 1e9)) * 1000003n;
    case 6:
      return new Date(Date.UTC(2000 + Math.floor(next() * 30), Math.floor(next() * 12), 1 + Math.floor(next() * 28)));
    case 7:
      return [-0, Number.NaN, Number.POSITIVE_INFINITY][Math.floor(next() * 3)];
    case 8:
      return Math.floor(next() * 1000);
    case 9:
      return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
    default: {
      const record: Record<string, unknown> = {};
      for (let i = Math.floor(next() * 6); i > 0; i--) record[KEYS[Math.floor(next() * KEYS.length)]!] = randomValue(next, depth + 1);
      return record;
    }
  }
}

describe('canonicalJson', () => {
  it('sorts keys, leaves out undefined fields and writes dates and big integers as text', () => {
    expect(canonicalJson({ b: 1, a: { d: undefined, c: new Date(Date.UTC(2024, 0, 2)) }, n: 12345678901234567890n, z: null })).toBe(
      '{"a":{"c":"2024-01-02T00:00:00.000Z"},"b":1,"n":"12345678901234567890","z":null}',
    );
  });

  it('puts keys that are array indices first, in numeric order, as the stored form has them', () => {
    expect(canonicalJson({ b: 1, 10: 'ten', 2: 'two', '01': 'not an index', 4294967295: 'not an index either' })).toBe(
      '{"2":"two","10":"ten","01":"not an index","4294967295":"not an index either","b":1}',
    );
  });

  it('writes undefined, functions and symbols in arrays as null, and leaves them out of objects', () => {
    expect(canonicalJson([undefined, () => 1, Symbol('s'), { f: () => 1, s: Symbol('s'), u: undefined, k: 1 }])).toBe(
      '[null,null,null,{"k":1}]',
    );
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('gives the same text whatever order the fields were built in', () => {
    expect(canonicalJson({ x: [{ q: 1, p: 2 }], w: 'v' })).toBe(canonicalJson({ w: 'v', x: [{ p: 2, q: 1 }] }));
  });

  it('writes exactly the stored form for 5,000 generated values', () => {
    const next = random(20261205);
    for (let i = 0; i < 5_000; i++) {
      const value = randomValue(next, 0);
      expect(canonicalJson(value)).toBe(stringifySortedCopy(value));
    }
  });
});

describe('canonicalJson, single-digit keys', () => {
  it('orders 9 before 10 as array indices, before the other keys', () => {
    expect(canonicalJson({ a: 3, '10': 1, '9': 2 })).toBe('{"9":2,"10":1,"a":3}');
  });
});
