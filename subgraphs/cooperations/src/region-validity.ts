import { KEY_SUCCESSIONS, type KeySuccession } from '@regiograph/shared';

/** The succession that introduced a county's key, when one did (shared's KEY_SUCCESSIONS). */
export function successionOf(code: string): KeySuccession | undefined {
  return KEY_SUCCESSIONS.find((succession) => succession.code === code);
}

/** "2016-10-31": the last day before a key's first day, for texts naming the predecessors. */
export function dayBefore(day: Date): string {
  return new Date(day.getTime() - 86_400_000).toISOString().slice(0, 10);
}
