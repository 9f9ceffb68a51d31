// Reads V8 heap snapshots (.heapsnapshot, as v8.writeHeapSnapshot writes them) into counts and sizes
// per constructor, and compares two of them: what the soak prints to point at a leak's objects.
import { readFileSync, statSync } from 'node:fs';

/** The parts of the snapshot format this reads (see v8/include/v8-profiler.h, HeapSnapshot). */
interface RawSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: unknown[] } };
  nodes: number[];
  strings: string[];
}

export interface ConstructorTotals {
  count: number;
  /** Shallow (self) size in bytes. */
  selfSize: number;
}

export type HeapSummary = Map<string, ConstructorTotals>;

/**
 * Objects by constructor name; everything else by its node type in parentheses, as DevTools groups
 * them ("(string)", "(closure)", "(compiled code)"…). Shallow sizes: retained sizes need the
 * dominator tree, and growth in shallow size per constructor already names what accumulates.
 */
export function summariseSnapshot(raw: RawSnapshot): HeapSummary {
  const fields = raw.snapshot.meta.node_fields;
  const types = raw.snapshot.meta.node_types[0];
  if (!Array.isArray(types)) throw new Error('heap snapshot without node types');
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  if (typeAt < 0 || nameAt < 0 || sizeAt < 0) throw new Error('heap snapshot without type, name or self_size');
  const summary: HeapSummary = new Map();
  for (let offset = 0; offset + width <= raw.nodes.length; offset += width) {
    const type = String(types[raw.nodes[offset + typeAt]!]);
    const key = type === 'object' || type === 'native' ? (raw.strings[raw.nodes[offset + nameAt]!] ?? '?') : `(${type})`;
    const totals = summary.get(key) ?? { count: 0, selfSize: 0 };
    totals.count += 1;
    totals.selfSize += raw.nodes[offset + sizeAt]!;
    summary.set(key, totals);
  }
  return summary;
}

/** Snapshots larger than this are not read back (a string that long does not fit in V8). */
const MAX_SNAPSHOT_BYTES = 450 * 1024 * 1024;

export function summariseSnapshotFile(file: string): HeapSummary {
  const size = statSync(file).size;
  if (size > MAX_SNAPSHOT_BYTES) throw new Error(`${file} is ${Math.round(size / 1048576)} MB, too large to compare in-process`);
  return summariseSnapshot(JSON.parse(readFileSync(file, 'utf8')) as RawSnapshot);
}

export interface ConstructorGrowth {
  name: string;
  countBefore: number;
  countAfter: number;
  sizeBefore: number;
  sizeAfter: number;
}

/** The constructors that grew most in shallow size from `before` to `after`, then by count. */
export function compareSummaries(before: HeapSummary, after: HeapSummary, top = 10): ConstructorGrowth[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  const rows = [...names].map((name) => ({
    name,
    countBefore: before.get(name)?.count ?? 0,
    countAfter: after.get(name)?.count ?? 0,
    sizeBefore: before.get(name)?.selfSize ?? 0,
    sizeAfter: after.get(name)?.selfSize ?? 0,
  }));
  return rows
    .filter((row) => row.sizeAfter > row.sizeBefore || row.countAfter > row.countBefore)
    .sort(
      (a, b) => b.sizeAfter - b.sizeBefore - (a.sizeAfter - a.sizeBefore) || b.countAfter - b.countBefore - (a.countAfter - a.countBefore),
    )
    .slice(0, top);
}

export function totalSelfSize(summary: HeapSummary): number {
  let total = 0;
  for (const totals of summary.values()) total += totals.selfSize;
  return total;
}
