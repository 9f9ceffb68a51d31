import type { IncomingMessage } from 'node:http';
import { API_KEY_SUBJECT_PREFIX, mintToken, type HttpRejection, type MintOptions } from '@regiograph/shared';
import { GatewayErrorCode } from '../errors';
import type { ApiKeyUsageMetrics } from '../plugins/api-key-usage';
import type { ApiKeyPrincipal, ApiKeyRegistry } from './registry';

export const API_KEY_HEADER = 'x-api-key';

/**
 * The key a request presents, or null without the header. An empty header is presented (as ''):
 * it is what a partner sends whose key variable is unset, and serving it as anonymous would hide
 * that until its first write failed.
 */
export function presentedApiKey(request: IncomingMessage): string | null {
  const value = request.headers[API_KEY_HEADER];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Decides on a request's API key before its body is read: null without a key, the key's principal
 * for a valid one, else the refusal. The rules:
 * - a key that is empty, malformed, unknown, revoked or has the wrong secret: 401 INVALID_API_KEY (never
 *   served as anonymous: a partner must learn at once that its key stopped working);
 * - a key together with an Authorization header: 400 CONFLICTING_CREDENTIALS. Refusing both is the
 *   one rule under which a key can never add to a token's rights nor a token to a key's;
 * - the key store unreachable: 503 API_KEYS_UNAVAILABLE with Retry-After (a key is neither trusted
 *   blindly nor turned into an anonymous request).
 */
export async function admitApiKey(
  request: IncomingMessage,
  registry: ApiKeyRegistry,
  usage: ApiKeyUsageMetrics,
): Promise<HttpRejection | ApiKeyPrincipal | null> {
  const presented = presentedApiKey(request);
  if (presented === null) return null;
  if (request.headers.authorization) {
    usage.refusals.inc({ key_id: 'unknown', code: GatewayErrorCode.ConflictingCredentials });
    return {
      status: 400,
      code: GatewayErrorCode.ConflictingCredentials,
      message: `Send either an API key (${API_KEY_HEADER}) or a bearer token (Authorization), not both.`,
    };
  }
  if (presented.trim() === '') {
    usage.refusals.inc({ key_id: 'unknown', code: GatewayErrorCode.InvalidApiKey });
    return {
      status: 401,
      code: GatewayErrorCode.InvalidApiKey,
      message: `The ${API_KEY_HEADER} header is empty: send the API key in it, or leave the header out to read anonymously.`,
    };
  }
  const check = await registry.check(presented);
  if (check.kind === 'unavailable') {
    usage.refusals.inc({ key_id: 'unknown', code: GatewayErrorCode.ApiKeysUnavailable });
    return {
      status: 503,
      code: GatewayErrorCode.ApiKeysUnavailable,
      message: 'API keys cannot be checked right now (the key store is unreachable). Retry after 5 s.',
      headers: { 'retry-after': '5' },
    };
  }
  if (check.kind === 'invalid') {
    usage.refusals.inc({ key_id: check.keyId ?? 'unknown', code: GatewayErrorCode.InvalidApiKey });
    return {
      status: 401,
      code: GatewayErrorCode.InvalidApiKey,
      message:
        check.reason === 'REVOKED'
          ? 'The API key has been revoked.'
          : check.reason === 'MALFORMED'
            ? 'The API key is malformed (expected rg_<id>_<secret>).'
            : 'The API key is not valid.',
    };
  }
  usage.requests.inc({ key_id: check.principal.id });
  return check.principal;
}

/**
 * The bearer token the subgraphs see for a key: they verify JWTs themselves, so the gateway vouches for
 * the key with a short-lived token of its own carrying the key's scopes and no district.
 */
export function tokenForKey(
  principal: ApiKeyPrincipal,
  signing: Pick<MintOptions, 'secret' | 'issuer' | 'audience' | 'maxLifetimeSeconds'>,
  lifetimeSeconds: number,
): string {
  return mintToken(
    { sub: `${API_KEY_SUBJECT_PREFIX}${principal.id}`, name: principal.name, scopes: principal.scopes },
    { ...signing, expiresIn: lifetimeSeconds },
  );
}
