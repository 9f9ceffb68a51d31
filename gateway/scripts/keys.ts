// Partner API keys: issue, revoke, list. See docs/operations.md.
//   API_KEYS_DATABASE_URL=postgresql://… npm run keys -w @regiograph/gateway -- issue --name acme --scopes read
import { findDatabaseUrl } from '@regiograph/shared';
import { ApiKeyStore } from '../src/api-keys/store';
import { KEYS_USAGE, runKeysCommand, UsageError } from '../src/api-keys/cli';

async function main(): Promise<void> {
  const database = findDatabaseUrl(['API_KEYS_DATABASE_URL', 'DATABASE_URL']);
  if (database.url === undefined) {
    console.error(`${database.problem}\n${KEYS_USAGE}`);
    process.exit(2);
  }
  if (database.url === 'off') {
    console.error(`${database.from} is off: the gateways keep no API keys. Set it to their database.\n${KEYS_USAGE}`);
    process.exit(2);
  }
  const store = new ApiKeyStore(database.url);
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
