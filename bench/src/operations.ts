// The operations the benchmark sends, the variables they get and the checks their answers must
// pass. A benchmark of error responses or empty answers is worthless, so every operation says
// what a correct answer looks like.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const OPERATIONS_DIR = path.join(__dirname, '..', 'operations');

/** What the benchmark learns from the running stack before it builds variables. */
export interface Catalogue {
  /** Every county code, ascending. */
  countyCodes: string[];
  /** Every municipality code, ascending. */
  municipalityCodes: string[];
  /** Indicators with county values, in catalogue order. */
  countyIndicators: IndicatorCoverage[];
  /**
   * Of the first county indicators, those with a latest value in every county, in catalogue order
   * (absent: not looked up). Not every indicator has one everywhere: the Zensus 2022 population is
   * summed from municipalities in 2022 boundaries, and Goslar (03153), whose Langelsheim and
   * Samtgemeinde Lutter am Barenberge merged in 2021, cannot be summed in the region tree's older ones.
   */
  countyIndicatorsInEveryCounty?: string[];
  /** Indicators with municipality values, in catalogue order. */
  municipalityIndicators: IndicatorCoverage[];
}

export interface IndicatorCoverage {
  code: string;
  years: number[];
}

export type GraphQLData = Record<string, unknown>;
export type Variables = Record<string, unknown>;

export interface OperationSpec {
  name: string;
  title: string;
  /** The .graphql file below bench/operations. */
  file: string;
  /** Every subgraph the operation needs; it is skipped while one of them is not registered. */
  subgraphs: readonly string[];
  /**
   * The variables the load cycles through, the first being the case. Many users ask for
   * different things: with one set of variables, a gateway that merges identical requests in
   * flight (Hive Gateway does by default) would measure its merging, not its work.
   */
  variables(catalogue: Catalogue): Variables[];
  /** Returns what is wrong with a successful answer's data, or null when it looks right. */
  check(data: GraphQLData, variables: Variables): string | null;
}

/** An operation sent straight to one subgraph and through the gateway, for the gateway's overhead. */
export interface DirectOperationSpec extends OperationSpec {
  subgraph: string;
}

export const REGION_PAGE_COUNTY = '03256'; // Landkreis Nienburg (Weser)
export const FUNDING_PROGRAMME = 'ZUKUNFTSREGIONEN';
export const POPULATION_YEAR = 2018;
export const ANALYST_YEARS = { fromYear: 2010, toYear: 2023 } as const;
export const PARTNER_LOOKUP_SIZE = 500;
/** Variants per operation: more than the connections in flight, so no two requests in flight are the same. */
export const VARIANTS = 24;
export const DISTRICTS = ['031', '032', '033', '034'] as const;

const operationTexts = new Map<string, string>();

export function operationText(file: string): string {
  let text = operationTexts.get(file);
  if (text === undefined) {
    text = readFileSync(path.join(OPERATIONS_DIR, file), 'utf8');
    operationTexts.set(file, text);
  }
  return text;
}

/** `count` items spread evenly over `items` (first and last included), so a sample covers the state. */
export function spread<T>(items: readonly T[], count: number): T[] {
  if (count >= items.length) return [...items];
  if (count <= 0) return [];
  if (count === 1) return [items[0]!];
  const step = (items.length - 1) / (count - 1);
  return Array.from({ length: count }, (_, index) => items[Math.round(index * step)]!);
}

/** Indicators whose years cover the whole range, in catalogue order. */
export function indicatorsCovering(indicators: readonly IndicatorCoverage[], fromYear: number, toYear: number): string[] {
  return indicators
    .filter((indicator) => {
      const years = new Set(indicator.years);
      for (let year = fromYear; year <= toYear; year += 1) if (!years.has(year)) return false;
      return true;
    })
    .map((indicator) => indicator.code);
}

/** The list started at position `by` (wrapping), e.g. to draw different samples from one list. */
function rotated<T>(items: readonly T[], by: number): T[] {
  const start = items.length ? by % items.length : 0;
  return [...items.slice(start), ...items.slice(0, start)];
}

function take(codes: readonly string[], count: number, what: string): string[] {
  if (codes.length < count) throw new Error(`the catalogue has ${codes.length} ${what}, the benchmark needs ${count}`);
  return codes.slice(0, count);
}

function list(data: unknown, field: string): unknown[] | null {
  const value = (data as Record<string, unknown> | null)?.[field];
  return Array.isArray(value) ? value : null;
}

function object(data: unknown, field: string): Record<string, unknown> | null {
  const value = (data as Record<string, unknown> | null)?.[field];
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/**
 * The cooperation network as `cooperationNetworkGraph` answers it: edges, and each region of an edge
 * once in `regions` with its name (from the regions subgraph).
 */
export function checkNetworkGraph(data: GraphQLData, variables: Variables): string | null {
  const graph = object(data, 'cooperationNetworkGraph');
  const edges = list(graph, 'edges');
  const regions = list(graph, 'regions');
  if (!edges || !regions) return 'the network is missing';
  if (edges.length === 0 && variables.activeOn === null) return `district ${String(variables.district)} has no cooperating counties`;
  const names = new Map<unknown, unknown>(
    regions.map((region) => [object({ region }, 'region')?.code, object({ region }, 'region')?.name]),
  );
  if (names.size !== regions.length) return 'a region is listed twice';
  if ([...names.values()].some((name) => typeof name !== 'string' || name === '')) return 'a region lacks its name';
  const codes = new Set(edges.flatMap((edge) => [object(edge, 'source')?.code, object(edge, 'target')?.code]));
  if (codes.size !== names.size || [...codes].some((code) => !names.has(code))) return 'the regions are not those of the edges';
  return null;
}

/** The region page's indicators: ten with a latest value in every county, so that every county's page has all ten. */
export const REGION_PAGE_INDICATORS = 10;

/** 5 of the indicators with county values 2010–2023, a different window of them per variant. */
export function analystTableVariables(catalogue: Catalogue): Variables[] {
  const codes = indicatorsCovering(catalogue.countyIndicators, ANALYST_YEARS.fromYear, ANALYST_YEARS.toYear);
  take(codes, 5, 'indicators with county values 2010–2023');
  return Array.from({ length: Math.min(VARIANTS, codes.length) }, (_, index) => ({
    indicators: rotated(codes, index).slice(0, 5),
    regions: { level: 'COUNTY' },
    ...ANALYST_YEARS,
  }));
}

function municipalitySamples(catalogue: Catalogue): string[][] {
  const step = Math.max(1, Math.floor(catalogue.municipalityCodes.length / VARIANTS));
  return Array.from({ length: VARIANTS }, (_, index) => spread(rotated(catalogue.municipalityCodes, index * step), PARTNER_LOOKUP_SIZE));
}

/** Commitment periods: everything first, then windows of several years. */
function fundingPeriods(): Variables[] {
  const periods: Variables[] = [{ programme: FUNDING_PROGRAMME, fromYear: null, toYear: null }];
  for (let from = 2014; periods.length < VARIANTS; from = from >= 2022 ? 2014 : from + 1) {
    const length = 3 + (periods.length % 5);
    periods.push({ programme: FUNDING_PROGRAMME, fromYear: from, toYear: from + length });
  }
  return periods;
}

/** Every district, on several days (null = every membership ever). */
function networkVariants(): Variables[] {
  const days = [null, '2016-01-01', '2020-06-30', '2024-01-01', '2012-01-01', '2022-03-15'];
  return days.flatMap((activeOn) => DISTRICTS.map((district) => ({ district, activeOn })));
}

/**
 * The ten municipal indicators the similarity benchmark compares on (issue 14: 967 municipalities ×
 * 10 indicators): density (official) and the synthetic accessibility, supply and demography series.
 */
export const SIMILARITY_INDICATORS = [
  'population_density',
  'travel_time_motorway_min',
  'public_transport_departures',
  'retail_centrality',
  'distance_supermarket_m',
  'travel_time_hospital_min',
  'births_per_1000',
  'net_migration_per_1000',
  'renewable_electricity_share',
  'vacancy_rate_census22',
] as const;
export const ANALYSIS_YEAR = 2020;

/** The similarity indicators the catalogue has municipality values for; all ten are required. */
function similarityIndicators(catalogue: Catalogue): string[] {
  const known = new Set(catalogue.municipalityIndicators.map((indicator) => indicator.code));
  return take(
    SIMILARITY_INDICATORS.filter((code) => known.has(code)),
    SIMILARITY_INDICATORS.length,
    'of the similarity indicators with municipality values',
  );
}

/** Disparities of all municipalities: a different window of three of the similarity indicators per variant. */
function disparityVariables(catalogue: Catalogue): Variables[] {
  const codes = similarityIndicators(catalogue);
  return Array.from({ length: VARIANTS }, (_, index) => ({
    indicators: rotated(codes, index).slice(0, 3),
    level: 'MUNICIPALITY',
    year: ANALYSIS_YEAR - (index % 3),
  }));
}

function checkDisparities(data: GraphQLData): string | null {
  const regions = list(object(data, 'disparities'), 'regions') ?? [];
  if (regions.length !== 967) return `expected 967 municipalities, got ${regions.length}`;
  const ranked = regions.filter((region) => typeof object({ region }, 'region')?.compositeIndex === 'number').length;
  return ranked < 900 ? `only ${ranked} of 967 municipalities have a composite index` : null;
}

/** Checks the table: every region, every year and a value slot per indicator in each row. */
export function checkObservationTable(data: GraphQLData, variables: Variables, expectedRegions: number, withNames: boolean): string | null {
  const table = object(data, 'observationTable');
  if (!table) return 'observationTable is missing';
  const indicators = (variables.indicators as string[]).length;
  const years = (variables.toYear as number) - (variables.fromYear as number) + 1;
  const rows = list(table, 'rows') ?? [];
  if (rows.length !== expectedRegions * years)
    return `expected ${expectedRegions * years} rows (${expectedRegions} regions × ${years} years), got ${rows.length}`;
  const badRow = rows.find((row) => (list(row, 'values') ?? []).length !== indicators);
  if (badRow) return `a row has ${(list(badRow, 'values') ?? []).length} values, expected ${indicators}`;
  const filled = rows.reduce<number>(
    (total, row) => total + (list(row, 'values') ?? []).filter((value) => typeof value === 'number').length,
    0,
  );
  if (filled < (rows.length * indicators) / 2) return `only ${filled} of ${rows.length * indicators} cells have a value`;
  if (withNames) {
    const regions = list(table, 'regions') ?? [];
    if (regions.length !== expectedRegions) return `expected ${expectedRegions} regions with names, got ${regions.length}`;
    if (regions.some((region) => typeof object({ region }, 'region')?.name !== 'string' || !object(region, 'parent')))
      return 'a region lacks its name or parent';
  }
  return null;
}

export const OPERATIONS: readonly OperationSpec[] = [
  {
    name: 'region-page',
    title: 'Region page (county, 10 indicators, projects, cooperations)',
    file: 'region-page.graphql',
    subgraphs: ['regions', 'indicators', 'projects', 'cooperations'],
    variables: (catalogue) => {
      const indicators = take(
        catalogue.countyIndicatorsInEveryCounty ?? catalogue.countyIndicators.map((indicator) => indicator.code),
        REGION_PAGE_INDICATORS,
        'indicators with a latest value in every county',
      );
      return [REGION_PAGE_COUNTY, ...catalogue.countyCodes.filter((code) => code !== REGION_PAGE_COUNTY)].map((code) => ({
        code,
        indicators,
      }));
    },
    check(data, variables) {
      const region = object(data, 'region');
      if (!region) return 'region is null';
      if (!object(region, 'parent')) return 'the county has no parent';
      if ((list(region, 'children') ?? []).length === 0) return 'the county has no children';
      const values = list(region, 'values') ?? [];
      if (values.length !== (variables.indicators as string[]).length)
        return `expected ${(variables.indicators as string[]).length} latest values, got ${values.length}`;
      if (!list(region, 'projects') || !list(region, 'cooperations')) return 'projects or cooperations are missing';
      // Nienburg (Weser) is in cooperations (issue 5); other counties may not be.
      if (variables.code === REGION_PAGE_COUNTY && (list(region, 'cooperations') ?? []).length === 0)
        return 'Landkreis Nienburg (Weser) has no cooperations';
      return null;
    },
  },
  {
    name: 'analyst-table',
    title: 'Analyst table (45 counties × 5 indicators × 14 years, names)',
    file: 'analyst-table.graphql',
    subgraphs: ['regions', 'indicators'],
    variables: analystTableVariables,
    check: (data, variables) => checkObservationTable(data, variables, 45, true),
  },
  {
    name: 'partner-lookup',
    title: 'Partner bulk lookup (500 municipalities, county, 3 indicators)',
    file: 'partner-lookup.graphql',
    subgraphs: ['regions', 'indicators'],
    variables: (catalogue) => {
      const indicators = take(
        catalogue.municipalityIndicators.map((indicator) => indicator.code),
        3,
        'indicators with municipality values',
      );
      return municipalitySamples(catalogue).map((codes) => ({ codes, indicators }));
    },
    check(data, variables) {
      const regions = list(data, 'regionsByCodes') ?? [];
      const codes = variables.codes as string[];
      if (regions.length !== codes.length) return `expected ${codes.length} regions, got ${regions.length}`;
      if (regions.some((region) => !region)) return 'a region is null';
      if (
        regions.some(
          (region) => !(list(region, 'ancestors') ?? []).some((ancestor) => object({ ancestor }, 'ancestor')?.level === 'COUNTY'),
        )
      ) {
        return 'a municipality has no county among its ancestors';
      }
      const values = regions.reduce<number>((total, region) => total + (list(region, 'values') ?? []).length, 0);
      if (values < codes.length * 3 * 0.9) return `only ${values} indicator values for ${codes.length} municipalities × 3 indicators`;
      return null;
    },
  },
  {
    name: 'funding-per-inhabitant',
    title: 'Funding per inhabitant by county (projects + indicators)',
    file: 'funding-per-inhabitant.graphql',
    subgraphs: ['regions', 'indicators', 'projects'],
    variables: () => fundingPeriods().map((period) => ({ ...period, populationYear: POPULATION_YEAR })),
    check(data, variables) {
      const summary = object(data, 'fundingSummary');
      const groups = list(summary, 'groups');
      if (!groups) return 'groups are missing';
      if (groups.length === 0 && variables.fromYear === null) return 'no county has funding from the programme';
      if (groups.some((group) => typeof object(object(object({ group }, 'group'), 'region'), 'value')?.value !== 'number'))
        return 'a county lacks its population';
      return null;
    },
  },
  {
    name: 'cooperation-network',
    title: 'Cooperation network of one district (counties)',
    file: 'cooperation-network.graphql',
    subgraphs: ['regions', 'cooperations'],
    variables: () => networkVariants(),
    check: checkNetworkGraph,
  },
  {
    name: 'similar-regions',
    title: 'Similar regions (one of 967 municipalities, 10 indicators, names)',
    file: 'similar-regions.graphql',
    subgraphs: ['regions', 'indicators'],
    variables: (catalogue) => {
      const indicators = similarityIndicators(catalogue);
      // Gemeindefreie Gebiete (association key 95xx, e.g. 033549501501) have no inhabitants and no values: nothing to compare.
      const populated = catalogue.municipalityCodes.filter((code) => code.slice(5, 7) !== '95');
      return spread(populated, VARIANTS).map((code) => ({ code, indicators, year: ANALYSIS_YEAR, first: 10 }));
    },
    check(data) {
      const similarity = object(object(data, 'region'), 'similarRegions');
      if (!similarity) return 'similarRegions is null';
      const regions = list(similarity, 'regions') ?? [];
      if (regions.length !== 10) return `expected 10 similar municipalities, got ${regions.length}`;
      if ((list(similarity, 'indicators') ?? []).length !== SIMILARITY_INDICATORS.length) return 'not every indicator was compared';
      if (regions.some((region) => typeof object(object({ region }, 'region'), 'region')?.name !== 'string'))
        return 'a similar region lacks its name';
      return null;
    },
  },
  {
    name: 'disparities',
    title: 'Disparities of all 967 municipalities (3 indicators)',
    file: 'direct/disparities.graphql',
    subgraphs: ['indicators'],
    variables: disparityVariables,
    check: checkDisparities,
  },
];

export const DIRECT_OPERATIONS: readonly DirectOperationSpec[] = [
  {
    name: 'regions-lookup',
    title: 'regions: 500 municipalities by code with parent',
    file: 'direct/regions-lookup.graphql',
    subgraph: 'regions',
    subgraphs: ['regions'],
    variables: (catalogue) => municipalitySamples(catalogue).map((codes) => ({ codes })),
    check(data, variables) {
      const regions = list(data, 'regionsByCodes') ?? [];
      if (regions.length !== (variables.codes as string[]).length || regions.some((region) => !object({ region }, 'region')?.name))
        return 'regions are missing';
      return null;
    },
  },
  {
    name: 'indicators-table',
    title: 'indicators: analyst table cells (45 × 5 × 14)',
    file: 'direct/indicators-table.graphql',
    subgraph: 'indicators',
    subgraphs: ['indicators'],
    variables: analystTableVariables,
    check: (data, variables) => checkObservationTable(data, variables, 45, false),
  },
  {
    name: 'indicators-disparities',
    title: 'indicators: disparities of all 967 municipalities (3 indicators)',
    file: 'direct/disparities.graphql',
    subgraph: 'indicators',
    subgraphs: ['indicators'],
    variables: disparityVariables,
    check: checkDisparities,
  },
  {
    name: 'projects-funding',
    title: 'projects: funding of one programme per county',
    file: 'direct/projects-funding.graphql',
    subgraph: 'projects',
    subgraphs: ['projects'],
    variables: () => fundingPeriods(),
    check: (data, variables) => {
      const groups = list(object(data, 'fundingSummary'), 'groups');
      return !groups || (groups.length === 0 && variables.fromYear === null) ? 'no groups' : null;
    },
  },
  {
    name: 'cooperations-network',
    title: 'cooperations: network of one district',
    file: 'direct/cooperations-network.graphql',
    subgraph: 'cooperations',
    subgraphs: ['cooperations'],
    variables: () => networkVariants(),
    check: (data, variables) => {
      const edges = list(data, 'cooperationNetwork');
      return !edges || (edges.length === 0 && variables.activeOn === null) ? 'no edges' : null;
    },
  },
];

/** The growth grid: analyst tables from 5 to 967 regions and 1 to 20 indicators over a fixed span of years. */
export const GROWTH_YEARS = { fromYear: 2019, toYear: 2023 } as const;
export const GROWTH_REGION_SETS = [5, 45, 967] as const;
export const GROWTH_INDICATOR_COUNTS = [1, 5, 20] as const;
const MIN_LARGEST_GROWTH_INDICATORS = 10;

export interface GrowthCase {
  regions: number;
  indicators: number;
  years: number;
  cells: number;
  variables: Variables;
}

export function growthCases(catalogue: Catalogue): GrowthCase[] {
  const indicatorCodes = indicatorsCovering(catalogue.municipalityIndicators, GROWTH_YEARS.fromYear, GROWTH_YEARS.toYear).filter((code) =>
    indicatorsCovering(catalogue.countyIndicators, GROWTH_YEARS.fromYear, GROWTH_YEARS.toYear).includes(code),
  );
  const years = GROWTH_YEARS.toYear - GROWTH_YEARS.fromYear + 1;
  const cases: GrowthCase[] = [];
  for (const regionCount of GROWTH_REGION_SETS) {
    const regions =
      regionCount === 45
        ? { level: 'COUNTY' }
        : regionCount === 967
          ? { level: 'MUNICIPALITY' }
          : { codes: spread(catalogue.countyCodes, regionCount) };
    for (const asked of GROWTH_INDICATOR_COUNTS) {
      // The largest table takes as many of its 20 indicators as cover 2019–2023 at both levels (13 in
      // the seed since some series were replaced), but at least 10: fewer would not show growth.
      const indicatorCount =
        asked === GROWTH_INDICATOR_COUNTS[GROWTH_INDICATOR_COUNTS.length - 1]
          ? Math.max(Math.min(asked, indicatorCodes.length), MIN_LARGEST_GROWTH_INDICATORS)
          : asked;
      const indicators = take(indicatorCodes, indicatorCount, 'indicators with county and municipality values 2019–2023');
      cases.push({
        regions: regionCount,
        indicators: indicatorCount,
        years,
        cells: regionCount * indicatorCount * years,
        variables: { indicators, regions, ...GROWTH_YEARS },
      });
    }
  }
  return cases;
}
