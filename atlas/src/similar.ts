/** The profile's similar regions: pure functions, tested without a browser. */

/**
 * The indicator that contributes most to the distance of two regions (the largest share of the
 * squared distance; ties by the profile's order). Null when the regions are identical (all shares 0)
 * or none was compared.
 */
export function largestContribution<T extends { indicatorCode: string; share: number }>(contributions: readonly T[]): T | null {
  let largest: T | null = null;
  for (const contribution of contributions) if (contribution.share > (largest?.share ?? 0)) largest = contribution;
  return largest;
}
