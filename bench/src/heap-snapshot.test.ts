// Real snapshots of a small node process, before and after it keeps 20,000 objects of one class.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compareSummaries, summariseSnapshot, summariseSnapshotFile, totalSelfSize } from './heap-snapshot';

const SCRIPT = `
const v8 = require('node:v8');
const path = require('node:path');
const dir = process.argv[1];
class KeptForTheTest { constructor(i) { this.i = i; this.label = 'row ' + i; } }
const kept = [];
v8.writeHeapSnapshot(path.join(dir, 'before.heapsnapshot'));
for (let i = 0; i < 20000; i += 1) kept.push(new KeptForTheTest(i));
v8.writeHeapSnapshot(path.join(dir, 'after.heapsnapshot'));
if (kept.length !== 20000) process.exit(1);
`;

describe('heap snapshot comparison', () => {
  let directory = '';
  beforeAll(() => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'heap-snapshot-test-'));
    execFileSync(process.execPath, ['-e', SCRIPT, directory], { stdio: 'ignore' });
  }, 60_000);
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('names the constructor whose objects accumulated, with their count', () => {
    const before = summariseSnapshotFile(path.join(directory, 'before.heapsnapshot'));
    const after = summariseSnapshotFile(path.join(directory, 'after.heapsnapshot'));
    expect(before.get('KeptForTheTest')).toBeUndefined();
    expect(after.get('KeptForTheTest')?.count).toBe(20000);
    const growth = compareSummaries(before, after, 5);
    const kept = growth.find((row) => row.name === 'KeptForTheTest');
    expect(kept).toMatchObject({ countBefore: 0, countAfter: 20000 });
    expect(kept!.sizeAfter).toBeGreaterThan(20000 * 8);
    expect(totalSelfSize(after)).toBeGreaterThan(totalSelfSize(before));
  });

  it('groups non-objects by node type and sorts by size growth', () => {
    const raw = {
      snapshot: { meta: { node_fields: ['type', 'name', 'id', 'self_size'], node_types: [['hidden', 'object', 'string']] } },
      // object "A" 10 B, object "A" 20 B, string 5 B, object "B" 100 B
      nodes: [1, 0, 1, 10, 1, 0, 2, 20, 2, 1, 3, 5, 1, 2, 4, 100],
      strings: ['A', 'hello', 'B'],
    };
    const summary = summariseSnapshot(raw);
    expect(summary.get('A')).toEqual({ count: 2, selfSize: 30 });
    expect(summary.get('(string)')).toEqual({ count: 1, selfSize: 5 });
    expect(compareSummaries(new Map(), summary).map((row) => row.name)).toEqual(['B', 'A', '(string)']);
    expect(compareSummaries(summary, summary)).toEqual([]);
  });
});
