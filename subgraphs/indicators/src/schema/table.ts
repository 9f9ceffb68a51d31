import { ErrorCode, requireYearArgument, requireYearRangeArguments, sizedBy, sizedByEach, userError } from '@regiograph/shared';
import { summarize, type SummaryStatistics } from '../analysis';
import { builder } from '../builder';
import {
  absentObservation,
  queryTableObservations,
  type ImportRow,
  type IndicatorLoaders,
  type IndicatorRow,
  type ObservationRow,
} from '../context';
import type { RegionDirectory } from '../regions';
import {
  MAX_CELLS,
  MAX_CODES,
  requireCellLimit,
  requireIndicator,
  requireIndicators,
  resolveRegionSelection,
  WITHOUT_REGIONS_BELOW_NOTE,
} from './arguments';
import { RegionLevelEnum } from './enums';
import { ObservationImportType } from './observation';
import { IndicatorType, ObservationType, RegionRef, regionReference } from './refs';
import { RankingType, rankPeers, requireWithinParent, type RankingRow, type RankingScope } from './region';

const RegionSelection = builder.inputType('RegionSelection', {
  description: 'Which regions: either `codes`, or all regions of a `level` (optionally below `parentCode`).',
  fields: (t) => ({
    codes: t.idList({ required: false, description: 'ARS codes, in the order the answer should keep.' }),
    level: t.field({ type: RegionLevelEnum, required: false, description: 'All regions of this level.' }),
    parentCode: t.id({
      required: false,
      description:
        'With level: only regions anywhere below this region, e.g. "033" for the counties of ArL Lüneburg, "034" for the municipalities ' +
        'of ArL Weser-Ems (as RegionFilter.ancestorCode of regions; RegionFilter.parentCode takes only the regions directly below).' +
        WITHOUT_REGIONS_BELOW_NOTE,
    }),
  }),
});

interface TableRow {
  regionCode: string;
  year: number;
  cells: ObservationRow[];
}

interface Table {
  indicators: IndicatorRow[];
  regionCodes: string[];
  years: number[];
  /**
   * Every cell at its position: region (as asked), then year, then indicator (as asked); undefined
   * where there is no observation. Both forms read it by position, with no key strings or sorting.
   */
  grid: (ObservationRow | undefined)[];
  /** The table holds only the values imported after this moment (the `importedAfter` argument); null: every value. */
  importedAfter: Date | null;
}

const TableRowType = builder.objectRef<TableRow>('ObservationTableRow').implement({
  description: "One region in one year, with one cell per indicator in the order of the table's indicators.",
  fields: (t) => ({
    region: t.field({
      type: RegionRef,
      description: 'The region (names and more come from the regions subgraph).',
      resolve: (row) => regionReference(row.regionCode),
    }),
    regionCode: t.exposeID('regionCode', { description: 'The ARS code of the region.' }),
    year: t.exposeInt('year', { description: 'The year.' }),
    values: t.field({
      type: ['Float'],
      nullable: { list: false, items: true },
      description: 'The values in the order of the indicators; null where there is no value.',
      // Sized by observationTable's indicators (@sizedBy on it, "rows.values"): one value per indicator.
      resolve: (row) => row.cells.map((cell) => cell.value),
    }),
    cells: t.field({
      type: [ObservationType],
      description:
        'The observations in the order of the indicators, the same as the long form: where nothing is stored, one with value null, status MISSING and the reason.',
      // Sized by observationTable's indicators (@sizedBy on it, "rows.cells"): one cell per indicator.
      resolve: (row) => row.cells,
    }),
  }),
});

/** An import that wrote observations of a table, with the indicators of those observations in the table's order. */
interface TableImport {
  import: ImportRow;
  indicatorCodes: string[];
}

const TableImportType = builder.objectRef<TableImport>('ObservationTableImport').implement({
  description:
    'An import (a release of official data) that wrote observations of a table, and the indicators of those observations: ' +
    "what the wide form's rows, which hold values only, cannot say per value.",
  fields: (t) => ({
    import: t.field({
      type: ObservationImportType,
      description: 'The release and when it was imported, as Observation.importedFrom names it on each observation it wrote.',
      resolve: (entry) => entry.import,
    }),
    indicatorCodes: t.idList({
      description: "The indicators whose observations in the table it wrote, in the order of the table's indicators.",
      resolve: (entry) => entry.indicatorCodes,
    }),
  }),
});

const TableType = builder.objectRef<Table>('ObservationTable').implement({
  description: 'Observations of many indicators × regions × years, as a long list of cells and as rows per region and year.',
  fields: (t) => ({
    indicators: t.field({
      type: [IndicatorType],
      description: 'The columns: the indicators in the order asked.',
      resolve: (table) => table.indicators,
    }),
    regions: t.field({
      type: [RegionRef],
      description: 'The regions in the order asked (by code for a level).',
      resolve: (table) => table.regionCodes.map(regionReference),
    }),
    regionCodes: t.idList({ description: 'The ARS codes of the regions.', resolve: (table) => table.regionCodes }),
    years: t.intList({ description: 'The years, ascending.', resolve: (table) => table.years }),
    cells: t.field({
      type: [ObservationType],
      description:
        'One cell per region, indicator and year, ordered by region, indicator and year (long form): the regions and years of rows. Where nothing is stored, a cell with value null, status MISSING and the reason. ' +
        'With `importedAfter`, only the cells whose value an import wrote after that moment, in the same order, and no MISSING ones.',
      resolve: (table, _args, ctx) => longForm(table, ctx.regions),
    }),
    rows: t.field({
      type: [TableRowType],
      description:
        'One row per region and year (wide form), ordered by region, then year. Refused (BAD_USER_INPUT) with `importedAfter`, ' +
        'whose table holds only some values: a row could not tell an unchanged value from a missing one.',
      resolve: (table, _args, ctx) => {
        if (table.importedAfter) {
          throw userError(
            'rows (the wide form) cannot be narrowed by importedAfter: a value left out would read as missing. Ask for cells.',
            ErrorCode.BadUserInput,
            { argument: 'importedAfter' },
          );
        }
        return tableRows(table, ctx.regions);
      },
    }),
    imports: t.field({
      type: [TableImportType],
      description:
        "The imports that wrote the table's stored observations (each cell's importedFrom), oldest first; empty where all are the data " +
        'shipped with RegioGraph. One lookup for the table, where asking every cell of rows for its import would price the table twice.',
      // Sized by observationTable's cells, at most the imports stored (@sizedBy(dataBound:
      // importCount) on it, read by the gateway once per data version): each cell names one import,
      // and one year of an indicator may come from several (two releases for different regions), so
      // indicators × years, declared before, could be exceeded. Cells alone (the bound unknown)
      // price a large CSV export's wide table over the limit. One statement, whatever their number.
      resolve: (table, _args, ctx) => tableImports(table, ctx.loaders.imports),
    }),
  }),
});

/** The imports behind the grid's observations, oldest first, each with the indicators (in the table's order) it wrote. */
async function tableImports(table: Table, imports: IndicatorLoaders['imports']): Promise<TableImport[]> {
  const written = new Map<number, Set<number>>();
  table.grid.forEach((cell, position) => {
    if (cell?.importId == null) return;
    const indicators = written.get(cell.importId) ?? new Set<number>();
    written.set(cell.importId, indicators.add(position % table.indicators.length));
  });
  const rows = await imports.loadMany([...written.keys()]);
  const entries: TableImport[] = [];
  for (const row of rows) {
    if (row instanceof Error) throw row;
    if (!row) continue;
    const indicators = [...written.get(row.id)!].sort((a, b) => a - b);
    entries.push({ import: row, indicatorCodes: indicators.map((index) => table.indicators[index]!.code) });
  }
  return entries.sort((a, b) => a.import.importedAt.getTime() - b.import.importedAt.getTime() || a.import.id - b.import.id);
}

/**
 * Places each observation at its cell (at most 100,000 cells): the statement returns them in any
 * order, so PostgreSQL neither sorts them nor needs the asked orders of regions and indicators.
 */
function tableGrid(
  observations: readonly ObservationRow[],
  regionCodes: readonly string[],
  indicators: readonly IndicatorRow[],
  years: readonly number[],
): (ObservationRow | undefined)[] {
  const regionIndex = new Map(regionCodes.map((code, index) => [code, index]));
  const indicatorIndex = new Map(indicators.map((indicator, index) => [indicator.code, index]));
  const width = indicators.length;
  const yearCount = years.length;
  const firstYear = years[0] ?? 0;
  const grid = new Array<ObservationRow | undefined>(regionCodes.length * yearCount * width);
  for (const observation of observations) {
    grid[
      (regionIndex.get(observation.regionCode)! * yearCount + observation.year - firstYear) * width +
        indicatorIndex.get(observation.indicatorCode)!
    ] = observation;
  }
  return grid;
}

/** The observation at a cell of the grid, or the MISSING one both forms show where nothing is stored. */
function cellAt(table: Table, regions: RegionDirectory, region: number, year: number, indicator: number): ObservationRow {
  const cell = table.grid[(region * table.years.length + year) * table.indicators.length + indicator];
  return cell ?? absentObservation(regions, table.indicators[indicator]!, table.regionCodes[region]!, table.years[year]!);
}

/** The wide form: one row per region and year, its cells a slice of the grid. */
function tableRows(table: Table, regions: RegionDirectory): TableRow[] {
  const width = table.indicators.length;
  const rows: TableRow[] = [];
  for (let region = 0; region < table.regionCodes.length; region++) {
    for (let year = 0; year < table.years.length; year++) {
      const cells = new Array<ObservationRow>(width);
      for (let indicator = 0; indicator < width; indicator++) cells[indicator] = cellAt(table, regions, region, year, indicator);
      rows.push({ regionCode: table.regionCodes[region]!, year: table.years[year]!, cells });
    }
  }
  return rows;
}

/**
 * The long form: every cell of the grid by region, indicator and year. A cell without an
 * observation is MISSING rather than left out, or a region with no observation in the range
 * would vanish from the long form while the wide form has its rows (and an export in the long
 * shape would silently list fewer regions than asked).
 */
function longForm(table: Table, regions: RegionDirectory): ObservationRow[] {
  // What was not imported after the moment is left out: a MISSING cell would say the value is gone.
  if (table.importedAfter) return table.grid.filter((cell): cell is ObservationRow => cell !== undefined);
  const cells: ObservationRow[] = [];
  for (let region = 0; region < table.regionCodes.length; region++) {
    for (let indicator = 0; indicator < table.indicators.length; indicator++) {
      for (let year = 0; year < table.years.length; year++) cells.push(cellAt(table, regions, region, year, indicator));
    }
  }
  return cells;
}

interface RankingList {
  scope: RankingScope;
  entries: RankingRow[];
  withoutValue: ObservationRow[];
}

const RankingListType = builder.objectRef<RankingList>('IndicatorRanking').implement({
  description: "Regions of one level ranked for an indicator and year, best first by the indicator's polarity.",
  fields: (t) => ({
    indicator: t.field({ type: IndicatorType, description: 'The indicator ranked by.', resolve: (list) => list.scope.indicator }),
    year: t.int({ description: 'The year ranked.', resolve: (list) => list.scope.year }),
    level: t.field({ type: RegionLevelEnum, description: 'The level of the regions ranked.', resolve: (list) => list.scope.level }),
    withinParent: t.field({
      type: RegionRef,
      nullable: true,
      description: 'The region the ranked regions lie in; null for the whole state.',
      resolve: (list) => (list.scope.withinParent ? regionReference(list.scope.withinParent) : null),
    }),
    entries: t.field({ type: [RankingType], description: 'The ranked regions, rank 1 first.', resolve: (list) => list.entries }),
    withoutValue: t.field({
      type: [ObservationType],
      description:
        'Every region of the ranked set without a value, by code: not ranked. Its stored observation (suppressed or missing), or where nothing is stored one with status MISSING and the reason.',
      resolve: (list) => list.withoutValue,
    }),
  }),
});

interface StatisticsResult extends SummaryStatistics {
  indicator: IndicatorRow;
  year: number;
  regionCount: number;
}

const StatisticsType = builder.objectRef<StatisticsResult>('IndicatorStatistics').implement({
  description: 'Summary statistics of one indicator in one year over a set of regions (regions without a value are left out).',
  fields: (t) => ({
    indicator: t.field({ type: IndicatorType, description: 'The indicator.', resolve: (row) => row.indicator }),
    year: t.exposeInt('year', { description: 'The year.' }),
    regionCount: t.exposeInt('regionCount', { description: 'How many regions were selected.' }),
    count: t.exposeInt('count', { description: 'How many of them have a value.' }),
    missingCount: t.int({ description: 'How many of them have no value.', resolve: (row) => row.regionCount - row.count }),
    sum: t.float({
      nullable: true,
      description:
        'Sum of the values, for indicators whose aggregation is SUM (counts, areas); null for rates, shares, means and ' +
        'per-inhabitant values, whose sum over regions means nothing.',
      resolve: (row) => (row.indicator.aggregation === 'SUM' ? row.sum : null),
    }),
    min: t.exposeFloat('min', { nullable: true, description: 'Smallest value.' }),
    max: t.exposeFloat('max', { nullable: true, description: 'Largest value.' }),
    mean: t.exposeFloat('mean', { nullable: true, description: 'Unweighted arithmetic mean.' }),
    median: t.exposeFloat('median', { nullable: true, description: 'Median (mean of the two middle values for an even count).' }),
    standardDeviation: t.exposeFloat('standardDeviation', {
      nullable: true,
      description: 'Population standard deviation (divides by the count, not count − 1).',
    }),
  }),
});

function yearsBetween(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

builder.queryFields((t) => ({
  importCount: t.int({
    description:
      'How many imports of indicator values are stored: the most a table’s imports can list, by which the gateway prices ObservationTable.imports.',
    resolve: (_root, _args, ctx) => ctx.prisma.indicatorImport.count(),
  }),
  observationTable: t.field({
    type: TableType,
    description:
      "The analyst's table: indicators × regions × years in one call. Years default to the indicators' coverage. " +
      'More than 100,000 cells fail with TOO_MANY_ITEMS; unknown codes with UNKNOWN_INDICATOR_CODES or UNKNOWN_REGION_CODES; ' +
      'region codes that are no ARS of Lower Saxony with BAD_USER_INPUT.',
    // Each list of the table is as long as its arguments say (the gateway's estimate multiplies
    // them): cells indicators × regions × years, rows regions × years with a value and a cell per
    // indicator, the regions and the indicators as asked, the years every one of the range (a
    // grid: every cell of 1900–2100 is answered, MISSING where nothing is stored; an open end is the
    // indicators' first or last year). With arguments that cannot be read (a variable left unset),
    // the table's limits: MAX_CELLS cells (and so indicators, rows or imports), MAX_CODES regions.
    directives: sizedByEach([
      { arguments: ['indicators', 'regions', 'fromYear', 'toYear'], everyYear: true, sizedFields: ['cells'], assumedSize: MAX_CELLS },
      { arguments: ['regions', 'fromYear', 'toYear'], everyYear: true, sizedFields: ['rows'], assumedSize: MAX_CELLS },
      { arguments: ['indicators'], sizedFields: ['indicators', 'rows.values', 'rows.cells'], assumedSize: MAX_CELLS },
      { arguments: ['regions'], sizedFields: ['regions', 'regionCodes'], assumedSize: MAX_CODES },
      { arguments: ['fromYear', 'toYear'], everyYear: true, sizedFields: ['years'] },
      {
        arguments: ['indicators', 'regions', 'fromYear', 'toYear'],
        everyYear: true,
        sizedFields: ['imports'],
        assumedSize: MAX_CELLS,
        dataBound: 'importCount',
      },
    ]),
    args: {
      indicators: t.arg.idList({ required: true, description: 'Indicator codes: the columns, in this order.' }),
      regions: t.arg({ type: RegionSelection, required: true, description: 'The regions.' }),
      fromYear: t.arg.int({ required: false, description: 'First year (inclusive); default the earliest year of the indicators.' }),
      toYear: t.arg.int({ required: false, description: 'Last year (inclusive); default the latest year of the indicators.' }),
      importedAfter: t.arg({
        type: 'DateTime',
        required: false,
        description:
          'Only the values an import wrote after this moment (Observation.importedFrom.importedAt later than it), for a partner that ' +
          'keeps a copy: pass the latest `importedAt` of the change feed’s imports you have read (IndicatorChange.imported), and the ' +
          'years and levels it names. The data shipped with RegioGraph were imported by none and never match. An ISO 8601 moment with ' +
          'its offset (`Z` or `+01:00`); anything else is refused. Only `cells`: `rows` is refused with it.',
      }),
    },
    resolve: async (_root, args, ctx) => {
      requireYearRangeArguments(args.fromYear, args.toYear);
      const indicators = await requireIndicators(ctx, args.indicators, 'indicators');
      const regionCodes = resolveRegionSelection(ctx, args.regions);
      const covered = indicators.flatMap((indicator) => indicator.coverageYears);
      const fromYear = args.fromYear ?? (covered.length > 0 ? Math.min(...covered) : args.toYear);
      const toYear = args.toYear ?? (covered.length > 0 ? Math.max(...covered) : args.fromYear);
      // One bound beyond the coverage, or indicators without observations: an empty range, not an error.
      const years = fromYear != null && toYear != null && fromYear <= toYear ? yearsBetween(fromYear, toYear) : [];
      requireCellLimit(indicators.length * regionCodes.length * years.length, 'The table');
      const observations =
        years.length === 0
          ? []
          : await queryTableObservations(
              ctx.pool,
              regionCodes,
              indicators.map((row) => row.code),
              years[0]!,
              years.at(-1)!,
              args.importedAfter ?? null,
            );
      return {
        indicators,
        regionCodes,
        years,
        grid: tableGrid(observations, regionCodes, indicators, years),
        importedAfter: args.importedAfter ?? null,
      };
    },
  }),
  ranking: t.field({
    type: RankingListType,
    description: 'All regions of a level (optionally within a parent) ranked for an indicator and year, best first.',
    // The regions of the level, within the parent when given (a county's 12 municipalities, not 967).
    directives: sizedBy({ arguments: ['level'], within: 'withinParent', sizedFields: ['entries', 'withoutValue'] }),
    args: {
      indicator: t.arg.id({ required: true, description: 'The indicator code.' }),
      year: t.arg.int({ required: true, description: 'The year.' }),
      level: t.arg({ type: RegionLevelEnum, required: true, description: 'The level of the regions to rank.' }),
      withinParent: t.arg.id({
        required: false,
        description: 'Only regions below this region, e.g. "033".' + WITHOUT_REGIONS_BELOW_NOTE,
      }),
    },
    resolve: async (_root, args, ctx) => {
      const indicator = await requireIndicator(ctx, args.indicator);
      const level = args.level;
      const scope = {
        indicator,
        year: requireYearArgument(args.year, 'year'),
        level,
        withinParent: requireWithinParent(ctx.regions, args.withinParent, level),
      };
      const { ranked, withoutValue } = await rankPeers(ctx, scope);
      return {
        scope,
        entries: ranked.map((entry) => ({
          scope,
          observation: entry.item,
          rank: entry.rank,
          of: ranked.length,
          percentile: entry.percentile,
        })),
        withoutValue,
      };
    },
  }),
  statistics: t.field({
    type: StatisticsType,
    description: 'Minimum, maximum, mean, median and standard deviation of an indicator in a year over a set of regions.',
    args: {
      indicator: t.arg.id({ required: true, description: 'The indicator code.' }),
      year: t.arg.int({ required: true, description: 'The year.' }),
      regions: t.arg({ type: RegionSelection, required: true, description: 'The regions.' }),
    },
    resolve: async (_root, args, ctx) => {
      const indicator = await requireIndicator(ctx, args.indicator);
      const year = requireYearArgument(args.year, 'year');
      const regionCodes = resolveRegionSelection(ctx, args.regions);
      const section = await ctx.loaders.crossSection.load({ indicatorCode: indicator.code, year });
      const values = regionCodes.map((code) => section.get(code)?.value).filter((value): value is number => value != null);
      return { indicator, year, regionCount: regionCodes.length, ...summarize(values) };
    },
  }),
}));
