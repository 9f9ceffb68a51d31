export { postGraphQL, type GraphQLResponse } from '@regiograph/subgraph-kit';
