// Service processes as `npm start` and the bench run them: node on a built dist entry, on a given
// port, logged to a file, probed until ready, measured through /proc, and always stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { findFreePort } from '@regiograph/db';
import { SUBGRAPH_NODE_OPTIONS, subgraphUrlVariable, type SubgraphEntry } from '@regiograph/shared';

/** Long enough for a subgraph's first-start seed on a busy machine. */
const DEFAULT_READY_TIMEOUT_MS = 300_000;

export interface Service {
  name: string;
  /** Where GraphQL (or the floor's table) is served. */
  url: string;
  process: ChildProcess;
  logFile: string;
}

export interface ServiceOptions {
  name: string;
  entry: string;
  env: NodeJS.ProcessEnv;
  port: number;
  logDir: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
  /** The path GraphQL is served at. */
  path?: string;
  /** The interface to listen on (HOST); 127.0.0.1 unless given. */
  host?: string;
  /** Append to the log file (npm start keeps earlier runs' logs) instead of replacing it. */
  appendLog?: boolean;
}

/** The built entry point of a workspace package: dist/index.js beside its package.json. */
export function packageEntry(packageName: string): string {
  return path.join(path.dirname(require.resolve(`${packageName}/package.json`)), 'dist', 'index.js');
}

/** A subgraph's process as every launcher starts it: its built entry, with the registry's Node options. */
export function subgraphProcess(entry: SubgraphEntry): Pick<ServiceOptions, 'name' | 'entry'> & { nodeFlags: string[] } {
  return { name: entry.name, entry: packageEntry(entry.packageName), nodeFlags: [...SUBGRAPH_NODE_OPTIONS] };
}

/** Where a service started on `host` and `port` answers. */
export function serviceUrl(host: string, port: number, pathname = '/graphql'): string {
  return `http://${host}:${port}${pathname}`;
}

export function portIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

/** `preferred` where nothing listens on it, else a free port the OS gives. */
export async function choosePort(preferred: number, host: string): Promise<number> {
  return (await portIsFree(preferred, host)) ? preferred : findFreePort();
}

export interface MetricsPorts {
  /** What the service's environment needs beside the launcher's own: its METRICS_PORT, or nothing. */
  environmentOf(name: string): NodeJS.ProcessEnv;
  /** Each service's /metrics URL, in the order the services were named; empty without METRICS_PORT. */
  urls: { name: string; url: string }[];
}

/**
 * Every process's metrics port under `npm start`, when METRICS_PORT is set in the shell (`first`, as
 * readMetricsExposure reads it). Handed on as it is, it made all five processes listen on one port: the
 * first kept it and the others failed to start. Each gets its own instead: `first` plus its index among
 * `names`, where that is free and none of `taken` (the launcher's other ports), else one the OS gives
 * (for all of them with METRICS_PORT=0, so that the launcher can name them). Without METRICS_PORT every
 * process serves /metrics on its main port, as before. `shownHost` is the host the URLs name.
 */
export async function chooseMetricsPorts(
  names: readonly string[],
  options: { first: number | null; host: string; shownHost: string; taken: Iterable<number> },
): Promise<MetricsPorts> {
  const { first } = options;
  if (first === null) return { environmentOf: () => ({}), urls: [] };
  const used = new Set(options.taken);
  const ports = new Map<string, number>();
  for (const [index, name] of names.entries()) {
    const preferred = first === 0 ? null : first + index;
    let port =
      preferred !== null && preferred <= 65_535 && !used.has(preferred) && (await portIsFree(preferred, options.host))
        ? preferred
        : await findFreePort();
    // The OS may hand back a port chosen here a moment ago: nothing listens on it yet.
    while (used.has(port)) port = await findFreePort();
    used.add(port);
    ports.set(name, port);
  }
  return {
    environmentOf: (name) => {
      const port = ports.get(name);
      if (port === undefined) throw new Error(`no metrics port was chosen for ${name}`);
      return { METRICS_PORT: String(port) };
    },
    urls: names.map((name) => ({ name, url: serviceUrl(options.shownHost, ports.get(name)!, '/metrics') })),
  };
}

export interface SubgraphPorts {
  portOf(name: string): number;
  /** `<NAME>_URL` of every subgraph: the gateway's environment, and each subgraph's for its peers. */
  urls: Record<string, string>;
}

/**
 * Every subgraph's port, chosen before any starts: a subgraph that checks links with others (the
 * registry's `peers`) needs their URLs when it starts, as the gateway does.
 */
export async function chooseSubgraphPorts(
  entries: readonly SubgraphEntry[],
  choose: (entry: SubgraphEntry) => Promise<number>,
  host = '127.0.0.1',
): Promise<SubgraphPorts> {
  const ports = new Map<string, number>();
  for (const entry of entries) ports.set(entry.name, await choose(entry));
  return {
    portOf: (name) => {
      const port = ports.get(name);
      if (port === undefined) throw new Error(`no port was chosen for ${name}`);
      return port;
    },
    urls: Object.fromEntries(entries.map((entry) => [subgraphUrlVariable(entry.name), serviceUrl(host, ports.get(entry.name)!)])),
  };
}

export function startService(options: ServiceOptions): Service {
  mkdirSync(options.logDir, { recursive: true });
  const logFile = path.join(options.logDir, `${options.name}.log`);
  const log = createWriteStream(logFile, { flags: options.appendLog ? 'a' : 'w' });
  const host = options.host ?? '127.0.0.1';
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), options.entry], {
    env: { ...process.env, ...options.env, PORT: String(options.port), HOST: host },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return { name: options.name, url: serviceUrl(host, options.port, options.path), process: child, logFile };
}

/** Polls `probePath` (default /ready) until it answers 2xx; fails early when the process exits. */
export async function waitUntilReady(service: Service, probePath = '/ready', timeoutMs = DEFAULT_READY_TIMEOUT_MS): Promise<void> {
  const probeUrl = new URL(probePath, service.url).toString();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.process.exitCode !== null || service.process.signalCode !== null) {
      throw new Error(
        `${service.name} exited (${service.process.exitCode ?? service.process.signalCode}); see ${service.logFile}:\n${tail(service.logFile)}`,
      );
    }
    const ready = await fetch(probeUrl, { signal: AbortSignal.timeout(2000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${service.name} did not become ready within ${timeoutMs / 1000} s; see ${service.logFile}`);
}

/**
 * Whether the gateway at `origin` serves GraphiQL at `/` (GATEWAY_IDE, off in production): asked of
 * the running gateway rather than worked out again from the environment, so the start message
 * cannot name a GraphiQL that is not there.
 */
export async function servesGraphiQL(origin: string): Promise<boolean> {
  try {
    const response = await fetch(origin, { signal: AbortSignal.timeout(5_000) });
    await response.body?.cancel();
    return response.ok && (response.headers.get('content-type') ?? '').startsWith('text/html');
  } catch {
    return false;
  }
}

/** What `npm start` says once everything answers: the API, GraphiQL where the gateway serves it, and the Atlas. */
export function runningMessage(gatewayUrl: string, graphiql: boolean): string {
  const origin = gatewayUrl.replace(/graphql$/, '');
  return `RegioGraph is running at ${gatewayUrl} (${graphiql ? `GraphiQL: ${origin}, ` : ''}Atlas: ${origin}atlas/) — Ctrl-C stops it.`;
}

/** The line `npm start` adds with METRICS_PORT: where each service serves /metrics, and whether a token is asked for. */
export function metricsMessage(urls: MetricsPorts['urls'], token: boolean): string {
  return `Metrics: ${urls.map(({ name, url }) => `${name} ${url}`).join(', ')}${token ? ' (send METRICS_TOKEN as a bearer token)' : ''}.`;
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** SIGTERM, then SIGKILL after a grace period; resolves once the process is gone. */
export function stopService(service: Service, graceMs = 15_000): Promise<void> {
  return stopProcess(service.process, graceMs);
}

/** {@link stopService} for a process started some other way (the chaos run restarts its own). */
export function stopProcess(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface ProcessMemory {
  /** Resident set now, in bytes. */
  rss: number;
  /** Peak resident set since the process started (VmHWM), in bytes. */
  peakRss: number;
}

/** Reads VmRSS and VmHWM from /proc/<pid>/status (Linux); null when the process is gone. */
export function readProcessMemory(pid: number | undefined): ProcessMemory | null {
  if (pid === undefined) return null;
  try {
    return parseProcStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return null;
  }
}

export function parseProcStatus(status: string): ProcessMemory | null {
  const kilobytes = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : null;
  };
  const rss = kilobytes('VmRSS');
  const peakRss = kilobytes('VmHWM');
  return rss === null || peakRss === null ? null : { rss, peakRss };
}

/** Clock ticks per second of /proc/<pid>/stat's CPU times (USER_HZ, 100 on Linux). */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, in milliseconds; null when it is gone. */
export function readCpuMilliseconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

export function parseProcStat(stat: string): number | null {
  // The command name may contain spaces and parentheses: the fields start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);
  if (!Number.isFinite(userTicks) || !Number.isFinite(systemTicks)) return null;
  return ((userTicks + systemTicks) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/**
 * The PostgreSQL processes serving `port` (the postmaster started with `-p <port>` and the backends
 * it forked), read from /proc; empty when the database is not a local child of this machine.
 */
export function postgresProcessIds(port: number): number[] {
  const parents = new Map<number, number>();
  let postmaster: number | null = null;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      if (postmaster === null) {
        const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
        if (/postgres$/.test(args[0] ?? '') && args.includes('-p') && args[args.indexOf('-p') + 1] === String(port))
          postmaster = Number(entry);
      }
    } catch {
      // The process ended while we looked.
    }
  }
  if (postmaster === null) return [];
  return [postmaster, ...[...parents].filter(([, parent]) => parent === postmaster).map(([pid]) => pid)];
}
