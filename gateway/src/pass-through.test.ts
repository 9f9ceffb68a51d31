// The gateway server first, as its entry point loads it: what it imports decides what Apollo Gateway binds to.
import './server';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as internals from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import type { GatewayContext } from './context';
import { MAX_DECISION_CHARACTERS, PassThrough } from './pass-through';

const supergraph = internals.Supergraph.build(readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8'));
const planner = new QueryPlanner(supergraph);

describe('PassThrough decisions', () => {
  it('hold at most MAX_DECISION_CHARACTERS of query text, however many long distinct queries arrive', async () => {
    const passThrough = new PassThrough(() => planner);
    // Distinct queries of about 100 kB (the gateway's body limit), long alias names within the token
    // limit; the fragment makes each a quick "no" that is kept all the same.
    const long = 'a'.repeat(3_000);
    let executed = 0;
    for (let id = 0; id < 300; id++) {
      const fields = Array.from({ length: 30 }, (_, j) => `${long}${id}_${j}: indicators { ...f }`).join(' ');
      const query = `query Q${id} { ${fields} } fragment f on Indicator { code }`;
      await passThrough.answer(
        { query, operationName: undefined, variables: {}, headers: {}, context: {} as GatewayContext },
        async () => executed++,
      );
    }
    expect(executed).toBe(300);
    expect(passThrough.decisionCharacters).toBeGreaterThan(0);
    expect(passThrough.decisionCharacters).toBeLessThanOrEqual(MAX_DECISION_CHARACTERS);
  });
});
