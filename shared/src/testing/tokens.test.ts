import { createTokenVerifier, DEVELOPMENT_AUTH_SECRET } from '../auth';
import { testBearer, testToken } from './tokens';

const SECRET = 'test-secret-that-is-long-enough-for-hs256!!';

describe('test tokens', () => {
  const saved = process.env.AUTH_SECRET;
  afterEach(() => {
    if (saved === undefined) delete process.env.AUTH_SECRET;
    else process.env.AUTH_SECRET = saved;
  });

  it('are signed with the secret the services resolve, for an hour, for test-editor without scopes by default', () => {
    delete process.env.AUTH_SECRET;
    // Minted before the clock is read: a token minted in the next second would outlive now + 3600.
    const token = testToken();
    const now = Math.floor(Date.now() / 1000);
    const verifier = createTokenVerifier({ secret: DEVELOPMENT_AUTH_SECRET, now: () => now });
    expect(verifier.verifyToken(token)).toEqual({ subject: 'test-editor', name: 'test-editor', scopes: [], district: null });
    expect(() => createTokenVerifier({ secret: DEVELOPMENT_AUTH_SECRET, now: () => now + 3600 }).verifyToken(token)).toThrow(
      'The access token has expired.',
    );
    process.env.AUTH_SECRET = SECRET;
    expect(
      createTokenVerifier({ secret: SECRET }).verifyAuthorizationHeader(
        testBearer({ sub: 'auditor', scopes: ['audit:read'] }).authorization,
      ),
    ).toEqual({
      subject: 'auditor',
      name: 'auditor',
      scopes: ['audit:read'],
      district: null,
    });
  });

  it('carry the claims and mint options given', () => {
    const token = testToken(
      { sub: 'e', name: 'Editor', scopes: ['projects:write'], district: '031' },
      { secret: SECRET, issuedAt: 1_600_000_000, expiresIn: 60 },
    );
    expect(createTokenVerifier({ secret: SECRET, now: () => 1_600_000_030 }).verifyToken(token)).toEqual({
      subject: 'e',
      name: 'Editor',
      scopes: ['projects:write'],
      district: '031',
    });
  });
});
