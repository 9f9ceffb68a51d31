import { runKeysCommand, UsageError } from './cli';
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
