import type { IndicatorAggregation, IndicatorPolarity, IndicatorTheme } from '@regiograph/db';

/** An indicator's catalogue entry as stored (coverage is derived from its observations). */
export interface IndicatorDefinition {
  code: string;
  name: string;
  description: string;
  theme: IndicatorTheme;
  unit: string;
  decimals: number;
  polarity: IndicatorPolarity;
  aggregation: IndicatorAggregation;
  weightIndicatorCode: string | null;
  sourcePublisher: string;
  sourceTitle: string;
  sourceLicence: string;
  sourceUrl: string | null;
  sourceAttribution: string;
  sourceReferenceDate: Date | null;
  official: boolean;
}

/** One observation as written to indicators.observation. */
export interface ObservationRecord {
  indicatorCode: string;
  regionCode: string;
  year: number;
  value: number | null;
  status: 'FINAL' | 'PROVISIONAL' | 'ESTIMATED' | 'SUPPRESSED' | 'MISSING';
  missingReason: string | null;
}

export const OBSERVATION_STATUSES = ['FINAL', 'PROVISIONAL', 'ESTIMATED', 'SUPPRESSED', 'MISSING'] as const;
/** Statuses whose value must be null (and whose reason should say why). */
export const NULL_VALUE_STATUSES: ReadonlySet<string> = new Set(['SUPPRESSED', 'MISSING']);

const DESTATIS = {
  sourcePublisher: 'Statistisches Bundesamt (Destatis)',
  sourceTitle: 'Gemeindeverzeichnis-Informationssystem GV-ISys, Kreise (04-kreise), Stand 31.12.2018',
  sourceLicence: 'CC-BY-4.0',
  sourceUrl: 'https://www.destatis.de/DE/Themen/Laender-Regionen/Regionales/Gemeindeverzeichnis/_inhalt.html',
  sourceAttribution: 'Quelle: Statistisches Bundesamt (Destatis), GV-ISys',
  sourceReferenceDate: new Date('2018-12-31T00:00:00Z'),
  official: true,
} as const;

/** The official 2018 county figures; districts and state are aggregated by each indicator's rule. */
export const OFFICIAL_INDICATORS: IndicatorDefinition[] = [
  {
    code: 'population',
    name: 'Bevölkerung',
    description: 'Residents on 31 December (Bevölkerungsstand).',
    theme: 'DEMOGRAPHY',
    unit: 'persons',
    decimals: 0,
    polarity: 'NEUTRAL',
    aggregation: 'SUM',
    weightIndicatorCode: null,
    ...DESTATIS,
  },
  {
    code: 'population_male',
    name: 'Bevölkerung männlich',
    description: 'Male residents on 31 December.',
    theme: 'DEMOGRAPHY',
    unit: 'persons',
    decimals: 0,
    polarity: 'NEUTRAL',
    aggregation: 'SUM',
    weightIndicatorCode: null,
    ...DESTATIS,
  },
  {
    code: 'population_female',
    name: 'Bevölkerung weiblich',
    description: 'Female residents on 31 December.',
    theme: 'DEMOGRAPHY',
    unit: 'persons',
    decimals: 0,
    polarity: 'NEUTRAL',
    aggregation: 'SUM',
    weightIndicatorCode: null,
    ...DESTATIS,
  },
  {
    code: 'area_km2',
    name: 'Fläche',
    description: 'Land area in square kilometres.',
    theme: 'GEOGRAPHY',
    unit: 'km²',
    decimals: 2,
    polarity: 'NEUTRAL',
    aggregation: 'SUM',
    weightIndicatorCode: null,
    ...DESTATIS,
  },
  {
    code: 'population_density',
    name: 'Bevölkerungsdichte',
    description: 'Residents per square kilometre, derived as population / area_km2 (unrounded; aggregates as the area-weighted mean, i.e. total residents / total area).',
    theme: 'DEMOGRAPHY',
    unit: 'persons/km²',
    decimals: 1,
    polarity: 'NEUTRAL',
    aggregation: 'WEIGHTED_MEAN',
    weightIndicatorCode: 'area_km2',
    ...DESTATIS,
    sourceTitle: `${DESTATIS.sourceTitle}; derived by RegioGraph as population / area_km2`,
  },
];

export const SYNTHETIC_SOURCE = {
  sourcePublisher: 'RegioGraph (synthetic demonstration data)',
  sourceTitle: 'Synthetic demonstration data, generated reproducibly from a fixed seed — not official statistics',
  sourceLicence: 'CC0-1.0',
  sourceUrl: null,
  sourceAttribution: 'Synthetic demonstration data (RegioGraph) — not official statistics',
  sourceReferenceDate: null,
  official: false,
} as const;
