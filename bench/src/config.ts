// What a benchmark run does, from flags (--duration=10) or the environment (BENCH_DURATION=10).

export const SECTIONS = ['mix', 'overhead', 'floor', 'growth', 'soak'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchConfig {
  /** Seconds each measured load run lasts. */
  durationSeconds: number;
  /** Seconds of load before each measured run, thrown away. */
  warmupSeconds: number;
  /** Connections kept busy at once. */
  concurrency: number;
  /** Seconds of each growth case (one connection: latency, not throughput). */
  growthSeconds: number;
  /** Seconds of the memory soak; 0 skips it. */
  soakSeconds: number;
  /** Compare with Hive Gateway (the peer). */
  hive: boolean;
  /** Also compare with Hive Gateway on the Rust query planner (@graphql-hive/router-runtime). */
  router: boolean;
  /** Rounds in which the contenders take turns; each contender runs durationSeconds per round. */
  rounds: number;
  sections: Section[];
  /** Keep the embedded database under .data/ between runs instead of a throw-away cluster. */
  persistentDatabase: boolean;
  /** Start every service with node --cpu-prof; profiles land in bench-results/profiles/<service>/, one file per thread. */
  cpuProfile: boolean;
  /** Only these operations of the mix and the overhead section (default: all). */
  operations: string[] | null;
  /** Only these of the registered subgraphs (default: all registered). */
  subgraphs: string[] | null;
  quick: boolean;
}

// Quick runs use fewer connections: with 16, an operation slower than the run's second would
// not complete a single answer.
// Six rounds: the smallest count whose min–max interval covers the median with ≥ 95 % (96.9 %).
// A quick run's two rounds give no verdict ("not significant"): it is a smoke run.
const QUICK: Partial<BenchConfig> = { durationSeconds: 1, warmupSeconds: 0.5, growthSeconds: 1, soakSeconds: 5, concurrency: 4, rounds: 2 };
const FULL: Partial<BenchConfig> = { durationSeconds: 3, warmupSeconds: 3, growthSeconds: 3, soakSeconds: 60, concurrency: 16, rounds: 6 };

/** A command line the bench cannot run: its message says what to change, and no stack trace follows it. */
export class UsageError extends Error {}

function readNumber(name: string, raw: string | undefined, fallback: number, minimum: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < minimum) throw new UsageError(`${name} must be a number ≥ ${minimum}, got ${JSON.stringify(raw)}`);
  return value;
}

function readSections(raw: string | undefined): Section[] {
  if (!raw) return [...SECTIONS];
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(SECTIONS as readonly string[]).includes(name));
  if (unknown.length) throw new UsageError(`unknown section(s) ${unknown.join(', ')}; known: ${SECTIONS.join(', ')}`);
  return names as Section[];
}

export const USAGE = `npm run bench [-- options]

  --quick               a smoke run: 2 rounds of 1 s at 4 connections, 5 s soak (no verdicts)
  --rounds=N            rounds in which the contenders take turns (default 6; BENCH_ROUNDS)
  --duration=SECONDS    each contender's run in each round (default 3; BENCH_DURATION)
  --warmup=SECONDS      load before each measured run (default 3; BENCH_WARMUP)
  --concurrency=N       connections at once (default 16; BENCH_CONCURRENCY)
  --growth=SECONDS      each growth case (default 3; BENCH_GROWTH)
  --soak=SECONDS        memory soak, 0 skips it (default 60; BENCH_SOAK); heap snapshots
                        of every soaked process land in bench-results/heap-snapshots
  --only=LIST           sections to run: ${SECTIONS.join(',')} (BENCH_ONLY)
  --no-hive             leave Hive Gateway (both runtimes) out
  --no-router           leave out Hive Gateway with the Rust query planner
  --persistent          keep the embedded database in .data/ between runs
  --cpu-prof            profile every service (node --cpu-prof) into bench-results/profiles/<service>
  --operations=LIST     only these operations of the mix and overhead sections, e.g.
                        region-page,regions-lookup (BENCH_OPERATIONS)
  --subgraphs=LIST      start only these registered subgraphs, e.g. regions,indicators (BENCH_SUBGRAPHS)
`;

/** Flags win over the environment, which wins over the defaults (full, or quick with --quick). */
export function parseBenchConfig(argv: readonly string[], env: NodeJS.ProcessEnv = {}): BenchConfig {
  const flags = new Map<string, string>();
  for (const argument of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argument);
    if (!match) throw new UsageError(`unexpected argument ${JSON.stringify(argument)}\n\n${USAGE}`);
    flags.set(match[1]!, match[2] ?? 'true');
  }
  const known = [
    'quick',
    'duration',
    'warmup',
    'concurrency',
    'growth',
    'soak',
    'only',
    'no-hive',
    'no-router',
    'rounds',
    'persistent',
    'cpu-prof',
    'subgraphs',
    'operations',
    'help',
  ];
  const unknown = [...flags.keys()].filter((name) => !known.includes(name));
  if (unknown.length) throw new UsageError(`unknown option(s) --${unknown.join(', --')}\n\n${USAGE}`);
  const quick = flags.has('quick') || env.BENCH_QUICK === 'true' || env.BENCH_QUICK === '1';
  const defaults = { ...FULL, ...(quick ? QUICK : {}) } as Required<typeof FULL>;
  const value = (flag: string, variable: string) => flags.get(flag) ?? env[variable];
  return {
    durationSeconds: readNumber('--duration', value('duration', 'BENCH_DURATION'), defaults.durationSeconds, 0.5),
    warmupSeconds: readNumber('--warmup', value('warmup', 'BENCH_WARMUP'), defaults.warmupSeconds, 0),
    concurrency: Math.round(readNumber('--concurrency', value('concurrency', 'BENCH_CONCURRENCY'), defaults.concurrency, 1)),
    growthSeconds: readNumber('--growth', value('growth', 'BENCH_GROWTH'), defaults.growthSeconds, 0.5),
    soakSeconds: readNumber('--soak', value('soak', 'BENCH_SOAK'), defaults.soakSeconds, 0),
    hive: !flags.has('no-hive'),
    router: !flags.has('no-router'),
    rounds: Math.round(readNumber('--rounds', value('rounds', 'BENCH_ROUNDS'), defaults.rounds, 1)),
    sections: readSections(value('only', 'BENCH_ONLY')),
    persistentDatabase: flags.has('persistent'),
    cpuProfile: flags.has('cpu-prof'),
    operations:
      value('operations', 'BENCH_OPERATIONS')
        ?.split(',')
        .map((name) => name.trim())
        .filter(Boolean) ?? null,
    subgraphs:
      value('subgraphs', 'BENCH_SUBGRAPHS')
        ?.split(',')
        .map((name) => name.trim())
        .filter(Boolean) ?? null,
    quick,
  };
}
