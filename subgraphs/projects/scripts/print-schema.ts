// Writes the subgraph's SDL to schema.graphql: checked in, composed by the gateway, and compared
// in CI so a stale file fails the build. `--check` only compares.
import { printSubgraphSchema } from '@apollo/subgraph';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { schema } from '../src/schema';

const target = path.join(__dirname, '..', 'schema.graphql');
const printed = printSubgraphSchema(schema) + '\n';
if (process.argv.includes('--check')) {
  const current = readFileSync(target, 'utf8');
  if (current !== printed) {
    console.error(`${target} is stale: run npm run generate`);
    process.exit(1);
  }
} else {
  writeFileSync(target, printed);
}
