import type { CodegenConfig } from '@graphql-codegen/cli';

// The partner operations are validated and typed against the committed supergraph (its join__/link__
// definitions are plain SDL, so it loads as a schema): an operation that no longer fits the API fails
// `npm run generate`, and src/generated.test.ts fails when the committed output is stale.
// documentMode "string" makes each document a typed string: the client sends it as it is and needs
// no graphql-js at run time. CLIENT_CODEGEN_OUT writes elsewhere (the freshness test compares).
const config: CodegenConfig = {
  schema: '../gateway/supergraph.graphql',
  documents: ['src/operations/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    [process.env.CLIENT_CODEGEN_OUT ?? 'src/generated/']: {
      preset: 'client',
      presetConfig: { fragmentMasking: false, gqlTagName: 'graphql' },
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
