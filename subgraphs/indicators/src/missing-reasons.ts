import type { Language, RegionLevelName } from '@regiograph/shared';

/**
 * Why a value is null, in the words RegioGraph writes itself: the reasons it gives for a region
 * without an observation (context.ts), for a value it could not aggregate (stored by the seed and
 * the importer) and for its synthetic demonstration data. The stored ones are English text in the
 * database; Observation.missingReason reads them back (parseMissingReason) and says them in the
 * language asked. A reason a data steward gave in an import file is the source's own and is given as
 * it is, as a provider's attribution is.
 */
export type MissingReason =
  | { kind: 'keyNotYetValid'; year: number }
  | { kind: 'noLevels'; indicator: string }
  | { kind: 'onlyLevels'; indicator: string; levels: RegionLevelName[]; notAggregatedAbove: boolean }
  | { kind: 'notInYear'; indicator: string; year: number; years: string }
  | { kind: 'noValue' }
  | { kind: 'notAggregated'; lacking: number; of: number; members: 'counties' | 'municipalities'; orWeight: boolean }
  | { kind: 'uninhabited' }
  | { kind: 'suppressedSynthetic' };

type Wording = { [Kind in MissingReason['kind']]: (reason: Extract<MissingReason, { kind: Kind }>) => string };

/** The German names of the levels, as the Atlas names them. */
export const LEVEL_NAMES_DE: Record<RegionLevelName, string> = {
  STATE: 'Land',
  DISTRICT: 'ArL-Bezirk',
  COUNTY: 'Kreis',
  MUNICIPAL_ASSOCIATION: 'Samtgemeinde',
  MUNICIPALITY: 'Gemeinde',
};

const WORDING: Record<Language, Wording> = {
  EN: {
    keyNotYetValid: ({ year }) => `No observation: the region’s key did not exist yet on 31.12.${year}.`,
    noLevels: ({ indicator }) => `No observation: ${indicator} has no values at any level.`,
    onlyLevels: ({ indicator, levels, notAggregatedAbove }) =>
      `No observation: ${indicator} has values only at the level${levels.length > 1 ? 's' : ''} ${levels.join(', ')}` +
      `${notAggregatedAbove ? ', and does not aggregate to the levels above (aggregation NONE)' : ''}.`,
    notInYear: ({ indicator, year, years }) => `No observation: ${indicator} has no values in ${year} (its years with values: ${years}).`,
    noValue: () => 'No observation: the data have no value for this region and year.',
    notAggregated: ({ lacking, of, members, orWeight }) =>
      `Not aggregated: ${lacking} of ${of} ${members} lack a value${orWeight ? ' or weight' : ''}.`,
    uninhabited: () => 'Gemeindefreies Gebiet (unincorporated area without residents): not applicable.',
    suppressedSynthetic: () => 'Withheld for confidentiality (synthetic demonstration of a suppressed value).',
  },
  DE: {
    keyNotYetValid: ({ year }) => `Kein Wert: den Schlüssel der Region gab es am 31.12.${year} noch nicht.`,
    noLevels: ({ indicator }) => `Kein Wert: ${indicator} hat auf keiner Ebene Werte.`,
    onlyLevels: ({ indicator, levels, notAggregatedAbove }) =>
      `Kein Wert: ${indicator} hat nur auf ${levels.length > 1 ? 'den Ebenen' : 'der Ebene'} ` +
      `${levels.map((level) => LEVEL_NAMES_DE[level]).join(', ')} Werte` +
      `${notAggregatedAbove ? ' und wird nicht auf die Ebenen darüber zusammengefasst (Aggregation NONE)' : ''}.`,
    notInYear: ({ indicator, year, years }) => `Kein Wert: ${indicator} hat ${year} keine Werte (Jahre mit Werten: ${years}).`,
    noValue: () => 'Kein Wert: die Daten enthalten für diese Region und dieses Jahr keinen Wert.',
    notAggregated: ({ lacking, of, members, orWeight }) =>
      `Nicht zusammengefasst: ${lacking} von ${of} ${members === 'counties' ? 'Kreisen' : 'Gemeinden'} fehlt ein Wert` +
      `${orWeight ? ' oder Gewicht' : ''}.`,
    uninhabited: () => 'Gemeindefreies Gebiet ohne Einwohnerinnen und Einwohner: entfällt.',
    suppressedSynthetic: () => 'Aus Gründen der Geheimhaltung gesperrt (synthetisches Beispiel eines gesperrten Werts).',
  },
};

/** A reason in a language. */
export function missingReasonText(reason: MissingReason, language: Language = 'EN'): string {
  return (WORDING[language][reason.kind] as (each: MissingReason) => string)(reason);
}

const LEVELS = 'STATE|DISTRICT|COUNTY|MUNICIPAL_ASSOCIATION|MUNICIPALITY';

/** The English of each reason, read back: the order of the patterns does not matter, no two match the same text. */
const PATTERNS: readonly [RegExp, (match: RegExpMatchArray) => MissingReason][] = [
  [/^No observation: the region’s key did not exist yet on 31\.12\.(\d{4})\.$/, (m) => ({ kind: 'keyNotYetValid', year: Number(m[1]) })],
  [/^No observation: (\S+) has no values at any level\.$/, (m) => ({ kind: 'noLevels', indicator: m[1]! })],
  [
    new RegExp(
      `^No observation: (\\S+) has values only at the levels? ((?:${LEVELS})(?:, (?:${LEVELS}))*)(, and does not aggregate to the levels above \\(aggregation NONE\\))?\\.$`,
    ),
    (m) => ({
      kind: 'onlyLevels',
      indicator: m[1]!,
      levels: m[2]!.split(', ') as RegionLevelName[],
      notAggregatedAbove: m[3] !== undefined,
    }),
  ],
  [
    /^No observation: (\S+) has no values in (\d{4}) \(its years with values: ([\d, –]+)\)\.$/,
    (m) => ({ kind: 'notInYear', indicator: m[1]!, year: Number(m[2]), years: m[3]! }),
  ],
  [/^No observation: the data have no value for this region and year\.$/, () => ({ kind: 'noValue' })],
  [
    /^Not aggregated: (\d+) of (\d+) (counties|municipalities) lack a value( or weight)?\.$/,
    (m) => ({
      kind: 'notAggregated',
      lacking: Number(m[1]),
      of: Number(m[2]),
      members: m[3] as 'counties' | 'municipalities',
      orWeight: m[4] !== undefined,
    }),
  ],
  [/^Gemeindefreies Gebiet \(unincorporated area without residents\): not applicable\.$/, () => ({ kind: 'uninhabited' })],
  [/^Withheld for confidentiality \(synthetic demonstration of a suppressed value\)\.$/, () => ({ kind: 'suppressedSynthetic' })],
];

/** The reason a text of RegioGraph's says (its English); null for another text, a steward's own. */
export function parseMissingReason(text: string): MissingReason | null {
  for (const [pattern, reason] of PATTERNS) {
    const match = text.match(pattern);
    if (match) return reason(match);
  }
  return null;
}

/** A stored or computed missingReason in `language`: RegioGraph's own reasons translated, a steward's as given. */
export function missingReasonIn(text: string | null, language: Language): string | null {
  if (text === null || language === 'EN') return text;
  const reason = parseMissingReason(text);
  return reason ? missingReasonText(reason, language) : text;
}
