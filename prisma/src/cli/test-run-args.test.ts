import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../paths';
import { turboRuns } from './test-run-args';

describe('turboRuns', () => {
  it('passes the arguments to one run when nothing is to follow', () => {
    expect(turboRuns(['typecheck', 'test', '--concurrency=2'])).toEqual([['typecheck', 'test', '--concurrency=2']]);
  });

  it('adds each --then task as a run of its own, in order, after the main run', () => {
    expect(turboRuns(['--then=test:alone', '--then=soak', 'lint:all', 'test', '--concurrency=2', '--force'])).toEqual([
      ['lint:all', 'test', '--concurrency=2', '--force'],
      ['test:alone', '--output-logs=new-only'],
      ['soak', '--output-logs=new-only'],
    ]);
  });

  it('leaves a --then after the first task to Turborepo (npm appends the caller’s arguments at the end)', () => {
    expect(turboRuns(['test', '--then=x'])).toEqual([['test', '--then=x']]);
  });

  it('refuses a --then without a task, and a call without tasks', () => {
    expect(() => turboRuns(['--then', 'test'])).toThrow('expected --then=TASK, got "--then"');
    expect(() => turboRuns(['--then='])).toThrow('expected --then=TASK');
    expect(() => turboRuns(['--then=test:alone'])).toThrow('no Turborepo tasks given');
  });
});

describe('npm test', () => {
  it('runs the end-to-end files that need the machine to themselves last, in a Turborepo run of their own', () => {
    const manifest = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const [, args = ''] = manifest.scripts.test!.split(' -- ');
    const runs = turboRuns(args.split(' '));
    expect(runs).toHaveLength(2);
    expect(runs[0]).toEqual(expect.arrayContaining(['typecheck', 'lint:all', 'format:check', 'check-migrations', 'test']));
    expect(runs[0]).not.toContain('test:alone');
    expect(runs[1]).toEqual(['test:alone', '--output-logs=new-only']);
  });
});
