import { readFileSync } from 'node:fs';
import { SUPERGRAPH_PATH } from '@regiograph/gateway';
import { composeSupergraph } from './compose';

describe('supergraph.graphql', () => {
  it("composes from the subgraphs' checked-in schemas and is up to date", () => {
    const result = composeSupergraph();
    expect('errors' in result ? result.errors : []).toEqual([]);
    if ('supergraphSdl' in result) expect(readFileSync(SUPERGRAPH_PATH, 'utf8')).toBe(result.supergraphSdl);
  });
});
