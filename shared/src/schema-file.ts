import { readFileSync, writeFileSync } from 'node:fs';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parseCalendarDate } from './calendar-date';
import type { GraphQLSchema } from 'graphql';

/**
 * The checked-in SDL of a subgraph (composed by the gateway): writes it, or with `check` only
 * compares and exits non-zero when the file is stale.
 */
export function writeSubgraphSchema(schema: GraphQLSchema, file: string, check = process.argv.includes('--check')): void {
  const printed = printSubgraphSchema(schema) + '\n';
  if (!check) {
    writeFileSync(file, printed);
    return;
  }
  if (readFileSync(file, 'utf8') !== printed) {
    console.error(`${file} is stale: run npm run generate`);
    process.exit(1);
  }
}

/** The calendar-date scalar every subgraph declares identically (composition merges only equal ones). */
export const DATE_SCALAR = {
  description: 'A calendar date in ISO 8601 form (YYYY-MM-DD).',
  serialize: (date: Date) => date.toISOString().slice(0, 10),
  // Parsed and checked here, once for every argument and input field: resolvers get a real day at
  // midnight UTC, and an impossible one (2021-02-30) is refused like a malformed one.
  parseValue: (value: unknown): Date => {
    const day = typeof value === 'string' ? parseCalendarDate(value) : null;
    if (!day) throw new TypeError('Date must be a calendar date, YYYY-MM-DD');
    return day;
  },
};

/**
 * The RegionLevel enum as every subgraph declares it: federation composes an enum used for input and
 * output only when each subgraph defines it identically.
 */
export const REGION_LEVEL_ENUM = {
  description: 'Levels of the administrative hierarchy of Lower Saxony, from the top.',
  values: {
    STATE: { description: 'The state of Lower Saxony (ARS 03).' },
    DISTRICT: { description: 'The area of an Amt für regionale Landesentwicklung (031–034; the former Regierungsbezirke, NUTS-2).' },
    COUNTY: { description: 'A Landkreis, the Region Hannover or a kreisfreie Stadt (NUTS-3).' },
    MUNICIPAL_ASSOCIATION: { description: 'A Samtgemeinde, an association of member municipalities.' },
    MUNICIPALITY: { description: 'A municipality (Gemeinde or Stadt), including gemeindefreie Gebiete.' },
  },
} as const;
