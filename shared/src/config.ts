/** Reads configuration from the environment with clear errors for malformed values. */
export function readPort(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be a port number (0–65535), got ${JSON.stringify(raw)}`);
  }
  return port;
}

export function readInteger(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  return value;
}

/**
 * A bound that must hold something, where 0 would mean none or nothing: lru-cache refuses 0 with a
 * message naming no setting, a rate-limit window of 0 s divides by zero and keeps its counters without
 * expiry, and pg takes a pool of 0 for one without a limit.
 */
export function readPositiveInteger(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const value = readInteger(name, fallback, env);
  if (value === 0) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(env[name])}`);
  return value;
}

/** A switch: true/false, 1/0, yes/no, on/off in any case; anything else is an error, not a silent default. */
export function readBoolean(name: string, fallback: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new Error(`${name} must be true or false, got ${JSON.stringify(raw)}`);
}

export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) throw new Error(`${name} must be set`);
  return value;
}

export function isProduction(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV === 'production';
}
