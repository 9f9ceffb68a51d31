// The list sizes this subgraph declares for the gateway's demand control, held to the shipped data:
// a catalogue grown past its @listSize fails here instead of being underestimated in every query.
import { readFileSync } from 'node:fs';
import { parseCsvRecords } from '@regiograph/shared';
import { declaredAssumedSize } from '@regiograph/shared/testing';
import { schema } from './schema';
import { MAX_PROFILE } from './schema/analysis';
import { monitoringFiles } from './seed';
import { SYNTHETIC_INDICATORS } from './synthetic';

describe('declared list sizes against the shipped data', () => {
  it('sizes Query.indicators by the whole shipped catalogue (official and synthetic), its largest answer', () => {
    // What the seed stores, read from the files rather than the test database, where other test files
    // add indicators of their own: the monitoring catalogue's rows and the synthetic demonstration ones.
    const official = parseCsvRecords(readFileSync(monitoringFiles().catalogue, 'utf8')).map(({ record }) => record.code);
    const catalogue = new Set([...official, ...SYNTHETIC_INDICATORS.map((indicator) => indicator.code)]);
    // 128 shipped: 115 official rows and 13 synthetic ones.
    expect(catalogue.size).toBeGreaterThan(100);
    expect(catalogue.size).toBeLessThanOrEqual(declaredAssumedSize(schema, 'Query.indicators'));
  });

  it.each([
    'SimilarityAnalysis.indicators',
    'SimilarityAnalysis.omittedIndicators',
    'SimilarRegion.contributions',
    'DisparityReport.indicators',
    'DisparityReport.omittedIndicators',
    'RegionDisparity.scores',
  ])('sizes %s, a list per indicator of a profile, by the most indicators a profile takes', (coordinate) => {
    expect(declaredAssumedSize(schema, coordinate)).toBeGreaterThanOrEqual(MAX_PROFILE);
  });
});
