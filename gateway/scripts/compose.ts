// Composes the checked-in supergraph.graphql from the subgraphs' printed schemas with Apollo's
// composition library, at build time: the gateway never polls or introspects in production.
// `--check` fails when the file is stale or the subgraphs do not compose.
import { composeServices } from '@apollo/composition';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { defaultSubgraphUrl, SUBGRAPHS } from '../src/subgraphs';

const target = path.join(__dirname, '..', 'supergraph.graphql');

const services = SUBGRAPHS.map((entry) => {
  const schemaPath = path.join(path.dirname(require.resolve(`${entry.packageName}/package.json`)), 'schema.graphql');
  return { name: entry.name, url: defaultSubgraphUrl(entry), typeDefs: parse(readFileSync(schemaPath, 'utf8')) };
});

const result = composeServices(services);
if (result.errors) {
  console.error('The subgraphs do not compose:');
  for (const error of result.errors) console.error(`- ${error.message}`);
  process.exit(1);
}
const supergraph = result.supergraphSdl + '\n';
if (process.argv.includes('--check')) {
  if (readFileSync(target, 'utf8') !== supergraph) {
    console.error(`${target} is stale: run npm run generate`);
    process.exit(1);
  }
  console.log('supergraph.graphql is up to date.');
} else {
  writeFileSync(target, supergraph);
  for (const hint of result.hints ?? []) console.warn(`hint: ${hint.toString()}`);
  console.log(`Composed ${services.length} subgraphs into supergraph.graphql`);
}
