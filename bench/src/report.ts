// Turns the measurements of one run into the tables printed on the terminal and written to
// bench-results/latest.md, and into the verdicts on the issue's targets.
import type { LoadResult } from './load';
import type { ConstructorGrowth } from './heap-snapshot';
import {
  formatMedian,
  formatSummary,
  roundFigureOver,
  roundRatios,
  roundVerdict,
  summarise,
  type RatioSummary,
  type RoundRecord,
  type RoundVerdict,
  type Target,
} from './rounds-stats';
import { formatNumber, formatTable, meetsTarget } from './stats';

export type Status = 'ran' | 'skipped' | 'failed';

export interface OperationRecord {
  name: string;
  title: string;
  subgraphs: readonly string[];
  status: Status;
  reason?: string;
  /** SQL statements of one run by subgraph (counted in-process). */
  statements?: Record<string, number>;
  /** The SQL text of those statements by subgraph (JSON only). */
  statementTexts?: Record<string, string[]>;
  /** Each contender's runs of all rounds merged. */
  ours?: LoadResult;
  hive?: LoadResult;
  /** Hive Gateway with the Rust query planner (@graphql-hive/router-runtime). */
  router?: LoadResult;
  /** The rounds the contenders alternated in; the ratios and verdicts come from these. */
  rounds?: RoundRecord[];
  /** Whether our gateway and Hive Gateway gave the same data for the sample. */
  answersEqual?: boolean | null;
  /** The same for Hive Gateway with the Rust query planner. */
  routerAnswersEqual?: boolean | null;
  /** Mean size of an answer over the variants, in bytes. */
  answerBytes?: number;
  /** How many sets of variables the load cycles through. */
  variants?: number;
  /** CPU time of demand control's checks (estimate before, actual cost after) per request, in ms, timed in-process. */
  costCheckMilliseconds?: number;
  problems: string[];
}

export interface OverheadRecord {
  name: string;
  title: string;
  subgraph: string;
  status: Status;
  reason?: string;
  direct?: LoadResult;
  /** Through a bare node:http proxy (processes/hop-floor.ts): the floor of any gateway's hop. */
  hop?: LoadResult;
  ours?: LoadResult;
  hive?: LoadResult;
  router?: LoadResult;
  rounds?: RoundRecord[];
  /** The same requests one at a time: the latency a gateway adds without CPU queueing. */
  sequential?: Partial<Record<'direct' | 'hop' | 'ours', LoadResult>>;
  sequentialRounds?: RoundRecord[];
  problems: string[];
}

export interface FloorRecord {
  status: Status;
  reason?: string;
  floor?: LoadResult;
  ours?: LoadResult;
  hive?: LoadResult;
  router?: LoadResult;
  rounds?: RoundRecord[];
  /** Whether the floor's table has the same regions, names and values as the gateway's. */
  sameData?: boolean | null;
  problems: string[];
}

export interface GrowthRecord {
  regions: number;
  indicators: number;
  years: number;
  cells: number;
  status: Status;
  reason?: string;
  load?: LoadResult;
  microsecondsPerCell?: number;
  statements?: Record<string, number>;
}

export interface MemoryRecord {
  process: string;
  peakRssBytes: number | null;
  soakStartRssBytes?: number;
  soakEndRssBytes?: number;
  soakMaxRssBytes?: number;
  soakGrowthPercent?: number;
  /** Growth over the soak's second half: near 0 when the heap has settled, steady when it leaks. */
  soakSecondHalfGrowthPercent?: number;
  soakSeriesRssBytes?: number[];
  /** Heap left after a forced full collection with the load stopped: after warm-up, at half time, at the end. */
  soakPostGcHeapBytes?: { start?: number; mid?: number; end?: number };
  /** Post-GC heap growth over the second half: a leak survives collection, garbage does not. */
  soakPostGcSecondHalfGrowthPercent?: number;
  soakPostGcSeries?: PostGcSample[];
  /** Shallow size of every object in the start and end heap snapshots. */
  heapSnapshotSelfBytes?: { start: number; end: number };
  /** The constructors that grew most from the start snapshot to the end one. */
  heapSnapshotGrowth?: ConstructorGrowth[];
  /** Why there is no comparison, when there is none. */
  heapSnapshotNote?: string;
}

export interface PostGcSample {
  /** Seconds since the soak's measured load began. */
  seconds: number;
  heapUsedBytes: number;
  rssBytes: number;
  /** Taken with the load stopped (start, half time, end) rather than under load. */
  quiet: boolean;
}

export interface BenchResults {
  startedAt: string;
  finishedAt?: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; loadAverageStart: number[]; loadAverageEnd?: number[] };
  config: Record<string, unknown>;
  commit: string | null;
  registeredSubgraphs: string[];
  notes: string[];
  operations: OperationRecord[];
  overhead: OverheadRecord[];
  floor?: FloorRecord;
  growth: GrowthRecord[];
  memory: MemoryRecord[];
  soakSeconds?: number;
}

export const TARGETS = {
  /** Issue 17: our req/s at least 1.2 × Hive Gateway's on every operation. */
  oursOverHive: { atLeast: 1.2 },
  gatewayOverDirect: { atMost: 1.3 },
  /** Issue 17: the analyst table's p50 at most 1.5 × the SQL floor's. */
  gatewayOverFloor: { atMost: 1.5 },
  /** Issue 17: the partner lookup at least 2 × the req/s of the last full run before it. */
  partnerLookupOverBaseline: { atLeast: 2 },
  soakGrowthPercent: { atMost: 10 },
  /** Growth over the soak's second half, per process (issue 15's ten-minute soak). */
  soakSecondHalfGrowthPercent: { atMost: 5 },
  /** Demand control's checks as a share of the gateway's CPU time per request, in percent. */
  costCheckPercent: { atMost: 5 },
} as const;

/**
 * The partner lookup's req/s through our gateway in the full run of 2026-11-25 (docs/benchmarks.md,
 * 16 connections, one 10 s block): the "today's" of issue 17's 2× target. A figure from another
 * run, so its verdict carries that run's noise too; the rounds' interval covers only this run's.
 */
export const PARTNER_LOOKUP_BASELINE = { requestsPerSecond: 6.8, date: '2026-11-25', operation: 'partner-lookup' } as const;

/** Fewer answers than this in a run tell nothing (an operation slower than a quick run's window). */
export const MIN_ANSWERS = 3;

/** The run, if it completed enough answers to compare; a run of errors still counts (as 0 req/s). */
export function usable(load: LoadResult | undefined): LoadResult | undefined {
  return load && load.latency.count >= MIN_ANSWERS ? load : undefined;
}

const ms = (value: number | undefined) => formatNumber(value, value !== undefined && value < 10 ? 2 : 1);
const percent = (value: number | undefined) =>
  value === undefined || !Number.isFinite(value) ? '–' : `${value >= 0 ? '+' : ''}${value.toFixed(1)} %`;
const mb = (bytes: number | null | undefined) => (bytes == null ? '–' : formatNumber(bytes / 1024 / 1024, 0));

export function statementTotal(statements: Record<string, number> | undefined): number | undefined {
  if (!statements) return undefined;
  return Object.values(statements).reduce((sum, count) => sum + count, 0);
}

function statementText(statements: Record<string, number> | undefined): string {
  if (!statements) return '–';
  const parts = Object.entries(statements).filter(([, count]) => count > 0);
  return `${statementTotal(statements)}${parts.length ? ` (${parts.map(([name, count]) => `${name[0]}${count}`).join(' ')})` : ''}`;
}

function loadCells(load: LoadResult | undefined): string[] {
  if (!load) return ['–', '–', '–', '–', '–'];
  return [
    formatNumber(load.requestsPerSecond, 1),
    ms(load.latency.p50),
    ms(load.latency.p95),
    ms(load.latency.p99),
    formatNumber(load.errors),
  ];
}

/** The process names of the contenders, as the benchmark starts them. */
export const CONTENDER_PROCESS = { ours: 'gateway', hive: 'hive-gateway', router: 'hive-router' } as const;

/** The process name of the hop floor (processes/hop-floor.ts), as the benchmark starts it. */
export const HOP_PROCESS = 'hop-floor';

/** How the contenders are labelled in the tables. */
export const CONTENDER_LABEL: Record<string, string> = {
  ours: 'ours',
  hive: 'hive',
  router: 'hive+rust-qp',
  direct: 'direct',
  floor: 'floor',
  hop: 'hop floor',
};
const NOT_SUBGRAPHS = new Set<string>([...Object.values(CONTENDER_PROCESS), 'sql-floor', HOP_PROCESS, 'postgres']);

/** CPU ms per answer of the gateway that served the run, and of all subgraphs together. */
function cpuCells(load: LoadResult | undefined, gatewayProcess: string): string[] {
  const cpu = load?.cpuMillisecondsPerRequest;
  if (!cpu) return ['–', '–', '–'];
  const subgraphs = Object.entries(cpu)
    .filter(([name]) => !NOT_SUBGRAPHS.has(name))
    .reduce((sum, [, milliseconds]) => sum + milliseconds, 0);
  return [ms(cpu[gatewayProcess]), ms(subgraphs), ms(cpu.postgres)];
}

export function mixTable(results: BenchResults, markdown = false): string {
  const rows: string[][] = [];
  for (const operation of results.operations) {
    if (operation.status !== 'ran') {
      rows.push([
        operation.name,
        operation.status === 'skipped' ? 'SKIPPED' : 'FAILED',
        '–',
        '–',
        '–',
        '–',
        '–',
        '–',
        '–',
        '–',
        '–',
        operation.reason ?? '',
      ]);
      continue;
    }
    rows.push([
      operation.name,
      'ours',
      ...loadCells(operation.ours),
      ...cpuCells(operation.ours, CONTENDER_PROCESS.ours),
      statementText(operation.statements),
      operation.problems.join('; '),
    ]);
    if (operation.hive || results.config.hive) {
      const equal =
        operation.answersEqual === undefined || operation.answersEqual === null
          ? ''
          : operation.answersEqual
            ? 'same data'
            : 'DIFFERENT DATA';
      rows.push([operation.name, 'hive', ...loadCells(operation.hive), ...cpuCells(operation.hive, CONTENDER_PROCESS.hive), '', equal]);
    }
    if (operation.router) {
      const equal =
        operation.routerAnswersEqual === undefined || operation.routerAnswersEqual === null
          ? ''
          : operation.routerAnswersEqual
            ? 'same data'
            : 'DIFFERENT DATA';
      rows.push([
        operation.name,
        CONTENDER_LABEL.router!,
        ...loadCells(operation.router),
        ...cpuCells(operation.router, CONTENDER_PROCESS.router),
        '',
        equal,
      ]);
    }
  }
  return formatTable(
    [
      'operation',
      'gateway',
      'req/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'errors',
      'gw CPU ms/req',
      'subgraphs CPU ms/req',
      'PG CPU ms/req',
      'SQL stmts',
      'notes',
    ],
    rows,
    { markdown },
  );
}

/** Per-round ratios of one record, summarised: the figures every ratio column and verdict reads. */
export function ratioSummary(
  rounds: readonly RoundRecord[] | undefined,
  numerator: string,
  denominator: string,
  metric: 'requestsPerSecond' | 'p50',
): RatioSummary | undefined {
  if (!rounds?.length) return undefined;
  return summarise(roundRatios(rounds, numerator, denominator, metric));
}

function verdictText(verdict: RoundVerdict): string {
  return verdict === 'met' ? 'met' : verdict === 'missed' ? 'MISSED' : verdict;
}

/** "1.31× [1.22–1.40] met": median, interval and verdict for a table cell. */
function judged(summary: RatioSummary | undefined, target: Target): string {
  const text = formatMedian(summary);
  return text === '–' ? text : `${text} ${verdictText(roundVerdict(summary, target))}`;
}

/** "6", or "4 of 6" when some rounds gave no ratio (too few answers on a side). */
function roundsUsed(summary: RatioSummary | undefined, rounds: readonly RoundRecord[] | undefined): string {
  const total = rounds?.length ?? 0;
  const used = summary?.rounds ?? 0;
  return used === total ? formatNumber(total) : `${used} of ${total}`;
}

/** Requests per second of our gateway over Hive Gateway's (and over Hive with the Rust planner), per round. */
export function ratioTable(results: BenchResults, markdown = false): string {
  const rows = results.operations
    .filter((operation) => operation.status === 'ran')
    .map((operation) => {
      const overHive = ratioSummary(operation.rounds, 'ours', 'hive', 'requestsPerSecond');
      return [
        operation.name,
        roundsUsed(overHive, operation.rounds),
        judged(overHive, TARGETS.oursOverHive),
        overHive?.rounds
          ? `${overHive.min.toFixed(2)}–${overHive.max.toFixed(2)} / ${overHive.q1.toFixed(2)}–${overHive.q3.toFixed(2)}`
          : '–',
        formatMedian(ratioSummary(operation.rounds, 'ours', 'router', 'requestsPerSecond')),
        formatMedian(ratioSummary(operation.rounds, 'ours', 'hive', 'p50')),
        formatMedian(ratioSummary(operation.rounds, 'ours', 'router', 'p50')),
      ];
    });
  return formatTable(
    [
      'operation',
      'rounds',
      'ours/Hive req/s, median [95 % CI] (≥ 1.2)',
      'range / IQR',
      'ours/Hive+Rust QP req/s',
      'ours/Hive p50',
      'ours/Hive+Rust QP p50',
    ],
    rows,
    { markdown },
  );
}

export function overheadTable(results: BenchResults, markdown = false): string {
  const header = [
    'operation',
    'rounds',
    'p50 ms direct / hop floor / ours / hive / hive+rust',
    'ours/direct p50 [95 % CI] (≤ 1.3)',
    'hop floor/direct',
    'hive/direct',
    'hive+rust/direct',
    'req/s direct / ours',
    'CPU ms/req subgraph / hop floor / ours / hive / hive+rust',
    '1-at-a-time rounds',
    '1 at a time p50 direct / hop floor / ours',
    'ours/direct 1 at a time [95 % CI] (≤ 1.3)',
    'hop floor/direct 1 at a time',
    'ours/hop floor 1 at a time',
    'notes',
  ];
  const rows = results.overhead.map((record) => {
    if (record.status !== 'ran')
      return [
        record.name,
        record.status === 'skipped' ? 'SKIPPED' : 'FAILED',
        ...Array<string>(header.length - 3).fill('–'),
        record.reason ?? '',
      ];
    return [
      record.name,
      roundsUsed(ratioSummary(record.rounds, 'ours', 'direct', 'p50'), record.rounds),
      `${ms(record.direct?.latency.p50)} / ${ms(record.hop?.latency.p50)} / ${ms(record.ours?.latency.p50)} / ${ms(record.hive?.latency.p50)} / ${ms(record.router?.latency.p50)}`,
      judged(ratioSummary(record.rounds, 'ours', 'direct', 'p50'), TARGETS.gatewayOverDirect),
      formatMedian(ratioSummary(record.rounds, 'hop', 'direct', 'p50')),
      formatMedian(ratioSummary(record.rounds, 'hive', 'direct', 'p50')),
      formatMedian(ratioSummary(record.rounds, 'router', 'direct', 'p50')),
      `${formatNumber(record.direct?.requestsPerSecond, 0)} / ${formatNumber(record.ours?.requestsPerSecond, 0)}`,
      `${ms(record.direct?.cpuMillisecondsPerRequest?.[record.subgraph])} / ${ms(record.hop?.cpuMillisecondsPerRequest?.[HOP_PROCESS])} / ${ms(record.ours?.cpuMillisecondsPerRequest?.[CONTENDER_PROCESS.ours])} / ${ms(record.hive?.cpuMillisecondsPerRequest?.[CONTENDER_PROCESS.hive])} / ${ms(record.router?.cpuMillisecondsPerRequest?.[CONTENDER_PROCESS.router])}`,
      roundsUsed(ratioSummary(record.sequentialRounds, 'ours', 'direct', 'p50'), record.sequentialRounds),
      `${ms(record.sequential?.direct?.latency.p50)} / ${ms(record.sequential?.hop?.latency.p50)} / ${ms(record.sequential?.ours?.latency.p50)}`,
      judged(ratioSummary(record.sequentialRounds, 'ours', 'direct', 'p50'), TARGETS.gatewayOverDirect),
      formatMedian(ratioSummary(record.sequentialRounds, 'hop', 'direct', 'p50')),
      formatMedian(ratioSummary(record.sequentialRounds, 'ours', 'hop', 'p50')),
      record.problems.join('; '),
    ];
  });
  return formatTable(header, rows, { markdown });
}

/**
 * µs per added cell between a table and the next smaller one of the same regions: what another
 * indicator costs once the fixed and per-region costs are paid. Flat along a row = linear.
 */
export function marginalMicrosecondsPerCell(records: readonly GrowthRecord[], record: GrowthRecord): number | undefined {
  const smaller = records
    .filter((other) => other.regions === record.regions && other.cells < record.cells && other.load)
    .sort((a, b) => b.cells - a.cells)[0];
  if (!smaller?.load || !record.load) return undefined;
  return ((record.load.latency.p50 - smaller.load.latency.p50) * 1000) / (record.cells - smaller.cells);
}

export function growthTable(results: BenchResults, markdown = false): string {
  const rows = results.growth.map((record) => [
    formatNumber(record.regions),
    formatNumber(record.indicators),
    formatNumber(record.years),
    formatNumber(record.cells),
    record.status === 'ran' ? ms(record.load?.latency.p50) : record.status.toUpperCase(),
    formatNumber(record.microsecondsPerCell, 2),
    formatNumber(marginalMicrosecondsPerCell(results.growth, record), 2),
    statementText(record.statements),
    record.reason ?? '',
  ]);
  return formatTable(['regions', 'indicators', 'years', 'cells', 'p50 ms', 'µs/cell', 'marginal µs/cell', 'SQL stmts', 'notes'], rows, {
    markdown,
  });
}

export function memoryTable(results: BenchResults, markdown = false): string {
  const rows = results.memory.map((record) => [
    record.process,
    mb(record.peakRssBytes),
    mb(record.soakStartRssBytes),
    mb(record.soakEndRssBytes),
    mb(record.soakMaxRssBytes),
    percent(record.soakGrowthPercent),
    percent(record.soakSecondHalfGrowthPercent),
    mb(record.soakPostGcHeapBytes?.start),
    mb(record.soakPostGcHeapBytes?.mid),
    mb(record.soakPostGcHeapBytes?.end),
    percent(record.soakPostGcSecondHalfGrowthPercent),
  ]);
  return formatTable(
    [
      'process',
      'peak RSS MB',
      'soak start MB',
      'soak end MB',
      'soak max MB',
      'soak growth',
      '2nd half',
      'post-GC heap start MB',
      'half MB',
      'end MB',
      'post-GC 2nd half',
    ],
    rows,
    { markdown },
  );
}

/** Per soaked process, the constructors whose objects grew most from the start heap snapshot to the end one. */
export function heapSnapshotTable(results: BenchResults, markdown = false): string {
  const rows: string[][] = [];
  for (const record of results.memory) {
    if (record.heapSnapshotNote) rows.push([record.process, `(${record.heapSnapshotNote})`, '', '', '', '']);
    for (const row of record.heapSnapshotGrowth ?? []) {
      rows.push([
        record.process,
        row.name.length > 60 ? `${row.name.slice(0, 57)}…` : row.name,
        formatNumber(row.countBefore),
        formatNumber(row.countAfter),
        `${row.countAfter - row.countBefore >= 0 ? '+' : ''}${formatNumber(row.countAfter - row.countBefore)}`,
        `${row.sizeAfter - row.sizeBefore >= 0 ? '+' : ''}${formatNumber((row.sizeAfter - row.sizeBefore) / 1024, 1)}`,
      ]);
    }
  }
  if (!rows.length) return '(no heap snapshots: the soak did not run)';
  return formatTable(['process', 'constructor', 'count start', 'count end', 'count growth', 'self size growth KB'], rows, { markdown });
}

export interface Verdict {
  target: string;
  subject: string;
  measured: string;
  /** From the interval of the per-round ratios where there are rounds; from the one figure otherwise. */
  verdict: RoundVerdict;
}

function single(met: boolean | null): RoundVerdict {
  return met === null ? 'not measured' : met ? 'met' : 'missed';
}

/** A verdict on per-round ratios: the median with its interval and spread, judged on the interval. */
function fromRounds(
  target: string,
  subject: string,
  status: Status,
  reason: string | undefined,
  summary: RatioSummary | undefined,
  goal: Target,
): Verdict {
  if (status !== 'ran') return { target, subject, measured: `${status}: ${reason ?? ''}`, verdict: 'not measured' };
  if (!summary || summary.rounds === 0)
    return { target, subject, measured: `no round with ${MIN_ANSWERS} or more answers on both sides`, verdict: 'not measured' };
  return { target, subject, measured: formatSummary(summary), verdict: roundVerdict(summary, goal) };
}

/** Every target of the issue with what was measured; "not measured" where this run could not. */
export function verdicts(results: BenchResults): Verdict[] {
  const list: Verdict[] = [];
  for (const operation of results.operations) {
    list.push(
      fromRounds(
        'ours req/s ≥ 1.2 × Hive req/s',
        operation.name,
        operation.status,
        operation.reason,
        ratioSummary(operation.rounds, 'ours', 'hive', 'requestsPerSecond'),
        TARGETS.oursOverHive,
      ),
    );
  }
  const partner = results.operations.find((operation) => operation.name === PARTNER_LOOKUP_BASELINE.operation);
  if (partner) {
    const summary = partner.rounds?.length
      ? summarise(roundFigureOver(partner.rounds, 'ours', 'requestsPerSecond', PARTNER_LOOKUP_BASELINE.requestsPerSecond))
      : undefined;
    list.push(
      fromRounds(
        `ours req/s ≥ 2 × ${PARTNER_LOOKUP_BASELINE.requestsPerSecond} (the full run of ${PARTNER_LOOKUP_BASELINE.date})`,
        partner.name,
        partner.status,
        partner.reason,
        summary,
        TARGETS.partnerLookupOverBaseline,
      ),
    );
  }
  for (const operation of results.operations) {
    if (operation.costCheckMilliseconds === undefined) continue;
    const gatewayCpu = usable(operation.ours)?.cpuMillisecondsPerRequest?.[CONTENDER_PROCESS.ours];
    const percent =
      operation.costCheckMilliseconds !== undefined && gatewayCpu ? (100 * operation.costCheckMilliseconds) / gatewayCpu : undefined;
    list.push({
      target: 'cost check ≤ 5 % of gateway CPU per request',
      subject: operation.name,
      measured:
        percent === undefined
          ? `${formatNumber(operation.costCheckMilliseconds * 1000, 0)} µs; no gateway CPU figure${operation.reason ? ` (${operation.reason})` : ''}`
          : `${formatNumber(percent, 2)} % (${formatNumber(operation.costCheckMilliseconds * 1000, 0)} µs of ${ms(gatewayCpu)} ms)`,
      verdict: single(percent === undefined ? null : meetsTarget(percent, TARGETS.costCheckPercent)),
    });
  }
  for (const record of results.overhead) {
    list.push(
      fromRounds(
        'gateway p50 ≤ 1.3 × direct p50',
        record.name,
        record.status,
        record.reason,
        ratioSummary(record.rounds, 'ours', 'direct', 'p50'),
        TARGETS.gatewayOverDirect,
      ),
    );
  }
  for (const record of results.overhead) {
    if (record.status !== 'ran') continue;
    list.push(
      fromRounds(
        'gateway p50 ≤ 1.3 × direct p50, one request at a time',
        record.name,
        record.status,
        record.reason,
        ratioSummary(record.sequentialRounds, 'ours', 'direct', 'p50'),
        TARGETS.gatewayOverDirect,
      ),
    );
  }
  const floor = results.floor;
  if (floor) {
    list.push(
      fromRounds(
        'analyst table p50 ≤ 1.5 × SQL floor p50',
        'analyst-table',
        floor.status,
        floor.reason,
        ratioSummary(floor.rounds, 'ours', 'floor', 'p50'),
        TARGETS.gatewayOverFloor,
      ),
    );
  }
  const statementCounts = new Set(results.growth.filter((record) => record.statements).map((record) => statementTotal(record.statements)));
  if (results.growth.length) {
    list.push({
      target: 'growth: SQL statements constant',
      subject: `analyst table ${Math.min(...results.growth.map((record) => record.regions))}–${Math.max(...results.growth.map((record) => record.regions))} regions × ${Math.min(...results.growth.map((record) => record.indicators))}–${Math.max(...results.growth.map((record) => record.indicators))} indicators`,
      measured: statementCounts.size ? [...statementCounts].join(', ') : 'not measured',
      verdict: single(statementCounts.size ? statementCounts.size === 1 : null),
    });
    const measured = results.growth
      .filter((record) => Number.isFinite(record.microsecondsPerCell) && record.cells >= 1000)
      .sort((a, b) => a.cells - b.cells);
    if (measured.length >= 2) {
      // Linear total cost means flat time per cell; falling time per cell (fixed costs spread over
      // more cells) is better than linear. What must not happen is the largest table costing more
      // per cell than the smaller ones.
      const largest = measured[measured.length - 1]!;
      const smallerBest = Math.min(...measured.slice(0, -1).map((record) => record.microsecondsPerCell!));
      const limit = 1.25 * smallerBest;
      list.push({
        target: 'growth: time per cell does not grow (linear total cost or better)',
        subject: `${formatNumber(largest.cells)} cells vs ${measured.length - 1} smaller tables ≥ 1,000 cells`,
        measured: `${formatNumber(largest.microsecondsPerCell, 2)} µs/cell vs best smaller ${formatNumber(smallerBest, 2)} µs/cell`,
        verdict: single(largest.microsecondsPerCell! <= limit),
      });
    }
  }
  for (const record of results.memory) {
    if (record.soakGrowthPercent === undefined) continue;
    list.push({
      target: `memory growth ≤ 10 % over the ${results.soakSeconds ?? '?'} s soak`,
      subject: record.process,
      measured: `${record.soakGrowthPercent.toFixed(1)} %`,
      verdict: single(meetsTarget(record.soakGrowthPercent, TARGETS.soakGrowthPercent)),
    });
  }
  for (const record of results.memory) {
    if (record.soakSecondHalfGrowthPercent === undefined) continue;
    list.push({
      target: `resident set growth ≤ 5 % over the 2nd half of the ${results.soakSeconds ?? '?'} s soak`,
      subject: record.process,
      measured: `${record.soakSecondHalfGrowthPercent.toFixed(1)} %`,
      verdict: single(meetsTarget(record.soakSecondHalfGrowthPercent, TARGETS.soakSecondHalfGrowthPercent)),
    });
  }
  for (const record of results.memory) {
    if (record.soakSecondHalfGrowthPercent === undefined) continue;
    const growth = record.soakPostGcSecondHalfGrowthPercent;
    list.push({
      target: `post-GC heap growth ≤ 5 % over the 2nd half of the ${results.soakSeconds ?? '?'} s soak`,
      subject: record.process,
      measured: growth === undefined ? 'not measured' : `${growth.toFixed(1)} %`,
      verdict: single(growth === undefined ? null : meetsTarget(growth, TARGETS.soakSecondHalfGrowthPercent)),
    });
  }
  return list;
}

export function verdictTable(results: BenchResults, markdown = false): string {
  const rows = verdicts(results).map((verdict) => [verdict.target, verdict.subject, verdict.measured, verdictText(verdict.verdict)]);
  return formatTable(['target', 'subject', 'measured', 'verdict'], rows, { markdown });
}

export function floorTable(results: BenchResults, markdown = false): string {
  const floor = results.floor;
  if (!floor) return '(not run)';
  if (floor.status !== 'ran') return `${floor.status.toUpperCase()}: ${floor.reason ?? ''}`;
  const rows = [
    [
      'SQL floor (1 statement, pg, node:http)',
      ...loadCells(floor.floor),
      ms(floor.floor?.cpuMillisecondsPerRequest?.['sql-floor']),
      '–',
      ms(floor.floor?.cpuMillisecondsPerRequest?.postgres),
      '1',
    ],
    ['our gateway', ...loadCells(floor.ours), ...cpuCells(floor.ours, CONTENDER_PROCESS.ours), ''],
    ...(floor.hive ? [['Hive Gateway', ...loadCells(floor.hive), ...cpuCells(floor.hive, CONTENDER_PROCESS.hive), '']] : []),
    ...(floor.router
      ? [['Hive Gateway + Rust query planner', ...loadCells(floor.router), ...cpuCells(floor.router, CONTENDER_PROCESS.router), '']]
      : []),
  ];
  const table = formatTable(
    [
      'analyst table via',
      'req/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'errors',
      'server CPU ms/req',
      'subgraphs CPU ms/req',
      'PG CPU ms/req',
      'SQL stmts',
    ],
    rows,
    { markdown },
  );
  const same =
    floor.sameData === null || floor.sameData === undefined
      ? ''
      : floor.sameData
        ? '\n\nThe floor returned the same regions, names and values as the gateway.'
        : '\n\nWARNING: the floor and the gateway returned different data.';
  const ratios = floor.rounds?.length
    ? `\n\nPer round, p50 over the floor's (${floor.rounds.length} rounds, median [95 % CI]): ours ${judged(ratioSummary(floor.rounds, 'ours', 'floor', 'p50'), TARGETS.gatewayOverFloor)} (≤ 1.5), hive ${formatMedian(ratioSummary(floor.rounds, 'hive', 'floor', 'p50'))}, hive+rust ${formatMedian(ratioSummary(floor.rounds, 'router', 'floor', 'p50'))}.`
    : '';
  return table + same + ratios;
}

export function fullReport(results: BenchResults, markdown = false): string {
  const heading = (text: string) => (markdown ? `### ${text}\n\n` : `\n== ${text} ==\n`);
  const machine = results.machine;
  return [
    `${heading('Run')}${results.startedAt} · ${machine.cpus} × ${machine.cpuModel} · ${machine.memoryGiB.toFixed(1)} GiB · Node ${machine.node} · load average at start ${machine.loadAverageStart.map((value) => value.toFixed(2)).join(' ')}${machine.loadAverageEnd ? `, at end ${machine.loadAverageEnd.map((value) => value.toFixed(2)).join(' ')}` : ''}` +
      `\nconfig: ${JSON.stringify(results.config)}\nregistered subgraphs: ${results.registeredSubgraphs.join(', ')}${results.notes.length ? `\n${results.notes.map((note) => `NOTE: ${note}`).join('\n')}` : ''}`,
    `${heading('Operation mix: our gateway, Hive Gateway, Hive Gateway with the Rust query planner (all rounds merged)')}${mixTable(results, markdown)}`,
    `${heading('Ratios to Hive Gateway, per round (median [95 % CI of the median])')}${ratioTable(results, markdown)}`,
    `${heading('Gateway overhead: straight to the subgraph vs through the gateway')}${overheadTable(results, markdown)}`,
    `${heading('Physical floor: analyst table')}${floorTable(results, markdown)}`,
    `${heading('Growth: analyst table (our gateway, one connection)')}${growthTable(results, markdown)}`,
    `${heading('Memory (RSS, and heap after a forced full GC)')}${memoryTable(results, markdown)}`,
    `${heading('Heap snapshots: start → end of the soak')}${heapSnapshotTable(results, markdown)}`,
    `${heading('Targets (verdicts from the 95 % interval of the per-round median: met / MISSED / not significant)')}${verdictTable(results, markdown)}`,
  ].join('\n\n');
}
