import { createLogger, loggedMessage } from './logger';

function linesOf(level: string | undefined, log: (logger: ReturnType<typeof createLogger>) => void): Record<string, unknown>[] {
  const saved = process.env.LOG_LEVEL;
  const lines: string[] = [];
  try {
    if (level === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = level;
    log(createLogger('test', { write: (line) => lines.push(line) }));
  } finally {
    if (saved === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = saved;
  }
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('createLogger', () => {
  const everyLevel = (logger: ReturnType<typeof createLogger>) => {
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
  };

  it('writes one JSON object per line from the level LOG_LEVEL names, in any case', () => {
    expect(linesOf('warn', everyLevel).map((line) => line.message)).toEqual(['w']);
    expect(linesOf('DEBUG', everyLevel).map((line) => line.message)).toEqual(['d', 'i', 'w']);
    expect(linesOf(undefined, everyLevel).map((line) => line.message)).toEqual(['i', 'w']);
  });

  it('logs at info under an unknown LOG_LEVEL, and says so in its first line instead of passing over it', () => {
    const lines = linesOf('verbose', everyLevel);
    expect(lines[0]).toMatchObject({
      level: 'warn',
      service: 'test',
      message: 'LOG_LEVEL "verbose" is none of debug, info, warn, error: logging at info',
    });
    expect(lines.slice(1).map((line) => line.message)).toEqual(['i', 'w']);
  });
});

describe('an error message as the log keeps it', () => {
  it('withholds the values GraphQL quotes, keeping what was wrong where', () => {
    expect(loggedMessage('Variable "$search" got invalid value 5; String cannot represent a non string value: 5')).toBe(
      'Variable "$search" got invalid value (withheld from the log)',
    );
    expect(loggedMessage('Int cannot represent non-integer value: "Frau Mustermann"')).toBe(
      'Int cannot represent non-integer value: (withheld from the log)',
    );
    expect(loggedMessage('Enum "RegionLevel" cannot represent non-enum value: "Mustermann".')).toBe(
      'Enum "RegionLevel" cannot represent non-enum value: (withheld from the log)',
    );
    expect(loggedMessage('Expected value of type "Date", found "12.03.1970"; Date must be a calendar date')).toBe(
      'Expected value of type "Date", found (withheld from the log)',
    );
    expect(loggedMessage('Value "Mustermann" does not exist in "RegionLevel" enum. Did you mean the enum value "COUNTY"?')).toBe(
      'Value (withheld from the log) does not exist in "RegionLevel" enum. Did you mean the enum value "COUNTY"?',
    );
  });

  it('keeps quoted names in messages of other forms and withholds other quoted text', () => {
    expect(loggedMessage('Cannot query field "nmae" on type "Region". Did you mean "name"?')).toBe(
      'Cannot query field "nmae" on type "Region". Did you mean "name"?',
    );
    expect(loggedMessage('No region has the code "03 Frau \\"M\\" 1", see "Query.region".')).toBe(
      'No region has the code "…", see "Query.region".',
    );
  });
});
