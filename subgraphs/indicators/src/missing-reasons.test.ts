import { LANGUAGE_ENUM, type Language } from '@regiograph/shared';
import { englishWordsIn } from '@regiograph/shared/testing';
import { missingReasonText, storedMissingReason, type OwnMissingReason } from './missing-reasons';

const LANGUAGES = Object.keys(LANGUAGE_ENUM.values) as Language[];

/** One of every kind RegioGraph says itself (a new kind fails to compile here until it has its example). */
const EXAMPLES: { [Kind in OwnMissingReason['kind']]: Extract<OwnMissingReason, { kind: Kind }>[] } = {
  keyNotYetValid: [{ kind: 'keyNotYetValid', year: 2015 }],
  noLevels: [{ kind: 'noLevels', indicator: 'pharmacies' }],
  onlyLevels: [
    { kind: 'onlyLevels', indicator: 'unemployment_rate', levels: ['STATE', 'DISTRICT', 'COUNTY'], notAggregatedAbove: false },
    { kind: 'onlyLevels', indicator: 'median_age_years', levels: ['COUNTY'], notAggregatedAbove: true },
  ],
  notInYear: [{ kind: 'notInYear', indicator: 'population', year: 2022, years: '1983, 1987, 1994–2021, 2023' }],
  noValue: [{ kind: 'noValue' }],
  notAggregated: [
    { kind: 'notAggregated', lacking: 1, of: 10, members: 'counties', orWeight: true },
    { kind: 'notAggregated', lacking: 4, of: 10, members: 'municipalities', orWeight: false },
  ],
  uninhabited: [{ kind: 'uninhabited' }],
  suppressedSynthetic: [{ kind: 'suppressedSynthetic' }],
};
const ALL = Object.values(EXAMPLES).flat();
/** A name of the API's (an enum value such as NONE or COUNTY), which a sentence says in words. */
const API_NAME = /\b[A-Z][A-Z_]+\b/g;

describe('the reasons RegioGraph gives for a value that is null', () => {
  // A new value of the Language enum fails here until every reason has its wording.
  it.each(ALL.map((reason) => [reason.kind, reason] as const))('%s has a text of its own in every language', (_kind, reason) => {
    const texts = LANGUAGES.map((language) => missingReasonText(reason, language));
    expect(new Set(texts).size).toBe(LANGUAGES.length);
  });

  it('says the German without English words', () => {
    const german = ALL.map((reason) => missingReasonText(reason, 'DE'));
    expect(german.flatMap((text) => englishWordsIn(text).map((word) => `${word}: ${text}`))).toEqual([]);
  });

  // "(Aggregation NONE)" named the API's enum value inside a sentence, and "at the level COUNTY" its level.
  it.each(LANGUAGES)('says levels and aggregation in words, not as the API names them (%s)', (language) => {
    const texts = ALL.map((reason) => missingReasonText(reason, language));
    expect(texts.flatMap((text) => (text.match(API_NAME) ?? []).map((name) => `${name}: ${text}`))).toEqual([]);
    expect(missingReasonText(EXAMPLES.onlyLevels[0]!, language)).toBe(
      {
        EN: 'No observation: unemployment_rate has values only at the state, ArL district and county levels.',
        DE: 'Kein Wert: unemployment_rate hat nur auf den Ebenen Land, ArL-Bezirk und Kreis Werte.',
      }[language],
    );
    expect(missingReasonText(EXAMPLES.onlyLevels[1]!, language)).toBe(
      {
        EN: 'No observation: median_age_years has values only at the county level, and its values are not combined into values of the levels above.',
        DE: 'Kein Wert: median_age_years hat nur auf der Ebene Kreis Werte, und seine Werte werden nicht zu Werten der Ebenen darüber zusammengefasst.',
      }[language],
    );
  });

  // A steward's text is the source's own, whatever it says: one in RegioGraph's English wording is
  // not taken for RegioGraph's reason and translated.
  it.each(LANGUAGES)('gives a reason a data steward wrote as it was written (%s)', (language) => {
    for (const text of ['Geheimhaltung nach § 16 BStatG', 'Not aggregated: 1 of 10 counties lack a value or weight.'])
      expect(missingReasonText({ kind: 'given', text }, language)).toBe(text);
  });

  it("keeps a steward's text as text and RegioGraph's reasons as their structure", () => {
    expect(storedMissingReason({ kind: 'given', text: 'vertraulich' })).toEqual({ text: 'vertraulich', own: null });
    expect(storedMissingReason(EXAMPLES.notAggregated[0]!)).toEqual({ text: null, own: EXAMPLES.notAggregated[0] });
    expect(storedMissingReason(null)).toEqual({ text: null, own: null });
  });
});
