// The gateway server first, as its entry point loads it: what it imports decides what Apollo Gateway binds to.
import './server';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as internals from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import { MAX_DOCUMENT_NESTING } from '@regiograph/shared';
import { parse } from 'graphql';
import { Worker } from 'node:worker_threads';
import { FEDERATION_INTERNALS, federationInternals, loadedBefore } from './federation-exports';
import type { OffloadWorkerData } from './offload';
import { CIRCUIT_BREAKER_DEFAULTS, CircuitBreakers } from './circuit-breaker';

const accessorsOf = (exported: object) =>
  Object.entries(Object.getOwnPropertyDescriptors(exported))
    .filter(([, descriptor]) => descriptor.get !== undefined)
    .map(([key]) => key);

describe("the flat copy of @apollo/federation-internals' exports", () => {
  it('is in the module cache before the gateway server loads Apollo Gateway, without a getter left', () => {
    expect(loadedBefore).toEqual([]);
    // The module's own index re-exports through getters: what this is about.
    expect(accessorsOf(federationInternals.original).length).toBeGreaterThan(200);
    // What require() gives Apollo's CommonJS code, and tsc's output of an import in ours. (Jest's
    // transform wraps a namespace import in an object of its own, so `internals` is not that object.)
    const cached = require.cache[FEDERATION_INTERNALS]?.exports as object;
    expect(cached).toBe(federationInternals.flat);
    expect(accessorsOf(cached)).toEqual([]);
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

  it('is in place in the offload worker before its Apollo Gateway loads', async () => {
    // The worker thread has a module cache of its own: its source (as offload.ts runs it from the
    // sources) loads first, then this probe reads what it left.
    const probe = `
      const { parentPort } = require('node:worker_threads');
      require(${JSON.stringify(path.join(__dirname, 'offload-worker.ts'))});
      const { loadedBefore, federationInternals } = require(${JSON.stringify(path.join(__dirname, 'federation-exports.ts'))});
      const cached = require(require.resolve('@apollo/federation-internals'));
      const getters = Object.values(Object.getOwnPropertyDescriptors(cached)).filter((descriptor) => descriptor.get).length;
      parentPort.postMessage({ loadedBefore, flat: cached === federationInternals.flat, getters });`;
    const settings: OffloadWorkerData = {
      supergraphSdl: readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8'),
      subgraphUrls: {},
      subgraphTimeoutMs: 1_000,
      circuits: new CircuitBreakers([], CIRCUIT_BREAKER_DEFAULTS).shared(),
      dedupeInflight: true,
      passThrough: true,
      queryPlanStoreBytes: 1024 * 1024,
      maxNesting: MAX_DOCUMENT_NESTING,
    };
    const worker = new Worker(probe, { eval: true, workerData: settings, execArgv: ['--require', require.resolve('tsx/cjs')] });
    try {
      const report = await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(report).toEqual({ loadedBefore: [], flat: true, getters: 0 });
    } finally {
      await worker.terminate();
    }
  });
});
