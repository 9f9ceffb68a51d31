import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGE_ENUM, type Language } from '@regiograph/shared';
import { englishWordsIn } from '@regiograph/shared/testing';
import { missingReasonIn, missingReasonText, parseMissingReason, type MissingReason } from './missing-reasons';

const LANGUAGES = Object.keys(LANGUAGE_ENUM.values) as Language[];

/** One of every kind (a new kind fails to compile here until it has its example). */
const EXAMPLES: { [Kind in MissingReason['kind']]: Extract<MissingReason, { kind: Kind }>[] } = {
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

describe('the reasons RegioGraph gives for a value that is null', () => {
  it.each(ALL.map((reason) => [reason.kind, reason] as const))('%s reads back from its English, as it is stored', (_kind, reason) => {
    expect(parseMissingReason(missingReasonText(reason))).toEqual(reason);
  });

  // A new value of the Language enum fails here until every reason has its wording.
  it.each(ALL.map((reason) => [reason.kind, reason] as const))('%s has a text of its own in every language', (_kind, reason) => {
    const texts = LANGUAGES.map((language) => missingReasonText(reason, language));
    expect(new Set(texts).size).toBe(LANGUAGES.length);
    expect(missingReasonIn(missingReasonText(reason), 'DE')).toBe(missingReasonText(reason, 'DE'));
    expect(missingReasonIn(missingReasonText(reason), 'EN')).toBe(missingReasonText(reason));
  });

  it('says the German without English words', () => {
    const german = ALL.map((reason) => missingReasonText(reason, 'DE'));
    expect(german.flatMap((text) => englishWordsIn(text).map((word) => `${word}: ${text}`))).toEqual([]);
  });

  it('gives a reason a data steward wrote as it was written', () => {
    expect(missingReasonIn('Geheimhaltung nach § 16 BStatG', 'DE')).toBe('Geheimhaltung nach § 16 BStatG');
    expect(missingReasonIn('Not aggregated: because', 'DE')).toBe('Not aggregated: because');
    expect(missingReasonIn(null, 'DE')).toBeNull();
  });

  // The importer writes its own reason for a value it cannot aggregate (import/compute.ts): the same
  // words, or the German would miss it and say it in English.
  it("reads the importer's reason for a value it cannot aggregate", () => {
    const source = readFileSync(join(__dirname, 'import/compute.ts'), 'utf8');
    expect(source).toContain(
      "missingReason: `Not aggregated: ${lacking} of ${of} ${children} lack a value${weights ? ' or weight' : ''}.`",
    );
    expect(source).toMatch(/notAggregated\([^)]*'municipalities'/);
    expect(source).toMatch(/notAggregated\([^)]*'counties'/);
  });
});
