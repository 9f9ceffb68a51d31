import type { LoadResult } from './load';
import { heapSnapshotTable, ratioTable, verdicts, type BenchResults, type MemoryRecord } from './report';

function load(requestsPerSecond: number, p50: number, count = 100): LoadResult {
  return {
    requests: count,
    requestsPerSecond,
    latency: { count, mean: p50, p50, p95: p50 * 2, p99: p50 * 3, max: p50 * 4 },
    errors: 0,
    non2xx: 0,
    graphqlErrors: 0,
    socketErrors: 0,
    timeouts: 0,
    bytesPerRequest: 1000,
    durationSeconds: 10,
  };
}

function results(overrides: Partial<BenchResults>): BenchResults {
  return {
    startedAt: '2026-11-25T17:00:00.000Z',
    machine: { cpus: 2, cpuModel: 'test', memoryGiB: 1, node: 'v20', loadAverageStart: [0, 0, 0] },
    config: {},
    commit: null,
    registeredSubgraphs: ['regions'],
    notes: [],
    operations: [],
    overhead: [],
    growth: [],
    memory: [],
    ...overrides,
  };
}

describe('verdicts on the targets', () => {
  it('compares the cost check with the gateway CPU per request, where both were measured', () => {
    const withCpu = (milliseconds: number) => ({ ...load(100, 10), cpuMillisecondsPerRequest: { gateway: milliseconds } });
    const found = verdicts(
      results({
        operations: [
          { name: 'cheap', title: '', subgraphs: [], status: 'ran', problems: [], ours: withCpu(10), costCheckMilliseconds: 0.1 },
          { name: 'dear', title: '', subgraphs: [], status: 'ran', problems: [], ours: withCpu(1), costCheckMilliseconds: 0.1 },
          { name: 'unchecked', title: '', subgraphs: [], status: 'failed', reason: 'wrong answer', problems: [], costCheckMilliseconds: 0.05 },
          { name: 'untimed', title: '', subgraphs: [], status: 'ran', problems: [], ours: withCpu(10) },
        ],
      }),
    ).filter((verdict) => verdict.target.startsWith('cost check'));
    expect(found.map((verdict) => [verdict.subject, verdict.measured, verdict.met])).toEqual([
      ['cheap', '1.00 % (100 µs of 10.0 ms)', true],
      ['dear', '10.00 % (100 µs of 1.00 ms)', false],
      ['unchecked', '50 µs; no gateway CPU figure (wrong answer)', null],
    ]);
  });

  it('compares our requests per second with Hive Gateway’s and gateway latency with the subgraph’s', () => {
    const found = verdicts(
      results({
        operations: [
          { name: 'fast', title: '', subgraphs: [], status: 'ran', problems: [], ours: load(120, 10), hive: load(100, 12) },
          { name: 'slow', title: '', subgraphs: [], status: 'ran', problems: [], ours: load(80, 10), hive: load(100, 12) },
          { name: 'pending', title: '', subgraphs: ['projects'], status: 'skipped', reason: 'needs projects', problems: [] },
        ],
        overhead: [{ name: 'lookup', title: '', subgraph: 'regions', status: 'ran', problems: [], direct: load(100, 10), ours: load(90, 14) }],
      }),
    );
    expect(found.map((verdict) => [verdict.subject, verdict.measured, verdict.met])).toEqual([
      ['fast', '1.20×', true],
      ['slow', '0.80×', false],
      ['pending', 'skipped: needs projects', null],
      ['lookup', '1.40×', false],
    ]);
  });

  it('does not judge a run with too few answers', () => {
    const [verdict] = verdicts(results({ operations: [{ name: 'x', title: '', subgraphs: [], status: 'ran', problems: [], ours: load(0.5, 900, 1), hive: load(10, 90) }] }));
    expect(verdict!.met).toBeNull();
    expect(verdict!.measured).toMatch(/fewer than 3 answers/);
  });

  it('flags growth whose SQL statement count changes with the size of the table', () => {
    const growth = [5, 45, 967].map((regions) => ({ regions, indicators: 5, years: 5, cells: regions * 25, status: 'ran' as const, statements: { regions: 2, indicators: regions === 967 ? 3 : 2 } }));
    const verdict = verdicts(results({ growth })).find((entry) => entry.target.includes('statements constant'));
    expect(verdict).toMatchObject({ measured: '4, 5', met: false });
  });
});

describe('ratioTable', () => {
  it('lists ours over Hive for every operation that ran, with the target verdict', () => {
    const table = ratioTable(
      results({
        operations: [
          { name: 'analyst-table', title: '', subgraphs: [], status: 'ran', problems: [], ours: load(50, 20), hive: load(40, 25) },
          { name: 'skipped-one', title: '', subgraphs: [], status: 'skipped', problems: [] },
        ],
      }),
    );
    expect(table.split('\n')).toEqual([
      'operation      ours/Hive req/s  ours/Hive p50',
      '─────────────  ───────────────  ─────────────',
      'analyst-table        1.25× met          0.80×',
    ]);
  });
});

describe('soak verdicts', () => {
  const soaked = (process: string, rssHalf: number, heapHalf: number | undefined): MemoryRecord => ({
    process,
    peakRssBytes: 400e6,
    soakStartRssBytes: 200e6,
    soakEndRssBytes: 230e6,
    soakMaxRssBytes: 240e6,
    soakGrowthPercent: 15,
    soakSecondHalfGrowthPercent: rssHalf,
    ...(heapHalf === undefined ? {} : { soakPostGcSecondHalfGrowthPercent: heapHalf }),
  });

  it('judges the second half at 5 % on the resident set and on the post-GC heap, keeping the 10 % end-to-end target', () => {
    const found = verdicts(results({ soakSeconds: 600, memory: [soaked('regions', 16.4, 0.8), soaked('projects', 2, 5.5), soaked('gateway', 1, undefined)] }));
    const pick = (prefix: string, process: string) => found.find((verdict) => verdict.target.startsWith(prefix) && verdict.subject === process);
    expect(pick('memory growth ≤ 10 %', 'regions')).toMatchObject({ measured: '15.0 %', met: false });
    expect(pick('resident set growth ≤ 5 % over the 2nd half', 'regions')).toMatchObject({ measured: '16.4 %', met: false });
    expect(pick('post-GC heap growth ≤ 5 % over the 2nd half', 'regions')).toMatchObject({ measured: '0.8 %', met: true });
    expect(pick('post-GC heap growth ≤ 5 % over the 2nd half', 'projects')).toMatchObject({ measured: '5.5 %', met: false });
    expect(pick('post-GC heap growth ≤ 5 % over the 2nd half', 'gateway')).toMatchObject({ measured: 'not measured', met: null });
  });

  it('lists the constructors that grew between the heap snapshots, and why a process has none', () => {
    const table = heapSnapshotTable(
      results({
        memory: [
          { process: 'regions', peakRssBytes: 1, heapSnapshotGrowth: [{ name: 'Promise', countBefore: 10, countAfter: 1034, sizeBefore: 320, sizeAfter: 33088 }] },
          { process: 'gateway', peakRssBytes: 1, heapSnapshotNote: 'no heap snapshot pair' },
        ],
      }),
    );
    expect(table).toContain('Promise');
    expect(table).toMatch(/regions\s+Promise\s+10\s+1,034\s+\+1,024\s+\+32\.0/);
    expect(table).toContain('(no heap snapshot pair)');
  });
});
