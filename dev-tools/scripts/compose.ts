// Writes the checked-in supergraph.graphql, composed at build time with Apollo's composition
// library: the gateway never polls or introspects subgraphs in production.
// `--check` fails when the file is stale or the subgraphs do not compose.
import { readFileSync, writeFileSync } from 'node:fs';
import { SUPERGRAPH_PATH } from '@regiograph/gateway';
import { composeSupergraph } from '../src/compose';

const result = composeSupergraph();
if ('errors' in result) {
  console.error('The subgraphs do not compose:');
  for (const error of result.errors) console.error(`- ${error}`);
  process.exit(1);
}
if (process.argv.includes('--check')) {
  if (readFileSync(SUPERGRAPH_PATH, 'utf8') !== result.supergraphSdl) {
    console.error(`${SUPERGRAPH_PATH} is stale: run npm run generate`);
    process.exit(1);
  }
  console.log('supergraph.graphql is up to date.');
} else {
  // Written only when it changed: the gateway's tests may read the file while this runs.
  if (readFileSync(SUPERGRAPH_PATH, 'utf8') !== result.supergraphSdl) writeFileSync(SUPERGRAPH_PATH, result.supergraphSdl);
  for (const hint of result.hints) console.warn(`hint: ${hint}`);
  console.log('Composed supergraph.graphql');
}
