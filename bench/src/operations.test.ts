import { parseProcStat, parseProcStatus } from '@regiograph/dev-tools';
import { parseBenchConfig, UsageError } from './config';
import { isCleanGraphQLBody } from './load';
import { checkNetworkGraph, growthCases, indicatorsCovering, spread, type Catalogue } from './operations';
import { buildTable } from './processes/sql-floor';

describe('spread', () => {
  it('takes evenly spaced items including the first and the last', () => {
    expect(spread([1, 2, 3, 4, 5, 6, 7, 8, 9], 3)).toEqual([1, 5, 9]);
    expect(spread([1, 2, 3], 5)).toEqual([1, 2, 3]);
    expect(
      new Set(
        spread(
          Array.from({ length: 967 }, (_, index) => index),
          500,
        ),
      ).size,
    ).toBe(500);
  });
});

describe('growth cases', () => {
  const years = [2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023];
  const indicators = Array.from({ length: 22 }, (_, index) => ({ code: `i${String(index).padStart(2, '0')}`, years }));
  const catalogue: Catalogue = {
    countyCodes: Array.from({ length: 45 }, (_, index) => `03${String(index).padStart(3, '0')}`),
    municipalityCodes: [],
    countyIndicators: [{ code: 'population', years: [2018] }, ...indicators],
    municipalityIndicators: indicators,
  };

  it('crosses 5, 45 and 967 regions with 1, 5 and 20 indicators, staying under the 100,000-cell cap', () => {
    const cases = growthCases(catalogue);
    expect(cases.map((growthCase) => [growthCase.regions, growthCase.indicators])).toEqual([
      [5, 1],
      [5, 5],
      [5, 20],
      [45, 1],
      [45, 5],
      [45, 20],
      [967, 1],
      [967, 5],
      [967, 20],
    ]);
    expect(Math.max(...cases.map((growthCase) => growthCase.cells))).toBeLessThanOrEqual(100_000);
    expect(cases[0]!.variables.regions).toEqual({ codes: ['03000', '03011', '03022', '03033', '03044'] });
  });

  it('only uses indicators that cover every year asked', () => {
    expect(indicatorsCovering(catalogue.countyIndicators, 2010, 2023)).not.toContain('population');
    expect(() => growthCases({ ...catalogue, municipalityIndicators: indicators.slice(0, 3) })).toThrow(/needs 5/);
    // 13 covering indicators: the largest tables take 13 instead of 20; fewer than 10 is refused.
    expect(
      growthCases({ ...catalogue, municipalityIndicators: indicators.slice(0, 13) }).map((growthCase) => growthCase.indicators),
    ).toEqual([1, 5, 13, 1, 5, 13, 1, 5, 13]);
    expect(() => growthCases({ ...catalogue, municipalityIndicators: indicators.slice(0, 9) })).toThrow(/needs 10/);
  });
});

describe('the SQL floor builds the gateway’s table shape', () => {
  it('gives one row per region and year with values in the order of the indicators', () => {
    const rows = [
      { code: '03101', name: 'A', parent_code: '031', parent_name: 'P', indicator_code: 'b', year: 2020, value: 2 },
      { code: '03101', name: 'A', parent_code: '031', parent_name: 'P', indicator_code: 'a', year: 2021, value: 1 },
      { code: '03102', name: 'B', parent_code: '031', parent_name: 'P', indicator_code: null, year: null, value: null },
    ];
    const table = buildTable(rows, { indicators: ['a', 'b'], level: 'COUNTY', fromYear: 2020, toYear: 2021 }).data.observationTable;
    expect(table.years).toEqual([2020, 2021]);
    expect(table.regions).toEqual([
      { code: '03101', name: 'A', parent: { code: '031', name: 'P' } },
      { code: '03102', name: 'B', parent: { code: '031', name: 'P' } },
    ]);
    expect(table.rows).toEqual([
      { regionCode: '03101', year: 2020, values: [null, 2] },
      { regionCode: '03101', year: 2021, values: [1, null] },
      { regionCode: '03102', year: 2020, values: [null, null] },
      { regionCode: '03102', year: 2021, values: [null, null] },
    ]);
  });
});

describe('small parsers', () => {
  it('reads current and peak resident memory from /proc/<pid>/status', () => {
    expect(parseProcStatus('Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n')).toEqual({
      rss: 100 * 1024 * 1024,
      peakRss: 200 * 1024 * 1024,
    });
    expect(parseProcStatus('Name:\tzombie\n')).toBeNull();
  });

  it('reads user plus system CPU time from /proc/<pid>/stat, whatever the command name holds', () => {
    const stat = '4242 (node (my) app) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 11 0 1000 100000 2000';
    expect(parseProcStat(stat)).toBe(3000);
  });

  it('tells a clean GraphQL answer from one with errors', () => {
    expect(isCleanGraphQLBody('{"data":{"region":null}}')).toBe(true);
    expect(isCleanGraphQLBody('{"errors":[{"message":"x"}],"data":null}')).toBe(false);
    expect(isCleanGraphQLBody('Too many requests')).toBe(false);
  });

  it('parses flags over the environment over the defaults', () => {
    expect(parseBenchConfig([], {})).toMatchObject({
      durationSeconds: 3,
      rounds: 6,
      concurrency: 16,
      soakSeconds: 60,
      hive: true,
      router: true,
    });
    expect(parseBenchConfig(['--quick'], {})).toMatchObject({ durationSeconds: 1, rounds: 2, soakSeconds: 5, quick: true });
    expect(parseBenchConfig(['--rounds=10', '--no-router'], { BENCH_ROUNDS: '4' })).toMatchObject({
      rounds: 10,
      router: false,
      hive: true,
    });
    expect(parseBenchConfig([], { BENCH_ROUNDS: '4' })).toMatchObject({ rounds: 4 });
    expect(parseBenchConfig(['--operations=region-page, regions-lookup'], {})).toMatchObject({
      operations: ['region-page', 'regions-lookup'],
    });
    expect(parseBenchConfig([], {}).operations).toBeNull();
    expect(() => parseBenchConfig(['--rounds=0'], {})).toThrow(/--rounds must be a number ≥ 1/);
    expect(parseBenchConfig(['--duration=4'], { BENCH_DURATION: '7', BENCH_CONCURRENCY: '8' })).toMatchObject({
      durationSeconds: 4,
      concurrency: 8,
    });
    expect(parseBenchConfig(['--only=mix,soak', '--no-hive'], {})).toMatchObject({ sections: ['mix', 'soak'], hive: false });
    expect(() => parseBenchConfig(['--only=everything'], {})).toThrow(/unknown section/);
    expect(() => parseBenchConfig(['--fast'], {})).toThrow(/unknown option/);
    expect(() => parseBenchConfig(['--concurrency=0'], {})).toThrow(/≥ 1/);
    for (const argv of [['--rounds=0'], ['--only=everything'], ['--fast'], ['fast'], ['--concurrency=0']]) {
      expect(() => parseBenchConfig(argv, {})).toThrow(UsageError);
    }
  });
});

describe('the cooperation network check', () => {
  const edge = (source: string, target: string) => ({
    source: { code: source },
    target: { code: target },
    cooperationCount: 1,
    cooperations: [],
  });
  const graph = (regions: { code: string; name: string | null }[], edges: ReturnType<typeof edge>[]) => ({
    cooperationNetworkGraph: { regions, edges },
  });
  const variables = { district: '031', activeOn: null };

  it('accepts edges whose regions are each listed once with a name', () => {
    const data = graph(
      [
        { code: '03101', name: 'Braunschweig' },
        { code: '03102', name: 'Salzgitter' },
        { code: '03103', name: 'Wolfsburg' },
      ],
      [edge('03101', '03102'), edge('03101', '03103')],
    );
    expect(checkNetworkGraph(data, variables)).toBeNull();
  });

  it('refuses a missing name, a region listed twice, a region of no edge and an edge region left out', () => {
    expect(
      checkNetworkGraph(
        graph(
          [
            { code: '03101', name: 'Braunschweig' },
            { code: '03102', name: null },
          ],
          [edge('03101', '03102')],
        ),
        variables,
      ),
    ).toBe('a region lacks its name');
    expect(
      checkNetworkGraph(
        graph(
          [
            { code: '03101', name: 'Braunschweig' },
            { code: '03101', name: 'Braunschweig' },
            { code: '03102', name: 'Salzgitter' },
          ],
          [edge('03101', '03102')],
        ),
        variables,
      ),
    ).toBe('a region is listed twice');
    expect(
      checkNetworkGraph(
        graph(
          [
            { code: '03101', name: 'Braunschweig' },
            { code: '03102', name: 'Salzgitter' },
            { code: '03103', name: 'Wolfsburg' },
          ],
          [edge('03101', '03102')],
        ),
        variables,
      ),
    ).toBe('the regions are not those of the edges');
    expect(checkNetworkGraph(graph([{ code: '03101', name: 'Braunschweig' }], [edge('03101', '03102')]), variables)).toBe(
      'the regions are not those of the edges',
    );
  });

  it('refuses an empty network without a day and a missing network', () => {
    expect(checkNetworkGraph(graph([], []), variables)).toBe('district 031 has no cooperating counties');
    expect(checkNetworkGraph(graph([], []), { district: '031', activeOn: '2012-01-01' })).toBeNull();
    expect(checkNetworkGraph({ cooperationNetwork: [] }, variables)).toBe('the network is missing');
  });
});
