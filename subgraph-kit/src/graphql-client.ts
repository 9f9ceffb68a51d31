// For subgraph tests: one GraphQL request over real HTTP to a server under test. In the kit so that
// every subgraph's tests share one copy (as concurrent-writers.ts).

/** A GraphQL answer as a test reads it. */
export interface GraphQLResponse<TData> {
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** The HTTP status beside the parsed answer, for tests of refusals (400, 413) as well as answers. */
export interface GraphQLExchange<TData> {
  status: number;
  body: GraphQLResponse<TData>;
}

/** The `authorization` header carrying `token`, or none: the form the tests pass to `postGraphQL`. */
export function bearerHeaders(token?: string): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** POSTs a query with its variables and headers to `url` and returns the status and the parsed answer. */
export async function exchangeGraphQL<TData = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLExchange<TData>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse<TData> };
}

/** POSTs a query with its variables and headers to `url` and returns the parsed answer. */
export async function postGraphQL<TData = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<TData>> {
  return (await exchangeGraphQL<TData>(url, query, variables, headers)).body;
}
