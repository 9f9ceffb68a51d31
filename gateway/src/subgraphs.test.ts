import { resolveSubgraphUrl } from './subgraphs';

describe('resolveSubgraphUrl', () => {
  const fromSupergraph = 'http://regions.internal:4001/graphql';

  it('takes the URL given to the gateway first, then the variable, then the supergraph', () => {
    const env = { REGIONS_URL: 'http://from-env:4001/graphql' };
    expect(resolveSubgraphUrl('regions', fromSupergraph, { regions: 'http://given:4001/graphql' }, env)).toBe('http://given:4001/graphql');
    expect(resolveSubgraphUrl('regions', fromSupergraph, {}, env)).toBe('http://from-env:4001/graphql');
    expect(resolveSubgraphUrl('regions', fromSupergraph, undefined, {})).toBe(fromSupergraph);
  });

  it('takes a blank variable for unset, as the settings log reports it, instead of fetching from an empty URL', () => {
    expect(resolveSubgraphUrl('regions', fromSupergraph, undefined, { REGIONS_URL: '' })).toBe(fromSupergraph);
    expect(resolveSubgraphUrl('regions', fromSupergraph, undefined, { REGIONS_URL: '  ' })).toBe(fromSupergraph);
  });

  it("falls back to the registry's default port for a known subgraph without any URL", () => {
    expect(resolveSubgraphUrl('regions', undefined, undefined, { REGIONS_URL: '' })).toBe('http://127.0.0.1:4001/graphql');
    expect(resolveSubgraphUrl('elsewhere', undefined, undefined, {})).toBe('');
  });
});
