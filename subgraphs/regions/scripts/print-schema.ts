// Writes the subgraph's SDL to schema.graphql (checked in, composed by the gateway); `--check`
// only compares, so CI fails on a stale file.
import path from 'node:path';
import { writeSubgraphSchema } from '@regiograph/shared';
import { schema } from '../src/schema';

writeSubgraphSchema(schema, path.join(__dirname, '..', 'schema.graphql'));
