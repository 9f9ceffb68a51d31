import { DEVELOPMENT_AUTH_SECRET, mintToken, type TokenClaims } from '@regiograph/shared';

export { postGraphQL, type GraphQLResponse } from '@regiograph/subgraph-kit';

/** Bearer headers for the test roles, signed with the development secret the servers use in tests. */
export function bearer(claims: Partial<TokenClaims> & { scopes: string[] }): Record<string, string> {
  const token = mintToken(
    { sub: claims.sub ?? 'test-editor', name: claims.name ?? 'Test Editor', ...claims },
    { secret: DEVELOPMENT_AUTH_SECRET },
  );
  return { authorization: `Bearer ${token}` };
}
