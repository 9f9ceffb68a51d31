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

function isLogLevel(value: string): value is LogLevel {
  return Object.hasOwn(LEVELS, value);
}

/**
 * The level LOG_LEVEL asks for. A value that is none of the levels logs at info and says so in the
 * first line it writes: not a reason to stop a service, but not to be passed over in silence either.
 */
function levelFromEnvironment(): { level: LogLevel; unknown: string | null } {
  const configured = process.env.LOG_LEVEL;
  if (configured === undefined || configured === '') return { level: 'info', unknown: null };
  const level = configured.toLowerCase();
  return isLogLevel(level) ? { level, unknown: null } : { level: 'info', unknown: configured };
}

export function createLogger(
  service: string,
  options: { level?: LogLevel; write?: (line: string) => void; fields?: Record<string, unknown> } = {},
): Logger {
  const fromEnvironment = options.level ? { level: options.level, unknown: null } : levelFromEnvironment();
  const threshold = LEVELS[fromEnvironment.level];
  const write = options.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const base = { service, ...options.fields };
  // Said by each logger a service makes, not again by its children (made with fields).
  if (fromEnvironment.unknown !== null && !options.fields) {
    write(
      JSON.stringify({
        time: new Date().toISOString(),
        level: 'warn',
        ...base,
        message: `LOG_LEVEL ${JSON.stringify(fromEnvironment.unknown)} is none of debug, info, warn, error: logging at info`,
      }),
    );
  }
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
