import type { IndicatorAggregation, IndicatorPolarity, IndicatorTheme } from '@regiograph/db';
import { SYNTHETIC_DATA_ATTRIBUTION, SYNTHETIC_DATA_LICENCE } from '@regiograph/shared';
import type { MissingReason } from './missing-reasons';

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
  /** The publisher's table or variable code, e.g. "12411-0015" or INKAR "q_alo"; empty for synthetic data. */
  sourceCode: string;
  /** The date or period each value refers to, e.g. "31.12." or "Jahresdurchschnitt". */
  referencePeriod: string;
  /** Breaks in the series (rebasing, territorial and method changes); empty when none are known. */
  breakNotes: string;
  /** A derived indicator's formula over other indicators' codes; null for indicators read from a source. */
  formula: string | null;
  /** The codes the formula reads, in formula order; empty when not derived. */
  derivedFrom: string[];
  official: boolean;
}

/**
 * Optional catalogue columns that a file may leave out, stored under the same names. An entry
 * updated from such a file keeps what is stored in them: leaving a column out says nothing about
 * it, while an empty cell clears it. The other optional columns follow from the required ones
 * (the weight from the aggregation, the attribution from the publisher, the formula from how
 * values are computed), so an update always sets them.
 */
export const KEEPABLE_CATALOGUE_COLUMNS = [
  'description',
  'source_url',
  'source_reference_date',
  'source_code',
  'reference_period',
  'break_notes',
] as const;
export type KeepableCatalogueColumn = (typeof KEEPABLE_CATALOGUE_COLUMNS)[number];

/** One observation as written to indicators.observation. */
/** One observation's key. */
export interface ObservationCell {
  indicatorCode: string;
  regionCode: string;
  year: number;
}

export interface ObservationRecord {
  indicatorCode: string;
  regionCode: string;
  year: number;
  value: number | null;
  status: 'FINAL' | 'PROVISIONAL' | 'ESTIMATED' | 'SUPPRESSED' | 'MISSING';
  /** Why the value is null: RegioGraph's own reason as its structure, a data steward's text as `given`. */
  missingReason: MissingReason | null;
  /**
   * True when computed from the regions within (the indicator's aggregation rule, or a formula
   * over such a value) rather than read from the source; absent means false.
   */
  aggregated?: boolean;
  /**
   * True when computed by the indicator's formula; absent means false: a value the source published,
   * also of a derived indicator, which no formula computes over and no change of formula deletes.
   */
  derived?: boolean;
}

export const OBSERVATION_STATUSES = ['FINAL', 'PROVISIONAL', 'ESTIMATED', 'SUPPRESSED', 'MISSING'] as const;
/** Statuses whose value must be null (and whose reason should say why). */
export const NULL_VALUE_STATUSES: ReadonlySet<string> = new Set(['SUPPRESSED', 'MISSING']);

/**
 * Whether an indicator is RegioGraph's own synthetic demonstration data (its source is
 * SYNTHETIC_SOURCE). Not official is not the same thing: an import may bring real data that no
 * statistics office published (a study's survey, a partner's counts), under its own source.
 */
export function isSyntheticIndicator(indicator: { sourcePublisher: string }): boolean {
  return indicator.sourcePublisher === SYNTHETIC_SOURCE.sourcePublisher;
}

export const SYNTHETIC_SOURCE = {
  sourcePublisher: 'RegioGraph (synthetic demonstration data)',
  sourceTitle: 'Synthetic demonstration data, generated reproducibly from a fixed seed — not official statistics',
  sourceLicence: SYNTHETIC_DATA_LICENCE,
  sourceUrl: null,
  sourceAttribution: SYNTHETIC_DATA_ATTRIBUTION,
  sourceReferenceDate: null,
  sourceCode: '',
  referencePeriod: '',
  breakNotes: '',
  formula: null,
  derivedFrom: [] as string[],
  official: false,
};
