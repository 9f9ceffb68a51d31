import type { LoadResult } from './load';
import { heapSnapshotTable, overheadTable, ratioTable, verdicts, type BenchResults, type MemoryRecord } from './report';
import type { RoundRecord } from './rounds-stats';

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

/** Rounds in which each side had the given req/s and p50 (answers plenty). */
function rounds(sides: Record<string, [number, number][]>): RoundRecord[] {
  const count = Math.max(...Object.values(sides).map((list) => list.length));
  return Array.from({ length: count }, (_, index) => ({
    order: Object.keys(sides),
    runs: Object.fromEntries(
      Object.entries(sides).map(([side, list]) => [
        side,
        { answers: 30, requestsPerSecond: list[index]![0], p50: list[index]![1], errors: 0 },
      ]),
    ),
  }));
}

const six = (requestsPerSecond: number[], p50 = 10): [number, number][] => requestsPerSecond.map((value) => [value, p50]);

describe('verdicts on the targets', () => {
  it('compares the cost check with the gateway CPU per request, where both were measured', () => {
    const withCpu = (milliseconds: number) => ({ ...load(100, 10), cpuMillisecondsPerRequest: { gateway: milliseconds } });
    const found = verdicts(
      results({
        operations: [
          { name: 'cheap', title: '', subgraphs: [], status: 'ran', problems: [], ours: withCpu(10), costCheckMilliseconds: 0.1 },
          { name: 'dear', title: '', subgraphs: [], status: 'ran', problems: [], ours: withCpu(1), costCheckMilliseconds: 0.1 },
          {
            name: 'unchecked',
            title: '',
            subgraphs: [],
            status: 'failed',
            reason: 'wrong answer',
            problems: [],
            costCheckMilliseconds: 0.05,
          },
          { name: 'untimed', title: '', subgraphs: [], status: 'ran', problems: [], ours: withCpu(10) },
        ],
      }),
    ).filter((verdict) => verdict.target.startsWith('cost check'));
    expect(found.map((verdict) => [verdict.subject, verdict.measured, verdict.verdict])).toEqual([
      ['cheap', '1.00 % (100 µs of 10.0 ms)', 'met'],
      ['dear', '10.00 % (100 µs of 1.00 ms)', 'missed'],
      ['unchecked', '50 µs; no gateway CPU figure (wrong answer)', 'not measured'],
    ]);
  });

  it('judges ours over Hive from the interval of the per-round ratios: met, missed or not significant', () => {
    const hive = six([100, 100, 100, 100, 100, 100]);
    const found = verdicts(
      results({
        operations: [
          {
            name: 'fast',
            title: '',
            subgraphs: [],
            status: 'ran',
            problems: [],
            rounds: rounds({ ours: six([125, 130, 122, 140, 128, 131]), hive }),
          },
          {
            name: 'slow',
            title: '',
            subgraphs: [],
            status: 'ran',
            problems: [],
            rounds: rounds({ ours: six([90, 110, 100, 105, 119, 95]), hive }),
          },
          // The median is 1.5×, yet one round of six fell to 1.1×: the interval straddles 1.2.
          {
            name: 'noisy',
            title: '',
            subgraphs: [],
            status: 'ran',
            problems: [],
            rounds: rounds({ ours: six([150, 160, 155, 158, 162, 110]), hive }),
          },
          { name: 'pending', title: '', subgraphs: ['projects'], status: 'skipped', reason: 'needs projects', problems: [] },
        ],
      }),
    ).filter((verdict) => verdict.target.startsWith('ours req/s ≥ 1.2'));
    expect(found.map((verdict) => [verdict.subject, verdict.verdict])).toEqual([
      ['fast', 'met'],
      ['slow', 'missed'],
      ['noisy', 'not significant'],
      ['pending', 'not measured'],
    ]);
    expect(found[0]!.measured).toBe('1.29× [1.22–1.40] (6 rounds, 96.8 % CI; range 1.22–1.40, IQR 1.26–1.31)');
    expect(found[3]!.measured).toBe('skipped: needs projects');
  });

  it('judges the gateway over the subgraph per round at 16 connections and one at a time, and the floor', () => {
    const direct = six([100, 100, 100, 100, 100, 100], 10).map(([rps]) => [rps, 10] as [number, number]);
    const ours = [11, 12, 12.5, 11.5, 12, 12.9].map((p50) => [90, p50] as [number, number]);
    const slow = [14, 15, 13.5, 16, 14.2, 15].map((p50) => [90, p50] as [number, number]);
    const found = verdicts(
      results({
        overhead: [
          {
            name: 'lookup',
            title: '',
            subgraph: 'regions',
            status: 'ran',
            problems: [],
            rounds: rounds({ direct, ours }),
            sequentialRounds: rounds({ direct, ours: slow }),
          },
        ],
        floor: { status: 'ran', problems: [], rounds: rounds({ floor: direct, ours }) },
      }),
    );
    const pick = (prefix: string) => found.find((verdict) => verdict.target.startsWith(prefix))!;
    expect(pick('gateway p50 ≤ 1.3 × direct p50').verdict).toBe('met');
    expect(pick('gateway p50 ≤ 1.3 × direct p50, one request').verdict).toBe('missed');
    expect(pick('analyst table p50 ≤ 1.5 × SQL floor').verdict).toBe('met');
  });

  it('judges the partner lookup against the earlier run’s req/s, round by round', () => {
    const partner = (ours: number[]) =>
      verdicts(
        results({
          operations: [
            {
              name: 'partner-lookup',
              title: '',
              subgraphs: [],
              status: 'ran',
              problems: [],
              rounds: rounds({ ours: six(ours), hive: six([5, 5, 5, 5, 5, 5]) }),
            },
          ],
        }),
      ).find((verdict) => verdict.target.startsWith('ours req/s ≥ 2 × 6.8'))!;
    expect(partner([14, 15, 14.5, 16, 13.9, 15]).verdict).toBe('met');
    expect(partner([10, 11, 12, 9, 10, 13]).verdict).toBe('missed');
    expect(partner([14, 15, 14.5, 16, 13, 15]).verdict).toBe('not significant');
  });

  it('does not judge rounds with too few answers, nor a smoke run’s two rounds', () => {
    const starved: RoundRecord[] = [
      {
        order: ['ours', 'hive'],
        runs: {
          ours: { answers: 1, requestsPerSecond: 0.5, p50: 900, errors: 0 },
          hive: { answers: 30, requestsPerSecond: 10, p50: 90, errors: 0 },
        },
      },
    ];
    const [verdict] = verdicts(
      results({ operations: [{ name: 'x', title: '', subgraphs: [], status: 'ran', problems: [], rounds: starved }] }),
    );
    expect(verdict!.verdict).toBe('not measured');
    expect(verdict!.measured).toMatch(/no round with 3 or more answers/);
    const [quick] = verdicts(
      results({
        operations: [
          {
            name: 'x',
            title: '',
            subgraphs: [],
            status: 'ran',
            problems: [],
            rounds: rounds({ ours: six([200, 210]), hive: six([100, 100]) }),
          },
        ],
      }),
    );
    expect(quick!.verdict).toBe('not significant');
  });

  it('flags growth whose SQL statement count changes with the size of the table', () => {
    const growth = [5, 45, 967].map((regions) => ({
      regions,
      indicators: 5,
      years: 5,
      cells: regions * 25,
      status: 'ran' as const,
      statements: { regions: 2, indicators: regions === 967 ? 3 : 2 },
    }));
    const verdict = verdicts(results({ growth })).find((entry) => entry.target.includes('statements constant'));
    expect(verdict).toMatchObject({ measured: '4, 5', verdict: 'missed' });
  });
});

describe('ratioTable', () => {
  it('lists ours over Hive per round for every operation that ran, with median, interval, spread and verdict', () => {
    const table = ratioTable(
      results({
        operations: [
          {
            name: 'analyst-table',
            title: '',
            subgraphs: [],
            status: 'ran',
            problems: [],
            rounds: rounds({ ours: six([125, 130, 122, 140, 128, 131]), hive: six([100, 100, 100, 100, 100, 100]) }),
          },
          { name: 'skipped-one', title: '', subgraphs: [], status: 'skipped', problems: [] },
        ],
      }),
    );
    const lines = table.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(
      /^analyst-table\s+6\s+1\.29× \[1\.22–1\.40\] met\s+1\.22–1\.40 \/ 1\.26–1\.31\s+–\s+1\.00× \[1\.00–1\.00\]\s+–$/,
    );
  });
});

describe('overheadTable', () => {
  it('sets our gateway and the hop floor beside the subgraph, loaded and one at a time', () => {
    const p50s = (values: number[]) => values.map((p50) => [100, p50] as [number, number]);
    const table = overheadTable(
      results({
        overhead: [
          {
            name: 'lookup',
            title: '',
            subgraph: 'regions',
            status: 'ran',
            problems: [],
            direct: load(100, 2),
            hop: load(95, 2.2),
            ours: load(80, 2.6),
            rounds: rounds({
              direct: p50s([2, 2, 2, 2, 2, 2]),
              hop: p50s([2.2, 2.2, 2.2, 2.2, 2.2, 2.2]),
              ours: p50s([2.5, 2.5, 2.5, 2.5, 2.5, 2.5]),
            }),
            sequential: { direct: load(400, 2), hop: load(350, 2.4), ours: load(300, 3) },
            sequentialRounds: rounds({
              direct: p50s([2, 2, 2, 2, 2, 2]),
              hop: p50s([2.4, 2.4, 2.4, 2.4, 2.4, 2.4]),
              ours: p50s([3, 3, 3, 3, 3, 3]),
            }),
          },
          { name: 'skipped-one', title: '', subgraph: 'projects', status: 'skipped', reason: 'needs projects', problems: [] },
        ],
      }),
    );
    const [header, , ran, skipped] = table.split('\n').map((line) => line.split(/\s{2,}/));
    const cell = (row: string[] | undefined, column: string) => row?.[header!.indexOf(column)];
    expect(cell(ran, 'p50 ms direct / hop floor / ours / hive / hive+rust')).toBe('2.00 / 2.20 / 2.60 / – / –');
    expect(cell(ran, 'ours/direct p50 [95 % CI] (≤ 1.3)')).toBe('1.25× [1.25–1.25] met');
    expect(cell(ran, 'hop floor/direct')).toBe('1.10× [1.10–1.10]');
    expect(cell(ran, '1 at a time p50 direct / hop floor / ours')).toBe('2.00 / 2.40 / 3.00');
    expect(cell(ran, 'ours/direct 1 at a time [95 % CI] (≤ 1.3)')).toBe('1.50× [1.50–1.50] MISSED');
    expect(cell(ran, 'hop floor/direct 1 at a time')).toBe('1.20× [1.20–1.20]');
    expect(cell(ran, 'ours/hop floor 1 at a time')).toBe('1.25× [1.25–1.25]');
    expect(skipped).toHaveLength(header!.length);
    expect(cell(skipped, 'notes')).toBe('needs projects');
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
    const found = verdicts(
      results({ soakSeconds: 600, memory: [soaked('regions', 16.4, 0.8), soaked('projects', 2, 5.5), soaked('gateway', 1, undefined)] }),
    );
    const pick = (prefix: string, process: string) =>
      found.find((verdict) => verdict.target.startsWith(prefix) && verdict.subject === process);
    expect(pick('memory growth ≤ 10 %', 'regions')).toMatchObject({ measured: '15.0 %', verdict: 'missed' });
    expect(pick('resident set growth ≤ 5 % over the 2nd half', 'regions')).toMatchObject({ measured: '16.4 %', verdict: 'missed' });
    expect(pick('post-GC heap growth ≤ 5 % over the 2nd half', 'regions')).toMatchObject({ measured: '0.8 %', verdict: 'met' });
    expect(pick('post-GC heap growth ≤ 5 % over the 2nd half', 'projects')).toMatchObject({ measured: '5.5 %', verdict: 'missed' });
    expect(pick('post-GC heap growth ≤ 5 % over the 2nd half', 'gateway')).toMatchObject({
      measured: 'not measured',
      verdict: 'not measured',
    });
  });

  it('lists the constructors that grew between the heap snapshots, and why a process has none', () => {
    const table = heapSnapshotTable(
      results({
        memory: [
          {
            process: 'regions',
            peakRssBytes: 1,
            heapSnapshotGrowth: [{ name: 'Promise', countBefore: 10, countAfter: 1034, sizeBefore: 320, sizeAfter: 33088 }],
          },
          { process: 'gateway', peakRssBytes: 1, heapSnapshotNote: 'no heap snapshot pair' },
        ],
      }),
    );
    expect(table).toContain('Promise');
    expect(table).toMatch(/regions\s+Promise\s+10\s+1,034\s+\+1,024\s+\+32\.0/);
    expect(table).toContain('(no heap snapshot pair)');
  });
});
