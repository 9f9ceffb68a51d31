import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Where `npm start` writes the address of the database it runs, for the command-line tools (API keys,
 * the indicators import): an embedded cluster gets a new port each start. It removes the file when it
 * stops. In the repository's git-ignored `.data` (from `src` and `dist` alike).
 */
export const STARTED_DATABASE_URL_FILE = path.join(__dirname, '..', '..', '.data', 'database-url');

/** The database a command-line tool is to work on, and where it was found; or why none was. */
export type DatabaseUrlLookup = { url: string; from: string } | { url: undefined; problem: string };

/**
 * The first of `variables` that is set, else the database `npm start` runs: a tool started beside
 * `npm start` needs no address copied by hand. When neither is there, `problem` says so and what to do.
 */
export function findDatabaseUrl(
  variables: readonly [string, ...string[]],
  env: Readonly<Record<string, string | undefined>> = process.env,
  startedFile: string = STARTED_DATABASE_URL_FILE,
): DatabaseUrlLookup {
  for (const name of variables) {
    const value = env[name]?.trim();
    if (value) return { url: value, from: name };
  }
  const started = existsSync(startedFile) ? readFileSync(startedFile, 'utf8').trim() : '';
  if (started) return { url: started, from: 'npm start (.data/database-url)' };
  return {
    url: undefined,
    problem:
      `${variables.join(' or ')} is not set, and npm start is not running (it writes the address of its database to .data/database-url): ` +
      `start it in another terminal, or set ${variables.at(-1)} to the database's address (postgresql://…).`,
  };
}
