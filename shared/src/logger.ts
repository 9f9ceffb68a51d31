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

/** What stands in the log for a value withheld from it. */
const WITHHELD = '(withheld from the log)';

/**
 * Messages in which GraphQL quotes a value it cannot take up to where the value begins: a
 * variable's (`Variable "$search" got invalid value "…"; …`) and a literal written in the query
 * (`Int cannot represent non-integer value: "…"`, `Enum "RegionLevel" cannot represent non-enum
 * value: "…"`, `Expected value of type "Date", found "…"; …`).
 */
const QUOTING_A_VALUE = [
  /^Variable "\$[_A-Za-z][_0-9A-Za-z]*" got invalid value /,
  /^(?:[_A-Za-z][_0-9A-Za-z]*|Enum "[_A-Za-z][_0-9A-Za-z]*") cannot represent [^:"]*value: /,
  /^Expected value of type "[^"]*", found /,
];

/** An enum value the schema lacks, written in the query (`Value "…" does not exist in "RegionLevel" enum.`): any name. */
const UNKNOWN_ENUM_VALUE = /^Value "[^"]*"(?= does not exist in ")/;

/**
 * Quoted text that names something of the schema or the operation: a type, field, argument or
 * enum value (`"RegionLevel"`), a variable (`"$first"`), a coordinate (`"Query.region"`).
 */
const QUOTED_NAME = /^\$?[_A-Za-z][_0-9A-Za-z]*(?:\.[_A-Za-z][_0-9A-Za-z]*)?$/;

/**
 * An error's message as the log keeps it. A variable, and a literal written into the query, may hold
 * anything a person typed, and GraphQL quotes such a value in the message of an error about it: the
 * client gets the whole message, the log what was wrong where, not the value (docs/privacy.md). Of a
 * message of another form (a resolver's, e.g. `Region code "…" is not an ARS code`), quoted text that
 * is not a name is withheld as `"…"`. The gateway's and the subgraphs' logs keep messages alike.
 */
export function loggedMessage(message: string): string {
  for (const pattern of QUOTING_A_VALUE) {
    const quoting = pattern.exec(message);
    if (quoting) return `${quoting[0]}${WITHHELD}`;
  }
  return message
    .replace(UNKNOWN_ENUM_VALUE, `Value ${WITHHELD}`)
    .replace(/"((?:[^"\\]|\\.)*)"/g, (quoted, text: string) => (QUOTED_NAME.test(text) ? quoted : '"…"'));
}
