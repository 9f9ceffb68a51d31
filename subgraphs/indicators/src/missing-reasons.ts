import type { Language, RegionLevelName } from '@regiograph/shared';

/**
 * Why a value is null, in the words RegioGraph writes itself: the reasons it gives for a region
 * without an observation (context.ts), for a value it could not aggregate (stored by the seed and
 * the importer) and for its synthetic demonstration data. They travel as this structure from where
 * they arise to the resolver, and are stored as it (the observation's `own_missing_reason`), so that
 * each is said in the language asked without reading words back. A reason a data steward gave in an
 * import file (`given`) is the source's own and is given as it is, in any language, as a provider's
 * attribution is.
 */
export type MissingReason =
  | { kind: 'keyNotYetValid'; year: number }
  | { kind: 'noLevels'; indicator: string }
  | { kind: 'onlyLevels'; indicator: string; levels: RegionLevelName[]; notAggregatedAbove: boolean }
  | { kind: 'notInYear'; indicator: string; year: number; years: string }
  | { kind: 'noValue' }
  | { kind: 'notAggregated'; lacking: number; of: number; members: 'counties' | 'municipalities'; orWeight: boolean }
  | { kind: 'uninhabited' }
  | { kind: 'suppressedSynthetic' }
  | { kind: 'given'; text: string };

/** The reasons RegioGraph stores as their structure (indicators.observation.own_missing_reason): all but a steward's text. */
export type OwnMissingReason = Exclude<MissingReason, { kind: 'given' }>;

type Wording = { [Kind in MissingReason['kind']]: (reason: Extract<MissingReason, { kind: Kind }>) => string };

/** The German names of the levels, as the Atlas names them. */
export const LEVEL_NAMES_DE: Record<RegionLevelName, string> = {
  STATE: 'Land',
  DISTRICT: 'ArL-Bezirk',
  COUNTY: 'Kreis',
  MUNICIPAL_ASSOCIATION: 'Samtgemeinde',
  MUNICIPALITY: 'Gemeinde',
};

/** The English names of the levels, as a sentence says them. */
const LEVEL_NAMES_EN: Record<RegionLevelName, string> = {
  STATE: 'state',
  DISTRICT: 'ArL district',
  COUNTY: 'county',
  MUNICIPAL_ASSOCIATION: 'Samtgemeinde',
  MUNICIPALITY: 'municipality',
};

/** "a, b and c" in a language. */
function listed(items: readonly string[], and: string): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} ${and} ${items.at(-1)}`;
}

const WORDING: Record<Language, Wording> = {
  EN: {
    keyNotYetValid: ({ year }) => `No observation: the region’s key did not exist yet on 31.12.${year}.`,
    noLevels: ({ indicator }) => `No observation: ${indicator} has no values at any level.`,
    onlyLevels: ({ indicator, levels, notAggregatedAbove }) =>
      `No observation: ${indicator} has values only at the ${listed(
        levels.map((level) => LEVEL_NAMES_EN[level]),
        'and',
      )} level${levels.length > 1 ? 's' : ''}` +
      `${notAggregatedAbove ? ', and its values are not combined into values of the levels above' : ''}.`,
    notInYear: ({ indicator, year, years }) => `No observation: ${indicator} has no values in ${year} (its years with values: ${years}).`,
    noValue: () => 'No observation: the data have no value for this region and year.',
    notAggregated: ({ lacking, of, members, orWeight }) =>
      `Not aggregated: ${lacking} of ${of} ${members} lack a value${orWeight ? ' or weight' : ''}.`,
    uninhabited: () => 'Gemeindefreies Gebiet (unincorporated area without residents): not applicable.',
    suppressedSynthetic: () => 'Withheld for confidentiality (synthetic demonstration of a suppressed value).',
    given: ({ text }) => text,
  },
  DE: {
    keyNotYetValid: ({ year }) => `Kein Wert: den Schlüssel der Region gab es am 31.12.${year} noch nicht.`,
    noLevels: ({ indicator }) => `Kein Wert: ${indicator} hat auf keiner Ebene Werte.`,
    onlyLevels: ({ indicator, levels, notAggregatedAbove }) =>
      `Kein Wert: ${indicator} hat nur auf ${levels.length > 1 ? 'den Ebenen' : 'der Ebene'} ` +
      `${listed(
        levels.map((level) => LEVEL_NAMES_DE[level]),
        'und',
      )} Werte` +
      `${notAggregatedAbove ? ', und seine Werte werden nicht zu Werten der Ebenen darüber zusammengefasst' : ''}.`,
    notInYear: ({ indicator, year, years }) => `Kein Wert: ${indicator} hat ${year} keine Werte (Jahre mit Werten: ${years}).`,
    noValue: () => 'Kein Wert: die Daten enthalten für diese Region und dieses Jahr keinen Wert.',
    notAggregated: ({ lacking, of, members, orWeight }) =>
      `Nicht zusammengefasst: ${lacking} von ${of} ${members === 'counties' ? 'Kreisen' : 'Gemeinden'} fehlt ein Wert` +
      `${orWeight ? ' oder Gewicht' : ''}.`,
    uninhabited: () => 'Gemeindefreies Gebiet ohne Einwohnerinnen und Einwohner: entfällt.',
    suppressedSynthetic: () => 'Aus Gründen der Geheimhaltung gesperrt (synthetisches Beispiel eines gesperrten Werts).',
    given: ({ text }) => text,
  },
};

/** A reason in a language: RegioGraph's own in its words, a steward's as given. */
export function missingReasonText(reason: MissingReason, language: Language = 'EN'): string {
  return (WORDING[language][reason.kind] as (each: MissingReason) => string)(reason);
}

/** A reason as the observations table keeps it: a steward's text in missing_reason, RegioGraph's own as its structure. */
export function storedMissingReason(reason: MissingReason | null): { text: string | null; own: OwnMissingReason | null } {
  if (reason === null) return { text: null, own: null };
  return reason.kind === 'given' ? { text: reason.text, own: null } : { text: null, own: reason };
}

/**
 * The columns of indicators.observation (alias `o`) as one MissingReason: pg hands jsonb over as
 * the object, so a read of the table needs no step of its own to rebuild it.
 */
export const MISSING_REASON_COLUMN = `CASE WHEN o.missing_reason IS NOT NULL THEN jsonb_build_object('kind', 'given', 'text', o.missing_reason) ELSE o.own_missing_reason END`;
