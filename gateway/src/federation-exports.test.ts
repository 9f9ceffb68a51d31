// The gateway server first, as its entry point loads it: what it imports decides what Apollo Gateway binds to.
import './server';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as internals from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import { parse } from 'graphql';
import { federationInternals, loadedBefore } from './federation-exports';

const accessorsOf = (exported: object) =>
  Object.entries(Object.getOwnPropertyDescriptors(exported))
    .filter(([, descriptor]) => descriptor.get !== undefined)
    .map(([key]) => key);

describe("the flat copy of @apollo/federation-internals' exports", () => {
  it('is in the module cache before the gateway server loads Apollo Gateway, without a getter left', () => {
    expect(loadedBefore).toEqual([]);
    // The module's own index re-exports through getters: what this is about.
    expect(accessorsOf(federationInternals.original).length).toBeGreaterThan(200);
    expect(internals).toBe(federationInternals.flat);
    expect(accessorsOf(internals)).toEqual([]);
  });

  it("holds the very values of the module's getters after the query planner used them", () => {
    const supergraph = internals.Supergraph.build(readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8'));
    // The analyst table: cells from the indicators subgraph, names from the regions subgraph.
    const document = parse(`query ($indicators: [ID!]!, $regions: RegionSelection!) {
      observationTable(indicators: $indicators, regions: $regions) { years regions { code name parent { name } } rows { regionCode year values } }
    }`);
    const plan = new QueryPlanner(supergraph).buildQueryPlan(internals.operationFromDocument(supergraph.apiSchema(), document));
    expect(plan.node?.kind).toBe('Sequence');
    const { original, flat } = federationInternals;
    expect(Object.keys(flat)).toEqual(Object.keys(original));
    expect(Object.keys(original).filter((key) => flat[key] !== original[key])).toEqual([]);
  });
});
