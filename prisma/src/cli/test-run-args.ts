/**
 * The Turborepo runs of one `npm test`, in order. `--then=TASK` (before the Turborepo arguments, any
 * number of times) adds a run of TASK alone after the main run has passed: tasks that need the
 * machine to themselves (the end-to-end files whose per-request bounds and 30 s writer another
 * process beside them would slow) then never share it, whatever order Turborepo, which has no task
 * priorities, gives the main run's tasks. Such a run shows only the logs of tasks that ran
 * (`new-only`): the builds it depends on were just built, and replaying their logs would bury the
 * test's.
 */
export function turboRuns(args: readonly string[]): string[][] {
  const after: string[] = [];
  let index = 0;
  for (; index < args.length && args[index]!.startsWith('--then'); index++) {
    const task = args[index]!.match(/^--then=([^\s=]+)$/)?.[1];
    if (!task) throw new Error(`test-run: expected --then=TASK, got ${JSON.stringify(args[index])}`);
    after.push(task);
  }
  const main = args.slice(index);
  if (main.length === 0) throw new Error('test-run: no Turborepo tasks given');
  return [main, ...after.map((task) => [task, '--output-logs=new-only'])];
}
