import { readFileSync } from 'node:fs';
import path from 'node:path';
import { printSubgraphSchema } from '@apollo/subgraph';
import { findUndocumented } from '@regiograph/shared';
import { schema } from './schema';

describe('projects subgraph schema', () => {
  it('matches the checked-in schema.graphql (run npm run generate when it does not)', () => {
    const checkedIn = readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8');
    expect(printSubgraphSchema(schema) + '\n').toBe(checkedIn);
  });

  it('describes every type, field, argument and enum value', () => {
    expect(findUndocumented(schema)).toEqual([]);
  });
});
