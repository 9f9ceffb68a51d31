/** Everything the Atlas shows, kept in the URL's query string so a link reproduces the view. */
export type View = 'map' | 'compare' | 'table';
export type Level = 'COUNTY' | 'MUNICIPALITY';

export interface AtlasState {
  view: View;
  indicator: string;
  year: number | null;
  level: Level;
  /** The area whose regions are drawn: "03" (the state) or a county's code. */
  area: string;
  /** The region whose profile is open. */
  region: string | null;
  /** Indicators of the profile's chart (the map's indicator first). */
  series: string[];
  /** Up to six regions side by side. */
  compare: string[];
  /** Hides the controls, for a map embedded in another page. */
  embed: boolean;
}

export const MAX_COMPARE = 6;
export const DEFAULT_INDICATOR = 'population';

const VIEWS: View[] = ['map', 'compare', 'table'];
const LEVELS: Level[] = ['COUNTY', 'MUNICIPALITY'];
const CODE = /^03\d{0,10}$/;
const INDICATOR_CODE = /^[A-Za-z0-9_]{1,64}$/;

function list(value: string | null, pattern: RegExp): string[] {
  return (value ?? '').split(',').filter((item) => pattern.test(item));
}

export function parseState(search: string): AtlasState {
  const params = new URLSearchParams(search);
  const view = params.get('view') as View | null;
  const level = params.get('level') as Level | null;
  const year = Number(params.get('year'));
  const indicator = params.get('indicator');
  const area = params.get('area');
  const region = params.get('region');
  return {
    view: view && VIEWS.includes(view) ? view : 'map',
    indicator: indicator && INDICATOR_CODE.test(indicator) ? indicator : DEFAULT_INDICATOR,
    year: Number.isInteger(year) && year > 1900 ? year : null,
    level: level && LEVELS.includes(level) ? level : 'COUNTY',
    area: area && CODE.test(area) ? area : '03',
    region: region && CODE.test(region) ? region : null,
    series: list(params.get('series'), INDICATOR_CODE),
    compare: list(params.get('compare'), CODE).slice(0, MAX_COMPARE),
    embed: params.get('embed') === '1',
  };
}

/** The query string of a state; defaults are left out so links stay short. */
export function formatState(state: AtlasState): string {
  const params = new URLSearchParams();
  params.set('view', state.view);
  params.set('indicator', state.indicator);
  if (state.year !== null) params.set('year', String(state.year));
  params.set('level', state.level);
  params.set('area', state.area);
  if (state.region) params.set('region', state.region);
  if (state.series.length > 0) params.set('series', state.series.join(','));
  if (state.compare.length > 0) params.set('compare', state.compare.join(','));
  if (state.embed) params.set('embed', '1');
  return `?${params.toString()}`;
}
