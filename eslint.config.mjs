import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Packages use each other by name, never by reaching into another workspace's folder.
const BY_PACKAGE_NAME = {
  group: [
    '**/shared/src/**',
    '**/prisma/src/**',
    '**/subgraph-kit/src/**',
    '**/gateway/src/**',
    '**/dev-tools/src/**',
    '**/subgraphs/**',
    '../../../*',
  ],
  message: 'Import other workspaces by package name (@regiograph/...).',
};
/** Prisma and the PostgreSQL driver, directly. */
const DATABASE = ['@prisma/*', 'pg'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/generated/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      'no-restricted-imports': ['error', { patterns: [BY_PACKAGE_NAME] }],
    },
  },
  // Type-aware rules, chosen for the bugs they catch rather than for style: a promise nobody awaits
  // loses its rejection (an unhandled rejection ends Node) and races what follows; an async function
  // where a callback's return is ignored (event handlers, Array#forEach, setTimeout) does the same;
  // `await` of a non-promise hides a missing call or a wrong type; a `return promise` inside try/catch
  // escapes the catch and the finally runs too early; an assertion the types already prove is noise
  // that hides the assertions that matter. The types come from one program over every workspace
  // (tsconfig.eslint.json says why one).
  {
    languageOptions: { parserOptions: { project: './tsconfig.eslint.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
    },
  },
  // Layering: shared is what every process loads, so it must not load Prisma (database code lives in
  // @regiograph/subgraph-kit); the gateway image holds the gateway, so it imports no subgraph, no
  // database and no development tool. test/layering.test.ts checks the package manifests as well.
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            BY_PACKAGE_NAME,
            {
              group: [...DATABASE, '@regiograph/*'],
              message: 'shared imports no other workspace and does not load Prisma: put database code in @regiograph/subgraph-kit.',
            },
          ],
        },
      ],
    },
  },
  // The client is what partners install: no other workspace, no database.
  {
    files: ['client/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            BY_PACKAGE_NAME,
            { group: [...DATABASE, '@regiograph/*'], message: 'The client depends on no other workspace: partners install it alone.' },
          ],
        },
      ],
    },
  },
  {
    files: ['gateway/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            BY_PACKAGE_NAME,
            {
              group: [...DATABASE, '@regiograph/*', '!@regiograph/shared', '!@regiograph/shared/*'],
              message: 'The gateway depends on no subgraph, database or development tool: it reads the composed supergraph.graphql.',
            },
          ],
        },
      ],
    },
  },
  // Test helpers live in `testing` folders (`@regiograph/shared/testing`), outside the builds: code
  // that ships never loads them, so the images neither carry them nor need what they need (tsx, a
  // root development dependency). A rule of its own, so that it holds beside each workspace's
  // no-restricted-imports patterns, which replace one another.
  {
    files: ['**/*.ts'],
    ignores: ['**/*.test.ts', 'test/**', '**/src/testing/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@regiograph/*/testing', '@regiograph/*/testing/*', '**/testing', '**/testing/*'],
              message: 'Test helpers are for tests (*.test.ts, test/, testing/ folders): nothing that ships may load them.',
            },
          ],
        },
      ],
    },
  },
  // The two exceptions, both on the plain driver, never Prisma and never a subgraph's schema: the
  // partner API key store reads its own table (access.api_key), and notices.ts LISTENs (for key
  // revocations and the importer's notices); everything else in the gateway goes through them.
  {
    files: ['gateway/src/api-keys/store.ts', 'gateway/src/notices.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            BY_PACKAGE_NAME,
            {
              group: ['@prisma/*', '@regiograph/*', '!@regiograph/shared', '!@regiograph/shared/*'],
              message: 'The API key store uses the plain pg driver, no Prisma and no other workspace.',
            },
          ],
        },
      ],
    },
  },
);
