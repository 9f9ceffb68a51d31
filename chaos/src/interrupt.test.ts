import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const CHAOS_ROOT = path.resolve(__dirname, '..');

// A chaos run up to its PostgreSQL: seconds on a loaded machine, so a generous bound.
jest.setTimeout(120_000);

/** Command lines of the processes running now that name `text`. */
function processesNaming(text: string): string[] {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(text));
}

describe('npm run chaos, stopped by a signal', () => {
  it.each([
    // A CI timeout or `kill`: one SIGTERM to the command's process (tsx relays it to the run).
    { how: 'SIGTERM to its process', signal: 'SIGTERM' as const, group: false, code: 143 },
    // Ctrl-C in a terminal: SIGINT to the whole foreground process group, so the run gets it twice
    // (directly, and relayed by tsx) and its services get it too.
    { how: 'Ctrl-C (SIGINT to its process group)', signal: 'SIGINT' as const, group: true, code: 130 },
  ])('$how: stops its PostgreSQL and every other process it started, removes its folder, exits $code', async ({ signal, group, code }) => {
    const chaos = spawn(process.execPath, [require.resolve('tsx/cli'), 'src/main.ts', '--quick'], {
      cwd: CHAOS_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: group,
    });
    let output = '';
    chaos.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    chaos.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => chaos.once('exit', (exitCode) => resolve(exitCode)));
    try {
      // The run names its folder first; the signal comes once its PostgreSQL server runs (it writes
      // postmaster.opts; initdb's single-user runs do not): pg_ctl starts it in a session of its own,
      // so neither Ctrl-C nor the run's end stops it.
      let base: string | null = null;
      while (base === null || !existsSync(path.join(base, 'postgres', 'postmaster.opts'))) {
        if (chaos.exitCode !== null) throw new Error(`chaos ended before its PostgreSQL ran:\n${output}`);
        base ??= /load per phase, in (\S+)\n/.exec(output)?.[1] ?? null;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      if (group) process.kill(-chaos.pid!, signal);
      else chaos.kill(signal);
      expect(await exited).toBe(code);
      expect(output).toContain(`${signal}: stopping every process the run started`);
      expect(output).not.toContain('failed:');
      expect(existsSync(base)).toBe(false);
      expect(processesNaming(base)).toEqual([]);
    } finally {
      if (chaos.exitCode === null) chaos.kill('SIGKILL');
    }
  });

  it('refuses an option it does not know before it starts anything', () => {
    let failure: { status: number; stderr: string } | null = null;
    try {
      execFileSync(process.execPath, [require.resolve('tsx/cli'), 'src/main.ts', '--quik'], {
        cwd: CHAOS_ROOT,
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (error) {
      failure = error as { status: number; stderr: string };
    }
    expect(failure?.status).toBe(2);
    expect(failure?.stderr).toContain("Unknown option '--quik'");
    expect(failure?.stderr).toContain('usage: npm run chaos');
  });
});
