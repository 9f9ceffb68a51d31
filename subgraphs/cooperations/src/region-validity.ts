import { KEY_SUCCESSIONS, type KeySuccession } from '@regiograph/shared';
import type { RegionCatalogue } from './region-catalogue';

export { KEY_SUCCESSIONS, type KeySuccession } from '@regiograph/shared';

/**
 * The first day a region's code can be a member, or null when the key is older than any membership
 * (shared's RegionCatalogue.keyExistsSince; a code the directory lacks never existed here).
 */
export function keyExistsSince(code: string, catalogue: RegionCatalogue): Date | null {
  return catalogue.keyExistsSince(code) ?? null;
}

/** The succession that introduced a county's key, when one did. */
export function successionOf(code: string): KeySuccession | undefined {
  return KEY_SUCCESSIONS.find((succession) => succession.code === code);
}

/** "2016-10-31": the last day before a key's first day, for texts naming the predecessors. */
export function dayBefore(day: Date): string {
  return new Date(day.getTime() - 86_400_000).toISOString().slice(0, 10);
}
