// `npm start`: the whole platform on one machine. Boots the database (embedded PostgreSQL unless
// DATABASE_URL is set), applies migrations, starts every subgraph and the gateway as separate
// processes (each seeds its own tables on first start), prints the URL, and on Ctrl-C/SIGTERM
// stops them all and the database, leaving no process behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { applyMigrations, DATA_DIR, findFreePort, provideDatabase, type ProvidedDatabase } from '@regiograph/db';
import { readPort } from '@regiograph/shared';
import { SUBGRAPHS, subgraphUrlVariable } from './subgraphs';

const LOG_DIR = path.join(DATA_DIR, 'logs');
const READY_TIMEOUT_MS = 120_000;

interface Service {
  name: string;
  process: ChildProcess;
  url: string;
}

function say(line: string): void {
  process.stdout.write(`[regiograph] ${line}\n`);
}

function portIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

async function choosePort(preferred: number, host: string): Promise<number> {
  return (await portIsFree(preferred, host)) ? preferred : findFreePort();
}

async function waitUntilReady(service: Service): Promise<void> {
  const readyUrl = service.url.replace(/\/graphql$/, '/ready');
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (service.process.exitCode !== null) {
      throw new Error(`${service.name} exited with code ${service.process.exitCode}; see ${path.join(LOG_DIR, `${service.name}.log`)}`);
    }
    const ready = await fetch(readyUrl).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${service.name} did not become ready within ${READY_TIMEOUT_MS / 1000} s`);
}

function startService(name: string, entry: string, env: NodeJS.ProcessEnv, url: string): Service {
  const log = createWriteStream(path.join(LOG_DIR, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return { name, process: child, url };
}

function stopService(service: Service): Promise<void> {
  if (service.process.exitCode !== null || service.process.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => service.process.kill('SIGKILL'), 10_000);
    service.process.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    service.process.kill('SIGTERM');
  });
}

async function main(): Promise<void> {
  mkdirSync(LOG_DIR, { recursive: true });
  const host = process.env.HOST ?? '127.0.0.1';
  const services: Service[] = [];
  let database: ProvidedDatabase | null = null;
  let stopping = false;

  const stopAll = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    await Promise.all(services.map(stopService));
    await database?.stop();
    say('stopped.');
    process.exit(exitCode);
  };
  // The terminal sends Ctrl-C to the whole process group; the children then stop on their own
  // and the database stops here, after them.
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  try {
    database = await provideDatabase({ onLog: () => undefined });
    say(database.kind === 'embedded' ? 'embedded PostgreSQL started' : 'using the database from DATABASE_URL');
    const applied = await applyMigrations(database.url);
    if (applied.length > 0) say(`applied ${applied.length} migration(s)`);

    const subgraphUrls: Record<string, string> = {};
    for (const entry of SUBGRAPHS) {
      const port = await choosePort(readPort(`${entry.name.toUpperCase()}_PORT`, entry.defaultPort), host);
      const url = `http://${host}:${port}/graphql`;
      const main = require.resolve(`${entry.packageName}/package.json`).replace(/package\.json$/, 'dist/index.js');
      const service = startService(entry.name, main, { DATABASE_URL: database.url, PORT: String(port), HOST: host }, url);
      services.push(service);
      subgraphUrls[subgraphUrlVariable(entry.name)] = url;
    }
    // Subgraphs seed their own tables on first start, in parallel.
    await Promise.all(services.map(waitUntilReady));

    const gatewayPort = await choosePort(readPort('PORT', 4000), host);
    const gatewayUrl = `http://${host === '127.0.0.1' ? 'localhost' : host}:${gatewayPort}/graphql`;
    const gateway = startService('gateway', path.join(__dirname, 'index.js'), { ...subgraphUrls, PORT: String(gatewayPort), HOST: host }, `http://${host}:${gatewayPort}/graphql`);
    services.push(gateway);
    await waitUntilReady(gateway);
    for (const service of services) {
      service.process.once('exit', (code) => {
        if (stopping) return;
        say(`${service.name} stopped unexpectedly (exit code ${code}); see ${path.join(LOG_DIR, `${service.name}.log`)}`);
        void stopAll(1);
      });
    }
    say(`RegioGraph is running at ${gatewayUrl} (GraphiQL: ${gatewayUrl.replace(/graphql$/, '')}, Atlas: ${gatewayUrl.replace(/graphql$/, 'atlas/')}) — Ctrl-C stops it.`);
  } catch (error) {
    say(`failed to start: ${error instanceof Error ? error.message : String(error)}`);
    await stopAll(1);
  }
}

void main();
