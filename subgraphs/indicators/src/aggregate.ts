import type { IndicatorDefinition, ObservationRecord } from './definitions';
import type { RegionDirectory } from './regions';
import { STATE_CODE } from '@regiograph/shared';

export interface WeightedValue {
  value: number;
  weight: number;
}

/** A parent's value from its children's values by an aggregation rule; null when it does not aggregate. */
export function aggregateValues(aggregation: IndicatorDefinition['aggregation'], children: WeightedValue[]): number | null {
  if (children.length === 0) return null;
  if (aggregation === 'SUM') return children.reduce((sum, child) => sum + child.value, 0);
  if (aggregation === 'WEIGHTED_MEAN') {
    const totalWeight = children.reduce((sum, child) => sum + child.weight, 0);
    if (totalWeight <= 0) return null;
    return children.reduce((sum, child) => sum + child.value * child.weight, 0) / totalWeight;
  }
  return null;
}

type SeriesIndex = Map<string, Map<number, number | null>>;

function indexSeries(observations: ObservationRecord[], indicatorCode: string): SeriesIndex {
  const index: SeriesIndex = new Map();
  for (const row of observations) {
    if (row.indicatorCode !== indicatorCode) continue;
    let series = index.get(row.regionCode);
    if (!series) index.set(row.regionCode, (series = new Map()));
    series.set(row.year, row.value);
  }
  return index;
}

/** A weight from the same year, else from the nearest year with a value (e.g. the 2018 population for 2010–2023). */
export function weightOf(series: ReadonlyMap<number, number | null> | undefined, year: number): number | null {
  if (!series) return null;
  const same = series.get(year);
  if (same != null) return same;
  let best: { distance: number; value: number } | null = null;
  for (const [candidateYear, value] of series) {
    if (value == null) continue;
    const distance = Math.abs(candidateYear - year);
    if (!best || distance < best.distance || (distance === best.distance && candidateYear < year)) best = { distance, value };
  }
  return best?.value ?? null;
}

/**
 * Values of the four districts and the state, aggregated from the county values by each
 * indicator's rule. A parent with any county lacking a value (or weight) gets MISSING with the
 * reason, never a partial sum posing as the total.
 */
export function aggregateCountiesUpward(
  definitions: IndicatorDefinition[],
  observations: ObservationRecord[],
  directory: RegionDirectory,
  provisionalYears: ReadonlySet<number> = new Set(),
): ObservationRecord[] {
  const counties = directory.ofLevel('COUNTY');
  const parents = [...directory.ofLevel('DISTRICT'), ...directory.ofLevel('STATE')];
  const result: ObservationRecord[] = [];
  for (const definition of definitions) {
    if (definition.aggregation === 'NONE') continue;
    const series = indexSeries(observations, definition.code);
    const weights = definition.weightIndicatorCode ? indexSeries(observations, definition.weightIndicatorCode) : null;
    const years = new Set<number>();
    for (const county of counties) for (const year of series.get(county.code)?.keys() ?? []) years.add(year);
    for (const year of [...years].sort((a, b) => a - b)) {
      for (const parent of parents) {
        const children = counties.filter((county) => parent.code === STATE_CODE || county.code.startsWith(parent.code));
        const values: WeightedValue[] = [];
        let incomplete = 0;
        for (const child of children) {
          const value = series.get(child.code)?.get(year);
          const weight = weights ? weightOf(weights.get(child.code), year) : 1;
          if (value == null || weight == null) incomplete += 1;
          else values.push({ value, weight });
        }
        const value = incomplete === 0 ? aggregateValues(definition.aggregation, values) : null;
        result.push({
          indicatorCode: definition.code,
          regionCode: parent.code,
          year,
          value,
          status: value === null ? 'MISSING' : provisionalYears.has(year) ? 'PROVISIONAL' : 'FINAL',
          missingReason:
            value === null
              ? { kind: 'notAggregated', lacking: incomplete, of: children.length, members: 'counties', orWeight: true }
              : null,
          ...(value === null ? {} : { aggregated: true }),
        });
      }
    }
  }
  return result;
}
