// Partner API keys: issue, revoke, list. See docs/operations.md.
//   API_KEYS_DATABASE_URL=postgresql://… npm run keys -w @regiograph/gateway -- issue --name acme --scopes read
import { keysMain } from '../src/api-keys/cli';

void keysMain(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr }).then((code) => {
  // A failure or a refusal ends the process at once, whatever a broken connection may still hold open.
  if (code !== 0) process.exit(code);
});
