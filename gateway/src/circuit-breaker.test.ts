import { execFile } from 'node:child_process';
import path from 'node:path';
import {
  BackgroundProbes,
  CIRCUIT_BREAKER_DEFAULTS,
  CircuitBreakers,
  readCircuitBreakerOptions,
  type CircuitProbe,
  type SubgraphCircuit,
} from './circuit-breaker';

/** Breakers over two subgraphs with a clock the test moves by hand. */
function breakers(options = { failures: 3, cooldownMs: 1_000, maxCooldownMs: 3_000, probeTimeoutMs: 500 }) {
  const clock = { now: 1_000_000 };
  const made = new CircuitBreakers(['regions', 'indicators'], options, () => clock.now);
  return { clock, made, indicators: made.of('indicators')!, regions: made.of('regions')! };
}

/** Admits a fetch and records its verdict, as the fetcher does; returns whether it went out. */
function fetchThrough(circuit: SubgraphCircuit, verdict: 'success' | 'failure' | 'neutral'): boolean {
  const admission = circuit.admit();
  if (admission.admitted) circuit.record(verdict);
  return admission.admitted;
}

/** Moves the clock to the circuit's time of probing and takes the probe, as the fetch that finds it due does. */
function takeProbe(circuit: SubgraphCircuit, clock: { now: number }): void {
  clock.now = circuit.retryAt()!;
  expect(circuit.admit()).toEqual({ admitted: false, retryAt: clock.now, probeUnderWay: true, probe: true });
}

describe('a subgraph circuit', () => {
  it('opens after the set number of consecutive failures, and only for that subgraph', () => {
    const { indicators, regions, clock } = breakers();
    expect([1, 2].map(() => fetchThrough(indicators, 'failure'))).toEqual([true, true]);
    expect(indicators.retryAt()).toBeNull();
    // The third failure opens it: its time of retry is the cooldown ahead.
    expect(indicators.admit()).toEqual({ admitted: true });
    expect(indicators.record('failure')).toBe('opened');
    expect(indicators.retryAt()).toBe(clock.now + 1_000);
    expect(indicators.admit()).toEqual({ admitted: false, retryAt: clock.now + 1_000, probeUnderWay: false, probe: false });
    expect(regions.admit()).toEqual({ admitted: true });
  });

  it('counts only consecutive failures: a success in between starts again', () => {
    const { indicators } = breakers();
    for (const verdict of ['failure', 'failure', 'success', 'failure', 'failure'] as const) fetchThrough(indicators, verdict);
    expect(indicators.retryAt()).toBeNull();
    fetchThrough(indicators, 'failure');
    expect(indicators.retryAt()).not.toBeNull();
  });

  it('after the cooldown, refuses the fetch that finds it due too, which takes the probe; its answer closes the circuit', () => {
    const { indicators, clock } = breakers();
    for (let i = 0; i < 3; i += 1) fetchThrough(indicators, 'failure');
    clock.now += 999;
    expect(indicators.admit()).toMatchObject({ admitted: false, probe: false });
    clock.now += 1;
    // No client fetch goes out while the circuit is open: the first one after the cooldown sets the probe off.
    expect(indicators.admit()).toEqual({ admitted: false, retryAt: clock.now, probeUnderWay: true, probe: true });
    expect(indicators.admit()).toEqual({ admitted: false, retryAt: clock.now, probeUnderWay: true, probe: false });
    expect(indicators.recordProbe('success')).toBe('closed');
    expect(indicators.retryAt()).toBeNull();
    expect(indicators.admit()).toEqual({ admitted: true });
    // Closed anew: it takes the full run of failures again to open.
    for (let i = 0; i < 2; i += 1) fetchThrough(indicators, 'failure');
    expect(indicators.retryAt()).toBeNull();
  });

  it('reopens when the probe fails, the cooldown doubling each time up to its bound', () => {
    const { indicators, clock } = breakers();
    for (let i = 0; i < 3; i += 1) fetchThrough(indicators, 'failure');
    const cooldowns: number[] = [];
    for (let probe = 0; probe < 4; probe += 1) {
      takeProbe(indicators, clock);
      expect(indicators.recordProbe('failure')).toBe('reopened');
      cooldowns.push(indicators.retryAt()! - clock.now);
    }
    expect(cooldowns).toEqual([2_000, 3_000, 3_000, 3_000]);
    // A probe's answer closes it and the next opening starts from the first cooldown again.
    takeProbe(indicators, clock);
    indicators.recordProbe('success');
    for (let i = 0; i < 3; i += 1) fetchThrough(indicators, 'failure');
    expect(indicators.retryAt()! - clock.now).toBe(1_000);
  });

  it('does not judge the subgraph by a fetch its caller gave up', () => {
    const { indicators } = breakers();
    for (let i = 0; i < 2; i += 1) fetchThrough(indicators, 'failure');
    fetchThrough(indicators, 'neutral');
    expect(indicators.retryAt()).toBeNull();
    fetchThrough(indicators, 'failure');
    expect(indicators.retryAt()).not.toBeNull();
  });

  it('has one probe out at most: another only once its owner recorded it, even if the circuit closed and opened meanwhile', () => {
    const { indicators, clock } = breakers();
    for (let i = 0; i < 3; i += 1) fetchThrough(indicators, 'failure');
    takeProbe(indicators, clock);
    // A fetch sent before the circuit opened is answered: closed. Then it opens again.
    expect(indicators.record('success')).toBe('closed');
    for (let i = 0; i < 3; i += 1) fetchThrough(indicators, 'failure');
    clock.now = indicators.retryAt()!;
    expect(indicators.admit()).toMatchObject({ admitted: false, probeUnderWay: true, probe: false });
    // The first probe fails late: the circuit reopens, and the next is due after the doubled cooldown.
    expect(indicators.recordProbe('failure')).toBe('reopened');
    expect(indicators.admit()).toMatchObject({ admitted: false, probeUnderWay: false, probe: false });
    takeProbe(indicators, clock);
  });

  it('stays as it was after a probe given up (the gateway closing), whose probe is free again', () => {
    const { indicators, clock } = breakers();
    for (let i = 0; i < 3; i += 1) fetchThrough(indicators, 'failure');
    takeProbe(indicators, clock);
    const retryAt = indicators.retryAt();
    expect(indicators.recordProbe('neutral')).toBeNull();
    expect(indicators.retryAt()).toBe(retryAt);
    // Not counted as a failed probe: the next failure reopens it for the first doubled cooldown.
    takeProbe(indicators, clock);
    expect(indicators.recordProbe('failure')).toBe('reopened');
    expect(indicators.retryAt()! - clock.now).toBe(2_000);
  });

  it('takes a failed probe that comes back after the circuit closed for no news', () => {
    const { indicators, clock } = breakers();
    for (let i = 0; i < 3; i += 1) fetchThrough(indicators, 'failure');
    takeProbe(indicators, clock);
    indicators.record('success');
    expect(indicators.recordProbe('failure')).toBeNull();
    expect(indicators.retryAt()).toBeNull();
    expect(indicators.admit()).toEqual({ admitted: true });
  });

  it('keeps its time of retry when fetches sent before it opened fail afterwards', () => {
    const { indicators, clock } = breakers();
    // Five fetches out at once against a hung subgraph; they fail one after the other.
    const admissions = Array.from({ length: 5 }, () => indicators.admit());
    const changes = admissions.map((admission) => {
      clock.now += 10;
      expect(admission.admitted).toBe(true);
      return indicators.record('failure');
    });
    expect(changes).toEqual([null, null, 'opened', null, null]);
    expect(indicators.retryAt()).toBe(1_000_000 + 30 + 1_000);
  });

  it("counts each subgraph's failures on its own", () => {
    const { indicators, regions } = breakers();
    for (let i = 0; i < 2; i += 1) {
      fetchThrough(regions, 'failure');
      fetchThrough(indicators, 'failure');
    }
    expect([regions.retryAt(), indicators.retryAt()]).toEqual([null, null]);
    fetchThrough(indicators, 'failure');
    expect([regions.retryAt(), indicators.retryAt()]).toEqual([null, expect.any(Number)]);
  });

  it('says it closed only when it was open', () => {
    const { indicators } = breakers();
    expect(indicators.record('success')).toBeNull();
    for (let i = 0; i < 3; i += 1) fetchThrough(indicators, 'failure');
    expect(indicators.record('success')).toBe('closed');
    expect(indicators.record('success')).toBeNull();
  });

  it('gives its probe only when open with the cooldown over, once until recorded', () => {
    const { indicators, clock } = breakers();
    expect(indicators.takeProbe()).toBe(false);
    for (let i = 0; i < 3; i += 1) fetchThrough(indicators, 'failure');
    clock.now = indicators.retryAt()! - 1;
    expect(indicators.takeProbe()).toBe(false);
    clock.now += 1;
    expect(indicators.takeProbe()).toBe(true);
    expect(indicators.takeProbe()).toBe(false);
    expect(indicators.probeTimeoutMs).toBe(500);
  });

  it('tells a fetch refused within the cooldown that a probe is out, when one from an earlier opening still is', () => {
    const { indicators, clock } = breakers();
    for (let i = 0; i < 3; i += 1) fetchThrough(indicators, 'failure');
    takeProbe(indicators, clock);
    indicators.record('success');
    for (let i = 0; i < 3; i += 1) fetchThrough(indicators, 'failure');
    expect(indicators.admit()).toEqual({ admitted: false, retryAt: clock.now + 1_000, probeUnderWay: true, probe: false });
  });

  it('never opens with failures 0 (off)', () => {
    const { indicators } = breakers({ failures: 0, cooldownMs: 1_000, maxCooldownMs: 1_000, probeTimeoutMs: 0 });
    for (let i = 0; i < 100; i += 1) expect(fetchThrough(indicators, 'failure')).toBe(true);
    expect(indicators.retryAt()).toBeNull();
  });

  it('is one state for the breakers attached to its shared buffer (the offload worker)', () => {
    const { made, indicators, clock } = breakers();
    const attached = CircuitBreakers.attach(made.shared(), () => clock.now);
    for (let i = 0; i < 3; i += 1) fetchThrough(attached.of('indicators')!, 'failure');
    expect(indicators.admit().admitted).toBe(false);
    takeProbe(indicators, clock);
    // The other thread's fetches find the probe taken: one probe per circuit, not one per thread.
    expect(attached.of('indicators')!.admit()).toMatchObject({ admitted: false, probeUnderWay: true, probe: false });
    expect(attached.of('indicators')!.recordProbe('success')).toBe('closed');
    expect(indicators.admit()).toEqual({ admitted: true });
    for (let i = 0; i < 3; i += 1) fetchThrough(indicators, 'failure');
    expect(made.states()).toEqual([
      { subgraph: 'regions', retryAt: null },
      { subgraph: 'indicators', retryAt: clock.now + 1_000 },
    ]);
    expect(made.of('elsewhere')).toBeUndefined();
  });
});

const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("the gateway's background probes", () => {
  const options = { failures: 1, cooldownMs: 2, maxCooldownMs: 4, probeTimeoutMs: 20 };

  it('close an open circuit once its cooldown is over, without any client fetch', async () => {
    const made = new CircuitBreakers(['regions', 'indicators'], options);
    const indicators = made.of('indicators')!;
    let probes = 0;
    const background = new BackgroundProbes(made);
    background.serve('indicators', async () => {
      probes += 1;
      indicators.recordProbe('success');
    });
    try {
      indicators.record('failure');
      background.changed('indicators');
      for (let turn = 0; indicators.retryAt() !== null && turn < 2_000; turn += 1) await nextTurn();
      expect(indicators.retryAt()).toBeNull();
      expect(probes).toBe(1);
    } finally {
      background.close();
    }
  });

  it('never have two probes out for one circuit, whichever thread, background or client fetch takes it', async () => {
    const made = new CircuitBreakers(['indicators'], options);
    const attached = CircuitBreakers.attach(made.shared());
    const seen = { out: 0, most: 0, byBackground: 0, byClients: 0 };
    const backgrounds: BackgroundProbes[] = [];
    // A probe that fails after a turn, as a subgraph that stays down; each change is told to every
    // thread's background probes, as the gateway's observer does.
    const probeOf =
      (circuit: SubgraphCircuit, by: 'byBackground' | 'byClients'): CircuitProbe =>
      async () => {
        seen.out += 1;
        seen.most = Math.max(seen.most, seen.out);
        seen[by] += 1;
        await nextTurn();
        seen.out -= 1;
        if (circuit.recordProbe('failure')) for (const background of backgrounds) background.changed('indicators');
      };
    for (const circuits of [made, attached]) {
      const background = new BackgroundProbes(circuits);
      backgrounds.push(background);
      background.serve('indicators', probeOf(circuits.of('indicators')!, 'byBackground'));
    }
    try {
      made.of('indicators')!.record('failure');
      for (const background of backgrounds) background.changed('indicators');
      const client = attached.of('indicators')!;
      for (let turn = 0; seen.byBackground + seen.byClients < 30 && turn < 5_000; turn += 1) {
        const admission = client.admit();
        if (!admission.admitted && admission.probe) void probeOf(client, 'byClients')();
        await nextTurn();
      }
      expect(seen.byBackground).toBeGreaterThan(0);
      expect(seen.byBackground + seen.byClients).toBeGreaterThanOrEqual(30);
      expect(seen.most).toBe(1);
    } finally {
      for (const background of backgrounds) background.close();
    }
  });

  it('probe when the cooldown is over, again after each failed probe, and leave no timer once closed', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const made = new CircuitBreakers(['regions', 'indicators'], options);
    const indicators = made.of('indicators')!;
    const background = new BackgroundProbes(made);
    const probedAt: number[] = [];
    background.serve('indicators', async () => {
      probedAt.push(Date.now() - 1_000_000);
      indicators.recordProbe(probedAt.length < 3 ? 'failure' : 'success');
    });
    try {
      indicators.record('failure');
      background.changed('indicators');
      await jest.advanceTimersByTimeAsync(2);
      expect(probedAt).toEqual([2]);
      // Failed: reopened for the doubled cooldown (4 ms, the bound), and probed again then.
      await jest.advanceTimersByTimeAsync(20);
      expect(probedAt).toEqual([2, 6, 10]);
      expect(indicators.retryAt()).toBeNull();
      expect(jest.getTimerCount()).toBe(0);
      background.changed('indicators');
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      background.close();
      jest.useRealTimers();
    }
  });

  it('leave a circuit without a way to probe it, or an unknown subgraph, to the clients', () => {
    const clock = { now: 1_000_000 };
    const made = new CircuitBreakers(['indicators'], options, () => clock.now);
    const indicators = made.of('indicators')!;
    const background = new BackgroundProbes(made, () => clock.now);
    try {
      indicators.record('failure');
      clock.now = indicators.retryAt()!;
      expect(() => background.changed('indicators')).not.toThrow();
      expect(() => background.serve('unknown', async () => undefined)).not.toThrow();
      // The probe is still there for the first client fetch that finds the cooldown over.
      expect(indicators.admit()).toMatchObject({ admitted: false, probe: true });
    } finally {
      background.close();
    }
  });

  it('keep no process alive: a circuit open for a minute lets it exit', async () => {
    // A child process with a circuit whose probe is a minute away: it ends as soon as its own work is
    // done, as a test run or `npm start` after the gateway's close must.
    const module = path.join(__dirname, 'circuit-breaker.ts');
    const script = `
      const { BackgroundProbes, CircuitBreakers } = require(${JSON.stringify(module)});
      const circuits = new CircuitBreakers(['regions'], { failures: 1, cooldownMs: 60000, maxCooldownMs: 60000, probeTimeoutMs: 1000 });
      const background = new BackgroundProbes(circuits);
      background.serve('regions', async () => undefined);
      circuits.of('regions').record('failure');
      background.changed('regions');
      process.stdout.write('open until ' + circuits.of('regions').retryAt());`;
    const exited = await new Promise<{ code: number | null; signal: string | null; stdout: string }>((resolve) => {
      const child = execFile(process.execPath, ['--import', 'tsx', '--eval', script], { timeout: 30_000 }, (_error, stdout) =>
        resolve({ code: child.exitCode, signal: child.signalCode, stdout }),
      );
    });
    expect(exited).toEqual({ code: 0, signal: null, stdout: expect.stringMatching(/^open until \d+$/) });
  }, 40_000);

  it('stop on close: a circuit told of afterwards is not probed', async () => {
    const made = new CircuitBreakers(['indicators'], options);
    let probes = 0;
    const background = new BackgroundProbes(made);
    background.serve('indicators', async () => {
      probes += 1;
    });
    made.of('indicators')!.record('failure');
    background.changed('indicators');
    background.close();
    for (let turn = 0; turn < 20; turn += 1) await nextTurn();
    background.changed('indicators');
    for (let turn = 0; turn < 20; turn += 1) await nextTurn();
    expect(probes).toBe(0);
    expect(made.of('indicators')!.takeProbe()).toBe(true);
  });
});

describe('readCircuitBreakerOptions', () => {
  it('has documented defaults and reads SUBGRAPH_BREAKER_*', () => {
    expect(readCircuitBreakerOptions({})).toEqual(CIRCUIT_BREAKER_DEFAULTS);
    expect(CIRCUIT_BREAKER_DEFAULTS).toEqual({ failures: 5, cooldownMs: 1_000, maxCooldownMs: 3_000, probeTimeoutMs: 1_000 });
    expect(
      readCircuitBreakerOptions({
        SUBGRAPH_BREAKER_FAILURES: '2',
        SUBGRAPH_BREAKER_COOLDOWN_MS: '100',
        SUBGRAPH_BREAKER_MAX_COOLDOWN_MS: '400',
        SUBGRAPH_BREAKER_PROBE_TIMEOUT_MS: '250',
      }),
    ).toEqual({ failures: 2, cooldownMs: 100, maxCooldownMs: 400, probeTimeoutMs: 250 });
    // A cooldown above the default bound raises the bound with it unless one is given.
    expect(readCircuitBreakerOptions({ SUBGRAPH_BREAKER_COOLDOWN_MS: '90000' }).maxCooldownMs).toBe(90_000);
    expect(
      readCircuitBreakerOptions({
        SUBGRAPH_BREAKER_FAILURES: '0',
        SUBGRAPH_BREAKER_COOLDOWN_MS: '0',
        SUBGRAPH_BREAKER_PROBE_TIMEOUT_MS: '0',
      }).failures,
    ).toBe(0);
  });

  it('refuses values it cannot use, naming the variable', () => {
    expect(() => readCircuitBreakerOptions({ SUBGRAPH_BREAKER_FAILURES: 'five' })).toThrow(
      'SUBGRAPH_BREAKER_FAILURES must be a non-negative integer, got "five"',
    );
    expect(() => readCircuitBreakerOptions({ SUBGRAPH_BREAKER_FAILURES: '-1' })).toThrow(
      /SUBGRAPH_BREAKER_FAILURES must be a non-negative/,
    );
    expect(() => readCircuitBreakerOptions({ SUBGRAPH_BREAKER_COOLDOWN_MS: '0' })).toThrow(
      'SUBGRAPH_BREAKER_COOLDOWN_MS must be a positive integer, got "0"',
    );
    expect(() => readCircuitBreakerOptions({ SUBGRAPH_BREAKER_PROBE_TIMEOUT_MS: '0' })).toThrow(
      'SUBGRAPH_BREAKER_PROBE_TIMEOUT_MS must be a positive integer, got "0"',
    );
    expect(() => readCircuitBreakerOptions({ SUBGRAPH_BREAKER_PROBE_TIMEOUT_MS: '1s' })).toThrow(
      'SUBGRAPH_BREAKER_PROBE_TIMEOUT_MS must be a non-negative integer, got "1s"',
    );
    expect(() => readCircuitBreakerOptions({ SUBGRAPH_BREAKER_COOLDOWN_MS: '5000', SUBGRAPH_BREAKER_MAX_COOLDOWN_MS: '1000' })).toThrow(
      'SUBGRAPH_BREAKER_MAX_COOLDOWN_MS (1000) must not be below SUBGRAPH_BREAKER_COOLDOWN_MS (5000)',
    );
  });
});
