/* eslint-disable */
import * as types from './graphql';



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
    "query Steckbrief($code: ID!, $indicators: [ID!]!) {\n  region(code: $code) {\n    code\n    name\n    officialType\n    level\n    county {\n      code\n      name\n      officialType\n    }\n    source {\n      attribution\n      url\n    }\n    population: value(indicator: \"population\") {\n      ...SteckbriefValue\n    }\n    values(indicators: $indicators, latest: true) {\n      ...SteckbriefValue\n    }\n    cooperations(through: ALL) {\n      id\n      name\n      kind\n      synthetic\n      attribution\n    }\n    projects {\n      id\n      title\n      status\n      synthetic\n      attribution\n    }\n  }\n}\n\nfragment SteckbriefValue on Observation {\n  indicatorCode\n  year\n  value\n  status\n  aggregated\n  attribution\n  indicator {\n    name\n    unit\n    decimals\n    synthetic\n    attribution\n    source {\n      licence\n      url\n    }\n  }\n}": typeof types.SteckbriefDocument,
};
const documents: Documents = {
    "query Steckbrief($code: ID!, $indicators: [ID!]!) {\n  region(code: $code) {\n    code\n    name\n    officialType\n    level\n    county {\n      code\n      name\n      officialType\n    }\n    source {\n      attribution\n      url\n    }\n    population: value(indicator: \"population\") {\n      ...SteckbriefValue\n    }\n    values(indicators: $indicators, latest: true) {\n      ...SteckbriefValue\n    }\n    cooperations(through: ALL) {\n      id\n      name\n      kind\n      synthetic\n      attribution\n    }\n    projects {\n      id\n      title\n      status\n      synthetic\n      attribution\n    }\n  }\n}\n\nfragment SteckbriefValue on Observation {\n  indicatorCode\n  year\n  value\n  status\n  aggregated\n  attribution\n  indicator {\n    name\n    unit\n    decimals\n    synthetic\n    attribution\n    source {\n      licence\n      url\n    }\n  }\n}": types.SteckbriefDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Steckbrief($code: ID!, $indicators: [ID!]!) {\n  region(code: $code) {\n    code\n    name\n    officialType\n    level\n    county {\n      code\n      name\n      officialType\n    }\n    source {\n      attribution\n      url\n    }\n    population: value(indicator: \"population\") {\n      ...SteckbriefValue\n    }\n    values(indicators: $indicators, latest: true) {\n      ...SteckbriefValue\n    }\n    cooperations(through: ALL) {\n      id\n      name\n      kind\n      synthetic\n      attribution\n    }\n    projects {\n      id\n      title\n      status\n      synthetic\n      attribution\n    }\n  }\n}\n\nfragment SteckbriefValue on Observation {\n  indicatorCode\n  year\n  value\n  status\n  aggregated\n  attribution\n  indicator {\n    name\n    unit\n    decimals\n    synthetic\n    attribution\n    source {\n      licence\n      url\n    }\n  }\n}"): typeof import('./graphql').SteckbriefDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
