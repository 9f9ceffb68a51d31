/**
 * Mints a signed access token for local use (development and manual testing), signed with AUTH_SECRET
 * or, outside production, the insecure development default.
 *
 *   npm run token -w @regiograph/shared -- --sub erika --name "Erika Editor" \
 *     --scopes projects:write,cooperations:write --district 031 --expires 8h
 *
 * Omit --district for a state-wide editor; omit --scopes for a read-only caller.
 * Prints the token; use it as `Authorization: Bearer <token>`.
 */
import { parseArgs } from 'node:util';
import { KNOWN_SCOPES, mintToken, resolveAuthSecret, unknownScopes } from '../src/auth';

const USAGE = 'usage: mint-token --sub <id> [--name <name>] [--scopes a,b] [--district 031..034] [--expires 8h]';

function options() {
  try {
    return parseArgs({
      options: {
        sub: { type: 'string' },
        name: { type: 'string' },
        scopes: { type: 'string', default: '' },
        district: { type: 'string' },
        expires: { type: 'string', default: '8h' },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    // An unknown or incomplete option: what was wrong and the usage, not a stack trace.
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
}

function main(): void {
  const values = options();
  if (values.help || !values.sub) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const scopes = values.scopes
    .split(',')
    .map((scope) => scope.trim())
    .filter((scope) => scope !== '');
  const unknown = unknownScopes(scopes);
  if (unknown.length > 0) {
    console.error(`unknown scope(s) ${unknown.join(', ')}: known are ${KNOWN_SCOPES.join(', ')}\n${USAGE}`);
    process.exit(2);
  }
  const secret = resolveAuthSecret();
  let token: string;
  try {
    token = mintToken(
      { sub: values.sub, name: values.name ?? values.sub, scopes, district: values.district ?? null },
      { secret, expiresIn: values.expires },
    );
  } catch (error) {
    // A claim mintToken refuses (a reserved subject, an unknown district, a bad lifetime): said like a bad option.
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
  process.stdout.write(`${token}\n`);
}

main();
