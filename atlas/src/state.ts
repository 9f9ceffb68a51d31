/** Everything the Atlas shows, kept in the URL's query string so a link reproduces the view. */
export type View = 'map' | 'compare' | 'table' | 'equal';
export type Level = 'COUNTY' | 'MUNICIPALITY';
/** Which year's weights the equal-chances view's weighted measures use (the API's DisparityWeightYear). */
export type WeightYears = 'SAME_YEAR' | 'NEAREST_YEAR';

export interface AtlasState {
  view: View;
  indicator: string;
  /** The year of the map, the table and the profile (null: the Atlas's default year). */
  year: number | null;
  /**
   * The year of the equal-chances view (null: each indicator's newest values). Its own, not the map's:
   * a report opened from a map of 2021 shows the newest values, as a report opened afresh does, and the
   * map keeps its year when the user comes back to it.
   */
  equalYear: number | null;
  level: Level;
  /** The area whose regions are drawn: "03" (the state) or a county's code. */
  area: string;
  /** The region whose profile is open. */
  region: string | null;
  /** Indicators of the profile's chart (the map's indicator first). */
  series: string[];
  /** The indicators of the equal-chances view; empty: the API's default profile. */
  indicators: string[];
  /**
   * The weights of the equal-chances view's weighted measures: of the values' year (the API's default),
   * or of the nearest year that has them where that year has none (2022 county values by the 2021 population).
   */
  weightYears: WeightYears;
  /** Up to six regions side by side. */
  compare: string[];
  /** Hides the controls, for a map embedded in another page. */
  embed: boolean;
}

export const MAX_COMPARE = 6;
export const DEFAULT_INDICATOR = 'population';
/** The most indicators the API compares in one disparity report. */
export const MAX_EQUAL_INDICATORS = 30;

const VIEWS: View[] = ['map', 'compare', 'table', 'equal'];
const LEVELS: Level[] = ['COUNTY', 'MUNICIPALITY'];
const CODE = /^03\d{0,10}$/;
const INDICATOR_CODE = /^[A-Za-z0-9_]{1,64}$/;

function isYear(value: string): boolean {
  return /^\d{4}$/.test(value) && Number(value) >= 1900 && Number(value) <= 2100;
}

/** What each parameter of a link accepts: parseState and ignoredParams judge by the same rules. */
const VALID: Record<string, (value: string) => boolean> = {
  view: (value) => (VIEWS as string[]).includes(value),
  indicator: (value) => INDICATOR_CODE.test(value),
  // The API's range of years.
  year: isYear,
  // The year of the view not shown (see formatState).
  mapYear: isYear,
  equalYear: isYear,
  level: (value) => (LEVELS as string[]).includes(value),
  area: (value) => CODE.test(value),
  region: (value) => CODE.test(value),
  embed: (value) => value === '1' || value === '0',
  // Only the choice that is not the default: a link without it keeps the API's same-year weights.
  weights: (value) => value === 'nearest',
};
/** Parameters holding comma-separated lists, judged item by item. */
const LIST_ITEM: Record<string, RegExp> = { series: INDICATOR_CODE, indicators: INDICATOR_CODE, compare: CODE };

function list(value: string | null, pattern: RegExp): string[] {
  return (value ?? '').split(',').filter((item) => pattern.test(item));
}

function valid(params: URLSearchParams, name: string): string | null {
  const value = params.get(name);
  return value !== null && VALID[name]!(value) ? value : null;
}

export function parseState(search: string): AtlasState {
  const params = new URLSearchParams(search);
  const view = (valid(params, 'view') as View | null) ?? 'map';
  const yearOf = (name: string) => {
    const year = valid(params, name);
    return year === null ? null : Number(year);
  };
  return {
    view,
    indicator: valid(params, 'indicator') ?? DEFAULT_INDICATOR,
    // `year` is the year of the view shown (see formatState).
    year: yearOf(view === 'equal' ? 'mapYear' : 'year'),
    equalYear: yearOf(view === 'equal' ? 'year' : 'equalYear'),
    level: (valid(params, 'level') as Level | null) ?? 'COUNTY',
    area: valid(params, 'area') ?? '03',
    region: valid(params, 'region'),
    series: list(params.get('series'), LIST_ITEM.series!),
    weightYears: valid(params, 'weights') === 'nearest' ? 'NEAREST_YEAR' : 'SAME_YEAR',
    indicators: [...new Set(list(params.get('indicators'), LIST_ITEM.indicators!))].slice(0, MAX_EQUAL_INDICATORS),
    compare: list(params.get('compare'), LIST_ITEM.compare!).slice(0, MAX_COMPARE),
    embed: params.get('embed') === '1',
  };
}

/** The valid codes of a link's comparison beyond the six it takes, which parseState drops. */
export function excessCompare(search: string): string[] {
  return list(new URLSearchParams(search).get('compare'), LIST_ITEM.compare!).slice(MAX_COMPARE);
}

/**
 * The parameters of a link that parseState leaves out ("year=1800", an unknown name, a list's bad
 * item), so that the page can say so instead of silently showing the defaults.
 */
export function ignoredParams(search: string): string[] {
  const ignored: string[] = [];
  for (const [name, value] of new URLSearchParams(search)) {
    const pattern = LIST_ITEM[name];
    if (pattern)
      ignored.push(
        ...value
          .split(',')
          .filter((item) => item !== '' && !pattern.test(item))
          .map((item) => `${name}=${item}`),
      );
    else if (!VALID[name]?.(value)) ignored.push(`${name}=${value}`);
  }
  ignored.push(...excessCompare(search).map((code) => `compare=${code}`));
  return ignored;
}

/** The query string of a state; defaults are left out so links stay short. */
export function formatState(state: AtlasState): string {
  const params = new URLSearchParams();
  params.set('view', state.view);
  params.set('indicator', state.indicator);
  // `year` is always the year of the view shown, so that a link of the equal-chances view written
  // before it had a year of its own (`view=equal&year=2019`) still shows that year; the other view's
  // year is kept beside it, so that switching back shows what was chosen there.
  const [shown, other, otherName] =
    state.view === 'equal' ? [state.equalYear, state.year, 'mapYear'] : [state.year, state.equalYear, 'equalYear'];
  if (shown !== null) params.set('year', String(shown));
  if (other !== null) params.set(otherName, String(other));
  params.set('level', state.level);
  params.set('area', state.area);
  if (state.region) params.set('region', state.region);
  if (state.series.length > 0) params.set('series', state.series.join(','));
  if (state.indicators.length > 0) params.set('indicators', state.indicators.join(','));
  if (state.weightYears === 'NEAREST_YEAR') params.set('weights', 'nearest');
  if (state.compare.length > 0) params.set('compare', state.compare.join(','));
  if (state.embed) params.set('embed', '1');
  return `?${params.toString()}`;
}
