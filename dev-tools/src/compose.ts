import { composeServices } from '@apollo/composition';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { defaultSubgraphUrl, SUBGRAPHS, type SubgraphEntry } from '@regiograph/shared';

export type CompositionResult = { supergraphSdl: string; hints: string[] } | { errors: string[] };

/** Composes the supergraph from each registered subgraph's checked-in schema.graphql. */
export function composeSupergraph(): CompositionResult {
  return composeSupergraphOf(SUBGRAPHS);
}

/** Composes a supergraph of some subgraphs (tests compose smaller ones to swap in and out). */
export function composeSupergraphOf(entries: readonly SubgraphEntry[]): CompositionResult {
  const services = entries.map((entry) => {
    const schemaPath = path.join(path.dirname(require.resolve(`${entry.packageName}/package.json`)), 'schema.graphql');
    return { name: entry.name, url: defaultSubgraphUrl(entry), typeDefs: parse(readFileSync(schemaPath, 'utf8')) };
  });
  const result = composeServices(services);
  if (result.errors) return { errors: result.errors.map((error) => error.message) };
  return { supergraphSdl: result.supergraphSdl + '\n', hints: (result.hints ?? []).map((hint) => hint.toString()) };
}
