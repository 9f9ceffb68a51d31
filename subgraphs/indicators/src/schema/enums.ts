import { builder } from '../builder';
import { CSV_DIALECT_ENUM, LANGUAGE_ENUM, REGION_LEVEL_ENUM } from '@regiograph/shared';

export const IndicatorThemeEnum = builder.enumType('IndicatorTheme', {
  description: 'The field of regional development an indicator belongs to.',
  values: {
    MOBILITY: { description: 'Mobility and accessibility.' },
    EDUCATION: { description: 'Education and childcare.' },
    RETAIL: { description: 'Retail and local supply.' },
    MEDICAL_CARE: { description: 'Medical care.' },
    DEMOGRAPHY: { description: 'Population and its structure.' },
    ECONOMY: { description: 'Economy, income and tourism.' },
    LABOUR_MARKET: { description: 'Employment and unemployment.' },
    ENVIRONMENT: { description: 'Land use, energy and environment.' },
    GEOGRAPHY: { description: 'Basic geography such as area.' },
    HOUSING: { description: 'Housing: rents, dwellings, living space, building permits.' },
    PUBLIC_FINANCES: { description: 'Public finances of the municipalities: tax revenue and debt.' },
  } as const,
});

export const IndicatorPolarityEnum = builder.enumType('IndicatorPolarity', {
  description: 'Which direction of an indicator counts as better; rankings follow it.',
  values: {
    HIGHER_IS_BETTER: { description: 'Larger values are better: rank 1 has the largest value.' },
    LOWER_IS_BETTER: { description: 'Smaller values are better: rank 1 has the smallest value.' },
    NEUTRAL: { description: 'Neither direction is better: rankings order by size, rank 1 has the largest value.' },
  } as const,
});

export const IndicatorAggregationEnum = builder.enumType('IndicatorAggregation', {
  description: 'How the values of the counties make up the value of their district and of the state.',
  values: {
    SUM: { description: 'The sum of the children (counts, areas).' },
    WEIGHTED_MEAN: {
      description: "The mean of the children weighted by the weight indicator's values (same year, else its nearest year).",
    },
    NONE: { description: 'Does not aggregate: parents have no value (medians, accessibility measures).' },
  } as const,
});

export const ObservationStatusEnum = builder.enumType('ObservationStatus', {
  description: 'Quality flag of an observation. A missing value is null with a reason, never 0.',
  values: {
    FINAL: { description: 'Final value.' },
    PROVISIONAL: { description: 'Provisional value, may still be revised.' },
    ESTIMATED: { description: 'Estimated value.' },
    SUPPRESSED: { description: 'Withheld for confidentiality: value is null, missingReason says why.' },
    MISSING: { description: 'Not available: value is null, missingReason says why.' },
  } as const,
});

// Identical to the regions subgraph's RegionLevel (names, values and descriptions): one enum in the supergraph.
export const RegionLevelEnum = builder.enumType('RegionLevel', REGION_LEVEL_ENUM);
export const LanguageEnum = builder.enumType('Language', LANGUAGE_ENUM);
export const CsvDialectEnum = builder.enumType('CsvDialect', CSV_DIALECT_ENUM);
