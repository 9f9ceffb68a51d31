import { spawnSync } from 'node:child_process';
import path from 'node:path';

const BENCH_ROOT = path.resolve(__dirname, '..');

/** `npm run bench -- <argv>` up to its first output: these command lines end before anything starts. */
function bench(argv: string[]) {
  return spawnSync(process.execPath, [require.resolve('tsx/cli'), 'src/main.ts', ...argv], {
    cwd: BENCH_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('npm run bench with a command line it cannot run', () => {
  it.each([
    [['--fast'], 'unknown option(s) --fast'],
    [['--operations=nope'], '--operations names nope; known: region-page'],
    [['--rounds=0'], '--rounds must be a number ≥ 1, got "0"'],
  ])('%j: says what to change, without a stack trace, and exits 2', (argv, message) => {
    const run = bench(argv);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`[bench] ${message}`);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stdout).toBe('');
  });
});
