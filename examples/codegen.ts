import type { CodegenConfig } from '@graphql-codegen/cli';

// How a team outside this repository types its own operations: GraphQL Code Generator's client preset
// over the committed supergraph (a copy of gateway/supergraph.graphql of the release it calls; its
// join__/link__ definitions are plain SDL, so it loads as a schema). With persistedDocuments it also
// writes persisted-documents.json, which a SAFELIST gateway loads (SAFELIST_MANIFEST) or
// `npm run safelist` registers: the page then sends each operation's sha256 alone.
// STECKBRIEF_CODEGEN_OUT writes elsewhere (test/steckbrief.test.ts compares with the committed output).
const config: CodegenConfig = {
  schema: '../gateway/supergraph.graphql',
  documents: ['steckbrief/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    [process.env.STECKBRIEF_CODEGEN_OUT ?? 'steckbrief/generated/']: {
      preset: 'client',
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
      config: {
        documentMode: 'string',
        enumsAsTypes: true,
        scalars: { GeoJSON: 'unknown', Date: 'string', DateTime: 'string', Cents: 'string', JSON: 'unknown' },
        useTypeImports: true,
        skipTypename: true,
      },
    },
  },
};

export default config;
