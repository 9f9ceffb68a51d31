import { defaultSubgraphUrl, SUBGRAPHS, subgraphUrlVariable } from '@regiograph/shared';

// The subgraphs the gateway routes to come from the one registry in shared (shared/src/services.ts);
// re-exported here so that the gateway's modules and its package keep one import for them.
export { defaultSubgraphUrl, SUBGRAPHS, subgraphUrlVariable, type SubgraphEntry } from '@regiograph/shared';

/**
 * Where the gateway sends a subgraph's fetches: the URL its creator gave, else `<NAME>_URL`, else the
 * supergraph's, else the registry's default. A blank variable counts as unset, as the settings log
 * reports it (shared's settingsInEffect): `REGIONS_URL=` left empty in an environment file made every
 * fetch to regions fail on an empty URL while the log said the default was in effect.
 */
export function resolveSubgraphUrl(
  name: string,
  supergraphUrl: string | undefined,
  given: Readonly<Record<string, string>> | undefined,
  env: NodeJS.ProcessEnv,
): string {
  const configured = env[subgraphUrlVariable(name)]?.trim();
  const entry = SUBGRAPHS.find((subgraph) => subgraph.name === name);
  return given?.[name] ?? (configured || supergraphUrl || (entry ? defaultSubgraphUrl(entry) : ''));
}
