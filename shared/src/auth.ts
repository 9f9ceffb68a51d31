import { createHmac, timingSafeEqual } from 'node:crypto';
import { ErrorCode, userError } from './errors';
import { isProduction, readInteger } from './config';
import type { GraphQLError } from 'graphql';

/**
 * Authentication shared by every subgraph: the gateway forwards the client's `Authorization: Bearer <jwt>`
 * header unchanged and each subgraph verifies the token itself, so no subgraph trusts another.
 *
 * Tokens are compact JWS/JWT (RFC 7515/7519) signed with HMAC-SHA256 (HS256) under a shared secret.
 * Why node:crypto and not `jose`: jose verifies only asynchronously (its `jwtVerify` returns a
 * Promise over Web Crypto), while this verifier is synchronous and called lazily where a resolver
 * first needs the caller (subgraph contexts) and where the gateway reads the headers; making it
 * async would change every caller for no gain in what is checked. What is checked is small and
 * fixed: one algorithm (HS256, pinned, so "alg: none" and algorithm confusion cannot occur), one
 * shared secret of at least 32 bytes, a constant-time signature comparison, no `crit` header (RFC 7515
 * §4.1.11: we understand no extension, so any is refused), `exp` (required, and at most
 * AUTH_MAX_TOKEN_LIFETIME_SECONDS ahead), `nbf`, a non-blank `sub`, and `iss`/`aud` where AUTH_ISSUER /
 * AUTH_AUDIENCE are set; shared/src/auth.test.ts covers forged, altered, unsigned, expired, expiry-less,
 * too long-lived, subject-less, `crit` and foreign-issuer or -audience tokens.
 * Should asymmetric keys, key rotation (JWKS) or other algorithms be needed, switch to jose then.
 *
 * Claims: `sub` (who), `name` (display name), `scopes` (e.g. `projects:write`), `district`
 * ('031'–'034' for an editor bound to one ArL district; absent for a state-wide editor), `exp` (required).
 */

/**
 * Every scope a token or API key may carry. Reading needs none: `read` names a key that may only
 * read. A scope outside this list grants nothing anywhere, so the tools that issue keys and tokens
 * refuse it: a typo (`projects:wirte`) would otherwise make a key that cannot write, and say nothing.
 */
export const SCOPES = {
  read: 'read',
  projectsWrite: 'projects:write',
  cooperationsWrite: 'cooperations:write',
  /** Reading the audit trails (who changed what, with old and new values). */
  auditRead: 'audit:read',
} as const;
export const KNOWN_SCOPES: readonly string[] = Object.values(SCOPES);

/** The scopes of a comma-separated list that no service knows (see SCOPES). */
export function unknownScopes(scopes: readonly string[]): string[] {
  return scopes.filter((scope) => !KNOWN_SCOPES.includes(scope));
}

/** The authenticated caller of a request. Anonymous requests have no Caller (`null`). */
export interface Caller {
  subject: string;
  name: string;
  scopes: string[];
  /** The ArL district ('031'–'034') the caller may edit, or null for a state-wide editor. */
  district: string | null;
}

/** The claims a token is minted from. */
export interface TokenClaims {
  sub: string;
  name: string;
  scopes: string[];
  district?: string | null;
}

/**
 * INSECURE, publicly known development secret. Used only when AUTH_SECRET is unset and NODE_ENV is
 * not 'production', so local development and tests work without configuration. Never deploy with it.
 */
export const DEVELOPMENT_AUTH_SECRET = 'regiograph-insecure-development-secret-do-not-use-in-production';

/**
 * Secrets printed in this repository, each long enough to pass the length check: the development
 * default and the placeholders of the deployment examples (deploy/.env.example and
 * deploy/kubernetes/secret.example.yaml; test/deploy.test.ts keeps this list in step with them). An
 * example copied and not filled in would have run production under a secret anyone can read, and
 * anyone could have minted an editor's token for every district.
 */
export const PUBLISHED_AUTH_SECRETS: readonly string[] = [
  DEVELOPMENT_AUTH_SECRET,
  'replace-with-a-random-secret-of-at-least-32-bytes',
  'CHANGE-ME-to-at-least-32-random-bytes',
];

/** HS256 keys shorter than the hash output weaken the MAC (RFC 7518 §3.2). */
export const MINIMUM_SECRET_LENGTH = 32;

const DISTRICT_CODES = new Set(['031', '032', '033', '034']);

/**
 * Default of AUTH_MAX_TOKEN_LIFETIME_SECONDS: a day. The longest-lived tokens this repository mints are
 * the mint script's (8 hours by default, a working day); the gateway's API-key tokens live 120 s. A
 * leaked token without this bound would be good until whatever `exp` its signer chose.
 */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;

/**
 * How far ahead a token's `exp` may lie, from AUTH_MAX_TOKEN_LIFETIME_SECONDS. Measured from now, not
 * from `iat` (which a signer may omit or backdate): what is bounded is how long a token still works.
 */
export function resolveMaxTokenLifetime(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = readInteger('AUTH_MAX_TOKEN_LIFETIME_SECONDS', DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, env);
  if (seconds === 0) throw new Error('AUTH_MAX_TOKEN_LIFETIME_SECONDS must be positive (a token that may live 0 seconds is none)');
  return seconds;
}

/** The `iss` and `aud` tokens must carry; null where not checked. */
export interface TokenIssuerAndAudience {
  issuer: string | null;
  audience: string | null;
}

/**
 * The issuer and audience from AUTH_ISSUER and AUTH_AUDIENCE; each null when unset or blank (the
 * default), and then neither written nor checked. Set, mintToken writes it and every verifier requires
 * it: a token minted for another deployment or service that shares the secret is refused.
 */
export function resolveTokenIssuerAndAudience(env: NodeJS.ProcessEnv = process.env): TokenIssuerAndAudience {
  return { issuer: env.AUTH_ISSUER?.trim() || null, audience: env.AUTH_AUDIENCE?.trim() || null };
}

/**
 * The signing secret from AUTH_SECRET. Without it: the development default outside production, and a
 * startup error in production (a service must never run with a guessable secret), as with a secret
 * this repository prints (PUBLISHED_AUTH_SECRETS).
 */
export function resolveAuthSecret(env: NodeJS.ProcessEnv = process.env): string {
  const secret = env.AUTH_SECRET;
  if (secret === undefined || secret === '') {
    if (isProduction(env)) throw new Error('AUTH_SECRET must be set when NODE_ENV=production');
    return DEVELOPMENT_AUTH_SECRET;
  }
  assertSecretStrength(secret);
  if (isProduction(env) && PUBLISHED_AUTH_SECRETS.includes(secret.trim())) {
    throw new Error(
      'AUTH_SECRET is the development default or an example placeholder, which anyone can read in the repository: ' +
        'set a random one when NODE_ENV=production (e.g. the output of: openssl rand -base64 48)',
    );
  }
  return secret;
}

function assertSecretStrength(secret: string): void {
  if (Buffer.byteLength(secret, 'utf8') < MINIMUM_SECRET_LENGTH) {
    throw new Error(`AUTH_SECRET must be at least ${MINIMUM_SECRET_LENGTH} bytes long`);
  }
}

export interface TokenVerifierOptions {
  secret: string;
  /** Seconds since the epoch; injectable so tests need no clock tricks. */
  now?: () => number;
  /** Tolerated clock skew in seconds for `exp`/`nbf`. */
  clockToleranceSeconds?: number;
  /** Latest `exp` accepted, in seconds from now. Default: resolveMaxTokenLifetime(). */
  maxLifetimeSeconds?: number;
  /** The `iss` required, null for none. Default: resolveTokenIssuerAndAudience().issuer (AUTH_ISSUER). */
  issuer?: string | null;
  /** The `aud` required (a string, or one of a list), null for none. Default: AUTH_AUDIENCE, as the issuer. */
  audience?: string | null;
}

export interface TokenVerifier {
  /** Verifies a bare token; throws UNAUTHENTICATED when it is malformed, forged or expired. */
  verifyToken(token: string): Caller;
  /**
   * Verifies an `Authorization` header. No header → null (anonymous). A header that is present but
   * not a valid bearer token → UNAUTHENTICATED (a broken token must not silently become anonymous).
   */
  verifyAuthorizationHeader(header: string | string[] | null | undefined): Caller | null;
}

function unauthenticated(message: string, reason: string): GraphQLError {
  return userError(message, ErrorCode.Unauthenticated, { reason });
}

function currentEpochSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function base64UrlEncode(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

const BASE64URL_PATTERN = /^[A-Za-z0-9_-]*$/;

function decodeJsonSegment(segment: string): unknown {
  if (!BASE64URL_PATTERN.test(segment)) throw new Error('not base64url');
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The issuer and audience of a verifier's or a mint's options: those given (null: none), else the environment's. */
function issuerAndAudienceOf(options: Partial<TokenIssuerAndAudience>): TokenIssuerAndAudience {
  const configured = resolveTokenIssuerAndAudience();
  return {
    issuer: options.issuer === undefined ? configured.issuer : options.issuer,
    audience: options.audience === undefined ? configured.audience : options.audience,
  };
}

function sign(signingInput: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(signingInput).digest();
}

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  assertSecretStrength(options.secret);
  const now = options.now ?? currentEpochSeconds;
  const tolerance = options.clockToleranceSeconds ?? 0;
  const maxLifetime = options.maxLifetimeSeconds ?? resolveMaxTokenLifetime();
  const { issuer, audience } = issuerAndAudienceOf(options);

  function verifyToken(token: string): Caller {
    const parts = token.split('.');
    if (parts.length !== 3 || parts.some((part) => part === '')) {
      throw unauthenticated('The access token is malformed (expected a compact JWT).', 'MALFORMED');
    }
    const [headerSegment, payloadSegment, signatureSegment] = parts as [string, string, string];
    let header: unknown;
    let payload: unknown;
    try {
      header = decodeJsonSegment(headerSegment);
      payload = decodeJsonSegment(payloadSegment);
    } catch {
      throw unauthenticated('The access token is malformed (undecodable header or payload).', 'MALFORMED');
    }
    // Fixing the algorithm defeats "alg: none" and algorithm-confusion attacks.
    if (!isRecord(header) || header.alg !== 'HS256') {
      throw unauthenticated('The access token must be signed with HS256.', 'MALFORMED');
    }
    // RFC 7515 §4.1.11: a recipient must refuse extensions it does not understand, and this one understands none.
    if (header.crit !== undefined) {
      throw unauthenticated(
        'The access token header names critical extensions (crit), which this service does not support.',
        'UNSUPPORTED_CRITICAL_HEADER',
      );
    }
    if (!BASE64URL_PATTERN.test(signatureSegment)) {
      throw unauthenticated('The access token is malformed (signature is not base64url).', 'MALFORMED');
    }
    const expected = sign(`${headerSegment}.${payloadSegment}`, options.secret);
    const actual = Buffer.from(signatureSegment, 'base64url');
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
      throw unauthenticated('The access token signature is invalid.', 'INVALID_SIGNATURE');
    }
    if (!isRecord(payload)) throw unauthenticated('The access token payload is not a JSON object.', 'MALFORMED');
    if (issuer !== null && payload.iss !== issuer) {
      throw unauthenticated(`The access token was not issued by "${issuer}" (iss, AUTH_ISSUER).`, 'WRONG_ISSUER');
    }
    // RFC 7519 §4.1.3: `aud` is one audience or a list of them.
    if (audience !== null && payload.aud !== audience && !(Array.isArray(payload.aud) && payload.aud.includes(audience))) {
      throw unauthenticated(`The access token is not meant for "${audience}" (aud, AUTH_AUDIENCE).`, 'WRONG_AUDIENCE');
    }
    return callerFromClaims(payload, now(), tolerance, maxLifetime);
  }

  function verifyAuthorizationHeader(header: string | string[] | null | undefined): Caller | null {
    const value = Array.isArray(header) ? header[0] : header;
    if (value === undefined || value === null || value.trim() === '') return null;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(value.trim());
    if (!match) {
      throw unauthenticated('The Authorization header must have the form "Bearer <token>".', 'MALFORMED');
    }
    return verifyToken(match[1]!);
  }

  return { verifyToken, verifyAuthorizationHeader };
}

/**
 * The actor the change feeds record for a seed's writes. No token may name it as its subject: a seed
 * that runs again rewrites what the seed wrote and keeps what anyone else did (subgraph-kit's
 * shipped-data.ts), so a person's writes under this name would be taken for the seed's.
 */
export const SEED_ACTOR = 'seed';

const RESERVED_SUBJECT = `The subject "${SEED_ACTOR}" is reserved for the seed's writes.`;

/**
 * The actors of an import (`import:<files>`): the change feed names the files an import read, and no
 * token may pass itself off as one.
 */
export const IMPORT_ACTOR_PREFIX = 'import:';

/**
 * The subjects of the tokens the gateway mints for a verified API key (`apikey:<id>`). Only the
 * gateway may use them: a bearer token sent to it under such a subject would act as that key,
 * under its name in the change feeds and with its stored idempotency keys.
 */
export const API_KEY_SUBJECT_PREFIX = 'apikey:';

/**
 * What the change feeds show as the actor of a write older than the storage period the operator set
 * (subgraph-kit's redactExpiredActors): the subject is gone, the change stays. No token may carry it,
 * or its holder's writes would pass for redacted ones and never be redacted themselves.
 */
export const REDACTED_ACTOR = 'redacted';

/** Why a subject no token may carry is refused, or null for a subject anyone may have. */
function reservedSubject(subject: string): string | null {
  if (subject === SEED_ACTOR) return RESERVED_SUBJECT;
  if (subject.startsWith(IMPORT_ACTOR_PREFIX)) return `Subjects starting with "${IMPORT_ACTOR_PREFIX}" are reserved for imports.`;
  if (subject === REDACTED_ACTOR) return `The subject "${REDACTED_ACTOR}" is reserved for the actor of writes past the storage period.`;
  return null;
}

function callerFromClaims(claims: Record<string, unknown>, nowSeconds: number, tolerance: number, maxLifetime: number): Caller {
  const { sub, name, scopes, district, exp, nbf } = claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw unauthenticated('The access token has no expiry (exp).', 'MALFORMED');
  }
  if (exp + tolerance <= nowSeconds) throw unauthenticated('The access token has expired.', 'EXPIRED');
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf - tolerance > nowSeconds)) {
    throw unauthenticated('The access token is not valid yet (nbf).', 'NOT_YET_VALID');
  }
  if (exp - tolerance - nowSeconds > maxLifetime) {
    throw unauthenticated(
      `The access token expires too far ahead: at most ${maxLifetime} seconds from now are accepted (AUTH_MAX_TOKEN_LIFETIME_SECONDS).`,
      'LIFETIME_TOO_LONG',
    );
  }
  // The change feeds record the subject as the actor: a blank one would name nobody.
  if (typeof sub !== 'string' || sub.trim() === '') throw unauthenticated('The access token has no subject (sub).', 'MALFORMED');
  const reserved = reservedSubject(sub);
  if (reserved) throw unauthenticated(reserved, 'MALFORMED');
  if (name !== undefined && typeof name !== 'string') throw unauthenticated('The access token claim "name" must be a string.', 'MALFORMED');
  if (scopes !== undefined && (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string'))) {
    throw unauthenticated('The access token claim "scopes" must be a list of strings.', 'MALFORMED');
  }
  if (district !== undefined && district !== null && (typeof district !== 'string' || !DISTRICT_CODES.has(district))) {
    throw unauthenticated('The access token claim "district" must be one of 031, 032, 033, 034.', 'MALFORMED');
  }
  return {
    subject: sub,
    name: name ?? sub,
    scopes: scopes ?? [],
    district: district ?? null,
  };
}

/** Parses a lifetime: seconds as a number, or "90s", "30m", "8h", "7d". */
export function parseDuration(value: number | string): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value <= 0) throw new Error(`A token lifetime must be a positive number of seconds, got ${value}`);
    return value;
  }
  const match = /^(\d+)\s*([smhd])$/.exec(value.trim());
  if (!match) throw new Error(`A token lifetime looks like "30m", "8h" or "7d", got ${JSON.stringify(value)}`);
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'];
  const seconds = Number(match[1]) * unit;
  if (seconds <= 0) throw new Error(`A token lifetime must be positive, got ${JSON.stringify(value)}`);
  return seconds;
}

export interface MintOptions {
  secret: string;
  /** Lifetime: seconds or "30m"/"8h"/"7d". Default 8 hours. */
  expiresIn?: number | string;
  /** Seconds since the epoch the token is issued at; injectable for tests. */
  issuedAt?: number;
  /** Longest lifetime allowed, as the verifiers' (default: resolveMaxTokenLifetime()). */
  maxLifetimeSeconds?: number;
  /** Written as `iss` unless null. Default: AUTH_ISSUER, as the verifiers'. */
  issuer?: string | null;
  /** Written as `aud` unless null. Default: AUTH_AUDIENCE, as the verifiers'. */
  audience?: string | null;
}

/** Mints a signed HS256 token (for the local mint script and for tests). */
export function mintToken(claims: TokenClaims, options: MintOptions): string {
  assertSecretStrength(options.secret);
  if (claims.sub.trim() === '') throw new Error('A token needs a subject (sub) that is not blank.');
  const reserved = reservedSubject(claims.sub);
  if (reserved) throw new Error(reserved);
  if (claims.district !== undefined && claims.district !== null && !DISTRICT_CODES.has(claims.district)) {
    throw new Error(`district must be one of 031, 032, 033, 034, got ${JSON.stringify(claims.district)}`);
  }
  const lifetime = parseDuration(options.expiresIn ?? '8h');
  const maxLifetime = options.maxLifetimeSeconds ?? resolveMaxTokenLifetime();
  // A token the verifiers would refuse is no use to anyone: say so here, where the lifetime is chosen.
  if (lifetime > maxLifetime) {
    throw new Error(`A token lifetime of ${lifetime} seconds exceeds the maximum of ${maxLifetime} (AUTH_MAX_TOKEN_LIFETIME_SECONDS).`);
  }
  const iat = options.issuedAt ?? currentEpochSeconds();
  const exp = iat + lifetime;
  const { issuer, audience } = issuerAndAudienceOf(options);
  const payload: Record<string, unknown> = { sub: claims.sub, name: claims.name, scopes: claims.scopes, iat, exp };
  if (claims.district) payload.district = claims.district;
  if (issuer !== null) payload.iss = issuer;
  if (audience !== null) payload.aud = audience;
  const signingInput = `${base64UrlEncode(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64UrlEncode(JSON.stringify(payload))}`;
  return `${signingInput}.${base64UrlEncode(sign(signingInput, options.secret))}`;
}

/** The caller, or UNAUTHENTICATED for an anonymous request. */
export function requireCaller(caller: Caller | null): Caller {
  if (!caller)
    throw userError('This operation needs an authenticated caller (send "Authorization: Bearer <token>").', ErrorCode.Unauthenticated, {
      reason: 'MISSING',
    });
  return caller;
}

/** The caller if it holds `scope`; UNAUTHENTICATED when anonymous, FORBIDDEN when the scope is missing. */
export function requireScope(caller: Caller | null, scope: string): Caller {
  const authenticated = requireCaller(caller);
  if (!authenticated.scopes.includes(scope)) {
    throw userError(`This operation needs the scope "${scope}".`, ErrorCode.Forbidden, { requiredScope: scope });
  }
  return authenticated;
}

/**
 * Refuses (FORBIDDEN) an editor bound to one ArL district writing a record of another district (or a
 * record with no district). State-wide editors (no `district` claim) may write everywhere.
 */
export function requireDistrict(caller: Caller | null, districtCode: string | null): Caller {
  const authenticated = requireCaller(caller);
  if (authenticated.district !== null && authenticated.district !== districtCode) {
    throw userError(
      `Your account may only edit records of ArL district ${authenticated.district}, not ${districtCode ?? '(none)'}.`,
      ErrorCode.Forbidden,
      { callerDistrict: authenticated.district, recordDistrict: districtCode },
    );
  }
  return authenticated;
}
