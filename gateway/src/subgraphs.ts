/**
 * The subgraphs the gateway composes and routes to. Each entry's package exports `createServer`,
 * `seed` and `seedIfEmpty` from its main module and ships its printed SDL as `schema.graphql`.
 */
export interface SubgraphEntry {
  name: string;
  packageName: string;
  /** Port the subgraph listens on under `npm start`. */
  defaultPort: number;
}

export const SUBGRAPHS: readonly SubgraphEntry[] = [
  { name: 'regions', packageName: '@regiograph/regions', defaultPort: 4001 },
  { name: 'indicators', packageName: '@regiograph/indicators', defaultPort: 4002 },
  { name: 'projects', packageName: '@regiograph/projects', defaultPort: 4003 },
  { name: 'cooperations', packageName: '@regiograph/cooperations', defaultPort: 4004 },
];

/** The environment variable that overrides a subgraph's URL, e.g. REGIONS_URL. */
export function subgraphUrlVariable(name: string): string {
  return `${name.toUpperCase()}_URL`;
}

export function defaultSubgraphUrl(entry: SubgraphEntry): string {
  return `http://127.0.0.1:${entry.defaultPort}/graphql`;
}
