import { keysMain, runKeysCommand, UsageError } from './cli';
import { ApiKeyStore } from './store';

describe('the keys CLI command line', () => {
  // A store on a port nothing listens on: each command below must be refused before any query.
  const store = new ApiKeyStore('postgresql://nobody@127.0.0.1:1/none', { connectTimeoutMs: 200 });
  afterAll(() => store.close());

  it.each([
    [[], /usage: keys/],
    [['rotate'], /usage: keys/],
    [['issue', '--scopes', 'read'], /issue needs --name/],
    [['issue', '--name', 'acme'], /issue needs --scopes/],
    [['issue', '--name', 'acme', '--scopes', 'read,Projects Write'], /--scopes must list known scopes .*; not "Projects Write"/],
    // A typo would have issued a key that cannot write, without a word.
    [
      ['issue', '--name', 'acme', '--scopes', 'read,projects:wirte'],
      /--scopes must list known scopes \(read, projects:write, cooperations:write, audit:read\); not "projects:wirte"/,
    ],
    [['issue', '--name', 'acme', '--scopes', 'read', '--rate-cost-points', '0'], /--rate-cost-points must be a positive integer/],
    [['issue', '--name', 'acme', '--scopes', 'read', '--rate-requests', '1.5'], /--rate-requests must be a positive integer/],
    [['issue', '--name', '--scopes', 'read'], /--name needs a value/],
    [['revoke'], /revoke needs a key id/],
    [['revoke', 'rg_0123456789abcdef_x'], /revoke needs a key id/],
  ])('refuses %j', async (args, message) => {
    const refusal = runKeysCommand(args, store);
    await expect(refusal).rejects.toThrow(UsageError);
    await expect(refusal).rejects.toThrow(message);
  });

  it('reports an unreachable database as a failure, not a usage error', async () => {
    const failure = runKeysCommand(['list'], store);
    await expect(failure).rejects.toThrow(/ECONNREFUSED|connect/);
    await expect(failure).rejects.not.toThrow(UsageError);
  });
});

describe('keysMain, the command line as npm run keys runs it', () => {
  /** One run, with what it printed to each stream. */
  async function run(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
    const printed = { stdout: '', stderr: '' };
    const code = await keysMain(args, {
      env,
      stdout: { write: (text: string) => (printed.stdout += text) },
      stderr: { write: (text: string) => (printed.stderr += text) },
    });
    return { code, ...printed };
  }
  const NOWHERE = 'postgresql://nobody@127.0.0.1:1/none';

  it('refuses a database that is off with exit code 2, the reason and the usage', async () => {
    const { code, stdout, stderr } = await run(['list'], { API_KEYS_DATABASE_URL: 'off', DATABASE_URL: NOWHERE });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^API_KEYS_DATABASE_URL is off: the gateways keep no API keys\. Set it to their database\.\nusage: keys <command>\n/,
    );
  });

  it('prints a refused command line alone, with exit code 2', async () => {
    await expect(run(['issue', '--name', 'acme'], { DATABASE_URL: NOWHERE })).resolves.toEqual({
      code: 2,
      stdout: '',
      stderr: 'issue needs --scopes (e.g. read or read,projects:write)\n',
    });
  });

  it('prints a failure while running with exit code 1', async () => {
    const { code, stdout, stderr } = await run(['list'], { API_KEYS_DATABASE_URL: NOWHERE });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/ECONNREFUSED|connect/);
  });
});
