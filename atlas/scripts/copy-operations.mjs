// The gateway registers the Atlas's operations (hash → document) from the build output at start, so
// the manifest ships with the bundle it belongs to.
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
copyFileSync(path.join(root, 'src/generated/persisted-documents.json'), path.join(root, 'dist/operations.json'));
