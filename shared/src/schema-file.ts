import { readFileSync, writeFileSync } from 'node:fs';
import { printSubgraphSchema } from '@apollo/subgraph';
import { Kind, type GraphQLSchema, type ValueNode } from 'graphql';
import { formatCalendarDate, parseCalendarDate, parseMoment } from './calendar-date';

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
  serialize: formatCalendarDate,
  // Parsed and checked here, once for every argument and input field: resolvers get a real day at
  // midnight UTC, and an impossible one (2021-02-30) is refused like a malformed one.
  parseValue: (value: unknown): Date => {
    const day = typeof value === 'string' ? parseCalendarDate(value) : null;
    if (!day) throw new TypeError('Date must be a calendar date, YYYY-MM-DD, of the years 0001–9999');
    return day;
  },
};

/**
 * A moment in time (ISO 8601 with milliseconds, UTC), declared identically by every subgraph that
 * exposes one: change feeds and audit trails.
 */
export const DATE_TIME_SCALAR = {
  description: 'A moment in time in ISO 8601 form, UTC (e.g. "2026-12-02T04:30:00.000Z").',
  serialize: (moment: Date) => moment.toISOString(),
  parseValue: (value: unknown): Date => {
    const moment = typeof value === 'string' ? parseMoment(value) : null;
    if (!moment)
      throw new TypeError(
        `DateTime must be an ISO 8601 moment with a time zone, on a real day of the years 0001–9999, e.g. 2026-12-02T04:30:00Z`,
      );
    return moment;
  },
  parseLiteral: (node: ValueNode): Date => {
    if (node.kind !== Kind.STRING) throw new TypeError('DateTime must be a string');
    return DATE_TIME_SCALAR.parseValue(node.value);
  },
};

/** Any JSON value, as stored (output only: the old and new values of an audit entry). */
export const JSON_SCALAR = {
  description: 'Any JSON value (output only): the old or new value of a field in an audit entry.',
  serialize: (value: unknown) => value,
  parseValue: (): never => {
    throw new TypeError('JSON is an output type only');
  },
};

/** The largest integer JSON (and JavaScript's number) carries exactly: 2^53 − 1. */
export const MAX_EXACT_CENTS = BigInt(Number.MAX_SAFE_INTEGER);

function centsFrom(value: unknown): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d{1,18}$/.test(value)) return BigInt(value);
  throw new TypeError('Cents must be a whole number of euro cents (a JSON integer, or a string of digits for very large amounts)');
}

/**
 * Money as exact integer cents end to end (bigint in the database and in the resolvers). JSON numbers
 * keep integers exact up to 2^53 − 1 cents (≈ 90 trillion euros), far above any sum here, so the
 * scalar is serialized as a number clients can compute with; a larger value fails loudly instead of
 * being rounded. Every subgraph that carries money declares it from here, identically.
 */
export const CENTS_SCALAR = {
  description:
    'An amount of money in euro cents, an exact integer (100 = 1 €). Serialized as a JSON number, exact up to 2^53 − 1; ' +
    'input may also be a string of digits.',
  serialize: (cents: bigint): number => {
    if (cents > MAX_EXACT_CENTS || cents < -MAX_EXACT_CENTS) throw new TypeError(`${cents} cents exceed the exactly representable range`);
    return Number(cents);
  },
  parseValue: centsFrom,
  parseLiteral: (node: ValueNode): bigint => {
    if (node.kind === Kind.INT || node.kind === Kind.STRING) return centsFrom(node.value);
    throw new TypeError('Cents must be an integer or a string of digits');
  },
};

/**
 * The scalars clients send values of, by their name in the schema. The gateway checks such values
 * with these same parsers before a subgraph sees them: Apollo Gateway knows the scalars by name only.
 */
export const INPUT_SCALARS = { Date: DATE_SCALAR, DateTime: DATE_TIME_SCALAR, Cents: CENTS_SCALAR } as const;

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

/**
 * The Language enum as every subgraph declares it (identically, as REGION_LEVEL_ENUM): the language
 * of a text RegioGraph writes itself (a method's description, its own attributions), chosen by a
 * field's `language` argument. Texts of the sources (names, the providers' attributions) are never
 * translated.
 */
export const LANGUAGE_ENUM = {
  description: 'The language of a text RegioGraph writes itself; the sources’ own texts are given as the sources give them.',
  values: {
    EN: { description: 'English, the default of every `language` argument.' },
    DE: { description: 'German (Deutsch), as the Atlas shows its texts.' },
  },
} as const;

/** A value of the Language enum. */
export type Language = keyof (typeof LANGUAGE_ENUM)['values'];

/** Every `language` argument but its type (each subgraph's Language enum): `t.arg({ type: LanguageEnum, ...LANGUAGE_ARGUMENT })`. */
export const LANGUAGE_ARGUMENT = {
  required: true,
  defaultValue: 'EN',
  description: 'The language of the text; default EN (English).',
} as const;
