/** The controls' view of the indicator catalogue: pure functions, tested without a browser. */
import type { IndicatorAggregation, IndicatorTheme } from './generated/graphql';
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
 * The attribution shown under an indicator's values. The API names synthetic data's source in English
 * (the same text for every client); the German interface names it in German.
 */
export function attributionOf(indicator: { synthetic: boolean; attribution: string }): string {
  return indicator.synthetic ? 'Synthetische Demonstrationsdaten (RegioGraph) – keine amtliche Statistik' : indicator.attribution;
}

/**
 * How RegioGraph's own attributions begin (shared/src/provenance.ts; test/atlas-accessibility.test.ts
 * holds them to shared's texts): English, the same for every client, where the sources' own texts
 * (Destatis, BKG) are German.
 */
export const REGIOGRAPH_ENGLISH_ATTRIBUTIONS = [
  'Compiled by RegioGraph',
  'Synthetic demonstration data (RegioGraph)',
  'Entered by an editor through the RegioGraph API',
] as const;

/**
 * The language of an attribution text when it is not the page's German: 'en' for RegioGraph's own,
 * so that a screen reader reads it in English (WCAG 3.1.2, language of parts); undefined otherwise.
 */
export function attributionLanguage(text: string): 'en' | undefined {
  return REGIOGRAPH_ENGLISH_ATTRIBUTIONS.some((start) => text.startsWith(start)) ? 'en' : undefined;
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

/** The indicator select's groups: a hundred and more indicators in one flat list are hard to scan. */
export function themeGroups<T extends { theme: IndicatorTheme }>(
  options: readonly T[],
): { theme: IndicatorTheme; label: string; indicators: T[] }[] {
  const groups = new Map<IndicatorTheme, T[]>();
  for (const option of options) groups.set(option.theme, [...(groups.get(option.theme) ?? []), option]);
  return [...groups].map(([theme, indicators]) => ({ theme, label: THEME_NAMES[theme], indicators }));
}
