import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createTokenVerifier, DEVELOPMENT_AUTH_SECRET } from '../src/auth';

/** `npm run token -- <argv>` outside production, with the development secret. */
function mint(argv: string[]) {
  return spawnSync(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, 'mint-token.ts'), ...argv], {
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'development', AUTH_SECRET: '' },
    timeout: 60_000,
  });
}

describe('npm run token', () => {
  it('prints a token that the development secret verifies, with the claims asked for', () => {
    const run = mint(['--sub', 'erika', '--name', 'Erika Editor', '--scopes', 'projects:write, cooperations:write', '--district', '031']);
    expect(run.status).toBe(0);
    const caller = createTokenVerifier({ secret: DEVELOPMENT_AUTH_SECRET }).verifyToken(run.stdout.trim());
    expect(caller).toEqual({ subject: 'erika', name: 'Erika Editor', scopes: ['projects:write', 'cooperations:write'], district: '031' });
  });

  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--sub'], "Option '--sub <value>' argument missing"],
    [[], 'usage: mint-token --sub <id>'],
    [['--sub', 'seed'], 'The subject "seed" is reserved for the seed\'s writes.'],
    [['--sub', 'erika', '--district', '035'], 'district must be one of 031, 032, 033, 034'],
    [['--sub', 'erika', '--expires', 'soon'], 'A token lifetime looks like "30m", "8h" or "7d", got "soon"'],
    [
      ['--sub', 'erika', '--expires', '7d'],
      'A token lifetime of 604800 seconds exceeds the maximum of 86400 (AUTH_MAX_TOKEN_LIFETIME_SECONDS).',
    ],
    [['--sub', ' '], 'A token needs a subject (sub) that is not blank.'],
  ])('%j: says what is wrong and how to call it, without a stack trace, and exits 2', (argv, message) => {
    const run = mint(argv);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('usage: mint-token --sub <id>');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stdout).toBe('');
  });
});
