import { SeededRandom } from '@regiograph/shared';
import { aggregateCountiesUpward } from './aggregate';
import { SYNTHETIC_SOURCE, type IndicatorDefinition, type ObservationRecord } from './definitions';
import type { RegionDirectory } from './regions';

export const SYNTHETIC_FIRST_YEAR = 2010;
export const SYNTHETIC_LAST_YEAR = 2023;
/** The newest year is published as provisional, as statistical offices do. */
export const PROVISIONAL_YEAR = 2023;
export const SYNTHETIC_SEED = 'regiograph-indicators-v1';

interface SyntheticSpec {
  definition: Omit<IndicatorDefinition, keyof typeof SYNTHETIC_SOURCE | 'weightIndicatorCode'> & { weightIndicatorCode?: string };
  /**
   * `count`: county totals scale with the county's real 2018 population and split into municipalities
   * by their real population shares (so they sum to the county exactly in every year all of them existed); `rate`: county values vary around the state level, and
   * municipalities scatter around their county.
   */
  kind: 'count' | 'rate';
  /** Count: per resident in 2010. Rate: the state-wide level in 2010. */
  level: number;
  /** Multiplicative change per year. */
  growth: number;
  /** Relative spread between counties (log-normal deviation). */
  countySpread: number;
  /** Relative spread of municipalities around their county (rates only). */
  municipalSpread?: number;
  /** Factors for single years, e.g. the 2020 pandemic. */
  shocks?: Record<number, number>;
  min?: number;
  max?: number;
}

const rate = (spec: Omit<SyntheticSpec, 'kind'>): SyntheticSpec => ({ kind: 'rate', municipalSpread: 0.12, ...spec });
const count = (spec: Omit<SyntheticSpec, 'kind'>): SyntheticSpec => ({ kind: 'count', ...spec });
const POPULATION_WEIGHTED = { aggregation: 'WEIGHTED_MEAN', weightIndicatorCode: 'population' } as const;

/**
 * The indicators no official source in data/monitoring covers, all synthetic. Those a real series
 * covers (unemployment, GP density, childcare, school leavers, age, employees, GDP, settlement
 * area, purchasing power, employment rate of women) were removed when the real data arrived.
 */
export const SYNTHETIC_SPECS: SyntheticSpec[] = [
  rate({
    definition: {
      code: 'travel_time_motorway_min',
      name: 'Erreichbarkeit Autobahn',
      description: 'Car travel time to the nearest motorway junction, in minutes.',
      theme: 'MOBILITY',
      unit: 'min',
      decimals: 1,
      polarity: 'LOWER_IS_BETTER',
      aggregation: 'NONE',
    },
    level: 14,
    growth: 0.998,
    countySpread: 0.45,
    municipalSpread: 0.35,
    min: 1,
    max: 60,
  }),
  rate({
    definition: {
      code: 'public_transport_departures',
      name: 'ÖPNV-Abfahrten je Haltestelle',
      description: 'Public transport departures per stop and weekday.',
      theme: 'MOBILITY',
      unit: 'Abfahrten je Tag',
      decimals: 1,
      polarity: 'HIGHER_IS_BETTER',
      ...POPULATION_WEIGHTED,
    },
    level: 28,
    growth: 1.012,
    countySpread: 0.4,
    municipalSpread: 0.3,
    shocks: { 2020: 0.93, 2021: 0.96 },
    min: 2,
  }),
  count({
    definition: {
      code: 'ev_charging_points',
      name: 'Öffentliche Ladepunkte',
      description: 'Publicly accessible charging points for electric vehicles.',
      theme: 'MOBILITY',
      unit: 'Ladepunkte',
      decimals: 0,
      polarity: 'HIGHER_IS_BETTER',
      aggregation: 'SUM',
    },
    level: 0.00004,
    growth: 1.33,
    countySpread: 0.35,
  }),
  count({
    definition: {
      code: 'general_schools',
      name: 'Allgemeinbildende Schulen',
      description: 'Number of general education schools.',
      theme: 'EDUCATION',
      unit: 'Schulen',
      decimals: 0,
      polarity: 'NEUTRAL',
      aggregation: 'SUM',
    },
    level: 0.00038,
    growth: 0.993,
    countySpread: 0.15,
  }),
  rate({
    definition: {
      code: 'retail_centrality',
      name: 'Einzelhandelszentralität',
      description: 'Retail turnover relative to local purchasing power, 100 = balanced.',
      theme: 'RETAIL',
      unit: 'Index',
      decimals: 1,
      polarity: 'NEUTRAL',
      ...POPULATION_WEIGHTED,
    },
    level: 95,
    growth: 1.0,
    countySpread: 0.2,
    municipalSpread: 0.35,
    min: 20,
    max: 250,
  }),
  rate({
    definition: {
      code: 'distance_supermarket_m',
      name: 'Entfernung zum nächsten Supermarkt',
      description: 'Population-weighted mean straight-line distance to the nearest supermarket or discounter, in metres.',
      theme: 'RETAIL',
      unit: 'm',
      decimals: 0,
      polarity: 'LOWER_IS_BETTER',
      ...POPULATION_WEIGHTED,
    },
    level: 1350,
    growth: 1.004,
    countySpread: 0.35,
    municipalSpread: 0.4,
    min: 150,
    max: 9000,
  }),
  count({
    definition: {
      code: 'pharmacies',
      name: 'Apotheken',
      description: 'Number of public pharmacies.',
      theme: 'MEDICAL_CARE',
      unit: 'Apotheken',
      decimals: 0,
      polarity: 'HIGHER_IS_BETTER',
      aggregation: 'SUM',
    },
    level: 0.00025,
    growth: 0.985,
    countySpread: 0.12,
  }),
  rate({
    definition: {
      code: 'travel_time_hospital_min',
      name: 'Erreichbarkeit Krankenhaus',
      description: 'Car travel time to the nearest hospital of basic care, in minutes.',
      theme: 'MEDICAL_CARE',
      unit: 'min',
      decimals: 1,
      polarity: 'LOWER_IS_BETTER',
      aggregation: 'NONE',
    },
    level: 13,
    growth: 1.003,
    countySpread: 0.35,
    municipalSpread: 0.3,
    min: 2,
    max: 45,
  }),
  rate({
    definition: {
      code: 'births_per_1000',
      name: 'Geburtenrate',
      description: 'Live births per 1,000 residents.',
      theme: 'DEMOGRAPHY',
      unit: 'je 1.000 Einwohner',
      decimals: 1,
      polarity: 'NEUTRAL',
      ...POPULATION_WEIGHTED,
    },
    level: 8.1,
    growth: 1.008,
    countySpread: 0.08,
    municipalSpread: 0.15,
    shocks: { 2021: 1.03, 2022: 0.95, 2023: 0.9 },
    min: 4,
    max: 14,
  }),
  rate({
    definition: {
      code: 'net_migration_per_1000',
      name: 'Wanderungssaldo',
      description: 'Net migration (arrivals minus departures) per 1,000 residents.',
      theme: 'DEMOGRAPHY',
      unit: 'je 1.000 Einwohner',
      decimals: 1,
      polarity: 'HIGHER_IS_BETTER',
      ...POPULATION_WEIGHTED,
    },
    level: 3,
    growth: 1.0,
    countySpread: 0.6,
    municipalSpread: 0.8,
    shocks: { 2015: 3.2, 2016: 1.6, 2022: 3.5 },
    min: -25,
    max: 40,
  }),
  count({
    definition: {
      code: 'business_registrations',
      name: 'Gewerbeanmeldungen',
      description: 'Business registrations (Gewerbeanmeldungen) in the year.',
      theme: 'ECONOMY',
      unit: 'Anmeldungen',
      decimals: 0,
      polarity: 'HIGHER_IS_BETTER',
      aggregation: 'SUM',
    },
    level: 0.0075,
    growth: 0.985,
    countySpread: 0.15,
    shocks: { 2020: 0.93 },
  }),
  count({
    definition: {
      code: 'overnight_stays',
      name: 'Gästeübernachtungen',
      description: 'Overnight stays in accommodation with ten or more beds.',
      theme: 'ECONOMY',
      unit: 'Übernachtungen',
      decimals: 0,
      polarity: 'NEUTRAL',
      aggregation: 'SUM',
    },
    level: 4.8,
    growth: 1.02,
    countySpread: 0.8,
    shocks: { 2020: 0.62, 2021: 0.7, 2022: 0.97 },
  }),
  rate({
    definition: {
      code: 'renewable_electricity_share',
      name: 'Anteil erneuerbarer Strom',
      description: 'Renewable electricity generated relative to electricity consumed, in percent.',
      theme: 'ENVIRONMENT',
      unit: '%',
      decimals: 1,
      polarity: 'HIGHER_IS_BETTER',
      ...POPULATION_WEIGHTED,
    },
    level: 34,
    growth: 1.075,
    countySpread: 0.45,
    municipalSpread: 0.5,
    min: 2,
    max: 400,
  }),
];

export const SYNTHETIC_INDICATORS: IndicatorDefinition[] = SYNTHETIC_SPECS.map((spec) => ({
  weightIndicatorCode: null,
  ...spec.definition,
  ...SYNTHETIC_SOURCE,
  description: `${spec.definition.description} Synthetic demonstration data, not official statistics.`,
}));

const YEARS = Array.from({ length: SYNTHETIC_LAST_YEAR - SYNTHETIC_FIRST_YEAR + 1 }, (_, index) => SYNTHETIC_FIRST_YEAR + index);

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function clamp(value: number, spec: SyntheticSpec): number {
  return Math.min(spec.max ?? Infinity, Math.max(spec.min ?? -Infinity, value));
}

function statusOf(year: number): ObservationRecord['status'] {
  return year === PROVISIONAL_YEAR ? 'PROVISIONAL' : 'FINAL';
}

/** The year whose real county population sizes the synthetic counts. */
export const SIZING_YEAR = 2018;

/** Each region's real population in its latest year with a value. */
function latestPopulation(population: ObservationRecord[]): Map<string, number> {
  const latest = new Map<string, { year: number; value: number }>();
  for (const row of population) {
    if (row.value === null) continue;
    const current = latest.get(row.regionCode);
    if (!current || row.year > current.year) latest.set(row.regionCode, { year: row.year, value: row.value });
  }
  return new Map([...latest].map(([code, { value }]) => [code, value]));
}

/**
 * Reproducible synthetic observations for counties and municipalities 2010–2023, plus districts
 * and state aggregated by each indicator's rule. A region has values only for the years it existed
 * with its key on 31 December (RegionDirectory.existedAtEndOf, the reference date of most
 * official series): Walsrode (merged 01.01.2020) from 2020, today's Göttingen (03159) from 2016.
 * Its predecessors are not in the directory, so in earlier years the county's total keeps their
 * share and its municipalities add up to less than the county; from the year all of them exist
 * they add up to it exactly (suppressed values aside). The real population (official observations of
 * `population`, all levels) sizes the counties (2018), splits county counts into municipalities
 * (each municipality's latest real population) and weights population-weighted means. Every
 * value comes from SeededRandom streams named after the indicator, so adding an indicator never
 * changes the others.
 */
export function generateSyntheticObservations(directory: RegionDirectory, population: ObservationRecord[]): ObservationRecord[] {
  const counties = directory.ofLevel('COUNTY');
  const municipalities = directory.ofLevel('MUNICIPALITY');
  const municipalitiesOf = new Map(counties.map((county) => [county.code, municipalities.filter((m) => m.code.startsWith(county.code))]));
  const countyPopulation = new Map(
    population.filter((row) => row.year === SIZING_YEAR && row.regionCode.length === 5).map((row) => [row.regionCode, row.value!]),
  );
  const municipalPopulation = latestPopulation(population.filter((row) => row.regionCode.length === 12));
  const share = new Map<string, number>();
  for (const county of counties) {
    const members = municipalitiesOf.get(county.code) ?? [];
    const sizes = members.map((m) => (m.officialType === 'Gemeindefreies Gebiet' ? 0 : (municipalPopulation.get(m.code) ?? 0)));
    const total = sizes.reduce((sum, size) => sum + size, 0);
    members.forEach((m, index) => share.set(m.code, total > 0 ? sizes[index]! / total : 0));
  }

  const rows: ObservationRecord[] = [];
  for (const spec of SYNTHETIC_SPECS) {
    const { code, decimals } = spec.definition;
    const random = new SeededRandom(`${SYNTHETIC_SEED}:${code}`);
    for (const county of counties) {
      const residents = countyPopulation.get(county.code);
      if (residents === undefined) throw new Error(`no ${SIZING_YEAR} population for county ${county.code}`);
      const countyFactor = Math.exp(random.normal(0, spec.countySpread));
      const countyGrowth = spec.growth * (1 + random.normal(0, 0.004));
      const members = municipalitiesOf.get(county.code) ?? [];
      const municipalOffsets = members.map(() => Math.exp(random.normal(0, spec.municipalSpread ?? 0)));
      const memberShares = members.map((m) => (share.get(m.code) ?? 0) * Math.exp(random.normal(0, 0.1)));
      const shareTotal = memberShares.reduce((sum, value) => sum + value, 0);
      for (const year of YEARS) {
        const trend = countyGrowth ** (year - SYNTHETIC_FIRST_YEAR) * (spec.shocks?.[year] ?? 1) * (1 + random.normal(0, 0.015));
        let countyValue: number;
        const municipalValues: (number | null)[] = [];
        if (spec.kind === 'count') {
          const countyTotal = Math.max(0, spec.level * residents * countyFactor * trend);
          countyValue = 0;
          members.forEach((m, index) => {
            const inhabited = m.officialType !== 'Gemeindefreies Gebiet' && memberShares[index]! > 0;
            const value = inhabited ? Math.round((countyTotal * memberShares[index]!) / shareTotal) : null;
            municipalValues.push(value);
            countyValue += value ?? 0;
          });
        } else {
          const base = spec.level * countyFactor;
          // Signed rates (net migration) drift around their level instead of scaling with it.
          countyValue = round(
            clamp((spec.min ?? 0) < 0 ? base * (spec.shocks?.[year] ?? 1) + random.normal(0, Math.abs(spec.level)) : base * trend, spec),
            decimals,
          );
          members.forEach((m, index) => {
            const inhabited = m.officialType !== 'Gemeindefreies Gebiet';
            municipalValues.push(
              inhabited ? round(clamp(countyValue * municipalOffsets[index]! * (1 + random.normal(0, 0.02)), spec), decimals) : null,
            );
          });
        }
        if (directory.existedAtEndOf(county.code, year)) {
          rows.push({
            indicatorCode: code,
            regionCode: county.code,
            year,
            value: countyValue,
            status: statusOf(year),
            missingReason: null,
          });
        }
        members.forEach((m, index) => {
          const value = municipalValues[index] ?? null;
          let row: ObservationRecord;
          if (value === null) {
            row = { indicatorCode: code, regionCode: m.code, year, value: null, status: 'MISSING', missingReason: { kind: 'uninhabited' } };
          } else if (random.chance(0.004)) {
            row = {
              indicatorCode: code,
              regionCode: m.code,
              year,
              value: null,
              status: 'SUPPRESSED',
              missingReason: { kind: 'suppressedSynthetic' },
            };
          } else {
            row = {
              indicatorCode: code,
              regionCode: m.code,
              year,
              value,
              status: random.chance(0.01) ? 'ESTIMATED' : statusOf(year),
              missingReason: null,
            };
          }
          // Decided after the draws: leaving a region-year out must not shift the stream, or every
          // later value of the indicator would change with the region directory.
          if (directory.existedAtEndOf(m.code, year)) rows.push(row);
        });
      }
    }
  }
  const countyRows = rows.filter((row) => row.regionCode.length === 5);
  // From the counties that existed only: a district or the state lacking one (Göttingen before
  // 2016) is MISSING, as the importer treats the official series, never a sum over part of it.
  const aggregated = aggregateCountiesUpward(SYNTHETIC_INDICATORS, [...countyRows, ...population], directory, new Set([PROVISIONAL_YEAR]));
  return [...rows, ...aggregated.filter((row) => directory.existedAtEndOf(row.regionCode, row.year))];
}
