import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { GraphQLError } from 'graphql';
import {
  DEVELOPMENT_AUTH_SECRET,
  PUBLISHED_AUTH_SECRETS,
  IMPORT_ACTOR_PREFIX,
  KNOWN_SCOPES,
  createTokenVerifier,
  DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  mintToken,
  parseDuration,
  requireDistrict,
  requireScope,
  resolveAuthSecret,
  resolveMaxTokenLifetime,
  resolveTokenIssuerAndAudience,
  REDACTED_ACTOR,
  SEED_ACTOR,
  unknownScopes,
  type Caller,
  type MintOptions,
} from './auth';

const SECRET = 'test-secret-that-is-long-enough-for-hs256!!';
const NOW = 1_750_000_000;
const verifier = createTokenVerifier({ secret: SECRET, now: () => NOW });

function errorOf(action: () => unknown): GraphQLError {
  try {
    action();
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

function codeOf(action: () => unknown): { code: unknown; reason: unknown } {
  const error = errorOf(action);
  return { code: error.extensions.code, reason: error.extensions.reason };
}

function mint(
  claims: Partial<Parameters<typeof mintToken>[0]> = {},
  issuedAt = NOW,
  secret = SECRET,
  options: Partial<MintOptions> = {},
): string {
  return mintToken(
    { sub: 'editor-1', name: 'Erika Editor', scopes: ['projects:write'], ...claims },
    { secret, expiresIn: '1h', issuedAt, ...options },
  );
}

/** A token signed by hand with SECRET, for headers and claims mintToken would never write. */
function signed(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`;
}

describe('token verification', () => {
  it('accepts a valid token and returns the caller', () => {
    const caller = verifier.verifyAuthorizationHeader(`Bearer ${mint({ district: '032' })}`);
    expect(caller).toEqual({ subject: 'editor-1', name: 'Erika Editor', scopes: ['projects:write'], district: '032' });
  });

  it('treats a state-wide token (no district) as district null', () => {
    expect(verifier.verifyToken(mint())).toMatchObject({ district: null });
  });

  it('treats a missing header as anonymous', () => {
    expect(verifier.verifyAuthorizationHeader(undefined)).toBeNull();
    expect(verifier.verifyAuthorizationHeader('')).toBeNull();
  });

  it('refuses an expired token', () => {
    const token = mint({}, NOW - 2 * 3600);
    expect(codeOf(() => verifier.verifyToken(token))).toEqual({ code: 'UNAUTHENTICATED', reason: 'EXPIRED' });
  });

  it('refuses a token signed with another secret', () => {
    const token = mint({}, NOW, 'another-secret-that-is-also-long-enough!!');
    expect(codeOf(() => verifier.verifyToken(token))).toEqual({ code: 'UNAUTHENTICATED', reason: 'INVALID_SIGNATURE' });
  });

  it('refuses a token whose payload was altered after signing', () => {
    const [header, , signature] = mint().split('.');
    const elevated = Buffer.from(JSON.stringify({ sub: 'x', scopes: ['projects:write'], exp: NOW + 999 })).toString('base64url');
    expect(codeOf(() => verifier.verifyToken(`${header}.${elevated}.${signature}`)).reason).toBe('INVALID_SIGNATURE');
  });

  it('refuses unsigned ("alg: none") tokens', () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'x', exp: NOW + 999 })).toString('base64url');
    expect(codeOf(() => verifier.verifyToken(`${header}.${payload}.x`))).toEqual({ code: 'UNAUTHENTICATED', reason: 'MALFORMED' });
  });

  it.each([
    ['not a jwt', 'Bearer not-a-jwt'],
    ['garbage segments', 'Bearer a.b.c'],
    ['wrong scheme', `Basic ${mint()}`],
    ['missing token', 'Bearer'],
  ])('refuses a malformed header (%s)', (_label, header) => {
    expect(codeOf(() => verifier.verifyAuthorizationHeader(header)).code).toBe('UNAUTHENTICATED');
  });

  it('refuses a token without expiry', () => {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'x' })).toString('base64url');
    const signature = createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url');
    expect(codeOf(() => verifier.verifyToken(`${header}.${payload}.${signature}`)).reason).toBe('MALFORMED');
  });

  it("refuses the seed's actor as a subject, signed or to be minted: a reseed would take that person's writes for its own", () => {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: SEED_ACTOR, exp: NOW + 999 })).toString('base64url');
    const signature = createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url');
    expect(codeOf(() => verifier.verifyToken(`${header}.${payload}.${signature}`))).toEqual({
      code: 'UNAUTHENTICATED',
      reason: 'MALFORMED',
    });
    expect(() => mint({ sub: SEED_ACTOR })).toThrow('The subject "seed" is reserved for the seed\'s writes.');
  });

  it("refuses an import's actor as a subject, signed or to be minted: the change feed names the files an import read", () => {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: `${IMPORT_ACTOR_PREFIX}catalogue.csv`, exp: NOW + 999 })).toString('base64url');
    const signature = createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url');
    expect(codeOf(() => verifier.verifyToken(`${header}.${payload}.${signature}`))).toEqual({
      code: 'UNAUTHENTICATED',
      reason: 'MALFORMED',
    });
    expect(() => mint({ sub: 'import:x.csv' })).toThrow('Subjects starting with "import:" are reserved for imports.');
    // Only the prefix is reserved: a subject that merely mentions imports is anyone's.
    expect(verifier.verifyToken(mint({ sub: 'importer-team' })).subject).toBe('importer-team');
  });

  it('refuses the placeholder of redacted actors as a subject: its writes would pass for redacted ones and keep their subject', () => {
    expect(codeOf(() => verifier.verifyToken(signed({ alg: 'HS256' }, { sub: REDACTED_ACTOR, exp: NOW + 999 })))).toEqual({
      code: 'UNAUTHENTICATED',
      reason: 'MALFORMED',
    });
    expect(() => mint({ sub: 'redacted' })).toThrow('The subject "redacted" is reserved for the actor of writes past the storage period.');
  });

  it.each([
    ['an extension', ['b64']],
    ['a standard header parameter', ['alg']],
    ['nothing (empty)', []],
  ])('refuses a token whose header has crit naming %s: RFC 7515 §4.1.11, and no extension is understood here', (_label, crit) => {
    const error = errorOf(() => verifier.verifyToken(signed({ alg: 'HS256', crit, b64: false }, { sub: 'x', exp: NOW + 999 })));
    expect(error.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'UNSUPPORTED_CRITICAL_HEADER' });
    expect(error.message).toBe('The access token header names critical extensions (crit), which this service does not support.');
  });

  it.each([
    ['empty', ''],
    ['whitespace', ' \t '],
  ])('refuses a %s subject, signed or to be minted: the change feeds name the subject as the actor', (_label, sub) => {
    const error = errorOf(() => verifier.verifyToken(signed({ alg: 'HS256' }, { sub, exp: NOW + 999 })));
    expect(error.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'MALFORMED' });
    expect(error.message).toBe('The access token has no subject (sub).');
    expect(() => mint({ sub })).toThrow('A token needs a subject (sub) that is not blank.');
  });

  it('refuses a token that expires further ahead than the maximum lifetime, which is a day unless configured', () => {
    expect(DEFAULT_MAX_TOKEN_LIFETIME_SECONDS).toBe(86_400);
    const century = signed({ alg: 'HS256' }, { sub: 'x', exp: NOW + 100 * 365 * 86_400 });
    const error = errorOf(() => verifier.verifyToken(century));
    expect(error.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'LIFETIME_TOO_LONG' });
    expect(error.message).toBe(
      'The access token expires too far ahead: at most 86400 seconds from now are accepted (AUTH_MAX_TOKEN_LIFETIME_SECONDS).',
    );
    // Remaining lifetime counts, whatever iat says: a backdated iat does not make a long token short.
    expect(codeOf(() => verifier.verifyToken(signed({ alg: 'HS256' }, { sub: 'x', iat: NOW - 86_400, exp: NOW + 86_401 }))).reason).toBe(
      'LIFETIME_TOO_LONG',
    );
    expect(verifier.verifyToken(signed({ alg: 'HS256' }, { sub: 'x', exp: NOW + 86_400 })).subject).toBe('x');
    const hourly = createTokenVerifier({ secret: SECRET, now: () => NOW, maxLifetimeSeconds: 3600 });
    expect(hourly.verifyToken(mint()).subject).toBe('editor-1');
    expect(codeOf(() => hourly.verifyToken(signed({ alg: 'HS256' }, { sub: 'x', exp: NOW + 3601 }))).reason).toBe('LIFETIME_TOO_LONG');
  });

  it('refuses to mint a token longer-lived than the verifiers accept', () => {
    expect(() => mintToken({ sub: 'x', name: 'X', scopes: [] }, { secret: SECRET, expiresIn: '2d' })).toThrow(
      'A token lifetime of 172800 seconds exceeds the maximum of 86400 (AUTH_MAX_TOKEN_LIFETIME_SECONDS).',
    );
    expect(() => mintToken({ sub: 'x', name: 'X', scopes: [] }, { secret: SECRET, expiresIn: '2h', maxLifetimeSeconds: 3600 })).toThrow(
      /exceeds the maximum of 3600/,
    );
    expect(
      verifier.verifyToken(mintToken({ sub: 'x', name: 'X', scopes: [] }, { secret: SECRET, expiresIn: '1d', issuedAt: NOW })).subject,
    ).toBe('x');
  });

  it('refuses minting for an unknown district', () => {
    expect(() => mint({ district: '035' })).toThrow(/district/);
  });
});

describe('issuer and audience (AUTH_ISSUER, AUTH_AUDIENCE)', () => {
  const payloadOf = (token: string) =>
    JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  const bound = createTokenVerifier({ secret: SECRET, now: () => NOW, issuer: 'https://sso.example', audience: 'regiograph' });

  it('are read from the environment, blank as unset, and neither is set by default', () => {
    expect(resolveTokenIssuerAndAudience({})).toEqual({ issuer: null, audience: null });
    expect(resolveTokenIssuerAndAudience({ AUTH_ISSUER: ' https://sso.example ', AUTH_AUDIENCE: '' })).toEqual({
      issuer: 'https://sso.example',
      audience: null,
    });
    expect(resolveTokenIssuerAndAudience({ AUTH_ISSUER: ' ', AUTH_AUDIENCE: 'regiograph' })).toEqual({
      issuer: null,
      audience: 'regiograph',
    });
  });

  it('are written by mintToken when set, and required by the verifier', () => {
    const token = mint({}, NOW, SECRET, { issuer: 'https://sso.example', audience: 'regiograph' });
    expect(payloadOf(token)).toMatchObject({ iss: 'https://sso.example', aud: 'regiograph' });
    expect(bound.verifyToken(token).subject).toBe('editor-1');
    // RFC 7519: aud may list several audiences; one of them is enough.
    expect(
      bound.verifyToken(signed({ alg: 'HS256' }, { sub: 'x', exp: NOW + 60, iss: 'https://sso.example', aud: ['atlas', 'regiograph'] }))
        .subject,
    ).toBe('x');
  });

  it.each([
    ['without iss', { aud: 'regiograph' }, 'WRONG_ISSUER', 'The access token was not issued by "https://sso.example" (iss, AUTH_ISSUER).'],
    [
      'of another issuer',
      { iss: 'https://other.example', aud: 'regiograph' },
      'WRONG_ISSUER',
      'The access token was not issued by "https://sso.example" (iss, AUTH_ISSUER).',
    ],
    [
      'without aud',
      { iss: 'https://sso.example' },
      'WRONG_AUDIENCE',
      'The access token is not meant for "regiograph" (aud, AUTH_AUDIENCE).',
    ],
    [
      'for another audience',
      { iss: 'https://sso.example', aud: ['atlas'] },
      'WRONG_AUDIENCE',
      'The access token is not meant for "regiograph" (aud, AUTH_AUDIENCE).',
    ],
  ])('refuses a token %s as UNAUTHENTICATED (HTTP 401) with its reason', (_label, claims, reason, message) => {
    const error = errorOf(() => bound.verifyToken(signed({ alg: 'HS256' }, { sub: 'x', exp: NOW + 60, ...claims })));
    expect({ extensions: error.extensions, message: error.message }).toEqual({
      extensions: { code: 'UNAUTHENTICATED', reason },
      message,
    });
  });

  it('unset, are neither written nor checked: any iss and aud pass, as before', () => {
    const token = mint({}, NOW, SECRET, { issuer: null, audience: null });
    expect(Object.keys(payloadOf(token)).sort()).toEqual(['exp', 'iat', 'name', 'scopes', 'sub']);
    const unbound = createTokenVerifier({ secret: SECRET, now: () => NOW, issuer: null, audience: null });
    expect(unbound.verifyToken(signed({ alg: 'HS256' }, { sub: 'x', exp: NOW + 60, iss: 'anyone', aud: 'anything' })).subject).toBe('x');
    expect(unbound.verifyToken(token).subject).toBe('editor-1');
  });

  it('default to the environment in mintToken and the verifier', () => {
    const saved = { issuer: process.env.AUTH_ISSUER, audience: process.env.AUTH_AUDIENCE };
    try {
      process.env.AUTH_ISSUER = 'https://sso.example';
      process.env.AUTH_AUDIENCE = 'regiograph';
      const token = mint();
      expect(payloadOf(token)).toMatchObject({ iss: 'https://sso.example', aud: 'regiograph' });
      expect(createTokenVerifier({ secret: SECRET, now: () => NOW }).verifyToken(token).subject).toBe('editor-1');
      expect(
        codeOf(() => createTokenVerifier({ secret: SECRET, now: () => NOW }).verifyToken(mint({}, NOW, SECRET, { issuer: null }))).reason,
      ).toBe('WRONG_ISSUER');
    } finally {
      for (const [name, value] of [
        ['AUTH_ISSUER', saved.issuer],
        ['AUTH_AUDIENCE', saved.audience],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

describe('secret configuration', () => {
  it('uses the development default outside production', () => {
    expect(resolveAuthSecret({ NODE_ENV: 'development' })).toBe(DEVELOPMENT_AUTH_SECRET);
  });

  it('refuses to start in production without a secret', () => {
    expect(() => resolveAuthSecret({ NODE_ENV: 'production' })).toThrow(/AUTH_SECRET/);
  });

  it('refuses in production a secret the repository prints: the development default, an example placeholder', () => {
    for (const published of PUBLISHED_AUTH_SECRETS) {
      expect(() => resolveAuthSecret({ NODE_ENV: 'production', AUTH_SECRET: published })).toThrow(
        /AUTH_SECRET is the development default or an example placeholder/,
      );
      expect(() => resolveAuthSecret({ NODE_ENV: 'production', AUTH_SECRET: ` ${published}\n` })).toThrow(/example placeholder/);
    }
    expect(resolveAuthSecret({ NODE_ENV: 'development', AUTH_SECRET: DEVELOPMENT_AUTH_SECRET })).toBe(DEVELOPMENT_AUTH_SECRET);
  });

  it('uses AUTH_SECRET and refuses short ones', () => {
    expect(resolveAuthSecret({ NODE_ENV: 'production', AUTH_SECRET: SECRET })).toBe(SECRET);
    expect(() => resolveAuthSecret({ AUTH_SECRET: 'short' })).toThrow(/at least/);
  });

  it('reads the maximum token lifetime from AUTH_MAX_TOKEN_LIFETIME_SECONDS, and refuses none or a malformed one', () => {
    expect(resolveMaxTokenLifetime({})).toBe(DEFAULT_MAX_TOKEN_LIFETIME_SECONDS);
    expect(resolveMaxTokenLifetime({ AUTH_MAX_TOKEN_LIFETIME_SECONDS: '3600' })).toBe(3600);
    expect(() => resolveMaxTokenLifetime({ AUTH_MAX_TOKEN_LIFETIME_SECONDS: '0' })).toThrow(/must be positive/);
    expect(() => resolveMaxTokenLifetime({ AUTH_MAX_TOKEN_LIFETIME_SECONDS: '1d' })).toThrow(/must be a non-negative integer/);
  });

  it('parses token lifetimes', () => {
    expect(parseDuration('8h')).toBe(28800);
    expect(parseDuration(60)).toBe(60);
    expect(() => parseDuration('soon')).toThrow();
  });
});

describe('authorization rules', () => {
  const reader: Caller = { subject: 'r', name: 'Reader', scopes: [], district: null };
  const districtEditor: Caller = { subject: 'd', name: 'District editor', scopes: ['projects:write'], district: '031' };
  const stateEditor: Caller = { subject: 's', name: 'State editor', scopes: ['projects:write'], district: null };

  it('requires a caller and the scope', () => {
    expect(codeOf(() => requireScope(null, 'projects:write')).code).toBe('UNAUTHENTICATED');
    expect(codeOf(() => requireScope(reader, 'projects:write')).code).toBe('FORBIDDEN');
    expect(requireScope(districtEditor, 'projects:write')).toBe(districtEditor);
  });

  it('binds district editors to their district and lets state-wide editors write everywhere', () => {
    expect(requireDistrict(districtEditor, '031')).toBe(districtEditor);
    expect(codeOf(() => requireDistrict(districtEditor, '034')).code).toBe('FORBIDDEN');
    expect(codeOf(() => requireDistrict(districtEditor, null)).code).toBe('FORBIDDEN');
    expect(requireDistrict(stateEditor, '034')).toBe(stateEditor);
    expect(codeOf(() => requireDistrict(null, '031')).code).toBe('UNAUTHENTICATED');
  });
});

describe('scopes', () => {
  it('knows the scopes some service checks, and names every other', () => {
    expect(KNOWN_SCOPES).toEqual(['read', 'projects:write', 'cooperations:write', 'audit:read']);
    expect(unknownScopes(['read', 'projects:write', 'cooperations:write', 'audit:read'])).toEqual([]);
    expect(unknownScopes(['projects:wirte', 'read', 'admin'])).toEqual(['projects:wirte', 'admin']);
  });

  it('the token tool refuses a scope no service knows (exit 2), and mints one for known scopes', () => {
    const mint = (scopes: string) =>
      spawnSync(
        process.execPath,
        ['--import', 'tsx', path.join(__dirname, '..', 'scripts', 'mint-token.ts'), '--sub', 'x', '--scopes', scopes],
        {
          encoding: 'utf8',
          env: { ...process.env, AUTH_SECRET: SECRET },
        },
      );
    const typo = mint('projects:wirte');
    expect(typo.status).toBe(2);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toContain('unknown scope(s) projects:wirte: known are read, projects:write, cooperations:write, audit:read');
    // An auditor's token: the audit trails need audit:read, which the tool had refused as unknown.
    const good = mint('projects:write,cooperations:write,audit:read');
    expect(good.status).toBe(0);
    expect(createTokenVerifier({ secret: SECRET }).verifyToken(good.stdout.trim())).toMatchObject({
      subject: 'x',
      scopes: ['projects:write', 'cooperations:write', 'audit:read'],
    });
  });
});
