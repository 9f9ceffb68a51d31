/** A value as the Atlas's operations read it, with Observation.aggregated. */
export interface ValueWithOrigin {
  year: number;
  value?: number | null;
  aggregated: boolean;
}

/** The years whose value RegioGraph computed from the regions within (Observation.aggregated), in order. */
export function aggregatedYearsOf(values: readonly ValueWithOrigin[] | null | undefined): number[] {
  return (values ?? [])
    .filter((value) => value.aggregated && value.value !== null && value.value !== undefined)
    .map((value) => value.year)
    .sort((a, b) => a - b);
}

/** Up to this many computed years are named in a series' key; more read "teils berechnet". */
export const MAX_NAMED_COMPUTED_YEARS = 5;

/**
 * The mark beside a series' name in a chart's key: "berechnet" when RegioGraph computed every value of
 * it (a district's rate), the years when it computed only some (a county's population before the
 * county series begins, summed from its municipalities), nothing when the source published them all.
 * A key that said "berechnet" for a line of mostly published values would misstate the whole line.
 */
export function computedMark(aggregatedYears: readonly number[], valuedYears: number): string {
  if (aggregatedYears.length === 0) return '';
  if (aggregatedYears.length >= valuedYears) return ' (berechnet)';
  return aggregatedYears.length <= MAX_NAMED_COMPUTED_YEARS ? ` (berechnet: ${aggregatedYears.join(', ')})` : ' (teils berechnet)';
}
