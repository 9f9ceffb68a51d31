import type { CodegenConfig } from '@graphql-codegen/cli';

// The Atlas's operations are typed from the committed supergraph (its join__/link__ definitions are
// plain SDL, so it loads as a schema), and every operation gets a persisted-document hash the
// gateway registers in its safelist at start.
const config: CodegenConfig = {
  schema: '../gateway/supergraph.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/generated/**'],
  ignoreNoDocuments: false,
  generates: {
    'src/generated/': {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: { hashAlgorithm: 'sha256' },
      },
      config: {
        enumsAsTypes: true,
        scalars: { GeoJSON: 'unknown', Date: 'string', Cents: 'string' },
        useTypeImports: true,
      },
    },
  },
};

export default config;
