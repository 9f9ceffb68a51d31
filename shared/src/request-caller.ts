import type { Caller, TokenVerifier } from './auth';

/**
 * The one way a subgraph learns its caller: the request's token, verified on first use. Reads are
 * public, so a bad token never fails a read; every operation that needs the caller (all writes)
 * gets the UNAUTHENTICATED error of a refused token when it asks.
 */
export function lazyCaller(verifier: TokenVerifier, authorization: string | string[] | undefined): () => Caller | null {
  let verified: { caller: Caller | null } | null = null;
  return () => {
    verified ??= { caller: verifier.verifyAuthorizationHeader(authorization) };
    return verified.caller;
  };
}
