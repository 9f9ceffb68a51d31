import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * Every metric starting with `prefix` that the Monitoring section of the operations guide at
 * `guidePath` names (in its table and its alert rules), without a histogram's series suffix, sorted;
 * patterns such as `regiograph_gateway_process_*` are left out. For the tests that hold a service to
 * serving every metric its alert rules are written against. Here rather than in a test folder so
 * that the gateway's and the end-to-end tests import it by package name (`@regiograph/shared/testing`).
 */
export function documentedMetrics(guidePath: string, prefix: string): string[] {
  const guide = readFileSync(guidePath, 'utf8');
  const monitoring = guide.slice(guide.indexOf('## Monitoring'));
  const names = [...monitoring.matchAll(new RegExp(`${prefix}[a-z0-9_]+`, 'g'))].map(([name]) => name.replace(/_(bucket|count|sum)$/, ''));
  return [...new Set(names.filter((name) => !name.endsWith('_')))].sort();
}

/** The names of the metrics a Prometheus text exposition holds (its `# TYPE` lines). */
export function servedMetrics(exposition: string): Set<string> {
  return new Set([...exposition.matchAll(/^# TYPE (\S+)/gm)].flatMap(([, name]) => name ?? []));
}

/** What scrapeServiceProcess saw: /metrics's HTTP status and text, and the process's exit code. */
export interface ProcessScrape {
  status: number;
  text: string;
  /** The status of /metrics on the main port (the API's), which answers 404 when METRICS_PORT is set. */
  mainPortStatus: number;
  exitCode: number | null;
}

/**
 * Runs a service's entry point (TypeScript, through tsx) as a process of its own with `env`, waits
 * until it logs `listening` with its URL and metrics URL, fetches both /metrics, then ends it with SIGTERM
 * and waits for its exit. Process metrics are added once per process by the entry point alone, so
 * only this sees them. Rejects with the process's output if it ends before it listens.
 */
export async function scrapeServiceProcess(options: {
  entry: string;
  env: NodeJS.ProcessEnv;
  listening: string;
  /** Sent as `Authorization: Bearer <token>` with the scrape (METRICS_TOKEN). */
  token?: string;
}): Promise<ProcessScrape> {
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), options.entry], {
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = new Promise<{ url: string; metricsUrl: string }>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // Up to the line's end: a service that logs no metricsUrl serves /metrics beside its url.
      const [, url, metricsUrl] =
        new RegExp(`"message":"${options.listening}","url":"([^"]+)"(?:,"metricsUrl":"([^"]+)")?\\}`).exec(output) ?? [];
      if (url) resolve({ url, metricsUrl: metricsUrl ?? url.replace(/\/graphql$/, '/metrics') });
    });
    void exited.then((code) => reject(new Error(`${options.entry} ended (code ${code}) before listening:\n${output}`)));
  });
  let scrape: Omit<ProcessScrape, 'exitCode'>;
  try {
    const { url, metricsUrl } = await listening;
    const headers: Record<string, string> = options.token === undefined ? {} : { authorization: `Bearer ${options.token}` };
    const response = await fetch(metricsUrl, { headers });
    const mainPort = await fetch(url.replace(/\/graphql$/, '/metrics'), { headers });
    await mainPort.body?.cancel();
    scrape = { status: response.status, text: await response.text(), mainPortStatus: mainPort.status };
  } finally {
    child.kill('SIGTERM');
  }
  return { ...scrape, exitCode: await exited };
}

/** What /metrics answered to scrapes without a token, with near misses of it, and with it. */
export interface TokenScrapes {
  /** HTTP status without Authorization, with the token one character short, changed, and longer. */
  refused: { missing: number; shorter: number; changed: number; longer: number };
  /** Whether an answer without the token held any series of `prefix`. */
  refusedShowedMetrics: boolean;
  /** HTTP status with the token, and whether its answer held series of `prefix`. */
  accepted: number;
  acceptedShowedMetrics: boolean;
}

/** Scrapes `url` without `token`, with near misses of it, and with it (METRICS_TOKEN). */
export async function scrapeWithTokens(url: string, token: string, prefix: string): Promise<TokenScrapes> {
  const scrape = async (sent?: string) => {
    const response = await fetch(url, { headers: sent === undefined ? {} : { authorization: `Bearer ${sent}` } });
    return { status: response.status, showsMetrics: (await response.text()).includes(prefix) };
  };
  const missing = await scrape();
  const accepted = await scrape(token);
  return {
    refused: {
      missing: missing.status,
      shorter: (await scrape(token.slice(0, -1))).status,
      changed: (await scrape(`${token.slice(0, -1)}?`)).status,
      longer: (await scrape(`${token}-and-more`)).status,
    },
    refusedShowedMetrics: missing.showsMetrics,
    accepted: accepted.status,
    acceptedShowedMetrics: accepted.showsMetrics,
  };
}

/** What scrapeWithTokens sees of a server that asks for the token. */
export const TOKEN_ASKED: TokenScrapes = {
  refused: { missing: 401, shorter: 401, changed: 401, longer: 401 },
  refusedShowedMetrics: false,
  accepted: 200,
  acceptedShowedMetrics: true,
};
