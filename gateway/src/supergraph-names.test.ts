import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { silentLogger } from '@regiograph/shared';
import { createGateway } from './server';
import { routedSubgraphNames, subgraphNamesOf } from './supergraph-source';

const SHIPPED = readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8');

/** The shipped supergraph routing to more subgraphs, as a deployment that composes one more has it. */
const withGraphs = (...names: string[]) =>
  SHIPPED.replace(
    'enum join__Graph {\n',
    `enum join__Graph {\n${names.map((name) => `  ${name.toUpperCase()} @join__graph(name: "${name}", url: "http://127.0.0.1:1/graphql")\n`).join('')}`,
  );

describe('the subgraphs a supergraph routes to', () => {
  it('are read from the join__Graph enum as the full build reads them', () => {
    expect(routedSubgraphNames(SHIPPED).sort()).toEqual(subgraphNamesOf(SHIPPED).sort());
    expect(routedSubgraphNames(SHIPPED).sort()).toEqual(['cooperations', 'indicators', 'projects', 'regions']);
    const extended = withGraphs('extra', 'later');
    expect(routedSubgraphNames(extended).sort()).toEqual(subgraphNamesOf(extended).sort());
    expect(routedSubgraphNames(extended)).toEqual(expect.arrayContaining(['extra', 'later']));
  });

  it('a join enum imported under another name takes the full build, which names the same subgraphs', () => {
    const renamed = SHIPPED.replace(/\bjoin__Graph\b/g, 'join__Graphs');
    const build = jest.spyOn(Supergraph, 'build');
    try {
      // The renamed enum is not a supergraph the full build accepts: its error is the answer, as before.
      expect(() => routedSubgraphNames(renamed)).toThrow();
      expect(build).toHaveBeenCalledTimes(1);
    } finally {
      build.mockRestore();
    }
  });

  // Each gateway a test makes (about a hundred per npm test) built the supergraph once for these names
  // and once more in ApolloGateway: 0.2–0.4 s of CPU each time.
  it('a gateway starting builds the supergraph once, in ApolloGateway, not again for its circuits', async () => {
    const build = jest.spyOn(Supergraph, 'build');
    const gateway = await createGateway({
      logger: silentLogger,
      env: { REDIS_URL: '', API_KEYS_DATABASE_URL: 'off', WATCH_SUPERGRAPH: 'false' },
    });
    try {
      expect(build).toHaveBeenCalledTimes(1);
    } finally {
      build.mockRestore();
      await gateway.close();
    }
  });
});
