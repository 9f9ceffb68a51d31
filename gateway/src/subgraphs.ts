// The subgraphs the gateway routes to come from the one registry in shared (shared/src/services.ts);
// re-exported here so that the gateway's modules and its package keep one import for them.
export { defaultSubgraphUrl, SUBGRAPHS, subgraphUrlVariable, type SubgraphEntry } from '@regiograph/shared';
