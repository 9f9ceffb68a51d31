// How a subgraph declares what its fields cost, for the gateway's demand control: Federation 2.9's
// @cost and @listSize (the GraphQL cost directive specification), and @sizedBy for lists whose size
// follows from arguments that are not integers (a list of codes, a level, a year range), which the
// specification's slicing arguments cannot express. Composition carries all three into the
// supergraph (@sizedBy through @composeDirective). One place, so every subgraph declares the same.
import {
  DirectiveLocation,
  GraphQLBoolean,
  GraphQLDirective,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLString,
  specifiedDirectives,
} from 'graphql';
import { regionCatalogue } from './region-catalogue';
import { REGION_LEVELS, type RegionLevelName } from './region-codes';

/** The federation version every subgraph links: 2.9 is the first with @cost and @listSize. */
export const FEDERATION_LINK_URL = 'https://specs.apollo.dev/federation/v2.9';

/** Federation directives every subgraph imports besides its own (@key, @shareable, …). */
export const COST_DIRECTIVES = ['@cost', '@listSize'] as const;

export interface ListSizeArguments {
  /** The size when no slicing argument says it (an upper bound from the data). */
  assumedSize?: number;
  /** Integer arguments whose value is the size (a page size); with several, the largest counts. */
  slicingArguments?: string[];
  /** Lists inside the returned object that the size applies to (a connection's nodes). */
  sizedFields?: string[];
  /** False where the slicing arguments are optional. */
  requireOneSlicingArgument?: boolean;
}

/** `directives` of a Pothos field: @listSize with these arguments. */
export function listSize(args: ListSizeArguments): { listSize: ListSizeArguments } {
  return { listSize: args };
}

/** `directives` of a Pothos field: @cost(weight:), for fields far heavier than an object. */
export function cost(weight: number): { cost: { weight: number } } {
  return { cost: { weight } };
}

/** The link that names @sizedBy, @readsLevel and @widenedBy, RegioGraph's own directives (composed like any custom directive). */
export const SIZED_BY_LINK_URL = 'https://specs.regiograph.dev/sizing/v0.1';

/** @sizedBy's definition, which every subgraph's schema carries. */
export const SIZED_BY_DIRECTIVE = new GraphQLDirective({
  name: 'sizedBy',
  description:
    'How many items a list returns, from its arguments: a list counts its items, a region selection or level its regions, ' +
    'fromYear/toYear their years; several multiply (indicators × regions × years). sizedFields: the lists inside the returned object ' +
    'that this sizes, a path for a list further in ("rows.values": the values of each row). Repeatable: each occurrence sizes its ' +
    'own lists by its own arguments (a table’s regions by its regions, its rows by regions × years, each row’s values by its indicators).',
  locations: [DirectiveLocation.FIELD_DEFINITION],
  isRepeatable: true,
  args: {
    arguments: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(GraphQLString))), description: 'The sizing arguments.' },
    sizedFields: {
      type: new GraphQLList(new GraphQLNonNull(GraphQLString)),
      description: 'Lists of the returned object that the size applies to, as paths of field names joined by dots.',
    },
    everyYear: {
      type: GraphQLBoolean,
      defaultValue: false,
      description:
        'The list holds every year of fromYear–toYear, stored or not (a table’s grid): a closed range counts all its years, an ' +
        'open end reaches to the first or last year of the data. Without it, only years with data count (at most the longest series).',
    },
    assumedSize: {
      type: GraphQLInt,
      description: 'The size when none of the arguments is given (an upper bound); else @listSize(assumedSize:).',
    },
    within: {
      type: GraphQLString,
      description:
        'The argument naming a region whose regions of the level argument alone count (a ranking within a county); ' +
        '"parent.<argument>" names an argument of the field that returned the parent object (a region’s descendants under region(code:)).',
    },
    emptyIsAbsent: {
      type: GraphQLBoolean,
      defaultValue: false,
      description:
        'An empty list counts as absent, for the field then takes its default (a report’s default profile of indicators): assumedSize sizes it.',
    },
    dataBound: {
      type: GraphQLString,
      description:
        'A figure the gateway reads from the stored data whenever the data version moves (DATA_BOUNDS: the most members of a ' +
        'cooperation, the imports stored) that bounds the list: the smaller of it and the arguments’ size, or it alone without ' +
        'arguments. Until it is read, or where its read failed, the arguments or assumedSize size the list.',
    },
  },
});

export interface SizedByArguments {
  arguments: string[];
  sizedFields?: string[];
  /** Every year of the range counts, stored or not (a table's grid), not only the years with data. */
  everyYear?: boolean;
  /** The size when none of the arguments is given, for this occurrence's lists. */
  assumedSize?: number;
  /**
   * The argument naming a region: a level argument then counts only its regions below that one.
   * `parent.code`: the argument `code` of the field that returned the parent (region(code:)), which
   * the gateway hands on as `parent.code` where that field returned one object.
   */
  within?: string;
  /** An empty list counts as absent (the field then takes its default, e.g. a default profile): assumedSize sizes it. */
  emptyIsAbsent?: boolean;
  /** A figure read from the stored data (a DATA_BOUNDS name) that bounds the list, once the gateway knows it. */
  dataBound?: DataBoundName;
}

/**
 * Figures of the stored data that bound lists whose size no argument says and a write can grow,
 * which the gateway reads from the subgraphs whenever the data version moves (as it reads the data
 * years, gateway/src/data-years.ts): a declared size from the shipped data is under what a partner
 * may write, and one from the write limits far over what is stored.
 */
export const DATA_BOUNDS = {
  /** The most memberships one cooperation has (Query.largestMembership): Cooperation.members. */
  largestMembership: 'largestMembership',
  /** The imports that wrote observations (Query.importCount): an observation table's imports. */
  importCount: 'importCount',
} as const;
export type DataBoundName = keyof typeof DATA_BOUNDS;

/** `directives` of a Pothos field: @sizedBy with these arguments, with @listSize(assumedSize:) as the bound when they are absent. */
export function sizedBy(args: SizedByArguments, assumedSize?: number): { sizedBy: SizedByArguments; listSize?: ListSizeArguments } {
  // @listSize on an object (not a list) must name the lists it sizes.
  return assumedSize === undefined
    ? { sizedBy: args }
    : { sizedBy: args, listSize: { assumedSize, ...(args.sizedFields ? { sizedFields: args.sizedFields } : {}) } };
}

/**
 * `directives` of a Pothos field whose lists different arguments size (an observation table: its
 * regions by `regions`, its rows by regions × years, each row's values by `indicators`): one
 * @sizedBy per set of lists, where a single one would hand every list the size of the largest.
 */
export function sizedByEach(occurrences: SizedByArguments[]): { name: 'sizedBy'; args: SizedByArguments }[] {
  return occurrences.map((args) => ({ name: 'sizedBy', args }));
}

/** One indicator's series: its first and last year with observations and how many years have them. */
export interface SeriesYears {
  first: number;
  last: number;
  count: number;
}

/**
 * The years the stored observations span, of every indicator and level, which an open year range
 * reaches at most, and, where known, each indicator's series by code: an open range of the
 * indicators an argument names then reaches only to theirs (see yearsOf).
 */
export interface DataYears {
  readonly first: number;
  readonly last: number;
  readonly series?: ReadonlyMap<string, SeriesYears>;
  /** The DATA_BOUNDS figures read with the years; one absent is unknown (its list takes its declared size). */
  readonly bounds?: Readonly<Partial<Record<DataBoundName, number>>>;
}

/**
 * The years of the shipped observations, of every indicator and level (the monitoring files; the
 * indicators subgraph's list-size test holds the seeded coverage to them). The floor of the span an
 * estimate counts: an import of later (or earlier) years widens it, which the gateway learns from
 * the indicators subgraph when the data version moves (gateway/src/data-years.ts). Its bounds are
 * the shipped data's (the cooperations' list-size test holds them), which only a gateway that reads
 * nothing from the data (DEMAND_CONTROL_DATA_YEARS=false) estimates with, as it does with these
 * years: writes since are then under-priced. A gateway whose read failed knows no bound.
 */
export const DATA_YEARS: DataYears = { first: 1983, last: 2023, bounds: { largestMembership: 17 } };

/** Years of the longest shipped series (municipal area and population 1983–2023), for an open year range. */
export const MAX_YEAR_SPAN = DATA_YEARS.last - DATA_YEARS.first + 1;

/**
 * The argument that names the indicators whose years a list follows (a table's columns, a region's
 * values): with their series known, an open year range reaches only to theirs.
 */
const INDICATORS_ARGUMENT = 'indicators';

const regionsBelow = new Map<string, number>();

/**
 * The regions of a selection `{ level, parentCode }`: those of the level below the parent. Sized by
 * the whole level, a table of one county's municipalities was estimated as one of all 967 and
 * refused as too costly.
 */
function regionsOfLevelBelow(level: string, parentCode: string): number | null {
  if (!(level in regionsPerLevel()) || !regionCatalogue().has(parentCode)) return null;
  const key = `${level}|${parentCode}`;
  let count = regionsBelow.get(key);
  if (count === undefined) {
    count = regionCatalogue().below(parentCode, level as RegionLevelName).length;
    regionsBelow.set(key, count);
  }
  return count;
}

/** How many items one @sizedBy argument's value stands for, or null when it is absent. */
function sizeOfArgument(value: unknown): number | null {
  if (typeof value === 'number') return Math.max(0, Math.floor(value));
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'string') return regionsPerLevel()[value] ?? null;
  if (value && typeof value === 'object') {
    const selection = value as { codes?: unknown; level?: unknown; parentCode?: unknown };
    if (Array.isArray(selection.codes)) return selection.codes.length;
    if (typeof selection.level === 'string') {
      const below = typeof selection.parentCode === 'string' ? regionsOfLevelBelow(selection.level, selection.parentCode) : null;
      return below ?? regionsPerLevel()[selection.level] ?? null;
    }
  }
  return null;
}

const YEAR_ARGUMENTS = new Set(['fromYear', 'toYear']);

/**
 * The series of the indicators `listed` names, or null where any is unknown, or none has a year with
 * observations (then the whole span counts): a resolver's open range ends at their years, which an
 * import may since have widened only by bumping the data version, and so the series.
 */
function seriesOf(listed: unknown, years: DataYears): SeriesYears[] | null {
  if (!years.series || !Array.isArray(listed) || listed.length === 0) return null;
  const named: SeriesYears[] = [];
  for (const code of listed) {
    const series = typeof code === 'string' ? years.series.get(code) : undefined;
    if (!series) return null;
    if (series.count > 0) named.push(series);
  }
  return named.length > 0 ? named : null;
}

/** The years `fromYear`–`toYear` stand for (see @sizedBy's everyYear), the data's span being `years`. */
function yearsOf(declaration: SizedByArguments, args: Readonly<Record<string, unknown>>, years: DataYears): number {
  if (!declaration.arguments.some((name) => YEAR_ARGUMENTS.has(name))) return 1;
  const from = typeof args.fromYear === 'number' ? args.fromYear : null;
  const to = typeof args.toYear === 'number' ? args.toYear : null;
  const named = seriesOf(args[INDICATORS_ARGUMENT], years);
  if (!declaration.everyYear) {
    // Only years with data: at most the longest series of the indicators named, else of all.
    const longest = named ? Math.max(...named.map((series) => series.count)) : years.last - years.first + 1;
    return from !== null && to !== null ? Math.max(0, Math.min(to - from + 1, longest)) : longest;
  }
  // A grid has a cell in every year of its range, stored or not: 1900–2100 is 201 years of cells.
  // An open end is the named indicators' first or last year, so at most the data's.
  const first = from ?? (named ? Math.min(...named.map((series) => series.first)) : years.first);
  const last = to ?? (named ? Math.max(...named.map((series) => series.last)) : years.last);
  return Math.max(0, last - first + 1);
}

/**
 * The size one @sizedBy gives its lists for these argument values (literals and variables alike):
 * the product of its arguments' sizes and its years (of the data's span `years`, DATA_YEARS unless
 * the caller knows the stored data's). Where one of its other arguments cannot be
 * read (absent, a variable left unset), its assumedSize; without one, an argument left out beside
 * one given counts as none (a cooperation network takes `regionCodes` or `level`), and with none
 * given the size is null, for @listSize(assumedSize:) to bound the list. A dataBound the caller has
 * read (`years.bounds`) caps that size, or gives it where the arguments give none.
 */
export function sizeFromArguments(
  declaration: SizedByArguments,
  args: Readonly<Record<string, unknown>>,
  years: DataYears = DATA_YEARS,
): number | null {
  const size = sizeOfArguments(declaration, args, years);
  const bound = declaration.dataBound === undefined ? undefined : years.bounds?.[declaration.dataBound];
  if (bound === undefined) return size;
  return size === null ? bound : Math.min(size, bound);
}

/** sizeFromArguments before a data bound: null without arguments or with none of them given. */
function sizeOfArguments(declaration: SizedByArguments, args: Readonly<Record<string, unknown>>, years: DataYears): number | null {
  if (declaration.arguments.length === 0) return null;
  const parent = declaration.within === undefined ? undefined : args[declaration.within];
  const sizes = declaration.arguments
    .filter((name) => !YEAR_ARGUMENTS.has(name))
    .map((name) => {
      const given = args[name];
      const value = declaration.emptyIsAbsent && Array.isArray(given) && given.length === 0 ? undefined : given;
      // A level within a parent: its regions below that parent (an unknown parent: the whole level).
      const below = typeof value === 'string' && typeof parent === 'string' ? regionsOfLevelBelow(value, parent) : null;
      return below ?? sizeOfArgument(value);
    });
  const given = sizes.filter((size): size is number => size !== null);
  if (given.length < sizes.length && declaration.assumedSize !== undefined) return declaration.assumedSize;
  if (sizes.length > 0 && given.length === 0) return null;
  return given.reduce((product, size) => product * size, yearsOf(declaration, args, years));
}

/**
 * @widenedBy's definition: a list whose size one argument widens by orders of magnitude (a region's
 * own projects, at most 6 in the shipped data, against the state's with includeDescendants, all
 * 150). One @listSize per field cannot follow an argument: sized for the wide case, a partner's read
 * of 1,000 municipalities' own projects was priced 181,001 points, over the limit, for about 6,000
 * rows; sized for the narrow case, the state's read with its descendants was priced a sixth of its
 * rows.
 */
export const WIDENED_BY_DIRECTIVE = new GraphQLDirective({
  name: 'widenedBy',
  description:
    'The list holds at most narrowSize items unless one of these arguments widens it (a Boolean given as true, or another ' +
    'value than the argument’s default): then @listSize(assumedSize:) sizes it.',
  locations: [DirectiveLocation.FIELD_DEFINITION],
  args: {
    arguments: {
      type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(GraphQLString))),
      description: 'The arguments that widen the list.',
    },
    narrowSize: { type: new GraphQLNonNull(GraphQLInt), description: 'The size while none of them widens it.' },
  },
});

export interface WidenedByArguments {
  arguments: string[];
  narrowSize: number;
}

/**
 * `directives` of a Pothos field whose list these arguments widen: @listSize(assumedSize: wideSize)
 * for the wide case, @widenedBy(narrowSize:) while none of them widens it.
 */
export function widenedBy(
  args: string[],
  sizes: { narrowSize: number; wideSize: number },
): { listSize: ListSizeArguments; widenedBy: WidenedByArguments } {
  return { listSize: { assumedSize: sizes.wideSize }, widenedBy: { arguments: args, narrowSize: sizes.narrowSize } };
}

/**
 * What a report over every region of a level (disparities, funding against need) weighs per region
 * of its level, whatever the query selects of it. Such a report reads and standardises every region
 * of the level before it answers anything: a probe asked 30 aliases of a municipal disparities report
 * for `rankedRegions` alone, each in another year so that none shared the request's memo, and the
 * indicators subgraph spent 1.8–2.3 s of CPU on 30 statements reading 330,000–630,000 rows for an
 * estimate of 30 points (a list of 1,000 regions, estimated at 1,001, takes about 0.13 s); eight such
 * requests at once, cheap to the gateway and so never shed, held cheap queries of that subgraph
 * 5–10 s. One point per region prices a municipal report (60–80 ms of CPU) like a list of as many
 * regions.
 */
export const REPORT_WEIGHT_PER_REGION = 1;

/** A report's lists with an item per indicator of its profile: the argument naming them, and how many its default profile has. */
export interface ProfileLists {
  argument: string;
  /** The indicators of the default profile, which the report takes when the argument is absent or empty. */
  defaultIndicators: number;
  sizedFields: string[];
}

/**
 * `directives` of a Pothos field that reports on every region of its `level`: @sizedBy the level
 * (handed to `sizedFields`, the lists and texts with a row per region) and @cost(weight:
 * REPORT_WEIGHT_PER_REGION), which the gateway counts once per region of the level because the
 * field is sized (gateway/src/demand-control.ts). With `profile`, a second @sizedBy sizes the lists
 * with an item per indicator by the indicators named, or the default profile's: at the most a
 * profile takes, a report on 2 indicators was priced 30 scores per region.
 */
export function levelReport(sizedFields: string[], profile?: ProfileLists): { name: string; args: object }[] {
  const perIndicator: SizedByArguments[] = profile
    ? [{ arguments: [profile.argument], sizedFields: profile.sizedFields, assumedSize: profile.defaultIndicators, emptyIsAbsent: true }]
    : [];
  return [
    ...sizedByEach([{ arguments: ['level'], sizedFields }, ...perIndicator]),
    { name: 'cost', args: cost(REPORT_WEIGHT_PER_REGION).cost },
  ];
}

/**
 * @readsLevel's definition: a field on a region that reads every region of that region's level
 * before it answers (a similarity search reads and standardises the level's profile), whose
 * arguments the estimate cannot turn into a level because the level is the parent's.
 */
export const READS_LEVEL_DIRECTIVE = new GraphQLDirective({
  name: 'readsLevel',
  description:
    'The field reads its parent region’s level on the indicators an argument lists, once for all parents at one place of a query ' +
    '(one subgraph fetch, one memo): it weighs weightPerIndicator once per indicator read at each place it is selected, whatever ' +
    'the parents and whatever is selected of it.',
  locations: [DirectiveLocation.FIELD_DEFINITION],
  args: {
    weightPerIndicator: { type: new GraphQLNonNull(GraphQLInt), description: 'Points per indicator read over the level.' },
    indicators: { type: new GraphQLNonNull(GraphQLString), description: 'The argument that lists the indicators read.' },
    assumedIndicators: {
      type: new GraphQLNonNull(GraphQLInt),
      description: 'The indicators read when that argument is absent or empty (the default profile).',
    },
    sizedFields: {
      type: new GraphQLList(new GraphQLNonNull(GraphQLString)),
      description: 'Lists of the returned object with an item per indicator read (paths of field names joined by dots), sized by them.',
    },
  },
});

/**
 * What reading one indicator over a level weighs (a similarity search's profile): the read is one
 * statement that, per indicator, finds the year (an index scan over the indicator's observations)
 * and reads that year's value of every region of the level, then standardises each column. Its work
 * follows the indicators, not the regions: counted end to end (test/analytics.test.ts), a
 * municipality's search on the default profile is 2 statements (the catalogue and the profile) and
 * reads 966 rows, on 26 municipal indicators 23,394 rows. Timed on one probe run (wall time, the
 * subgraph and PostgreSQL on 2 shared cores, 5 searches each in other years): 60–80 ms per search on
 * one indicator (a county's 45 rows or a municipality's ~900 alike: the statement and the year's
 * lookup, not the rows, set it), 167 ms on 6 municipal indicators, 770 ms on 26, 251 ms on 30 county
 * indicators: 17–27 ms more per municipal indicator, 6.5 ms per county one. A list of the 967
 * municipalities (968 points) took 219 ms in the same run, 0.23 ms a point, so an indicator read over
 * the largest level is 75–117 points; 100 prices it at the top of that range, which leaves room for
 * the levels above the municipalities (166 regions) that parents of several levels at one place add.
 * Priced before at one point per region of all levels (1,133) whatever the indicators, a search on
 * the default profile (~80 ms) cost more than the cheap threshold (1,000) and was shed under load,
 * while one on 26 indicators (~770 ms) cost the same.
 */
export const LEVEL_READ_WEIGHT_PER_INDICATOR = 100;

/**
 * `directives` of a Pothos field on a region that reads its level's profile on the indicators of
 * its argument `indicators` (similarRegions): LEVEL_READ_WEIGHT_PER_INDICATOR per indicator, or per
 * indicator of the default profile (`assumedIndicators`) when the argument is absent, at each place
 * of a query rather than per parent, for the parents at one place share one read per level (the
 * request's memo). Aliases in other years each read again, and each is priced again: a probe's 30
 * aliases of a municipality's search in other years took 31 statements. `sizedFields`: the lists
 * with an item per indicator read (its contributions per region), sized by as many: at the most a
 * profile takes, a search on 2 indicators was priced 30 contributions per region.
 */
export function readsLevel(
  indicators: string,
  assumedIndicators: number,
  sizedFields: string[],
): { readsLevel: { weightPerIndicator: number; indicators: string; assumedIndicators: number; sizedFields: string[] } } {
  return { readsLevel: { weightPerIndicator: LEVEL_READ_WEIGHT_PER_INDICATOR, indicators, assumedIndicators, sizedFields } };
}

let perLevel: Readonly<Record<string, number>> | null = null;

/** Regions per level (the region catalogue, BKG VG5000, 01.01.2021): the size of "all regions of a level". Read on first use. */
export function regionsPerLevel(): Readonly<Record<string, number>> {
  perLevel ??= Object.fromEntries(REGION_LEVELS.map((level) => [level, regionCatalogue().atLevel(level).length]));
  return perLevel;
}

/** Regions of the largest level (the municipalities, 967): the most one read of a level reads. */
export function regionsOfLargestLevel(): number {
  return Math.max(...Object.values(regionsPerLevel()));
}

/**
 * `directives` of a field that reads the level of a region its parent names, where the parents at
 * one place need not share the read (a project's transfer candidates: each project compares its lead
 * region in its own start year on its own indicators, and the request's memo shares only equal
 * profiles): `weight` plus REPORT_WEIGHT_PER_REGION per region of the largest level, per parent,
 * since the estimate sees neither the parent's level nor whether two parents read alike. A probe
 * asked five aliases of `projects(first: 100)`'s transfer candidates (other orders): 478 statements,
 * each over a whole level, and ~3.9 s of CPU, estimated at 25,505 points (disparities: ~270 ms for
 * 29,010); one page of 100 took 87 statements. Where the parents do share the read (a region's
 * similarRegions), readsLevel prices it once per place instead.
 */
export function readsParentLevel(weight: number): { cost: { weight: number } } {
  return cost(weight + REPORT_WEIGHT_PER_REGION * regionsOfLargestLevel());
}

/** The options of `builder.toSubGraphSchema` every subgraph passes, with its own federation directives. */
export function subgraphSchemaOptions(federationDirectives: readonly string[]) {
  const composeDirectives: `@${string}`[] = ['@sizedBy', '@readsLevel', '@widenedBy'];
  return {
    linkUrl: FEDERATION_LINK_URL,
    federationDirectives: [...federationDirectives, ...COST_DIRECTIVES],
    composeDirectives,
    // The schema's directives are these: without the specified ones, @include and @skip would be unknown.
    directives: [...specifiedDirectives, SIZED_BY_DIRECTIVE, READS_LEVEL_DIRECTIVE, WIDENED_BY_DIRECTIVE],
    extensions: { directives: [{ name: 'link', args: { url: SIZED_BY_LINK_URL, import: ['@sizedBy', '@readsLevel', '@widenedBy'] } }] },
  };
}
