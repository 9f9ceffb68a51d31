import type { GraphQLRequestContext, GraphQLRequestContextDidResolveOperation, GraphQLRequestListener } from '@apollo/server';
import {
  buildSchema,
  GraphQLError,
  Kind,
  parse,
  print,
  visit,
  type DocumentNode,
  type FieldNode,
  type OperationDefinitionNode,
} from 'graphql';
import { DATA_VERSION_KEY, DATA_YEARS, LEVEL_READ_WEIGHT_PER_INDICATOR, regionCatalogue, type DataYears } from '@regiograph/shared';
import type { GatewayContext } from './context';
import {
  actualCost,
  costCheckOf,
  DEFAULT_LIST_SIZE,
  demandControlPlugin,
  documentedMaximum,
  estimateCost,
  MAX_YEAR_SPAN,
  memoisedEstimator,
  readCostDeclarations,
  REGIONS_PER_LEVEL,
} from './demand-control';
import { DataYearsSource, type IndicatorYears } from './data-years';
import { Supergraph } from '@apollo/federation-internals';
import { EXPORT_OPERATION } from './export';
import { dataVersionPlugin } from './plugins';
import { MemoryStore } from './store';
import { startDemandControlRequest } from './testing/demand-control-request';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const SDL = `
  directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
  directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
  directive @sizedBy(arguments: [String!]!, sizedFields: [String!], everyYear: Boolean = false, assumedSize: Int, within: String) repeatable on FIELD_DEFINITION
  enum Level { STATE DISTRICT COUNTY MUNICIPAL_ASSOCIATION MUNICIPALITY }
  input Selection { codes: [ID!] level: Level parentCode: ID }
  type Query {
    region(code: ID!): Region
    regions(first: Int): Connection! @listSize(assumedSize: 50, slicingArguments: ["first"], sizedFields: ["nodes"], requireOneSlicingArgument: false)
    byCodes(codes: [ID!]!): [Region!]! @sizedBy(arguments: ["codes"]) @listSize(assumedSize: 1000)
    table(indicators: [ID!]!, regions: Selection!, fromYear: Int, toYear: Int): Table!
      @sizedBy(arguments: ["indicators", "regions", "fromYear", "toYear"], sizedFields: ["cells"])
    ranked(level: Level!, withinParent: ID): [Region!]! @sizedBy(arguments: ["level"], within: "withinParent")
    grid(indicators: [ID!]!, regions: Selection!, fromYear: Int, toYear: Int): Grid!
      @sizedBy(arguments: ["indicators", "regions", "fromYear", "toYear"], everyYear: true, sizedFields: ["cells"], assumedSize: 100000)
      @sizedBy(arguments: ["regions", "fromYear", "toYear"], everyYear: true, sizedFields: ["rows"], assumedSize: 100000)
      @sizedBy(arguments: ["indicators"], sizedFields: ["rows.cells"], assumedSize: 100000)
      @sizedBy(arguments: ["regions"], sizedFields: ["regions"], assumedSize: 2000)
  }
  type Grid { cells: [Cell!]! rows: [Row!]! regions: [Region!]! }
  type Row { region: Region cells: [Cell!]! }
  type Mutation { touch: Region }
  type Connection { nodes: [Region!]! total: Int! }
  type Table { cells: [Cell!]! }
  type Cell { value: Float }
  type Region {
    code: ID!
    name: String!
    parent: Region
    children: [Region!]!
    descendants(level: Level): [Region!]! @sizedBy(arguments: ["level"]) @listSize(assumedSize: 1132)
    boundary: String @cost(weight: 20)
  }
`;
const schema = buildSchema(SDL);
const declarations = readCostDeclarations(SDL);

/** The list sizes the subgraphs declare, as the gateway reads them from the composed supergraph. */
const supergraphDeclarations = readCostDeclarations(readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8'));
function assumedSize(coordinate: string): number | null | undefined {
  return supergraphDeclarations.listSizes.get(coordinate)?.assumedSize;
}
/** A list per indicator of a profile (scores, contributions, a report's indicators): at most 30 (the indicators subgraph's MAX_PROFILE). */
const PROFILE_SIZE = 30;
/** The indicators of the default profile, which a report or a search without indicators (or with an empty list) compares. */
const DEFAULT_PROFILE_SIZE = 6;

/** The first field of that name in a document. */
function findField(document: DocumentNode, name: string): FieldNode {
  let found: FieldNode | undefined;
  visit(document, {
    [Kind.FIELD](field: FieldNode) {
      if (!found && field.name.value === name) found = field;
    },
  });
  if (!found) throw new Error(`no field ${name}`);
  return found;
}

/** The Atlas's profile document as the gateway registers it (the persisted manifest of its build). */
function atlasProfile(): DocumentNode {
  const manifest = JSON.parse(
    readFileSync(path.join(__dirname, '..', '..', 'atlas', 'src', 'generated', 'persisted-documents.json'), 'utf8'),
  ) as Record<string, string>;
  return parse(Object.values(manifest).find((text) => text.includes('query AtlasProfile'))!);
}

function estimate(query: string, variables: Record<string, unknown> = {}, stopAbove?: number, years?: DataYears): number {
  const document = parse(query);
  const operation = document.definitions.find((definition) => definition.kind === 'OperationDefinition') as OperationDefinitionNode;
  return estimateCost(schema, declarations, document, operation, variables, stopAbove, years);
}

describe('readCostDeclarations', () => {
  it('reads @cost and @listSize, also under a composed prefix', () => {
    expect(declarations.fieldWeights.get('Region.boundary')).toBe(20);
    expect(declarations.listSizes.get('Query.regions')).toEqual({
      assumedSize: 50,
      slicingArguments: ['first'],
      sizedFields: ['nodes'],
      sizedBy: [],
      narrow: null,
    });
    expect(declarations.listSizes.get('Region.descendants')).toEqual({
      assumedSize: 1132,
      slicingArguments: [],
      sizedFields: [],
      sizedBy: [{ arguments: ['level'], sizedFields: [], everyYear: false }],
      narrow: null,
    });
    // Repeated: each occurrence with its own lists, the first's also the field's own.
    expect(declarations.listSizes.get('Query.grid')?.sizedBy).toEqual([
      { arguments: ['indicators', 'regions', 'fromYear', 'toYear'], sizedFields: ['cells'], everyYear: true, assumedSize: 100_000 },
      { arguments: ['regions', 'fromYear', 'toYear'], sizedFields: ['rows'], everyYear: true, assumedSize: 100_000 },
      { arguments: ['indicators'], sizedFields: ['rows.cells'], everyYear: false, assumedSize: 100_000 },
      { arguments: ['regions'], sizedFields: ['regions'], everyYear: false, assumedSize: 2000 },
    ]);
    expect(declarations.listSizes.get('Query.grid')?.sizedFields).toEqual(['cells']);
    const prefixed = readCostDeclarations('type Query { a: [Int] @cost__listSize(assumedSize: 7) b: Int @cost__cost(weight: 3) }');
    expect(prefixed.listSizes.get('Query.a')?.assumedSize).toBe(7);
    expect(prefixed.fieldWeights.get('Query.b')).toBe(3);
  });
});

describe('estimateCost', () => {
  it('costs objects 1, scalars 0, declared weights and mutations 10', () => {
    expect(estimate('{ region(code: "03") { name code } }')).toBe(1);
    expect(estimate('{ region(code: "03") { parent { name } boundary } }')).toBe(1 + 1 + 20);
    expect(estimate('mutation { touch { name } }')).toBe(10);
  });

  it('sizes lists by slicing arguments, variables, sized fields and assumed sizes', () => {
    expect(estimate('{ regions(first: 10) { total nodes { name } } }')).toBe(1 + 10);
    expect(estimate('query ($n: Int) { regions(first: $n) { nodes { parent { code } } } }', { n: 100 })).toBe(1 + 100 + 100);
    expect(estimate('{ regions { nodes { code } } }')).toBe(1 + 50);
    expect(estimate('query ($c: [ID!]!) { byCodes(codes: $c) { name } }', { c: ['1', '2', '3'] })).toBe(3);
    expect(estimate('{ region(code: "03") { children { name } } }')).toBe(1 + DEFAULT_LIST_SIZE);
    expect(estimate('{ region(code: "03") { children { children { name } } } }')).toBe(1 + DEFAULT_LIST_SIZE + DEFAULT_LIST_SIZE ** 2);
  });

  it('sizes a level from the region tree, and an unsized level by its assumed size', () => {
    expect(estimate('{ region(code: "03") { descendants(level: MUNICIPALITY) { code } } }')).toBe(1 + REGIONS_PER_LEVEL.MUNICIPALITY!);
    expect(estimate('{ region(code: "03") { descendants { code } } }')).toBe(1 + 1132);
  });

  it('multiplies indicators × regions × years for a table', () => {
    const query =
      'query ($i: [ID!]!, $r: Selection!, $f: Int, $t: Int) { table(indicators: $i, regions: $r, fromYear: $f, toYear: $t) { cells { value } } }';
    expect(estimate(query, { i: ['a', 'b'], r: { codes: ['1', '2', '3'] }, f: 2010, t: 2014 })).toBe(1 + 2 * 3 * 5);
    expect(estimate(query, { i: Array.from({ length: 7 }, (_, n) => `i${n}`), r: { level: 'MUNICIPALITY' }, f: 2009, t: 2022 })).toBe(
      1 + 7 * 967 * 14,
    );
    expect(estimate(query, { i: ['a'], r: { level: 'COUNTY' } })).toBe(1 + 45 * MAX_YEAR_SPAN);
    // Below a parent: the regions of the level under it, not the whole level (the 12 municipalities
    // of Landkreis Northeim, the 7 counties of ArL Leine-Weser); an unknown parent counts the level.
    expect(estimate(query, { i: ['a', 'b'], r: { level: 'MUNICIPALITY', parentCode: '03155' } })).toBe(1 + 2 * 12 * MAX_YEAR_SPAN);
    expect(estimate(query, { i: ['a'], r: { level: 'COUNTY', parentCode: '032' }, f: 2020, t: 2020 })).toBe(1 + 7);
    expect(estimate(query, { i: ['a'], r: { level: 'COUNTY', parentCode: '039' }, f: 2020, t: 2020 })).toBe(1 + 45);
  });

  it('sizes each list of a grid by the arguments that make it (@sizedBy repeated, sizedFields as paths), from literals and variables', () => {
    // 3 indicators × 2 regions × 5 years: 10 rows, each with its region and 3 cells; the 2 regions.
    const selection = '{ rows { region { code } cells { value } } regions { code } }';
    expect(
      estimate(`{ grid(indicators: ["a", "b", "c"], regions: { codes: ["1", "2"] }, fromYear: 2010, toYear: 2014) ${selection} }`),
    ).toBe(1 + 10 + 10 * (1 + 3) + 2);
    const query = `query ($i: [ID!]!, $r: Selection!, $f: Int, $t: Int) { grid(indicators: $i, regions: $r, fromYear: $f, toYear: $t) ${selection} }`;
    expect(estimate(query, { i: ['a', 'b', 'c'], r: { codes: ['1', '2'] }, f: 2010, t: 2014 })).toBe(1 + 10 + 10 * (1 + 3) + 2);
    // Before, each list of the table took the size of its cells or the default: 12 municipalities of
    // Landkreis Northeim with 7 indicators in one year were 84 rows of one cell, and 25 regions.
    expect(
      estimate(query, {
        i: Array.from({ length: 7 }, (_, n) => `i${n}`),
        r: { level: 'MUNICIPALITY', parentCode: '03155' },
        f: 2020,
        t: 2020,
      }),
    ).toBe(1 + 12 + 12 * (1 + 7) + 12);
    // The cells of the grid itself stay indicators × regions × years: a path names only the list it leads to.
    expect(
      estimate(
        `query ($i: [ID!]!, $r: Selection!) { grid(indicators: $i, regions: $r, fromYear: 2010, toYear: 2014) { cells { value } } }`,
        { i: ['a', 'b', 'c'], r: { codes: ['1', '2'] } },
      ),
    ).toBe(1 + 3 * 2 * 5);
  });

  it("counts every year of a grid's range, stored or not, and an open end up to the data's first or last year", () => {
    const cells = (years: string) => estimate(`{ grid(indicators: ["a"], regions: { codes: ["1"] }${years}) { cells { value } } }`);
    // A grid answers a cell in each of 201 years (MISSING where nothing is stored); a list of stored
    // observations holds at most the longest series.
    expect(cells(', fromYear: 1900, toYear: 2100')).toBe(1 + 201);
    expect(estimate('{ table(indicators: ["a"], regions: { codes: ["1"] }, fromYear: 1900, toYear: 2100) { cells { value } } }')).toBe(
      1 + MAX_YEAR_SPAN,
    );
    expect(cells('')).toBe(1 + (DATA_YEARS.last - DATA_YEARS.first + 1));
    expect(cells(', fromYear: 2020')).toBe(1 + (DATA_YEARS.last - 2020 + 1));
    expect(cells(', fromYear: 1900')).toBe(1 + (DATA_YEARS.last - 1900 + 1));
    expect(cells(', toYear: 1990')).toBe(1 + (1990 - DATA_YEARS.first + 1));
    expect(cells(`, fromYear: ${DATA_YEARS.last + 1}`)).toBe(1);
    expect(MAX_YEAR_SPAN).toBe(DATA_YEARS.last - DATA_YEARS.first + 1);
  });

  it('reaches an open range to the stored years, past the shipped ones after an import, and to the series of the indicators named', () => {
    const grid = (args: string, years?: DataYears) =>
      estimate(`{ grid(regions: { codes: ["1"] }${args}) { cells { value } } }`, {}, undefined, years);
    const table = (args: string, years?: DataYears) =>
      estimate(`{ table(regions: { codes: ["1"] }${args}) { cells { value } } }`, {}, undefined, years);
    // An import of 2024 values: an open end reaches to 2024, a list of stored years may hold 42.
    const imported: DataYears = { first: DATA_YEARS.first, last: 2024 };
    expect(grid(', indicators: ["a"]', imported)).toBe(1 + (2024 - DATA_YEARS.first + 1));
    expect(grid(', indicators: ["a"], fromYear: 2020', imported)).toBe(1 + 5);
    expect(table(', indicators: ["a"]', imported)).toBe(1 + (2024 - DATA_YEARS.first + 1));
    // Each indicator's series known: an open end is theirs (the resolver's), the stored years their longest.
    const series: DataYears = {
      ...imported,
      series: new Map([
        ['a', { first: 2010, last: 2024, count: 15 }],
        ['b', { first: 2000, last: 2020, count: 8 }],
        ['empty', { first: DATA_YEARS.first, last: DATA_YEARS.last, count: 0 }],
      ]),
    };
    expect(grid(', indicators: ["a"]', series)).toBe(1 + 15);
    expect(grid(', indicators: ["a", "b"]', series)).toBe(1 + 2 * 25);
    expect(grid(', indicators: ["b"], toYear: 2024', series)).toBe(1 + 25);
    expect(grid(', indicators: ["a"], fromYear: 1900, toYear: 2100', series)).toBe(1 + 201);
    expect(table(', indicators: ["a", "b"]', series)).toBe(1 + 2 * 15);
    expect(table(', indicators: ["b"], fromYear: 1900, toYear: 2100', series)).toBe(1 + 8);
    expect(table(', indicators: ["b"], fromYear: 2019, toYear: 2020', series)).toBe(1 + 2);
    // An indicator the series do not know, or none with a year, counts the whole span.
    expect(grid(', indicators: ["a", "unknown"]', series)).toBe(1 + 2 * 42);
    expect(table(', indicators: ["empty"]', series)).toBe(1 + 42);
    expect(grid(', indicators: []', series)).toBe(1);
  });

  it("takes a grid's declared bounds where its arguments cannot be read (a variable left unset)", () => {
    const query =
      'query ($i: [ID!]!, $r: Selection!) { grid(indicators: $i, regions: $r, fromYear: 2020, toYear: 2020) { cells { value } regions { code } } }';
    expect(estimate(query)).toBe(1 + 100_000 + 2000);
    // One of them given: the bound still, for the other could be as large as the table allows.
    expect(estimate(query, { i: ['a', 'b'] })).toBe(1 + 100_000 + 2000);
  });

  it('sizes a level within a parent by its regions below that parent (@sizedBy(within:)), and by the whole level without one', () => {
    // The 12 municipalities of Landkreis Northeim, the 7 counties of ArL Leine-Weser, not 967 and 45.
    expect(estimate('{ ranked(level: MUNICIPALITY, withinParent: "03155") { code } }')).toBe(12);
    expect(estimate('query ($p: ID) { ranked(level: COUNTY, withinParent: $p) { code } }', { p: '032' })).toBe(7);
    expect(estimate('{ ranked(level: MUNICIPALITY) { code } }')).toBe(REGIONS_PER_LEVEL.MUNICIPALITY!);
    // An unknown parent: the whole level.
    expect(estimate('{ ranked(level: COUNTY, withinParent: "039") { code } }')).toBe(45);
  });

  it("sizes by a variable's default when the request leaves the variable out, and by the value sent otherwise", () => {
    // The probe's table: estimated 26 without its defaults, 94,767 with them.
    const table = `query ($i: [ID!]! = [${Array.from({ length: 7 }, (_, n) => `"i${n}"`).join(', ')}], $r: Selection! = { level: MUNICIPALITY }, $f: Int = 2010, $t: Int = 2023) {
      table(indicators: $i, regions: $r, fromYear: $f, toYear: $t) { cells { value } } }`;
    expect(estimate(table)).toBe(1 + 7 * 967 * 14);
    expect(estimate(table, { i: ['a'], r: { codes: ['1'] } })).toBe(1 + 1 * 1 * 14);
    const page = 'query ($n: Int = 1000) { regions(first: $n) { nodes { code } } }';
    expect(estimate(page)).toBe(1 + 1000);
    expect(estimate(page, { n: 10 })).toBe(1 + 10);
    // A default inside a list or an object is a constant, read as any literal.
    expect(estimate('query ($c: [ID!]! = ["1", "2"]) { byCodes(codes: $c) { name } }')).toBe(2);
  });

  it('leaves out what @skip(if: true) and @include(if: false) leave out of the answer, from literals, variables and defaults', () => {
    expect(estimate('{ regions(first: 1000) @skip(if: true) { nodes { code } } }')).toBe(0);
    expect(estimate('{ regions(first: 1000) @include(if: false) { nodes { code } } }')).toBe(0);
    expect(estimate('{ regions(first: 1000) @skip(if: false) @include(if: true) { nodes { code } } }')).toBe(1 + 1000);
    const shaped = 'query ($long: Boolean!) { region(code: "03") { children @include(if: $long) { code } boundary @skip(if: $long) } }';
    expect(estimate(shaped, { long: true })).toBe(1 + DEFAULT_LIST_SIZE);
    expect(estimate(shaped, { long: false })).toBe(1 + 20);
    expect(estimate('query ($s: Boolean = true) { region(code: "03") { boundary @skip(if: $s) } }')).toBe(1);
    // On fragments as on fields.
    expect(
      estimate('{ region(code: "03") { ... @skip(if: true) { boundary } ...B @include(if: false) } } fragment B on Region { boundary }'),
    ).toBe(1);
    expect(estimate('{ region(code: "03") { ... @skip(if: false) { boundary } ...B } } fragment B on Region { boundary }')).toBe(
      1 + 20 + 20,
    );
  });

  it("estimates the CSV export's table by the shape it asks for: the long one's cells or the wide one's rows, not both", () => {
    // 40 imports stored (the gateway reads how many once per data version), which bound the releases.
    const imports = 40;
    const years: DataYears = { ...DATA_YEARS, bounds: { importCount: imports } };
    const check = costCheckOf(readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8'), years);
    const indicators = Array.from({ length: 7 }, (_, n) => `indicator_${n}`);
    const variables = { indicators, regions: { level: 'MUNICIPALITY' }, fromYear: 2010, toYear: 2017 };
    const cells = 7 * REGIONS_PER_LEVEL.MUNICIPALITY! * 8;
    const long = check(parse(EXPORT_OPERATION), { ...variables, long: true }, null);
    const wide = check(parse(EXPORT_OPERATION), { ...variables, long: false }, null);
    // 54,152 cells, well under the API's limit of 100,000 that the README promises the export too;
    // counting both shapes, the estimate was 108,380 and the export answered 413.
    const municipalities = REGIONS_PER_LEVEL.MUNICIPALITY!;
    // Each cell, and the 967 regions and the 7 indicators with their sources the export names (25
    // regions before: the table's regions were sized by the default).
    expect(long).toBe(1 + 7 * 2 + municipalities + cells);
    expect(long).toBe(55_134);
    // The wide shape a row per region and year (its values are numbers), and the releases of the
    // values, at most one per cell and at most the imports stored, each an entry and its import:
    // 8,798, where each row was priced as 7 (54,248) and the releases as 10 whatever the table. They
    // were sized one per indicator and year (8,830 then), which two releases of one year for
    // different regions exceed; sized by the cells alone, the export was priced 117,022.
    expect(wide).toBe(1 + 7 * 2 + municipalities + municipalities * 8 + imports * 2);
    expect(wide).toBe(8798);
  });

  it('prices each list of an observation table by the arguments that make it, as the shipped data answers it', () => {
    const check = costCheckOf(readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8'));
    const cost = (query: string, variables: Record<string, unknown> = {}) => check(parse(query), variables, null);
    const municipalities = REGIONS_PER_LEVEL.MUNICIPALITY!;
    const table = (selection: string, years = 'fromYear: 2021, toYear: 2021') =>
      `{ observationTable(indicators: ["population", "area_km2"], regions: { level: MUNICIPALITY }, ${years}) { ${selection} } }`;
    // The regions asked, not 25: all 967 municipalities, each an object; codes and years are numbers.
    expect(cost(table('regions { code name } regionCodes years indicators { code }'))).toBe(1 + municipalities + 2);
    // A row per region and year, each with its region and its two cells (2 rows of one cell before).
    expect(cost(table('rows { region { name } values cells { value } }'))).toBe(1 + municipalities * (1 + 1 + 2));
    expect(cost(table('rows { cells { value } }', 'fromYear: 1900, toYear: 2100'))).toBe(1 + municipalities * 201 * (1 + 2));
    // The releases: at most one per cell (2 × 967 × 8), and the imports stored once the gateway has
    // read how many (one per indicator and year before, which two releases of a year exceed).
    expect(cost(table('imports { indicatorCodes }', 'fromYear: 2010, toYear: 2017'))).toBe(1 + 2 * municipalities * 8);
    // Variables as literals, and the table's bounds where one is unset.
    const query =
      'query ($i: [ID!]!, $r: RegionSelection!) { observationTable(indicators: $i, regions: $r, fromYear: 2020, toYear: 2020) { regions { code } cells { value } } }';
    expect(cost(query, { i: ['population'], r: { codes: ['03159', '03241'] } })).toBe(1 + 2 + 2);
    expect(cost(query, { i: ['population'] })).toBe(1 + 2000 + 100_000);
  });

  it("sizes a ranking within a parent by the parent's regions of its level", () => {
    const check = costCheckOf(readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8'));
    const ranking = (within: string) =>
      check(
        parse(`{ ranking(indicator: "population", year: 2021, level: MUNICIPALITY${within}) { entries { rank } withoutValue { value } } }`),
        {},
        null,
      );
    // Each entry and each region without a value, at most the regions ranked: 12 in Landkreis Northeim (967 before).
    expect(ranking(', withinParent: "03155"')).toBe(1 + 12 + 12);
    expect(ranking('')).toBe(1 + 967 + 967);
  });

  it("prices the Atlas's table view as its answer: the catalogue, and the table's regions, rows and cells", () => {
    const check = costCheckOf(readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8'));
    const manifest = JSON.parse(
      readFileSync(path.join(__dirname, '..', '..', 'atlas', 'src', 'generated', 'persisted-documents.json'), 'utf8'),
    ) as Record<string, string>;
    const document = parse(Object.values(manifest).find((text) => text.includes('query AtlasTable'))!);
    const view = (indicators: string[], level: string, area: string) =>
      check(document, { indicator: indicators[0], indicators, level, area, fromYear: 2021, toYear: 2021 }, null);
    // The catalogue (the indicator, 150 of the catalogue, the state and its 45 counties).
    const catalogue = 1 + 150 + 1 + 45;
    // The table in one year: its indicators, its regions, a row per region with a cell per indicator.
    const table = (indicators: number, regions: number) => 1 + indicators + regions + regions * (1 + indicators);
    expect(view(['population', 'area_km2'], 'MUNICIPALITY', '03')).toBe(catalogue + table(2, 967));
    expect(view(['population', 'area_km2'], 'MUNICIPALITY', '03')).toBe(4068);
    expect(view(['population'], 'COUNTY', '03')).toBe(catalogue + table(1, 45));
    expect(view(['population', 'area_km2', 'share_65plus'], 'MUNICIPALITY', '03155')).toBe(catalogue + table(3, 12));
    // Even 30 series over all municipalities stay far under the limit of 100,000.
    expect(
      view(
        Array.from({ length: 30 }, (_, n) => `i${n}`),
        'MUNICIPALITY',
        '03',
      ),
    ).toBe(catalogue + table(30, 967));
    expect(catalogue + table(30, 967)).toBeLessThan(40_000);
  });

  it('sizes the change feeds and audit trails by their page, `first` or its default of 100', () => {
    const check = costCheckOf(readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8'));
    const cost = (query: string) => check(parse(query), {}, null);
    // A page of 1,000 changes: no longer estimated as a list of 25.
    expect(cost('{ projectChanges(first: 1000) { changes { key } } }')).toBe(1 + 1000);
    expect(cost('{ cooperationChanges { changes { key } } }')).toBe(1 + 100);
    expect(cost('{ indicatorChanges(first: 10) { endCursor changes { key } } }')).toBe(1 + 10);
    // Each audit entry with its list of field changes.
    expect(cost('{ projectAuditTrail(first: 1000) { entries { key changes { field } } } }')).toBe(1 + 1000 + 1000 * DEFAULT_LIST_SIZE);
  });

  it('sizes the indicator catalogue by the shipped catalogue, and the lists under it by as many indicators', () => {
    const check = costCheckOf(readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8'));
    // 150 indicators (128 shipped), each with its projects (a list of the default 25: 20 at most in
    // the data). Counted as a list of 25, this was 25 + 25 × 25 = 650, a fifth of what it asks.
    expect(assumedSize('Query.indicators')).toBe(150);
    expect(check(parse('{ indicators { projects { id } } }'), {}, null)).toBe(150 + 150 * DEFAULT_LIST_SIZE);
    expect(check(parse('{ indicators { projects { id } } }'), {}, null)).toBe(3900);
  });

  it('sizes the disparities report by the regions of its level', () => {
    const check = costCheckOf(readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8'));
    const query = (level: string) => `{ disparities(level: ${level}) { regions { regionCode scores { zScore } } } }`;
    const municipalities = REGIONS_PER_LEVEL.MUNICIPALITY!;
    // The report a point per region, and each region with a score per indicator compared: the default
    // profile's 6 (30 each, the most a profile takes, before: 30,944 and 1,440; 676 counted as 25).
    expect(assumedSize('RegionDisparity.scores')).toBe(PROFILE_SIZE);
    expect(check(parse(query('MUNICIPALITY')), {}, null)).toBe(municipalities + municipalities * (1 + DEFAULT_PROFILE_SIZE));
    expect(check(parse(query('COUNTY')), {}, null)).toBe(45 + 45 * (1 + DEFAULT_PROFILE_SIZE));
    expect(check(parse(query('COUNTY').replace('(level', '(indicators: [], level')), {}, null)).toBe(45 + 45 * (1 + DEFAULT_PROFILE_SIZE));
    expect(check(parse(query('COUNTY').replace('(level', '(indicators: ["a", "b"], level')), {}, null)).toBe(45 + 45 * (1 + 2));
    const thirty = Array.from({ length: 30 }, (_, n) => `"i${n}"`).join(', ');
    expect(check(parse(query('COUNTY').replace('(level', `(indicators: [${thirty}], level`)), {}, null)).toBe(45 + 45 * (1 + 30));
    // The CSV text holds a row per region: 5 points a row, where a text was free (30 aliases of it cost 30).
    expect(check(parse('{ disparities(level: MUNICIPALITY) { csv } }'), {}, null)).toBe(municipalities + municipalities * 5);
  });

  it('prices a report of a level by its regions whatever the query selects of it, for the report reads them all', () => {
    const check = costCheckOf(readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8'));
    const municipalities = REGIONS_PER_LEVEL.MUNICIPALITY!;
    // The probe's form: 30 aliases of a municipal report for one number each, in 30 years, which no
    // memo shares. Estimated at 30 before, it took the indicators subgraph 1.8–2.3 s of CPU and 30
    // statements over 330,000–630,000 rows (test/abuse.test.ts counts the statements).
    const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: disparities(level: MUNICIPALITY, year: ${1990 + i}) { rankedRegions }`);
    expect(check(parse(`{ ${aliases.join(' ')} }`), {}, null)).toBe(30 * municipalities);
    expect(check(parse('{ disparities(level: COUNTY) { rankedRegions method } }'), {}, null)).toBe(45);
    // Its fields are counted once, not per region: the indicators are one list of the report.
    expect(check(parse('{ disparities(level: COUNTY) { indicators { gini } } }'), {}, null)).toBe(45 + DEFAULT_PROFILE_SIZE);
    expect(check(parse('{ fundingTargeting(indicator: "x", level: MUNICIPALITY) { spearman } }'), {}, null)).toBe(municipalities);
  });

  it('prices a similarity search by the indicators it reads over the level at each place of the query, once for all its parents there', () => {
    const check = costCheckOf(readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8'));
    const read = LEVEL_READ_WEIGHT_PER_INDICATOR;
    expect(read).toBe(100);
    // The probe's form: 30 aliases of a municipality's search, each in another year, so that no memo
    // shares a profile: 31 statements, each alias a read of the default profile's 6 indicators.
    const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: similarRegions(year: ${1990 + i}, first: 1) { originCode }`);
    expect(check(parse(`{ region(code: "031010001001") { ${aliases.join(' ')} } }`), {}, null)).toBe(1 + 30 * (6 * read + 50));
    // On 30 indicators a read costs five times the default profile's, in aliases as alone.
    const thirty = Array.from({ length: 30 }, (_, n) => `"i${n}"`).join(', ');
    const heavy = aliases.map((alias) => alias.replace('first: 1', `first: 1, indicators: [${thirty}]`));
    expect(check(parse(`{ region(code: "031010001001") { ${heavy.join(' ')} } }`), {}, null)).toBe(1 + 30 * (30 * read + 50));
    expect(check(parse(`{ region(code: "03101") { similarRegions(indicators: [${thirty}]) { originCode } } }`), {}, null)).toBe(
      1 + 30 * read + 50,
    );
    // An empty list compares on the default profile, as the resolver does.
    expect(check(parse('{ region(code: "03101") { similarRegions(indicators: []) { originCode } } }'), {}, null)).toBe(1 + 6 * read + 50);
    // A list shares the read: 1,000 municipalities' searches read the level once, and search 1,000 times.
    expect(
      check(
        parse(
          '{ regions(filter: { level: MUNICIPALITY }, first: 1000) { nodes { similarRegions(first: 5) { regions { regionCode } } } } }',
        ),
        {},
        null,
      ),
    ).toBe(1 + 1000 + 6 * read + 1000 * (50 + 5));
  });

  it("prices the Atlas's similar-regions panel as cheap, and more regions, indicators or aliases of it by what they add", () => {
    const check = costCheckOf(readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8'));
    const profile = atlasProfile();
    // The panel: the Atlas's own similarRegions selection, as its profile document asks it.
    const panel = print(findField(profile, 'similarRegions'));
    const variables = { code: '031010000000', year: 2020 };
    const alone = (selection: string) =>
      check(parse(`query ($code: ID!, $year: Int!) { region(code: $code) { ${selection} } }`), variables, null);
    const cost = alone(panel);
    // The region 1, the default profile's read 600, the search 50, the omitted indicators (at most the
    // 6 compared) and 5 regions with what they select (each its region and its 6 contributions): 697
    // (841 with the lists per indicator sized by the 30 a profile may take).
    expect(cost).toBeLessThanOrEqual(1000);
    expect(cost).toBe(1 + 6 * LEVEL_READ_WEIGHT_PER_INDICATOR + 50 + DEFAULT_PROFILE_SIZE + 5 * (1 + 1 + DEFAULT_PROFILE_SIZE));
    expect(cost).toBe(697);
    // Asking for more adds up: 200 regions, 30 indicators, 10 aliases in other years.
    expect(alone(panel.replace('first: 5', 'first: 200'))).toBe(cost + 195 * (1 + 1 + DEFAULT_PROFILE_SIZE));
    const thirty = Array.from({ length: 30 }, (_, n) => `"i${n}"`).join(', ');
    // 24 indicators more: each read over the level, omitted at most, and a contribution of each region.
    expect(alone(panel.replace('first: 5', `first: 5, indicators: [${thirty}]`))).toBe(
      cost + 24 * (LEVEL_READ_WEIGHT_PER_INDICATOR + 1 + 5),
    );
    const aliases = Array.from({ length: 10 }, (_, i) => `a${i}: ${panel.replace('$year', String(2010 + i))}`);
    expect(alone(aliases.join(' '))).toBe(1 + 10 * (cost - 1));
  });

  it("prices the Atlas's whole profile by what the page shows: one county's series, no funding list per project", () => {
    const check = costCheckOf(readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8'));
    const profile = atlasProfile();
    const variables = (indicators: string[]) => ({ code: '034545401025', indicators, indicator: indicators[0], year: 2020 });
    // A region's series: a year of each indicator asked in each year of the longest series.
    const series = (indicators: number) => indicators * MAX_YEAR_SPAN;
    const panel = 6 * LEVEL_READ_WEIGHT_PER_INDICATOR + 50 + DEFAULT_PROFILE_SIZE + 5 * (1 + 1 + DEFAULT_PROFILE_SIZE);
    // The region with its series, rank and office; its parent's, its county's and the state's series.
    const regions = (indicators: number) => 1 + series(indicators) + 1 + 1 + 3 * (1 + series(indicators));
    // Its own projects (each with its total) and cooperations, 25 each (@widenedBy: the page asks
    // neither includeDescendants nor through), the similar regions, the indicators' catalogue (150,
    // the shipped catalogue's 128 with room).
    expect(assumedSize('Query.indicators')).toBe(150);
    const lists = DEFAULT_LIST_SIZE + DEFAULT_LIST_SIZE + panel + 150;
    const page = (indicators: number) => regions(indicators) + lists;
    // 2,718 before with two indicators (2,431 with one): all up to four ancestors with their series
    // (332 points) where the page shows only the county, and 25 commitments with their programmes
    // under each of 25 projects (1,250 points) where it shows each project's total. Then 1,219 (1,055)
    // with the catalogue and the panel's profile lists counted as 25; 1,584 (1,420) with the projects
    // and cooperations priced as the state's with everything below it; 1,374 (1,210) with the panel's
    // lists per indicator sized by the 30 a profile may take, not the default profile's 6.
    expect(check(profile, variables(['population', 'unemployment_rate']), null)).toBe(page(2));
    expect(page(2)).toBe(1230);
    expect(check(profile, variables(['population']), null)).toBe(page(1));
    expect(page(1)).toBe(1066);
  });

  it("prices a region's own projects and cooperations as few, and those with the regions below it as many (@widenedBy)", () => {
    const check = costCheckOf(readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8'));
    const cost = (query: string, variables: Record<string, unknown> = {}) => check(parse(query), variables, null);
    const page = (selection: string) =>
      `query ($wide: Boolean, $through: CooperationReach) { regions(first: 1000) { nodes { ${selection} } } }`;
    // A partner's read of 1,000 regions' own projects: 25 each, as before the wide case was sized
    // (181,001 points, over the limit of 100,000, when priced as the state's with its descendants).
    expect(cost(page('projects { id }'))).toBe(1 + 1000 + 1000 * DEFAULT_LIST_SIZE);
    expect(cost(page('projects(includeDescendants: false) { id }'))).toBe(1 + 1000 + 1000 * DEFAULT_LIST_SIZE);
    // Widened, written in the query or sent as a variable: the state's with everything below it.
    expect(cost(page('projects(includeDescendants: true) { id }'))).toBe(1 + 1000 + 1000 * assumedSize('Region.projects')!);
    expect(cost(page('projects(includeDescendants: $wide) { id }'), { wide: true })).toBe(1 + 1000 + 1000 * 180);
    expect(cost(page('projects(includeDescendants: $wide) { id }'), { wide: false })).toBe(1 + 1000 + 1000 * DEFAULT_LIST_SIZE);
    expect(cost(page('fundingTotals { amountCents }'))).toBe(1 + 1000 + 1000 * DEFAULT_LIST_SIZE);
    expect(cost(page('fundingTotals(includeDescendants: true) { amountCents }'))).toBe(1 + 1000 + 1000 * 60);
    // An enum widens with any value but its default: SELF is the default, the others reach further.
    expect(cost(page('cooperations { id }'))).toBe(1 + 1000 + 1000 * DEFAULT_LIST_SIZE);
    expect(cost(page('cooperations(through: SELF) { id }'))).toBe(1 + 1000 + 1000 * DEFAULT_LIST_SIZE);
    for (const through of ['ANCESTORS', 'DESCENDANTS', 'ALL'])
      expect(cost(page('cooperations(through: $through) { id }'), { through })).toBe(1 + 1000 + 1000 * 80);
    expect(supergraphDeclarations.listSizes.get('Region.projects')?.narrow).toEqual({ size: 25, arguments: ['includeDescendants'] });
  });

  it("prices a project's transfer candidates per project by the largest level it may read", () => {
    const check = costCheckOf(readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8'));
    const largest = REGIONS_PER_LEVEL.MUNICIPALITY!;
    // Each project reads the level of its own lead region, in its own start year, on its own
    // indicators: a probe's page of 100 projects took 87 whole-level reads, estimated at 5,101 points.
    const page = (first: number) => `{ projects(first: ${first}) { nodes { transferCandidates(first: 1) { originCode } } } }`;
    expect(check(parse(page(12)), {}, null)).toBe(1 + 12 + 12 * (largest + 50));
    expect(largest).toBe(967);
    // Five aliases of a page of 100 (other orders; 478 statements and ~3.9 s of CPU) were 25,505 points.
    const orders = ['START_DATE_DESC', 'START_DATE_ASC', 'END_DATE_DESC', 'TITLE_ASC', 'ID_ASC'];
    const aliases = orders.map(
      (order, i) => `p${i}: projects(first: 100, orderBy: ${order}) { nodes { transferCandidates(first: 1) { originCode } } }`,
    );
    expect(check(parse(`{ ${aliases.join(' ')} }`), {}, null)).toBe(5 * (1 + 100 + 100 * (largest + 50)));
    // The largest page under the limit of 100,000.
    expect(check(parse(page(98)), {}, null)).toBeLessThanOrEqual(100_000);
    expect(check(parse(page(99)), {}, null)).toBeGreaterThan(100_000);
  });

  it("sizes funding against need by its level's regions, and what a query nests under each", () => {
    const check = costCheckOf(readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8'));
    const regions = REGIONS_PER_LEVEL.MUNICIPALITY!;
    // The probe's form, 20,801 before: each region's 30 most similar regions, with contributions.
    const nested = `{ fundingTargeting(indicator: "population_density", level: MUNICIPALITY) {
      regions { region { similarRegions(first: 30) { regions { regionCode contributions { share } } } } } } }`;
    expect(check(parse(nested), {}, null)).toBeGreaterThan(100_000);
    expect(
      check(parse('{ fundingTargeting(indicator: "x", level: MUNICIPALITY) { regions { regionCode region { name } } } }'), {}, null),
    ).toBe(regions + regions + regions);
    expect(check(parse('{ fundingTargeting(indicator: "x", level: COUNTY) { regions { regionCode } } }'), {}, null)).toBe(45 + 45);
  });

  it('stops walking soon after the bound on an exponential fragment fan-out', () => {
    const fragments = Array.from({ length: 40 }, (_, i) => `fragment F${i} on Region { children { ...F${i + 1} ...F${i + 1} } }`).join(' ');
    const cost = estimate(`{ region(code: "03") { ...F0 } } ${fragments} fragment F40 on Region { parent { code } }`, {}, 1000);
    expect(cost).toBeGreaterThan(1000);
    expect(cost).toBeLessThan(1000 * DEFAULT_LIST_SIZE ** 2);
  });
});

describe('memoisedEstimator', () => {
  const query = 'query ($n: Int) { regions(first: $n) { nodes { parent { code } } } }';
  const document = parse(query);
  const operation = document.definitions[0] as OperationDefinitionNode;

  it('answers as estimateCost for each set of variables of the same operation', () => {
    const estimator = memoisedEstimator();
    for (const n of [10, 100, 10, 3, 100]) {
      expect(estimator(schema, declarations, document, operation, { n })).toBe(
        estimateCost(schema, declarations, document, operation, { n }),
      );
    }
    const codes = { n: 5, padding: Array.from({ length: 500 }, (_, index) => `code-${index}`) };
    expect(estimator(schema, declarations, document, operation, codes)).toBe(1 + 5 + 5);
    // After variables too long to key, the operation is estimated afresh, for any variables.
    expect(estimator(schema, declarations, document, operation, { n: 3 })).toBe(1 + 3 + 3);
    expect(estimator(schema, declarations, document, operation, { n: 100 })).toBe(1 + 100 + 100);
  });

  it('starts over with new declarations (a reloaded supergraph)', () => {
    const estimator = memoisedEstimator();
    expect(estimator(schema, declarations, document, operation, { n: 10 })).toBe(1 + 10 + 10);
    const heavier = readCostDeclarations(SDL.replace('parent: Region', 'parent: Region @cost(weight: 7)'));
    expect(estimator(schema, heavier, document, operation, { n: 10 })).toBe(1 + 10 + 10 * 7);
  });

  it('keeps the bound it was made with', () => {
    const fragments = Array.from({ length: 40 }, (_, i) => `fragment F${i} on Region { children { ...F${i + 1} ...F${i + 1} } }`).join(' ');
    const fanOut = parse(`{ region(code: "03") { ...F0 } } ${fragments} fragment F40 on Region { parent { code } }`);
    const fanOutOperation = fanOut.definitions[0] as OperationDefinitionNode;
    const cost = memoisedEstimator(1000)(schema, declarations, fanOut, fanOutOperation, {});
    expect(cost).toBeGreaterThan(1000);
    expect(cost).toBeLessThan(1000 * DEFAULT_LIST_SIZE ** 2);
  });
});

describe('actualCost', () => {
  it('counts the objects of an answer', () => {
    expect(actualCost({ region: { name: 'Niedersachsen', children: [{ code: '031' }, { code: '032' }], parent: null } })).toBe(3);
    expect(actualCost(null)).toBe(0);
  });
});

/** The gateway's default limits (GATEWAY_MAX_COST and the others), as the plugin's tests run it. */
const DEFAULT_LIMITS = { maxCost: 100_000, costPointsPerWindow: 2_000_000, windowSeconds: 60, maxInflightCost: 100_000, cheapCost: 1000 };

describe('demandControlPlugin', () => {
  // 1 + 3 indicators × 45 counties × 21 years: the probe's table (report item 3), estimated 2836.
  const TABLE = '{ table(indicators: ["a", "b", "c"], regions: { level: COUNTY }, fromYear: 2000, toYear: 2020) { cells { value } } }';

  /** Runs the plugin's admission for one operation, as Apollo Server would; resolves to its refusal, if any. */
  async function admit(
    store: MemoryStore,
    query: string,
    keyBudget: number | null,
    dataYears?: DataYearsSource,
  ): Promise<GraphQLError | { estimated: number | null }> {
    const plugin = demandControlPlugin({
      ...DEFAULT_LIMITS,
      store,
      supergraphSdl: () => SDL,
      dataYears,
    });
    const request = await startDemandControlRequest(plugin, schema, 'apikey:probe', keyBudget);
    return (await request.resolve(query)) ?? { estimated: request.contextValue.estimatedCost };
  }

  it("refuses an estimate over the key's whole budget as too costly, without Retry-After, and does not charge it", async () => {
    const store = new MemoryStore();
    const refused = (await admit(store, TABLE, 1000)) as GraphQLError;
    expect(refused.extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', cost: { estimated: 2836, budget: 1000 }, http: { status: 400 } });
    expect((refused?.extensions.http as { headers?: Map<string, string> }).headers).toBeUndefined();
    expect(refused?.message).toContain('2836');
    expect(refused?.message).toContain('budget of 1000');
    // Nothing was charged: a query that fits the budget is still admitted.
    expect(await admit(store, '{ region(code: "03") { code } }', 1000)).toEqual({ estimated: 1 });
  });

  it('keeps 429 with Retry-After for an estimate that fits an empty budget but not what is left of it', async () => {
    const store = new MemoryStore();
    expect(await admit(store, TABLE, 5000)).toEqual({ estimated: 2836 });
    const refused = (await admit(store, TABLE, 5000)) as GraphQLError;
    expect(refused.extensions).toMatchObject({ code: 'RATE_LIMITED', http: { status: 429 } });
    const headers = (refused?.extensions.http as { headers: Map<string, string> }).headers;
    expect(Number(headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('estimates an open year range with the years an import brought, read again when the data version moves', async () => {
    const store = new MemoryStore();
    let stored: IndicatorYears[] = [{ code: 'a', years: [2020, 2021, 2022, 2023] }];
    let reads = 0;
    const dataYears = new DataYearsSource({
      store,
      read: async () => {
        reads += 1;
        return stored;
      },
    });
    const grid = '{ grid(indicators: ["a"], regions: { codes: ["1"] }) { cells { value } } }';
    const unknown = '{ grid(indicators: ["b"], regions: { codes: ["1"] }) { cells { value } } }';
    expect(await admit(store, grid, null, dataYears)).toEqual({ estimated: 1 + 4 });
    expect(await admit(store, unknown, null, dataYears)).toEqual({ estimated: 1 + MAX_YEAR_SPAN });
    // The importer writes 2024 and indicator b's 1980–2024, and bumps the data version.
    stored = [
      { code: 'a', years: [2020, 2021, 2022, 2023, 2024] },
      { code: 'b', years: [1980, 2024] },
    ];
    expect(await admit(store, grid, null, dataYears)).toEqual({ estimated: 1 + 4 });
    await store.increment(DATA_VERSION_KEY);
    expect(await admit(store, grid, null, dataYears)).toEqual({ estimated: 1 + 5 });
    expect(await admit(store, unknown, null, dataYears)).toEqual({ estimated: 1 + (2024 - 1980 + 1) });
    expect(await admit(store, '{ grid(indicators: ["c"], regions: { codes: ["1"] }) { cells { value } } }', null, dataYears)).toEqual({
      estimated: 1 + (2024 - 1980 + 1),
    });
    // Read once per data version.
    expect(reads).toBe(2);
  });

  it('asks neither the data version nor the indicators’ years for an operation that counts no years', async () => {
    const store = new MemoryStore();
    let reads = 0;
    let versionReads = 0;
    const get = store.get.bind(store);
    store.get = async (key: string) => {
      if (key === DATA_VERSION_KEY) versionReads += 1;
      return get(key);
    };
    const dataYears = new DataYearsSource({
      store,
      read: async () => {
        reads += 1;
        return [{ code: 'a', years: [2020, 2021] }];
      },
    });
    expect(await admit(store, '{ region(code: "03") { code } }', null, dataYears)).toEqual({ estimated: 1 });
    expect(await admit(store, '{ byCodes(codes: ["1", "2"]) { code } }', null, dataYears)).toEqual({ estimated: 2 });
    expect([reads, versionReads]).toEqual([0, 0]);
    // A field sized by years, also inside a fragment, asks (once per data version).
    const inFragment = 'query { ...F } fragment F on Query { grid(indicators: ["a"], regions: { codes: ["1"] }) { cells { value } } }';
    expect(await admit(store, inFragment, null, dataYears)).toEqual({ estimated: 1 + 2 });
    expect([reads, versionReads]).toEqual([1, 1]);
  });
});

describe('data bounds: lists a write can grow, priced by what the data hold', () => {
  const SUPERGRAPH = readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8');
  const apiSchema = Supergraph.build(SUPERGRAPH).apiSchema().toGraphQLJSSchema();
  const MEMBERS = '{ cooperation(id: "C-001") { members { regionCode role } } }';
  /** LIMITS.members of the cooperations subgraph: the most members a partner may write. */
  const MEMBER_LIMIT = 500;
  const cost = (query: string, years?: DataYears) => costCheckOf(SUPERGRAPH, years)(parse(query), {}, null);

  it("prices a cooperation's members by the most members one has once read, by the write limit before", () => {
    // A partner wrote one with 120 members: priced for 25 before, whatever the data held.
    expect(cost(MEMBERS, { ...DATA_YEARS, bounds: { largestMembership: 120 } })).toBe(1 + 120);
    expect(cost(MEMBERS, { first: DATA_YEARS.first, last: DATA_YEARS.last })).toBe(1 + MEMBER_LIMIT);
    // A gateway that reads nothing from the data: the shipped data's 17, as it takes the shipped years.
    expect(cost(MEMBERS)).toBe(1 + 17);
    // Every cooperation of a page may be that large.
    expect(
      cost('{ cooperations(first: 10) { nodes { members { regionCode } } } }', { ...DATA_YEARS, bounds: { largestMembership: 17 } }),
    ).toBe(1 + 10 + 10 * 17);
  });

  it("prices a table's imports by its cells, at most the imports stored", () => {
    // One indicator's 2021 for two regions, written by two releases: two imports, priced one before.
    const table =
      '{ observationTable(indicators: ["population"], regions: { codes: ["03159", "03241"] }, fromYear: 2021, toYear: 2021) { imports { indicatorCodes } } }';
    expect(cost(table, { ...DATA_YEARS, bounds: { importCount: 5 } })).toBe(1 + 2);
    expect(cost(table, { ...DATA_YEARS, bounds: { importCount: 1 } })).toBe(1 + 1);
    expect(cost(table)).toBe(1 + 2);
  });

  it('reads the bounds again after a write through the gateway, with no response cache installed', async () => {
    const store = new MemoryStore();
    let largest = 17;
    let reads = 0;
    const dataYears = new DataYearsSource({
      store,
      read: async () => [],
      readBounds: async () => {
        reads += 1;
        return { bounds: { largestMembership: largest, importCount: 0 }, problems: [] };
      },
    });
    // Limits no request here comes near: only the estimate and the data version matter.
    const unlimited = { maxCost: 1e9, costPointsPerWindow: 1e9, windowSeconds: 60, maxInflightCost: 1e9, cheapCost: 1e9 };
    const plugin = demandControlPlugin({ ...unlimited, store, supergraphSdl: () => SUPERGRAPH, dataYears });
    // What moves the data version after a write, installed beside demand control as the gateway does.
    const versions = dataVersionPlugin({ store });
    /** One request through the plugins' admission and answer, as Apollo Server runs it; resolves to its estimate. */
    const run = async (query: string, data: Record<string, unknown>): Promise<number | null> => {
      const contextValue = { client: 'apikey:probe', apiKey: null, chargedCostPoints: 0, estimatedCost: null } as unknown as GatewayContext;
      const listener = (await plugin.requestDidStart!({
        contextValue,
      } as GraphQLRequestContext<GatewayContext>)) as GraphQLRequestListener<GatewayContext>;
      const document = parse(query);
      const operation = document.definitions.find((definition) => definition.kind === 'OperationDefinition') as OperationDefinitionNode;
      const request = { schema: apiSchema, document, operation, request: { variables: {} }, contextValue };
      await listener.didResolveOperation!(request as unknown as GraphQLRequestContextDidResolveOperation<GatewayContext>);
      const answered = {
        ...request,
        response: { body: { kind: 'single', singleResult: { data } }, http: { headers: new Map() } },
      } as unknown as Parameters<NonNullable<GraphQLRequestListener<GatewayContext>['willSendResponse']>>[0];
      await listener.willSendResponse!(answered);
      const versionListener = (await versions.requestDidStart!({
        contextValue,
      } as GraphQLRequestContext<GatewayContext>)) as GraphQLRequestListener<GatewayContext>;
      await versionListener.willSendResponse!(answered);
      return contextValue.estimatedCost;
    };
    expect(await run(MEMBERS, {})).toBe(1 + 17);
    // A partner adds members: the write answers, and the next estimate reads the bounds again.
    largest = 120;
    const write = 'mutation ($input: CreateCooperationInput!) { createCooperation(input: $input) { cooperation { id } } }';
    await run(write, { createCooperation: { cooperation: { id: 'C-900' } } });
    expect(await run(MEMBERS, {})).toBe(1 + 120);
    expect(reads).toBe(2);
    // A write that wrote nothing (refused before any subgraph) leaves the version, and the bounds read, as they were.
    await run(write, { createCooperation: null });
    expect(await run(MEMBERS, {})).toBe(1 + 120);
    expect(reads).toBe(2);
  });

  it('prices by the declared bounds while a read of the data bounds fails, and reads them again after retryAfterMs', async () => {
    const store = new MemoryStore();
    let failing = true;
    const dataYears = new DataYearsSource({
      store,
      read: async () => [],
      readBounds: async () =>
        failing
          ? { bounds: { importCount: 0 }, problems: ['the cooperations subgraph answered 503 without largestMembership'] }
          : { bounds: { largestMembership: 30, importCount: 0 }, problems: [] },
      retryAfterMs: 0,
    });
    expect(cost(MEMBERS, await dataYears.current())).toBe(1 + MEMBER_LIMIT);
    failing = false;
    expect(cost(MEMBERS, await dataYears.current())).toBe(1 + 30);
  });
});

describe("a region's descendants under the region that region(code:) names", () => {
  const cost = costCheckOf(readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8'));
  const estimateOf = (query: string, variables: Record<string, unknown> = {}) => cost(parse(query), variables, null);

  it('counts the regions of the level below that region, not the whole level', () => {
    // Region Hannover's 21 municipalities: priced as all 967 before.
    const hannover = regionCatalogue().below('03241', 'MUNICIPALITY').length;
    expect(hannover).toBe(21);
    expect(estimateOf('{ region(code: "03241") { descendants(level: MUNICIPALITY) { code name } } }')).toBe(1 + hannover);
    expect(
      estimateOf('query ($code: ID!) { region(code: $code) { ... on Region { descendants(level: COUNTY) { code } } } }', { code: '034' }),
    ).toBe(1 + regionCatalogue().below('034', 'COUNTY').length);
    // A parent the estimate cannot name (a list's items, a parent's parent, an unknown code): the whole level.
    const municipalities = REGIONS_PER_LEVEL.MUNICIPALITY!;
    expect(estimateOf('{ region(code: "03241") { parent { descendants(level: MUNICIPALITY) { code } } } }')).toBe(1 + 1 + municipalities);
    expect(estimateOf('{ region(code: "03241") { children { descendants(level: MUNICIPALITY) { code } } } }')).toBe(
      1 + 21 + 21 * municipalities,
    );
    expect(estimateOf('{ region(code: "039") { descendants(level: MUNICIPALITY) { code } } }')).toBe(1 + municipalities);
  });
});

describe('a refusal for cost names a page size beyond its documented maximum', () => {
  const supergraphSdl = readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8');
  const apiSchema = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();

  /** Runs the plugin's admission over the composed supergraph at the gateway's default limits; resolves to its refusal, if any. */
  async function admit(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLError | null> {
    const plugin = demandControlPlugin({
      ...DEFAULT_LIMITS,
      store: new MemoryStore(),
      supergraphSdl: () => supergraphSdl,
    });
    const request = await startDemandControlRequest(plugin, apiSchema, 'anonymous', null);
    return request.resolve(query, variables);
  }

  it('states a maximum in the description of every slicing argument of the supergraph, in the form it reads', () => {
    const undocumented = [...supergraphDeclarations.listSizes].flatMap(([coordinate, listSize]) => {
      const [typeName, fieldName] = coordinate.split('.') as [string, string];
      const type = apiSchema.getType(typeName);
      const field = type && 'getFields' in type ? type.getFields()[fieldName] : undefined;
      return listSize.slicingArguments.flatMap((name) => {
        const argument = field && 'args' in field ? field.args.find((definition) => definition.name === name) : undefined;
        return documentedMaximum(argument?.description) === null ? [`${coordinate}(${name}:)`] : [];
      });
    });
    expect(undocumented).toEqual([]);
    expect(documentedMaximum('The page size, 1–1000; 0 answers only endCursor, the current head of the feed.')).toBe(1000);
    expect(documentedMaximum('How many suggestions at most.')).toBeNull();
  });

  it('refuses regionNameSuggestions(first: 100000) as too costly, as before, and names first and its maximum of 20', async () => {
    const refused = await admit('{ regionNameSuggestions(search: "Bückebrug", first: 100000) { code name } }');
    expect(refused?.extensions).toEqual({
      code: 'QUERY_TOO_COSTLY',
      cost: { estimated: 1_000_000, limit: 100_000 },
      argumentsOverBounds: [{ coordinate: 'Query.regionNameSuggestions(first:)', value: 100_000, max: 20 }],
      http: { status: 400 },
    });
    expect(refused?.message).toMatch(/ Query\.regionNameSuggestions\(first:\) is 100000, over its maximum of 20\.$/);
  });

  it('names it when a variable or a fragment sets it, once per coordinate and value, and every one over its bound', async () => {
    const refused = await admit(
      `query ($first: Int) { a: regionNameSuggestions(search: "x", first: $first) { code } b: regionNameSuggestions(search: "y", first: $first) { code } ...Page }
       fragment Page on Query { regions(first: 5000) { nodes { code } } }`,
      { first: 100_000 },
    );
    expect(refused?.extensions.code).toBe('QUERY_TOO_COSTLY');
    expect(refused?.extensions.argumentsOverBounds).toEqual([
      { coordinate: 'Query.regionNameSuggestions(first:)', value: 100_000, max: 20 },
      { coordinate: 'Query.regions(first:)', value: 5000, max: 1000 },
    ]);
  });

  it('adds nothing to a refusal whose page sizes are within their bounds, and admits a size over its bound that costs little', async () => {
    const refused = await admit('{ regions(first: 1000) { nodes { similarRegions(first: 200) { regions { regionCode } } } } }');
    expect(refused?.extensions.code).toBe('QUERY_TOO_COSTLY');
    expect(refused?.extensions).not.toHaveProperty('argumentsOverBounds');
    expect(refused?.message).toMatch(/Ask for fewer items or fields\.$/);
    // The subgraph refuses it with its own message: demand control's limits are unchanged.
    expect(await admit('{ regionNameSuggestions(search: "x", first: 21) { code } }')).toBeNull();
  });
});
