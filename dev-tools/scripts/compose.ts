// Writes the checked-in supergraph.graphql, composed at build time with Apollo's composition
// library: the gateway never polls or introspects subgraphs in production. Beside it, the API schema
// the gateway serves (api-schema.graphql), which the released contract is compared with.
// `--check` fails when a file is stale or the subgraphs do not compose.
import { readFileSync, writeFileSync } from 'node:fs';
import { SUPERGRAPH_PATH } from '@regiograph/gateway';
import { API_SCHEMA_PATH, printApiSchema } from '../src/api-contract';
import { composeSupergraph } from '../src/compose';

const result = composeSupergraph();
if ('errors' in result) {
  console.error('The subgraphs do not compose:');
  for (const error of result.errors) console.error(`- ${error}`);
  process.exit(1);
}
const outputs = [
  { file: SUPERGRAPH_PATH, text: result.supergraphSdl },
  { file: API_SCHEMA_PATH, text: printApiSchema(result.supergraphSdl) },
];
const stale = outputs.filter(({ file, text }) => {
  try {
    return readFileSync(file, 'utf8') !== text;
  } catch {
    return true;
  }
});
if (process.argv.includes('--check')) {
  for (const { file } of stale) console.error(`${file} is stale: run npm run generate`);
  if (stale.length > 0) process.exit(1);
  console.log('supergraph.graphql and api-schema.graphql are up to date.');
} else {
  // Written only when it changed: the gateway's tests may read the file while this runs.
  for (const { file, text } of stale) writeFileSync(file, text);
  for (const hint of result.hints) console.warn(`hint: ${hint}`);
  console.log('Composed supergraph.graphql and printed api-schema.graphql');
}
