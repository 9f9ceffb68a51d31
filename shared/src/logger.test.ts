import { createLogger } from './logger';

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
