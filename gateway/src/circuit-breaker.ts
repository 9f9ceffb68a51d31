// A circuit breaker per subgraph. Without it, every request touching a hung subgraph waited
// SUBGRAPH_TIMEOUT_MS (10 s) for its fields, holding its sockets and the gateway's concurrency meanwhile,
// and under load requests piled up behind it. After a run of failed fetches the subgraph's circuit
// opens: its fetches fail at once with the SUBGRAPH_UNAVAILABLE clients already get, until a cooldown
// has passed and one trial fetch shows whether it answers again.
//
// The state lives in a SharedArrayBuffer, so that the main thread and the offload worker (which
// fetches subgraphs too) keep one circuit per subgraph: a subgraph found hung on one thread is spared
// by the other, and /metrics and /ready on the main thread see both.
import { readInteger } from '@regiograph/shared';

/** How the breakers behave; read from SUBGRAPH_BREAKER_* by readCircuitBreakerOptions. */
export interface CircuitBreakerOptions {
  /**
   * Consecutive failed fetches of a subgraph (timeout, unreachable, HTTP 5xx; not GraphQL errors, not
   * 4xx) that open its circuit. 0 switches the breaker off. SUBGRAPH_BREAKER_FAILURES.
   * @default 5
   */
  failures: number;
  /**
   * Milliseconds an opened circuit stays open before one trial fetch goes through.
   * SUBGRAPH_BREAKER_COOLDOWN_MS.
   * @default 1000
   */
  cooldownMs: number;
  /**
   * The cooldown doubles after each failed trial, up to this many milliseconds, so that a subgraph that
   * stays down gets a trial fetch less and less often. SUBGRAPH_BREAKER_MAX_COOLDOWN_MS.
   *
   * The bound is also how long a subgraph that is back may still be skipped: kept well below the 5 s
   * within which answers must be whole again after a subgraph's restart (the chaos run's check). With a
   * cooldown of 5 s doubling to 60 s, a projects subgraph down for 5 s stayed skipped 9.9 s after it
   * answered again.
   * @default 3000
   */
  maxCooldownMs: number;
}

export const CIRCUIT_BREAKER_DEFAULTS: Readonly<CircuitBreakerOptions> = { failures: 5, cooldownMs: 1_000, maxCooldownMs: 3_000 };

/** The breakers' settings from the environment; an unusable value stops the gateway at start, naming the variable. */
export function readCircuitBreakerOptions(env: NodeJS.ProcessEnv): CircuitBreakerOptions {
  const failures = readInteger('SUBGRAPH_BREAKER_FAILURES', CIRCUIT_BREAKER_DEFAULTS.failures, env);
  const cooldownMs = readInteger('SUBGRAPH_BREAKER_COOLDOWN_MS', CIRCUIT_BREAKER_DEFAULTS.cooldownMs, env);
  const maxCooldownMs = readInteger('SUBGRAPH_BREAKER_MAX_COOLDOWN_MS', Math.max(CIRCUIT_BREAKER_DEFAULTS.maxCooldownMs, cooldownMs), env);
  // A cooldown of 0 would send a trial with every request: the breaker would only count.
  if (failures > 0 && cooldownMs === 0) {
    throw new Error(`SUBGRAPH_BREAKER_COOLDOWN_MS must be a positive integer, got ${JSON.stringify(env.SUBGRAPH_BREAKER_COOLDOWN_MS)}`);
  }
  if (maxCooldownMs < cooldownMs) {
    throw new Error(`SUBGRAPH_BREAKER_MAX_COOLDOWN_MS (${maxCooldownMs}) must not be below SUBGRAPH_BREAKER_COOLDOWN_MS (${cooldownMs})`);
  }
  return { failures, cooldownMs, maxCooldownMs };
}

/**
 * What became of a fetch: `failure` for a timeout, an unreachable subgraph or HTTP 5xx; `success` for
 * any answer else (a 4xx or GraphQL errors come from a subgraph that answers); `neutral` for a fetch
 * its caller gave up, which says nothing about the subgraph.
 */
export type FetchVerdict = 'success' | 'failure' | 'neutral';

/** Whether a fetch may go out: a trial is the one fetch let through an open circuit after its cooldown. */
export type Admission = { admitted: true; trial: boolean } | { admitted: false; retryAt: number; trialUnderWay: boolean };

/** A change of a circuit that the gateway logs. */
export type CircuitChange = 'opened' | 'reopened' | 'closed' | null;

/** The breakers' shared state and settings, handed to the offload worker (structured clone keeps the buffer shared). */
export interface SharedCircuits {
  names: readonly string[];
  options: CircuitBreakerOptions;
  buffer: SharedArrayBuffer;
}

// Per subgraph, in Int32 slots: consecutive failures, a trial in flight (0/1), failed trials since the
// circuit opened; and one BigInt64 slot: when the circuit may be tried again (ms since the epoch), 0
// while it is closed.
const INT_SLOTS = 3;
const FAILURES = 0;
const TRIAL = 1;
const FAILED_TRIALS = 2;

/** The circuit of one subgraph, as its fetcher uses it. */
export class SubgraphCircuit {
  constructor(
    readonly subgraph: string,
    private readonly options: CircuitBreakerOptions,
    private readonly ints: Int32Array,
    private readonly until: BigInt64Array,
    private readonly index: number,
    private readonly now: () => number,
  ) {}

  private int(slot: number): number {
    return this.index * INT_SLOTS + slot;
  }

  /** When an open circuit lets a trial through; null while it is closed. */
  retryAt(): number | null {
    const until = Number(Atomics.load(this.until, this.index));
    return until === 0 ? null : until;
  }

  /** Asked before each fetch. */
  admit(): Admission {
    if (this.options.failures === 0) return { admitted: true, trial: false };
    const retryAt = this.retryAt();
    if (retryAt === null) return { admitted: true, trial: false };
    if (this.now() < retryAt) return { admitted: false, retryAt, trialUnderWay: false };
    // Half-open: of all the fetches on both threads, only the one that takes the trial goes out.
    if (Atomics.compareExchange(this.ints, this.int(TRIAL), 0, 1) === 0) return { admitted: true, trial: true };
    return { admitted: false, retryAt, trialUnderWay: true };
  }

  /** Told after each admitted fetch. */
  record(verdict: FetchVerdict, trial: boolean): CircuitChange {
    if (this.options.failures === 0) return null;
    if (verdict === 'neutral') {
      // The next fetch takes the trial instead.
      if (trial) Atomics.store(this.ints, this.int(TRIAL), 0);
      return null;
    }
    if (verdict === 'success') {
      // Any answer shows the subgraph answers again, a trial's or one sent before the circuit opened.
      Atomics.store(this.ints, this.int(FAILURES), 0);
      const wasOpen = this.retryAt() !== null;
      Atomics.store(this.until, this.index, 0n);
      Atomics.store(this.ints, this.int(FAILED_TRIALS), 0);
      Atomics.store(this.ints, this.int(TRIAL), 0);
      return wasOpen ? 'closed' : null;
    }
    if (trial) {
      const failedTrials = Atomics.add(this.ints, this.int(FAILED_TRIALS), 1) + 1;
      const cooldown = Math.min(this.options.cooldownMs * 2 ** Math.min(failedTrials, 30), this.options.maxCooldownMs);
      Atomics.store(this.until, this.index, BigInt(Math.round(this.now() + cooldown)));
      Atomics.store(this.ints, this.int(TRIAL), 0);
      return 'reopened';
    }
    const failures = Atomics.add(this.ints, this.int(FAILURES), 1) + 1;
    // Failures of fetches sent before the circuit opened leave its time of retry as it is.
    if (failures < this.options.failures || this.retryAt() !== null) return null;
    Atomics.store(this.ints, this.int(FAILED_TRIALS), 0);
    Atomics.store(this.until, this.index, BigInt(Math.round(this.now() + this.options.cooldownMs)));
    return 'opened';
  }
}

/**
 * The circuits of all subgraphs the gateway knows (the registry's). `now` is the clock, injected by
 * tests; the worker thread uses the process's, as the main thread does.
 */
export class CircuitBreakers {
  private readonly ints: Int32Array;
  private readonly until: BigInt64Array;
  private readonly circuits = new Map<string, SubgraphCircuit>();

  constructor(
    names: readonly string[],
    readonly options: CircuitBreakerOptions,
    now: () => number = Date.now,
    private readonly buffer = new SharedArrayBuffer(names.length * (8 + INT_SLOTS * 4)),
  ) {
    this.until = new BigInt64Array(buffer, 0, names.length);
    this.ints = new Int32Array(buffer, names.length * 8, names.length * INT_SLOTS);
    names.forEach((name, index) => this.circuits.set(name, new SubgraphCircuit(name, options, this.ints, this.until, index, now)));
  }

  /** The breakers of the thread that made `shared` (on the offload worker: the main thread's). */
  static attach(shared: SharedCircuits, now: () => number = Date.now): CircuitBreakers {
    return new CircuitBreakers(shared.names, shared.options, now, shared.buffer);
  }

  shared(): SharedCircuits {
    return { names: [...this.circuits.keys()], options: this.options, buffer: this.buffer };
  }

  /** A subgraph's circuit; none for a name outside the registry (its fetches are not guarded). */
  of(subgraph: string): SubgraphCircuit | undefined {
    return this.circuits.get(subgraph);
  }

  /** Each subgraph with whether its circuit is open (or half-open: its trial not yet answered). */
  states(): { subgraph: string; retryAt: number | null }[] {
    return [...this.circuits.values()].map((circuit) => ({ subgraph: circuit.subgraph, retryAt: circuit.retryAt() }));
  }
}
