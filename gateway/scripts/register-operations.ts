// Registers a client app's operations for the gateway's safelist mode (SAFELIST=true):
//   REDIS_URL=redis://… npm run safelist -w @regiograph/gateway -- ../app/src/graphql
// Every gateway sharing that Redis then runs these operations (by hash or text) and nothing else.
// A `.json` target is a manifest: this script's own, or the persisted-documents.json of GraphQL
// Code Generator's client preset (registered as it is: its keys are the hashes the browser sends).
// `--manifest file.json` also writes the hashes for the client (and for gateways without Redis,
// which load it through SAFELIST_MANIFEST).
import { readFile, writeFile } from 'node:fs/promises';
import { Supergraph } from '@apollo/federation-internals';
import { registerOperations } from '../src/operations';
import { Safelist } from '../src/persisted';
import { SUPERGRAPH_PATH } from '../src/server';
import { createSharedStore, MemoryStore } from '../src/store';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const manifestIndex = args.indexOf('--manifest');
  const manifest = manifestIndex >= 0 ? args[manifestIndex + 1] : undefined;
  const targets = args.filter((_, index) => index !== manifestIndex && index !== manifestIndex + 1);
  if (targets.length === 0 || (manifestIndex >= 0 && !manifest)) {
    console.error('usage: register-operations [--manifest out.json] <file.graphql|folder|manifest.json>...');
    process.exit(2);
  }
  if (!process.env.REDIS_URL && !manifest) {
    console.error("Set REDIS_URL (the gateways' Redis) or give --manifest: otherwise the registration would go nowhere.");
    process.exit(2);
  }
  const store = process.env.REDIS_URL ? createSharedStore(process.env.REDIS_URL, process.env.REDIS_KEY_PREFIX) : new MemoryStore();
  try {
    // Checked against the API of the supergraph this checkout composes: the release the gateways run.
    const schema = Supergraph.build(await readFile(SUPERGRAPH_PATH, 'utf8'))
      .apiSchema()
      .toGraphQLJSSchema();
    const operations = await registerOperations(new Safelist(store), targets, { schema });
    if (manifest) await writeFile(manifest, JSON.stringify({ format: 'regiograph-safelist/1', operations }, null, 2) + '\n');
    for (const operation of operations) console.log(`${operation.sha256}  ${operation.name}`);
    console.log(
      `Registered ${operations.length} operation(s)${process.env.REDIS_URL ? ' in Redis' : ''}${manifest ? ` and wrote ${manifest}` : ''}.`,
    );
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
