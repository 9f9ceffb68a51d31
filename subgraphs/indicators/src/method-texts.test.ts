import { LANGUAGE_ENUM, type Language } from '@regiograph/shared';
import { isObjectType } from 'graphql';
import { YEAR_RULE, YEAR_RULE_DE } from './analytics/profile';
import { schema } from './schema';
import { METHOD_TEXTS } from './schema/analysis';

const LANGUAGES = Object.keys(LANGUAGE_ENUM.values) as Language[];

describe('the analyses’ method texts', () => {
  // A new value of the Language enum fails here until every method has its text.
  it.each(Object.entries(METHOD_TEXTS))('%s has a text of its own in every language of the Language enum', (_method, texts) => {
    const inLanguages = LANGUAGES.map((language) => texts[language]);
    expect(inLanguages.every((text) => typeof text === 'string' && text.length > 100)).toBe(true);
    expect(new Set(inLanguages).size).toBe(LANGUAGES.length);
  });

  it('states the rules in the language of the text', () => {
    expect(METHOD_TEXTS.disparities.DE).toContain(YEAR_RULE_DE);
    expect(METHOD_TEXTS.disparities.DE).not.toContain(YEAR_RULE);
    expect(METHOD_TEXTS.similarity.DE).toContain(YEAR_RULE_DE);
    expect(METHOD_TEXTS.similarity.EN).toContain(YEAR_RULE);
  });

  // A ministry cites the Gini of the counties: the text must say over what it is taken and how, in both languages.
  it('defines the disparity measures, unweighted, with their n and when they are null', () => {
    expect(METHOD_TEXTS.disparities.EN).toContain('unweighted (each region counts once, whatever its population');
    expect(METHOD_TEXTS.disparities.DE).toContain('ungewichtet (jede Region zählt einmal');
    for (const text of Object.values(METHOD_TEXTS.disparities)) {
      expect(text).toContain('Σi Σj |xi − xj| / (2n² ');
      expect(text).toContain('regionCount');
      expect(text).toContain('aggregatedRegionCount');
    }
    expect(METHOD_TEXTS.disparities.EN).toContain('null for fewer than two regions, a negative value or a mean of 0');
    expect(METHOD_TEXTS.disparities.EN).toContain('population standard deviation / mean');
  });

  // Beside them the weighted measures: the text must name the weights, their year and the formulas, in both languages.
  it('defines the weighted measures with their weights and when they are null', () => {
    for (const text of Object.values(METHOD_TEXTS.disparities)) {
      expect(text).toContain('weightIndicatorCode');
      expect(text).toContain('weightYear');
      expect(text).toContain('pi = wi / Σ w');
      expect(text).toContain('Σi Σj pi pj |xi − xj| / (2 ');
      expect(text).toContain('(Williamson)');
      expect(text).toContain('weightedRegionCount');
      expect(text).toContain('weightedUnmeasurableReason');
    }
    expect(METHOD_TEXTS.disparities.EN).toContain('in the same year as the values');
    expect(METHOD_TEXTS.disparities.DE).toContain('im selben Jahr wie die Werte');
  });

  // One graph: a client asks every text RegioGraph writes in its language the same way.
  it('are served, as the attributions, by fields that take a language', () => {
    const fields = Object.values(schema.getTypeMap())
      .filter(isObjectType)
      .flatMap((type) => Object.values(type.getFields()).map((field) => ({ coordinate: `${type.name}.${field.name}`, field })))
      .filter(({ field }) => field.name === 'method' || field.name === 'attribution');
    expect(fields.map(({ coordinate }) => coordinate).sort()).toEqual(
      [
        'DisparityReport.method',
        'FundingTargeting.method',
        'Indicator.attribution',
        'IndicatorDataSource.attribution',
        'Observation.attribution',
        'SimilarityAnalysis.method',
      ].sort(),
    );
    const withoutLanguage = fields.filter(({ field }) => !field.args.some((argument) => argument.name === 'language'));
    expect(withoutLanguage.map(({ coordinate }) => coordinate)).toEqual([]);
  });
});
