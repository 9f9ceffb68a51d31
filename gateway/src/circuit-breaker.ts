// A circuit breaker per subgraph. Without it, every request touching a hung subgraph waited
// SUBGRAPH_TIMEOUT_MS (10 s) for its fields, holding its sockets and the gateway's concurrency meanwhile,
// and under load requests piled up behind it. After a run of failed fetches the subgraph's circuit
// opens: its fetches fail at once with the SUBGRAPH_UNAVAILABLE clients already get, until a cooldown
// has passed and a probe shows that the subgraph is ready again.
//
// The probe is a request of the gateway's own (GET of the subgraph's /ready, with a short timeout of
// its own), not a client's: when a client's request was the trial, it waited SUBGRAPH_TIMEOUT_MS for a
// subgraph that still hung. It asks /ready, not `{ __typename }`: a subgraph whose database is away
// still answers `{ __typename }`, and a circuit closed on that sent clients on to database errors. Now
// every client request fails at once while the circuit is open, also one whose arrival after the
// cooldown sets the probe off; and the gateway probes by itself once the cooldown is over
// (BackgroundProbes), so that a circuit closes, and /ready and /metrics say so, without client traffic.
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
   * Milliseconds an opened circuit stays open before the gateway probes the subgraph: by itself once
   * they are over, or sooner after them when a client's request finds them over first.
   * SUBGRAPH_BREAKER_COOLDOWN_MS.
   * @default 1000
   */
  cooldownMs: number;
  /**
   * The cooldown doubles after each failed probe, up to this many milliseconds, so that a subgraph that
   * stays down is probed less and less often. SUBGRAPH_BREAKER_MAX_COOLDOWN_MS.
   *
   * The bound is also how long a subgraph that is back may still be skipped: kept well below the 5 s
   * within which answers must be whole again after a subgraph's restart (the chaos run's check). With a
   * cooldown of 5 s doubling to 60 s, a projects subgraph down for 5 s stayed skipped 9.9 s after it
   * answered again.
   * @default 3000
   */
  maxCooldownMs: number;
  /**
   * Milliseconds the probe of an open circuit (GET of the subgraph's /ready, which runs `SELECT 1` on
   * its database) may take before it counts as failed (SUBGRAPH_BREAKER_PROBE_TIMEOUT_MS). Only an
   * answer within them with HTTP 2xx closes the circuit. A ready subgraph answers it in a few
   * milliseconds; one that takes longer is not back. Short, so that a subgraph that is back is found
   * well within the 5 s of the chaos run's check (cooldown + probe timeout), and a hung one holds only
   * this one socket that long.
   * @default 1000
   */
  probeTimeoutMs: number;
}

export const CIRCUIT_BREAKER_DEFAULTS: Readonly<CircuitBreakerOptions> = {
  failures: 5,
  cooldownMs: 1_000,
  maxCooldownMs: 3_000,
  probeTimeoutMs: 1_000,
};

/** The breakers' settings from the environment; an unusable value stops the gateway at start, naming the variable. */
export function readCircuitBreakerOptions(env: NodeJS.ProcessEnv): CircuitBreakerOptions {
  const failures = readInteger('SUBGRAPH_BREAKER_FAILURES', CIRCUIT_BREAKER_DEFAULTS.failures, env);
  const cooldownMs = readInteger('SUBGRAPH_BREAKER_COOLDOWN_MS', CIRCUIT_BREAKER_DEFAULTS.cooldownMs, env);
  const maxCooldownMs = readInteger('SUBGRAPH_BREAKER_MAX_COOLDOWN_MS', Math.max(CIRCUIT_BREAKER_DEFAULTS.maxCooldownMs, cooldownMs), env);
  const probeTimeoutMs = readInteger('SUBGRAPH_BREAKER_PROBE_TIMEOUT_MS', CIRCUIT_BREAKER_DEFAULTS.probeTimeoutMs, env);
  // A cooldown of 0 would probe with every request: the breaker would only count.
  if (failures > 0 && cooldownMs === 0) {
    throw new Error(`SUBGRAPH_BREAKER_COOLDOWN_MS must be a positive integer, got ${JSON.stringify(env.SUBGRAPH_BREAKER_COOLDOWN_MS)}`);
  }
  // A probe given no time fails at once: the circuit would never close again.
  if (failures > 0 && probeTimeoutMs === 0) {
    throw new Error(
      `SUBGRAPH_BREAKER_PROBE_TIMEOUT_MS must be a positive integer, got ${JSON.stringify(env.SUBGRAPH_BREAKER_PROBE_TIMEOUT_MS)}`,
    );
  }
  if (maxCooldownMs < cooldownMs) {
    throw new Error(`SUBGRAPH_BREAKER_MAX_COOLDOWN_MS (${maxCooldownMs}) must not be below SUBGRAPH_BREAKER_COOLDOWN_MS (${cooldownMs})`);
  }
  return { failures, cooldownMs, maxCooldownMs, probeTimeoutMs };
}

/**
 * What became of a fetch sent to the subgraph (once for all the callers merged into it): `failure` for a
 * timeout, an unreachable subgraph or HTTP 5xx; `success` for any answer else (a 4xx or GraphQL errors
 * come from a subgraph that answers); `neutral` for a fetch its callers gave up, which says nothing
 * about the subgraph.
 */
export type FetchVerdict = 'success' | 'failure' | 'neutral';

/**
 * Whether a client's fetch may go out. A refused one whose `probe` is true is the one that found the
 * cooldown over and took the probe: its fetcher sends the probe (and still fails at once itself).
 */
export type Admission = { admitted: true } | { admitted: false; retryAt: number; probeUnderWay: boolean; probe: boolean };

/** A change of a circuit that the gateway logs. */
export type CircuitChange = 'opened' | 'reopened' | 'closed' | null;

/** The breakers' shared state and settings, handed to the offload worker (structured clone keeps the buffer shared). */
export interface SharedCircuits {
  names: readonly string[];
  options: CircuitBreakerOptions;
  buffer: SharedArrayBuffer;
}

// Per subgraph, in Int32 slots: consecutive failures, a probe in flight (0/1, set and cleared only by
// the probe's owner, so that never two are out for one circuit), failed probes since the circuit
// opened; and one BigInt64 slot: when the circuit may be probed (ms since the epoch), 0 while it is
// closed.
const INT_SLOTS = 3;
const FAILURES = 0;
const PROBE = 1;
const FAILED_PROBES = 2;

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

  /** When an open circuit is probed; null while it is closed. */
  retryAt(): number | null {
    const until = Number(Atomics.load(this.until, this.index));
    return until === 0 ? null : until;
  }

  /** Milliseconds the probe may take (SUBGRAPH_BREAKER_PROBE_TIMEOUT_MS). */
  get probeTimeoutMs(): number {
    return this.options.probeTimeoutMs;
  }

  /** Asked before each client fetch. */
  admit(): Admission {
    if (this.options.failures === 0) return { admitted: true };
    const retryAt = this.retryAt();
    if (retryAt === null) return { admitted: true };
    if (this.now() < retryAt)
      return { admitted: false, retryAt, probeUnderWay: Atomics.load(this.ints, this.int(PROBE)) === 1, probe: false };
    return { admitted: false, retryAt, probeUnderWay: true, probe: this.takeProbe() };
  }

  /**
   * Whether the caller took the probe of this circuit, found open with its cooldown over. Half-open: of
   * all the fetches and background probes on both threads, only the one that takes it sends the probe,
   * and must then tell recordProbe its outcome.
   */
  takeProbe(): boolean {
    const retryAt = this.retryAt();
    if (retryAt === null || this.now() < retryAt) return false;
    return Atomics.compareExchange(this.ints, this.int(PROBE), 0, 1) === 0;
  }

  /** Told once per fetch that went to the subgraph (merged callers share one). */
  record(verdict: FetchVerdict): CircuitChange {
    if (this.options.failures === 0 || verdict === 'neutral') return null;
    if (verdict === 'success') return this.close();
    const failures = Atomics.add(this.ints, this.int(FAILURES), 1) + 1;
    // Failures of fetches sent before the circuit opened leave its time of probing as it is.
    if (failures < this.options.failures || this.retryAt() !== null) return null;
    Atomics.store(this.ints, this.int(FAILED_PROBES), 0);
    Atomics.store(this.until, this.index, BigInt(Math.round(this.now() + this.options.cooldownMs)));
    return 'opened';
  }

  /**
   * Told by the owner of the probe (the fetch whose admission had `probe`) when it is answered, failed,
   * or given up (`neutral`: the gateway is closing), which leaves the circuit as it is.
   */
  recordProbe(verdict: FetchVerdict): CircuitChange {
    try {
      if (verdict === 'neutral') return null;
      if (verdict === 'success') return this.close();
      // Closed meanwhile by the answer to a fetch sent before it opened: that answer is the newer news.
      if (this.retryAt() === null) return null;
      const failedProbes = Atomics.add(this.ints, this.int(FAILED_PROBES), 1) + 1;
      const cooldown = Math.min(this.options.cooldownMs * 2 ** Math.min(failedProbes, 30), this.options.maxCooldownMs);
      Atomics.store(this.until, this.index, BigInt(Math.round(this.now() + cooldown)));
      return 'reopened';
    } finally {
      Atomics.store(this.ints, this.int(PROBE), 0);
    }
  }

  /** A ready probe shows the subgraph is back; so does any answer to a fetch sent before the circuit opened. */
  private close(): CircuitChange {
    Atomics.store(this.ints, this.int(FAILURES), 0);
    const wasOpen = this.retryAt() !== null;
    Atomics.store(this.until, this.index, 0n);
    Atomics.store(this.ints, this.int(FAILED_PROBES), 0);
    return wasOpen ? 'closed' : null;
  }
}

/**
 * The circuits of all subgraphs the gateway knows (the registry's and its first supergraph's). `now` is the clock, injected by
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

  /** A subgraph's circuit; none for a name it was not made with (server.ts refuses a supergraph that routes to one). */
  of(subgraph: string): SubgraphCircuit | undefined {
    return this.circuits.get(subgraph);
  }

  /** Each subgraph with whether its circuit is open (or half-open: its probe not yet answered). */
  states(): { subgraph: string; retryAt: number | null }[] {
    return [...this.circuits.values()].map((circuit) => ({ subgraph: circuit.subgraph, retryAt: circuit.retryAt() }));
  }
}

/** Sends the probe of one subgraph's circuit, taken by its caller, and records its outcome (subgraph-fetch.ts). */
export type CircuitProbe = (signal?: AbortSignal) => Promise<void>;

/**
 * The gateway's own probes of open circuits, on the main thread: once a circuit's cooldown is over it is
 * probed without waiting for a client's request, so that a subgraph that is back gets its circuit
 * closed (and /ready and /metrics say so) while no client asks for it. A failed probe reopens the
 * circuit for the doubled cooldown, and the next is due after that.
 *
 * Told of every change of a circuit (`changed`, from either thread's fetches), it keeps one timer per
 * open circuit, at its time of probing. The probe is taken from the shared circuit as a client's fetch
 * takes it, so that never two are out for one circuit, whichever thread or path sets them off. The
 * timers are unref'd and `close` stops them and gives up a probe under way, which then records nothing
 * (createCircuitProbe), so that they keep no process (a test's, `npm start`'s) alive and the shutdown
 * changes no circuit.
 */
export class BackgroundProbes {
  private readonly probes = new Map<string, CircuitProbe>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly circuits: CircuitBreakers,
    private readonly now: () => number = Date.now,
  ) {}

  /** How a subgraph is probed, once the gateway knows its URL; a circuit that is already open is probed when due. */
  serve(subgraph: string, probe: CircuitProbe): void {
    this.probes.set(subgraph, probe);
    this.changed(subgraph);
  }

  /** Told of each change of a subgraph's circuit (opened, reopened, closed). */
  changed(subgraph: string): void {
    clearTimeout(this.timers.get(subgraph));
    this.timers.delete(subgraph);
    const circuit = this.circuits.of(subgraph);
    const probe = this.probes.get(subgraph);
    const retryAt = circuit?.retryAt() ?? null;
    if (!circuit || !probe || retryAt === null || this.stopping.signal.aborted) return;
    const wait = retryAt - this.now();
    if (wait > 0) return this.lookAgain(subgraph, wait);
    // A probe set off by a client's request, here or on the worker, is out: it is answered or given up
    // within the probe timeout, and the circuit is looked at again then.
    if (!circuit.takeProbe()) return this.lookAgain(subgraph, circuit.probeTimeoutMs);
    void probe(this.stopping.signal).finally(() => this.changed(subgraph));
  }

  private lookAgain(subgraph: string, ms: number): void {
    const timer = setTimeout(() => this.changed(subgraph), ms);
    timer.unref();
    this.timers.set(subgraph, timer);
  }

  /** Stops probing: on the gateway's close. */
  close(): void {
    this.stopping.abort();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
