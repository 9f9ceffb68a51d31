import { format } from 'node:util';
import { findDatabaseUrl, KNOWN_SCOPES, unknownScopes } from '@regiograph/shared';
import { ApiKeyStore, type ApiKeyRecord } from './store';

export const KEYS_USAGE = `usage: keys <command>
  issue --name <name> --scopes <s1,s2,...> [--rate-cost-points <n>] [--rate-requests <n>]
        prints the new key once (only its hash is stored)
  revoke <id>   refuses the key at once on every gateway
  list          ids, names, scopes, limits and state (never secrets)
The database: API_KEYS_DATABASE_URL, else DATABASE_URL, else the one npm start runs (.data/database-url).`;

/** A refusal of the command line itself (exit code 2), as opposed to a failure while running it. */
export class UsageError extends Error {}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index < 0) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
  return value;
}

function positiveInteger(args: string[], name: string): number | null {
  const raw = option(args, name);
  if (raw === undefined) return null;
  if (!/^\d+$/.test(raw) || Number(raw) <= 0 || !Number.isSafeInteger(Number(raw)))
    throw new UsageError(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

function describe(record: ApiKeyRecord): string {
  const limits = `cost points ${record.costPointsPerWindow ?? 'default'}, requests ${record.requestsPerWindow ?? 'default'}`;
  const state = record.revokedAt ? `revoked ${record.revokedAt.toISOString()}` : 'active';
  return `${record.id}  ${record.name}  [${record.scopes.join(',')}]  ${limits}  created ${record.createdAt.toISOString()}  ${state}`;
}

/** Runs one `keys` command against the store; returns the lines to print. */
export async function runKeysCommand(args: string[], store: ApiKeyStore): Promise<string[]> {
  const [command, ...rest] = args;
  if (command === 'issue') {
    const name = option(rest, '--name');
    const scopesText = option(rest, '--scopes');
    if (!name || !name.trim()) throw new UsageError('issue needs --name');
    if (scopesText === undefined) throw new UsageError('issue needs --scopes (e.g. read or read,projects:write)');
    const scopes = scopesText
      .split(',')
      .map((scope) => scope.trim())
      .filter(Boolean);
    const wrong = unknownScopes(scopes);
    if (scopes.length === 0 || wrong.length > 0)
      throw new UsageError(
        `--scopes must list known scopes (${KNOWN_SCOPES.join(', ')}); not ${JSON.stringify(wrong.join(',') || scopesText)}`,
      );
    const { record, key } = await store.issue({
      name: name.trim(),
      scopes,
      costPointsPerWindow: positiveInteger(rest, '--rate-cost-points'),
      requestsPerWindow: positiveInteger(rest, '--rate-requests'),
    });
    return [describe(record), '', 'The key (shown this once; send it as the x-api-key header):', key];
  }
  if (command === 'revoke') {
    const id = rest[0];
    if (!id || !/^[0-9a-f]{16}$/.test(id)) throw new UsageError('revoke needs a key id (16 hex digits, the part after rg_)');
    const revoked = await store.revoke(id);
    return [
      revoked
        ? `Revoked ${id}; every gateway refuses it now.`
        : `No active key ${id} (unknown or revoked before); gateways were told again to drop it.`,
    ];
  }
  if (command === 'list') {
    const records = await store.list();
    return records.length === 0 ? ['No API keys.'] : records.map(describe);
  }
  throw new UsageError(KEYS_USAGE);
}

/** Where one run of the `keys` command line reads its settings and writes its lines. */
export interface KeysCliIo {
  env: Readonly<Record<string, string | undefined>>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/**
 * The `keys` command line as `npm run keys` runs it, without the process: the same lines, and the exit
 * code it ends with (0; 1 a failure while running; 2 a refused command line or no database), so a
 * caller in the same process (a test) sees what an operator sees.
 */
export async function keysMain(args: string[], io: KeysCliIo): Promise<number> {
  // As console.log and console.error format what they print.
  const print = (stream: KeysCliIo['stdout'], value: unknown) => stream.write(`${format(value)}\n`);
  try {
    const database = findDatabaseUrl(['API_KEYS_DATABASE_URL', 'DATABASE_URL'], io.env);
    if (database.url === undefined) {
      print(io.stderr, `${database.problem}\n${KEYS_USAGE}`);
      return 2;
    }
    if (database.url === 'off') {
      print(io.stderr, `${database.from} is off: the gateways keep no API keys. Set it to their database.\n${KEYS_USAGE}`);
      return 2;
    }
    const store = new ApiKeyStore(database.url);
    try {
      for (const line of await runKeysCommand(args, store)) print(io.stdout, line);
      return 0;
    } catch (error) {
      if (error instanceof UsageError) {
        print(io.stderr, error.message);
        return 2;
      }
      throw error;
    } finally {
      await store.close();
    }
  } catch (error) {
    print(io.stderr, error instanceof Error ? error.message : error);
    return 1;
  }
}
