import { parse } from 'graphql';
import { BoundedDocumentStore, documentJsonBytes } from './document-store';

/** A distinct operation of 30 aliased fields, about 20 kB of JSON once parsed. */
function operation(id: number) {
  return parse(
    `query Q${1000 + id} { ${Array.from({ length: 30 }, (_, j) => `a${j}_${1000 + id}: indicator(code: "x") { code name unit }`).join(' ')} }`,
  );
}

describe('BoundedDocumentStore', () => {
  it('keeps documents up to its bound in JSON bytes, the least recently used giving way', async () => {
    const one = documentJsonBytes(operation(0));
    const store = new BoundedDocumentStore(one * 10);
    for (let id = 0; id < 10; id++) await store.set(`k${id}`, operation(id));
    expect(store.size).toBe(10);
    // Read, k0 becomes the most recently used: k1 gives way to the next one.
    expect(await store.get('k0')).toBeDefined();
    await store.set('k10', operation(10));
    expect(store.size).toBe(10);
    expect(await store.get('k1')).toBeUndefined();
    expect(await store.get('k0')).toBeDefined();
    for (let id = 11; id < 200; id++) await store.set(`k${id}`, operation(id));
    expect(store.size).toBe(10);
    expect(store.bytes).toBeLessThanOrEqual(one * 10);
  });

  it('does not keep a document larger than the whole bound, and counts a replaced one once', async () => {
    const store = new BoundedDocumentStore(1000);
    await store.set('large', operation(1));
    expect(store.size).toBe(0);
    expect(store.bytes).toBe(0);
    const small = parse('{ a }');
    await store.set('small', small);
    await store.set('small', small);
    expect(store.size).toBe(1);
    expect(store.bytes).toBe(documentJsonBytes(small));
    expect(await store.delete('small')).toBe(true);
    expect(store.bytes).toBe(0);
  });
});
