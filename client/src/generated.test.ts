import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '..');

describe('the generated client', () => {
  it('matches what GraphQL Code Generator makes of the operations and the committed supergraph (run npm run generate when it does not)', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'regiograph-client-codegen-'));
    try {
      // The CLI in a process of its own: it loads ES modules that Jest's module sandbox cannot.
      const cli = path.join(path.dirname(require.resolve('@graphql-codegen/cli/package.json')), 'cjs', 'bin.js');
      execFileSync(process.execPath, [cli, '--config', 'codegen.ts', '--silent'], {
        cwd: root,
        env: { ...process.env, CLIENT_CODEGEN_OUT: `${out}/` },
        stdio: 'pipe',
      });
      const files = readdirSync(out).sort();
      expect(files).toEqual(readdirSync(path.join(root, 'src', 'generated')).sort());
      expect(files).toEqual(['gql.ts', 'graphql.ts', 'index.ts']);
      for (const file of files) {
        expect({ file, content: readFileSync(path.join(root, 'src', 'generated', file), 'utf8') }).toEqual({
          file,
          content: readFileSync(path.join(out, file), 'utf8'),
        });
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
