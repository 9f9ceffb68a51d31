import { createHash } from 'node:crypto';
import { generateApiKey, hashSecret, parseApiKey, secretMatches } from './key';

describe('partner API key format', () => {
  it('generates rg_<16 hex>_<43 base64url> keys whose stored hash is the SHA-256 of the secret', () => {
    const generated = generateApiKey();
    expect(generated.key).toMatch(/^rg_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(generated.key).toBe(`rg_${generated.id}_${generated.secret}`);
    expect(generated.secretHash).toBe(createHash('sha256').update(generated.secret).digest('hex'));
    expect(parseApiKey(generated.key)).toEqual({ id: generated.id, secret: generated.secret });
    // 2^64 ids and 2^256 secrets: two keys never share either.
    const other = generateApiKey();
    expect(other.id).not.toBe(generated.id);
    expect(other.secret).not.toBe(generated.secret);
  });

  it('parses a secret that itself holds "_" and "-" (base64url), and refuses anything else', () => {
    const secret = `a_b-${'C'.repeat(39)}`;
    expect(parseApiKey(`rg_0123456789abcdef_${secret}`)).toEqual({ id: '0123456789abcdef', secret });
    // As a header value may arrive, with white space around it.
    expect(parseApiKey(` rg_0123456789abcdef_${secret}\n`)).toEqual({ id: '0123456789abcdef', secret });
    for (const wrong of [
      '',
      'partner-1',
      'rg_0123456789abcdef',
      `rg_0123456789ABCDEF_${secret}`,
      `rg_0123456789abcde_${secret}`,
      `rg_0123456789abcdef_${secret}x`,
      `xx_0123456789abcdef_${secret}`,
      `rg_0123456789abcdef_${'C'.repeat(42)}=`,
    ]) {
      expect(parseApiKey(wrong)).toBeNull();
    }
  });

  it('matches a secret only against its own hash', () => {
    const { secret, secretHash } = generateApiKey();
    expect(secretMatches(secret, secretHash)).toBe(true);
    expect(secretMatches(`${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`, secretHash)).toBe(false);
    expect(secretMatches(secret, hashSecret('another secret'))).toBe(false);
    expect(secretMatches(secret, 'not-a-hash')).toBe(false);
  });
});
