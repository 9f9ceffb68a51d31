// Properties of the whole tree that no single package can check.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..');

/** Every installed copy of a package, however deeply nested in node_modules folders. */
function installedCopies(name: string, dir: string = root, found: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === '.git' || entry.name === '.data') continue;
    const full = path.join(dir, entry.name);
    if (entry.name === name && path.basename(dir) === 'node_modules' && existsSync(path.join(full, 'package.json'))) {
      found.push(path.join(full, 'package.json'));
    }
    installedCopies(name, full, found);
  }
  return found;
}

describe('the workspace', () => {
  it('holds exactly one copy of graphql, a 16.x release (Apollo needs ^16)', () => {
    const copies = installedCopies('graphql');
    const versions = copies.map((file) => (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version);
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatch(/^16\./);
  });
});
