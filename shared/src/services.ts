// The one registry of RegioGraph's services: their names and the ports they listen on by default.
// The gateway routes by it, each subgraph's index.ts takes its port from it, the dev launcher and
// the bench start what it lists, the image's health check reads it, and test/deploy.test.ts checks
// the compose file and the Kubernetes manifests against it. It imports nothing, so that the health
// check can load it without loading the rest of shared.

/** A subgraph the gateway composes and routes to. */
export interface SubgraphEntry {
  name: SubgraphName;
  /**
   * The workspace package, whose main module exports `createServer`, `seed` and `seedIfEmpty`, and
   * which ships its printed SDL as `schema.graphql` (read by composition in dev-tools).
   */
  packageName: string;
  /** Port the subgraph listens on when PORT is unset (npm start, containers). */
  defaultPort: number;
  /**
   * The subgraphs it calls itself: a write that links to their entities asks them whether the key
   * exists, and a delete asks the subgraphs that link to its entities whether any record still does
   * (subgraph-kit's references.ts). Its deployment needs their `<NAME>_URL` and a network path
   * to them, which test/deploy.test.ts checks.
   */
  peers: readonly SubgraphName[];
  /**
   * Whether it verifies callers' tokens (it has a write path and reads AUTH_SECRET). Only these get
   * the caller's Authorization from the gateway: an editor's bearer token writes for hours, and a
   * service that never checks it would only be one more place for it to leak from (a log, a trace,
   * a compromised pod).
   */
  verifiesCallers: boolean;
}

/**
 * Node's options for every subgraph process: npm start, the bench, chaos and the end-to-end stacks
 * pass them as flags, the compose file and the Kubernetes ConfigMap as NODE_OPTIONS (checked against
 * this list by test/deploy.test.ts). A subgraph builds its answers from many short-lived objects
 * (graphql-js's per-field info and argument objects, promises, rows); with V8's default semi-space
 * (a 128th of the heap limit: 32 MB on a machine of 24 GB, less in a container), young-generation
 * collections took a third of its busy CPU on the partner lookup. A 64 MB semi-space cut the
 * subgraphs' CPU per answer by about 30 % on the partner lookup and the analyst table (small answers:
 * unchanged), for 40–130 MB more resident set under load, which V8 gives back when idle (docs/benchmarks.md, "Young generation of the subgraphs"). The gateway keeps
 * Node's default: its CPU did not move, and its peak grew by a quarter of a gigabyte.
 */
export const SUBGRAPH_NODE_OPTIONS = ['--max-semi-space-size=64'] as const;

/** The gateway's port when PORT is unset. */
export const GATEWAY_DEFAULT_PORT = 4000;

/** Every subgraph, in composition order. Adding one: see docs/adding-a-subgraph.md. */
export const SUBGRAPHS = [
  { name: 'regions', packageName: '@regiograph/regions', defaultPort: 4001, peers: [], verifiesCallers: false },
  { name: 'indicators', packageName: '@regiograph/indicators', defaultPort: 4002, peers: [], verifiesCallers: false },
  {
    name: 'projects',
    packageName: '@regiograph/projects',
    defaultPort: 4003,
    peers: ['indicators', 'cooperations'],
    verifiesCallers: true,
  },
  { name: 'cooperations', packageName: '@regiograph/cooperations', defaultPort: 4004, peers: ['projects'], verifiesCallers: true },
] as const satisfies readonly {
  name: string;
  packageName: string;
  defaultPort: number;
  peers: readonly string[];
  verifiesCallers: boolean;
}[];

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

/** Every service's default port by name: the gateway and each subgraph. */
export const DEFAULT_PORTS: Readonly<Record<'gateway' | SubgraphName, number>> = {
  gateway: GATEWAY_DEFAULT_PORT,
  ...(Object.fromEntries(SUBGRAPHS.map((entry) => [entry.name, entry.defaultPort])) as Record<SubgraphName, number>),
};

/** The registry entry of a subgraph. */
export function subgraphEntry(name: SubgraphName): SubgraphEntry {
  return SUBGRAPHS.find((entry) => entry.name === name)!;
}

/** The environment variable that overrides a subgraph's URL, e.g. REGIONS_URL. */
export function subgraphUrlVariable(name: string): string {
  return `${name.toUpperCase()}_URL`;
}

/** Where a subgraph answers when it runs on this machine on its default port. */
export function defaultSubgraphUrl(entry: Pick<SubgraphEntry, 'defaultPort'>): string {
  return `http://127.0.0.1:${entry.defaultPort}/graphql`;
}
