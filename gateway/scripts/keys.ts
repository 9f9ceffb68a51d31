// Partner API keys: issue, revoke, list. See docs/operations.md.
//   API_KEYS_DATABASE_URL=postgresql://… npm run keys -w @regiograph/gateway -- issue --name acme --scopes read
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ApiKeyStore } from '../src/api-keys/store';
import { KEYS_USAGE, runKeysCommand, UsageError } from '../src/api-keys/cli';

async function main(): Promise<void> {
  // `npm start` writes its database's address to .data/database-url (its port changes each start).
  const started = path.join(__dirname, '..', '..', '.data', 'database-url');
  const databaseUrl =
    process.env.API_KEYS_DATABASE_URL ||
    process.env.DATABASE_URL ||
    (existsSync(started) ? readFileSync(started, 'utf8').trim() : undefined);
  if (!databaseUrl || databaseUrl === 'off') {
    console.error(`Set API_KEYS_DATABASE_URL or DATABASE_URL (the gateways' database).\n${KEYS_USAGE}`);
    process.exit(2);
  }
  const store = new ApiKeyStore(databaseUrl);
  try {
    for (const line of await runKeysCommand(process.argv.slice(2), store)) console.log(line);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(error.message);
      process.exitCode = 2;
      return;
    }
    throw error;
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
