import { DEVELOPMENT_AUTH_SECRET, mintToken, type TokenClaims } from '@regiograph/shared';

export interface GraphQLResponse<TData> {
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export async function postGraphQL<TData = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<TData>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<TData>;
}

/** Bearer headers for the test roles, signed with the development secret the servers use in tests. */
export function bearer(claims: Partial<TokenClaims> & { scopes: string[] }): Record<string, string> {
  const token = mintToken(
    { sub: claims.sub ?? 'test-editor', name: claims.name ?? 'Test Editor', ...claims },
    { secret: DEVELOPMENT_AUTH_SECRET },
  );
  return { authorization: `Bearer ${token}` };
}
