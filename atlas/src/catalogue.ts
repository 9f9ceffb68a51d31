/** The controls' view of the indicator catalogue: pure functions, tested without a browser. */
import type { IndicatorAggregation, IndicatorPolarity, IndicatorTheme } from './generated/graphql';
import type { Level } from './state';

/** The levels the map draws, as the level control names them. */
export const LEVEL_NAMES: Record<Level, string> = { COUNTY: 'Landkreise und kreisfreie Städte', MUNICIPALITY: 'Gemeinden' };

interface CatalogueIndicator {
  code: string;
  levels: readonly string[];
}

/**
 * The indicator select's options at a level: the indicators with values there, and the chosen one
 * even when it has none there (most have none for municipalities), marked so. A select whose value is
 * not among its options shows its first option, a different indicator than the map's.
 */
export function indicatorOptions<T extends CatalogueIndicator>(
  catalogue: readonly T[],
  level: Level,
  chosen: string,
): (T & { atLevel: boolean })[] {
  return catalogue
    .map((indicator) => ({ ...indicator, atLevel: indicator.levels.includes(level) }))
    .filter((indicator) => indicator.atLevel || indicator.code === chosen);
}

/** The map levels among an indicator's levels, as the level control names them ("" for none). */
export function levelNames(levels: readonly string[]): string {
  return (Object.keys(LEVEL_NAMES) as Level[])
    .filter((level) => levels.includes(level))
    .map((level) => LEVEL_NAMES[level])
    .join(', ');
}

/** What follows an indicator's name wherever its values are shown, so synthetic data never pass for official. */
export function syntheticNote(indicator: { synthetic: boolean }): string {
  return indicator.synthetic ? ' – synthetische Daten' : '';
}

/**
 * Whether a region's time series is drawn next to its district's and the state's. A total (aggregation
 * SUM: inhabitants, hectares) is not: the state's is many times a county's, which would lie flat at the
 * bottom of the chart, and the comparison says nothing.
 */
export function comparesWithParents(indicator: { aggregation: IndicatorAggregation }): boolean {
  return indicator.aggregation !== 'SUM';
}

/** What the mark "berechnet" beside a value means, wherever the Atlas shows one. */
export const AGGREGATED_NOTE =
  'berechnet: kein Wert der Quelle, sondern von RegioGraph aus den Regionen darin berechnet (bei gewichteten Mitteln eine Näherung).';

/** The themes' names in the indicator select (typed by the schema's enum: a new theme needs its name here). */
export const THEME_NAMES: Record<IndicatorTheme, string> = {
  DEMOGRAPHY: 'Bevölkerung',
  GEOGRAPHY: 'Geografie',
  ECONOMY: 'Wirtschaft, Einkommen und Tourismus',
  LABOUR_MARKET: 'Arbeitsmarkt',
  EDUCATION: 'Bildung und Betreuung',
  MEDICAL_CARE: 'Gesundheit und Pflege',
  RETAIL: 'Nahversorgung und Handel',
  MOBILITY: 'Mobilität und Erreichbarkeit',
  HOUSING: 'Wohnen',
  PUBLIC_FINANCES: 'Kommunale Finanzen',
  ENVIRONMENT: 'Flächennutzung, Energie und Umwelt',
};

/** The directions of indicators in the equal-chances view (typed by the schema's enum: a new one needs its name here). */
export const POLARITY_NAMES: Record<IndicatorPolarity, string> = {
  HIGHER_IS_BETTER: 'höher ist besser',
  LOWER_IS_BETTER: 'niedriger ist besser',
  NEUTRAL: 'ohne Richtung, nicht im Index',
};

/** The indicator select's groups: a hundred and more indicators in one flat list are hard to scan. */
export function themeGroups<T extends { theme: IndicatorTheme }>(
  options: readonly T[],
): { theme: IndicatorTheme; label: string; indicators: T[] }[] {
  const groups = new Map<IndicatorTheme, T[]>();
  for (const option of options) groups.set(option.theme, [...(groups.get(option.theme) ?? []), option]);
  return [...groups].map(([theme, indicators]) => ({ theme, label: THEME_NAMES[theme], indicators }));
}
