import { mintToken, resolveAuthSecret, type MintOptions, type TokenClaims } from '../auth';

/**
 * The one way tests mint a caller's token: signed with the secret the services under test verify
 * with (resolveAuthSecret: AUTH_SECRET, else the development default), for an hour (longer than any test file runs), for the
 * subject `test-editor` with no scopes unless the claims say otherwise; the name is the subject's.
 * Here rather than in subgraph-kit so that the gateway's and the end-to-end tests import it without
 * loading Prisma.
 */
export function testToken(claims: Partial<TokenClaims> = {}, options: Partial<MintOptions> = {}): string {
  const sub = claims.sub ?? 'test-editor';
  return mintToken(
    { sub, name: claims.name ?? sub, scopes: claims.scopes ?? [], district: claims.district },
    { secret: resolveAuthSecret(), expiresIn: '1h', ...options },
  );
}

/** The `authorization` header carrying testToken(claims, options). */
export function testBearer(claims: Partial<TokenClaims> = {}, options: Partial<MintOptions> = {}): Record<string, string> {
  return { authorization: `Bearer ${testToken(claims, options)}` };
}
