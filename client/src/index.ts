// The typed client for partner systems: every operation of src/operations as a typed document (from
// GraphQL Code Generator, see codegen.ts) and createClient() to run them.
export * from './client';
export * from './generated/graphql';
