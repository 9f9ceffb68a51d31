/** One JSON object per line on stdout: what log collectors parse without configuration. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export function createLogger(
  service: string,
  options: { level?: LogLevel; write?: (line: string) => void; fields?: Record<string, unknown> } = {},
): Logger {
  const threshold = LEVELS[options.level ?? (process.env.LOG_LEVEL as LogLevel | undefined) ?? 'info'] ?? LEVELS.info;
  const write = options.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const base = { service, ...options.fields };
  const log =
    (level: LogLevel) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (LEVELS[level] < threshold) return;
      write(JSON.stringify({ time: new Date().toISOString(), level, ...base, message, ...fields }));
    };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (fields) => createLogger(service, { ...options, fields: { ...options.fields, ...fields } }),
  };
}

/** Tests and quiet tools: a logger that drops everything. */
export const silentLogger: Logger = createLogger('silent', { write: () => undefined });
