/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment AtlasCatalogue on Query {\n    indicators { code name unit theme levels firstYear lastYear }\n    state: region(code: \"03\") { counties: descendants(level: COUNTY) { code name } }\n    indicator(code: $indicator) { code name years }\n  }\n": typeof types.AtlasCatalogueFragmentDoc,
    "\n  query AtlasMap($indicator: ID!, $year: Int!, $area: ID!, $level: RegionLevel!, $rankWithin: ID, $simplify: Float) {\n    ...AtlasCatalogue\n    # The boundaries' attribution, linked to their provider, as the map shows it.\n    state: region(code: \"03\") { source { attribution url } }\n    indicator(code: $indicator) {\n      code\n      name\n      unit\n      decimals\n      polarity\n      attribution\n      years\n      synthetic\n      source { publisher licence }\n    }\n    area: region(code: $area) {\n      code\n      name\n      regions: descendants(level: $level) {\n        code\n        name\n        officialType\n        boundary(simplify: $simplify)\n        value(indicator: $indicator, year: $year) { year value status missingReason aggregated }\n      }\n    }\n    ranking(indicator: $indicator, year: $year, level: $level, withinParent: $rankWithin) {\n      entries { regionCode rank of percentile }\n    }\n  }\n": typeof types.AtlasMapDocument,
    "\n  query AtlasProfile($code: ID!, $indicators: [ID!]!, $indicator: ID!, $year: Int!) {\n    region(code: $code) {\n      code\n      name\n      officialType\n      level\n      values(indicators: $indicators) { indicatorCode year value aggregated }\n      parent { code name values(indicators: $indicators) { indicatorCode year value aggregated } }\n      rank(indicator: $indicator, year: $year) { rank of percentile value }\n      projects { id title status startDate endDate totalFundingCents synthetic funding { amountCents commitmentYear programme { name } } }\n      cooperations { id name kind }\n      office { name seat }\n    }\n    state: region(code: \"03\") { code name values(indicators: $indicators) { indicatorCode year value aggregated } }\n    chosen: indicators { code name unit decimals attribution synthetic aggregation }\n  }\n": typeof types.AtlasProfileDocument,
    "\n  query AtlasCompare($codes: [ID!]!, $indicator: ID!) {\n    ...AtlasCatalogue\n    indicator(code: $indicator) { code name unit decimals attribution synthetic }\n    regionsByCodes(codes: $codes) { code name values(indicators: [$indicator]) { year value aggregated } }\n  }\n": typeof types.AtlasCompareDocument,
    "\n  query AtlasTable($indicator: ID!, $indicators: [ID!]!, $level: RegionLevel!, $area: ID!, $fromYear: Int, $toYear: Int) {\n    ...AtlasCatalogue\n    observationTable(indicators: $indicators, regions: { level: $level, parentCode: $area }, fromYear: $fromYear, toYear: $toYear) {\n      indicators { code name unit decimals attribution synthetic }\n      regions { code name }\n      rows { regionCode year values cells { aggregated } }\n    }\n  }\n": typeof types.AtlasTableDocument,
};
const documents: Documents = {
    "\n  fragment AtlasCatalogue on Query {\n    indicators { code name unit theme levels firstYear lastYear }\n    state: region(code: \"03\") { counties: descendants(level: COUNTY) { code name } }\n    indicator(code: $indicator) { code name years }\n  }\n": types.AtlasCatalogueFragmentDoc,
    "\n  query AtlasMap($indicator: ID!, $year: Int!, $area: ID!, $level: RegionLevel!, $rankWithin: ID, $simplify: Float) {\n    ...AtlasCatalogue\n    # The boundaries' attribution, linked to their provider, as the map shows it.\n    state: region(code: \"03\") { source { attribution url } }\n    indicator(code: $indicator) {\n      code\n      name\n      unit\n      decimals\n      polarity\n      attribution\n      years\n      synthetic\n      source { publisher licence }\n    }\n    area: region(code: $area) {\n      code\n      name\n      regions: descendants(level: $level) {\n        code\n        name\n        officialType\n        boundary(simplify: $simplify)\n        value(indicator: $indicator, year: $year) { year value status missingReason aggregated }\n      }\n    }\n    ranking(indicator: $indicator, year: $year, level: $level, withinParent: $rankWithin) {\n      entries { regionCode rank of percentile }\n    }\n  }\n": types.AtlasMapDocument,
    "\n  query AtlasProfile($code: ID!, $indicators: [ID!]!, $indicator: ID!, $year: Int!) {\n    region(code: $code) {\n      code\n      name\n      officialType\n      level\n      values(indicators: $indicators) { indicatorCode year value aggregated }\n      parent { code name values(indicators: $indicators) { indicatorCode year value aggregated } }\n      rank(indicator: $indicator, year: $year) { rank of percentile value }\n      projects { id title status startDate endDate totalFundingCents synthetic funding { amountCents commitmentYear programme { name } } }\n      cooperations { id name kind }\n      office { name seat }\n    }\n    state: region(code: \"03\") { code name values(indicators: $indicators) { indicatorCode year value aggregated } }\n    chosen: indicators { code name unit decimals attribution synthetic aggregation }\n  }\n": types.AtlasProfileDocument,
    "\n  query AtlasCompare($codes: [ID!]!, $indicator: ID!) {\n    ...AtlasCatalogue\n    indicator(code: $indicator) { code name unit decimals attribution synthetic }\n    regionsByCodes(codes: $codes) { code name values(indicators: [$indicator]) { year value aggregated } }\n  }\n": types.AtlasCompareDocument,
    "\n  query AtlasTable($indicator: ID!, $indicators: [ID!]!, $level: RegionLevel!, $area: ID!, $fromYear: Int, $toYear: Int) {\n    ...AtlasCatalogue\n    observationTable(indicators: $indicators, regions: { level: $level, parentCode: $area }, fromYear: $fromYear, toYear: $toYear) {\n      indicators { code name unit decimals attribution synthetic }\n      regions { code name }\n      rows { regionCode year values cells { aggregated } }\n    }\n  }\n": types.AtlasTableDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AtlasCatalogue on Query {\n    indicators { code name unit theme levels firstYear lastYear }\n    state: region(code: \"03\") { counties: descendants(level: COUNTY) { code name } }\n    indicator(code: $indicator) { code name years }\n  }\n"): (typeof documents)["\n  fragment AtlasCatalogue on Query {\n    indicators { code name unit theme levels firstYear lastYear }\n    state: region(code: \"03\") { counties: descendants(level: COUNTY) { code name } }\n    indicator(code: $indicator) { code name years }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AtlasMap($indicator: ID!, $year: Int!, $area: ID!, $level: RegionLevel!, $rankWithin: ID, $simplify: Float) {\n    ...AtlasCatalogue\n    # The boundaries' attribution, linked to their provider, as the map shows it.\n    state: region(code: \"03\") { source { attribution url } }\n    indicator(code: $indicator) {\n      code\n      name\n      unit\n      decimals\n      polarity\n      attribution\n      years\n      synthetic\n      source { publisher licence }\n    }\n    area: region(code: $area) {\n      code\n      name\n      regions: descendants(level: $level) {\n        code\n        name\n        officialType\n        boundary(simplify: $simplify)\n        value(indicator: $indicator, year: $year) { year value status missingReason aggregated }\n      }\n    }\n    ranking(indicator: $indicator, year: $year, level: $level, withinParent: $rankWithin) {\n      entries { regionCode rank of percentile }\n    }\n  }\n"): (typeof documents)["\n  query AtlasMap($indicator: ID!, $year: Int!, $area: ID!, $level: RegionLevel!, $rankWithin: ID, $simplify: Float) {\n    ...AtlasCatalogue\n    # The boundaries' attribution, linked to their provider, as the map shows it.\n    state: region(code: \"03\") { source { attribution url } }\n    indicator(code: $indicator) {\n      code\n      name\n      unit\n      decimals\n      polarity\n      attribution\n      years\n      synthetic\n      source { publisher licence }\n    }\n    area: region(code: $area) {\n      code\n      name\n      regions: descendants(level: $level) {\n        code\n        name\n        officialType\n        boundary(simplify: $simplify)\n        value(indicator: $indicator, year: $year) { year value status missingReason aggregated }\n      }\n    }\n    ranking(indicator: $indicator, year: $year, level: $level, withinParent: $rankWithin) {\n      entries { regionCode rank of percentile }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AtlasProfile($code: ID!, $indicators: [ID!]!, $indicator: ID!, $year: Int!) {\n    region(code: $code) {\n      code\n      name\n      officialType\n      level\n      values(indicators: $indicators) { indicatorCode year value aggregated }\n      parent { code name values(indicators: $indicators) { indicatorCode year value aggregated } }\n      rank(indicator: $indicator, year: $year) { rank of percentile value }\n      projects { id title status startDate endDate totalFundingCents synthetic funding { amountCents commitmentYear programme { name } } }\n      cooperations { id name kind }\n      office { name seat }\n    }\n    state: region(code: \"03\") { code name values(indicators: $indicators) { indicatorCode year value aggregated } }\n    chosen: indicators { code name unit decimals attribution synthetic aggregation }\n  }\n"): (typeof documents)["\n  query AtlasProfile($code: ID!, $indicators: [ID!]!, $indicator: ID!, $year: Int!) {\n    region(code: $code) {\n      code\n      name\n      officialType\n      level\n      values(indicators: $indicators) { indicatorCode year value aggregated }\n      parent { code name values(indicators: $indicators) { indicatorCode year value aggregated } }\n      rank(indicator: $indicator, year: $year) { rank of percentile value }\n      projects { id title status startDate endDate totalFundingCents synthetic funding { amountCents commitmentYear programme { name } } }\n      cooperations { id name kind }\n      office { name seat }\n    }\n    state: region(code: \"03\") { code name values(indicators: $indicators) { indicatorCode year value aggregated } }\n    chosen: indicators { code name unit decimals attribution synthetic aggregation }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AtlasCompare($codes: [ID!]!, $indicator: ID!) {\n    ...AtlasCatalogue\n    indicator(code: $indicator) { code name unit decimals attribution synthetic }\n    regionsByCodes(codes: $codes) { code name values(indicators: [$indicator]) { year value aggregated } }\n  }\n"): (typeof documents)["\n  query AtlasCompare($codes: [ID!]!, $indicator: ID!) {\n    ...AtlasCatalogue\n    indicator(code: $indicator) { code name unit decimals attribution synthetic }\n    regionsByCodes(codes: $codes) { code name values(indicators: [$indicator]) { year value aggregated } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AtlasTable($indicator: ID!, $indicators: [ID!]!, $level: RegionLevel!, $area: ID!, $fromYear: Int, $toYear: Int) {\n    ...AtlasCatalogue\n    observationTable(indicators: $indicators, regions: { level: $level, parentCode: $area }, fromYear: $fromYear, toYear: $toYear) {\n      indicators { code name unit decimals attribution synthetic }\n      regions { code name }\n      rows { regionCode year values cells { aggregated } }\n    }\n  }\n"): (typeof documents)["\n  query AtlasTable($indicator: ID!, $indicators: [ID!]!, $level: RegionLevel!, $area: ID!, $fromYear: Int, $toYear: Int) {\n    ...AtlasCatalogue\n    observationTable(indicators: $indicators, regions: { level: $level, parentCode: $area }, fromYear: $fromYear, toYear: $toYear) {\n      indicators { code name unit decimals attribution synthetic }\n      regions { code name }\n      rows { regionCode year values cells { aggregated } }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;