import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Partner API keys look like `rg_<id>_<secret>`: the id (16 hex digits) is public and finds the
 * stored record, the secret (32 random bytes, base64url) proves possession. Only the secret's SHA-256
 * is stored. No slow KDF (bcrypt, scrypt, argon2): those protect guessable passwords by making each
 * guess expensive, but a 256-bit secret from the CSPRNG cannot be guessed at any cost per guess, and a
 * slow hash would spend CPU on every request of every partner.
 */
export const API_KEY_PREFIX = 'rg_';
const KEY_PATTERN = /^rg_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface ParsedApiKey {
  id: string;
  secret: string;
}

export interface GeneratedApiKey extends ParsedApiKey {
  /** The whole key, shown to the partner once. */
  key: string;
  secretHash: string;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function generateApiKey(): GeneratedApiKey {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, key: `${API_KEY_PREFIX}${id}_${secret}`, secretHash: hashSecret(secret) };
}

/** The id and secret of a well-formed key, else null (nothing about a malformed key is looked up). */
export function parseApiKey(key: string): ParsedApiKey | null {
  const match = KEY_PATTERN.exec(key.trim());
  return match ? { id: match[1]!, secret: match[2]! } : null;
}

/** Constant-time comparison of the presented secret's hash with the stored one. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
