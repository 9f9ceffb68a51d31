// The Atlas in a real browser (Debian's chromium through playwright-core) against the whole stack:
// the map's shapes carry the API's values, municipalities, hover, profile, CSV download, the URL as
// state and missing values. Render times are measured and printed, never asserted.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { parseCsv } from '@regiograph/shared';
import { englishWordsIn, rawRequest } from '@regiograph/shared/testing';
import { atlasBase, openMap, runAtlasForFile } from './atlas-page';
import { ARTIFACTS_DIR, chromiumAvailable, type Browser } from './browser';
import type { Stack } from './harness';
import { takeAtlasScreenshot } from './scripts/atlas-screenshot';

const describeInBrowser = chromiumAvailable() ? describe : describe.skip;

let stack: Stack;
let browser: Browser;
let base: string;
const measurements: string[] = [];

runAtlasForFile((run) => ({ stack, base, browser } = run));

afterAll(() => {
  if (measurements.length > 0) console.log(`Atlas measurements on this machine:\n${measurements.join('\n')}`);
});

interface MapValues {
  region: { regions: { code: string; name: string; value: { value: number | null } | null }[] };
}

async function apiValues(indicator: string, year: number, area: string, level: string) {
  const { data, errors } = await stack.query<MapValues>(
    `query ($indicator: ID!, $year: Int!, $area: ID!, $level: RegionLevel!) {
      region(code: $area) { regions: descendants(level: $level) { code name value(indicator: $indicator, year: $year) { value } } }
    }`,
    { indicator, year, area, level },
  );
  expect(errors).toBeUndefined();
  return new Map(data!.region.regions.map((region) => [region.code, { name: region.name, value: region.value?.value ?? null }]));
}

/** The shapes the map drew: code → data-value (null when drawn as missing). */
async function drawnShapes(page: Page): Promise<Map<string, { value: string; missing: boolean; fill: string }>> {
  const shapes = await page.$$eval('path[data-region-code]', (paths) =>
    paths.map((shape) => ({
      code: shape.getAttribute('data-region-code')!,
      value: shape.getAttribute('data-value')!,
      missing: shape.getAttribute('data-missing') === 'true',
      fill: shape.getAttribute('fill')!,
      d: shape.getAttribute('d') ?? '',
    })),
  );
  for (const shape of shapes) expect(shape.d.length).toBeGreaterThan(10);
  return new Map(shapes.map((shape) => [shape.code, shape]));
}

function expectSameValues(drawn: Awaited<ReturnType<typeof drawnShapes>>, api: Awaited<ReturnType<typeof apiValues>>): void {
  expect([...drawn.keys()].sort()).toEqual([...api.keys()].sort());
  for (const [code, expected] of api) {
    const shape = drawn.get(code)!;
    if (expected.value === null) {
      expect(shape).toMatchObject({ value: '', missing: true, fill: 'url(#missing)' });
    } else {
      expect(shape.missing).toBe(false);
      expect(Number(shape.value)).toBe(expected.value);
    }
  }
}

describeInBrowser('the Atlas in chromium', () => {
  it('draws the 45 counties with the API values in one persisted GraphQL request, with legend and attribution', async () => {
    const page = await browser.context.newPage();
    const requests: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql')) requests.push(request.postData() ?? '');
    });
    const renderMs = await openMap(page, base, '?view=map&indicator=population&year=2021&level=COUNTY&area=03', 45);
    measurements.push(
      `county map (45 shapes), first view of a fresh stack: ${Math.round(renderMs)} ms after navigation start (target ≤ 1500 ms)`,
    );
    const counties = await apiValues('population', 2021, '03', 'COUNTY');
    expectSameValues(await drawnShapes(page), counties);
    // Every county has a value: the legend has no line for missing ones (the missing-value test sees it when some are).
    expect([...counties.values()].every((county) => county.value !== null)).toBe(true);
    await expect(page.locator('.legend li[data-class="missing"]').count()).resolves.toBe(0);
    // One request for the view, sent as a persisted-query hash without the query text.
    expect(requests).toHaveLength(1);
    const body = JSON.parse(requests[0]!) as { query?: string; extensions: { persistedQuery: { sha256Hash: string } } };
    expect(body.query).toBeUndefined();
    expect(body.extensions.persistedQuery.sha256Hash).toMatch(/^[0-9a-f]{64}$/);
    await expect(page.locator('.legend li[data-class]').count()).resolves.toBeGreaterThanOrEqual(3);
    await expect(page.locator('.legend').textContent()).resolves.toContain('Personen');
    await expect(page.locator('.map .attribution').textContent()).resolves.toContain('Statistisches Bundesamt');
    await expect(page.locator('.map .attribution').textContent()).resolves.toContain('GeoBasis-DE / BKG');
    // The boundaries' attribution as the regions subgraph states it, linked to the provider as its source requires.
    const { data: directory } = await stack.query<{ region: { source: { attribution: string; url: string } } }>(
      '{ region(code: "03") { source { attribution url } } }',
    );
    const boundaries = page.locator('.map .attribution a[data-attribution="boundaries"]');
    await expect(boundaries.getAttribute('href')).resolves.toBe(directory!.region.source.url);
    await expect(boundaries.textContent()).resolves.toBe(directory!.region.source.attribution);
    await expect(page.locator('svg[aria-label^="Karte"]').count()).resolves.toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'atlas-counties.png'), fullPage: true });
    // The first view is the stack's first request (cold query plan and connections); once more warm.
    const warmMs = await openMap(page, base, '?view=map&indicator=population&year=2021&level=COUNTY&area=03', 45);
    const graphqlMs = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((entry) => entry.name.endsWith('/graphql'))
        .map((entry) => Math.round(entry.duration)),
    );
    measurements.push(
      `county map again (warm gateway): ${Math.round(warmMs)} ms after navigation start, of which the GraphQL request ${graphqlMs.join(', ')} ms`,
    );
    await page.close();
  });

  it('draws every municipality of a county and of the whole state', async () => {
    const page = await browser.context.newPage();
    const county = await apiValues('population', 2021, '03459', 'MUNICIPALITY');
    await openMap(page, base, '?view=map&indicator=population&year=2021&level=MUNICIPALITY&area=03459', county.size);
    expectSameValues(await drawnShapes(page), county);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'atlas-municipalities-osnabrueck.png') });

    const state = await apiValues('population', 2021, '03', 'MUNICIPALITY');
    expect(state.size).toBeGreaterThan(900);
    const renderMs = await openMap(page, base, '?view=map&indicator=population&year=2021&level=MUNICIPALITY&area=03', state.size);
    measurements.push(
      `state municipality map (${state.size} shapes): ${Math.round(renderMs)} ms after navigation start (target ≤ 3000 ms)`,
    );
    expectSameValues(await drawnShapes(page), state);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'atlas-municipalities-state.png'), fullPage: true });
    await page.close();
  });

  it('shows name, value and rank on hover and keyboard focus, and the right numbers in the profile', async () => {
    const page = await browser.context.newPage();
    await openMap(page, base, '?view=map&indicator=population&year=2021&level=COUNTY&area=03', 45);
    const code = '03459';
    const { data } = await stack.query<{
      region: {
        name: string;
        rank: { rank: number; of: number; percentile: number; value: number };
        projects: { id: string; totalFundingCents: string; attribution: string }[];
        cooperations: { id: string; attribution: string }[];
        office: { name: string; attribution: string } | null;
      };
    }>(
      `{ region(code: "${code}") { name rank(indicator: "population", year: 2021) { rank of percentile value } projects { id totalFundingCents attribution(language: DE) } cooperations { id attribution(language: DE) } office { name attribution(language: DE) } } }`,
    );
    const region = data!.region;

    await page.hover(`path[data-region-code="${code}"]`);
    const tooltip = page.locator('.tooltip');
    await expect(tooltip.getAttribute('data-region-code')).resolves.toBe(code);
    await expect(tooltip.locator('.tooltip-name').textContent()).resolves.toBe(region.name);
    await expect(tooltip.locator('.tooltip-value').getAttribute('data-value')).resolves.toBe(String(region.rank.value));
    // The state map ranks within the state, and says so.
    await expect(tooltip.locator('.tooltip-rank').textContent()).resolves.toBe(
      `Rang ${region.rank.rank} von ${region.rank.of} in Niedersachsen`,
    );

    // The keyboard reaches the shapes too: focus shows the same tooltip, Enter opens the profile.
    await page.focus(`path[data-region-code="${code}"]`);
    await page.keyboard.press('Enter');
    const profile = page.locator(`aside.profile[data-region-code="${code}"]`);
    await profile.waitFor({ timeout: 60_000 });
    expect(page.url()).toContain(`region=${code}`);
    await expect(profile.locator('h2').textContent()).resolves.toBe(region.name);
    const rank = profile.locator('.rank');
    await expect(rank.getAttribute('data-rank')).resolves.toBe(String(region.rank.rank));
    await expect(rank.getAttribute('data-percentile')).resolves.toBe(String(region.rank.percentile));
    const projects = await profile
      .locator('.projects li')
      .evaluateAll((items) => items.map((item) => [item.getAttribute('data-project-id'), item.getAttribute('data-funding-cents')]));
    expect(projects).toEqual(region.projects.map((project) => [project.id, String(project.totalFundingCents)]));
    await expect(profile.locator('.cooperations li').count()).resolves.toBe(region.cooperations.length);
    await expect(profile.locator('.office').textContent()).resolves.toContain(region.office!.name);
    // A total (population, aggregation SUM) is not drawn next to the district's and the state's totals, which
    // are many times larger and would flatten the county's line at the bottom: the caption says why.
    await expect(profile.locator('section.series[data-indicator="population"] path[data-series]').count()).resolves.toBe(1);
    await expect(profile.locator('section.series[data-indicator="population"] .no-parents').textContent()).resolves.toContain('Summe');
    // The axes label values and years between the ends.
    await expect(profile.locator('section.series[data-indicator="population"] .y-tick').count()).resolves.toBeGreaterThanOrEqual(3);
    await expect(profile.locator('section.series[data-indicator="population"] .x-tick').count()).resolves.toBeGreaterThanOrEqual(3);
    // Projects, cooperations and the office carry their attribution as the indicators do: each text once beneath its
    // list, in German as the Atlas asks for it.
    const distinct = (records: { attribution: string }[]) => [...new Set(records.map((record) => record.attribution))];
    expect(region.projects.length).toBeGreaterThan(0);
    await expect(profile.locator('.projects ~ .attribution').allTextContents()).resolves.toEqual(distinct(region.projects));
    await expect(profile.locator('.cooperations ~ .attribution').allTextContents()).resolves.toEqual(distinct(region.cooperations));
    await expect(profile.locator('.office ~ .attribution').allTextContents()).resolves.toEqual([region.office!.attribution]);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'atlas-profile.png'), fullPage: true });
    // A further indicator's time series joins the profile and the URL.
    await profile.locator('select[name="series"]').selectOption('motor_vehicles');
    await profile.locator('section.series[data-indicator="motor_vehicles"] path[data-series]').first().waitFor({ timeout: 60_000 });
    expect(new URL(page.url()).searchParams.get('series')).toBe('motor_vehicles');
    // A rate is compared with the district and the state; their values, computed by RegioGraph from the
    // counties (INKAR publishes county values only), are marked as computed.
    await profile.locator('select[name="series"]').selectOption('unemployment_rate');
    const rate = profile.locator('section.series[data-indicator="unemployment_rate"]');
    await rate.locator('path[data-series]').nth(2).waitFor({ timeout: 60_000 });
    await expect(rate.locator('path[data-series]').count()).resolves.toBe(3);
    await expect(rate.locator('.key[data-aggregated="true"]').count()).resolves.toBe(2);
    await expect(rate.locator('.key').first().getAttribute('data-aggregated')).resolves.toBe('false');
    await expect(rate.locator('.key[data-aggregated="true"]').first().textContent()).resolves.toContain('berechnet');
    await expect(rate.locator('.aggregated-note').textContent()).resolves.toContain('von RegioGraph');
    await page.close();
  });

  it('downloads long and wide CSV equal to the API table, with the attribution', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/atlas/?view=table&indicator=population&year=2021&level=COUNTY&area=032`);
    await page.locator('section.table tbody tr').first().waitFor({ timeout: 60_000 });
    const { data } = await stack.query<{
      observationTable: {
        cells: { regionCode: string; indicatorCode: string; year: number; value: number | null; status: string }[];
        rows: { regionCode: string; year: number; values: (number | null)[] }[];
      };
    }>(
      `{ observationTable(indicators: ["population"], regions: { level: COUNTY, parentCode: "032" }, fromYear: 2021, toYear: 2021) {
        cells { regionCode indicatorCode year value status } rows { regionCode year values } } }`,
    );
    const table = data!.observationTable;
    expect(table.rows.length).toBeGreaterThan(5);
    await expect(page.locator('section.table tbody tr').count()).resolves.toBe(table.rows.length);
    // Shown with the indicator's own decimals (population: none), as the map and the profile show it.
    const firstRow = page.locator('section.table tbody tr').first();
    const firstCode = await firstRow.getAttribute('data-region-code');
    const firstValue = table.rows.find((row) => row.regionCode === firstCode)!.values[0]!;
    await expect(firstRow.locator('td').nth(3).textContent()).resolves.toBe(
      firstValue.toLocaleString('de-DE', { minimumFractionDigits: 0, maximumFractionDigits: 0 }),
    );

    const download = async (selector: string) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
      const target = path.join(ARTIFACTS_DIR, file.suggestedFilename());
      await file.saveAs(target);
      const text = readFileSync(target, 'utf8');
      // The Atlas asks the export for German notes: the licence and attribution in German words, no English left.
      expect(new URL(file.url()).searchParams.get('language')).toBe('DE');
      expect(text).toContain('Lizenz: dl-de/by-2-0');
      expect(text).toContain('Namensnennung: © Statistisches Bundesamt (Destatis)');
      const notes = text.split('\r\n').filter((line) => line.startsWith('#'));
      expect(notes.flatMap((line) => englishWordsIn(line).map((word) => `${word}: ${line}`))).toEqual([]);
      return parseCsv(
        text
          .split('\r\n')
          .filter((line) => !line.startsWith('#'))
          .join('\r\n'),
      ).map((row) => row.fields);
    };
    const [longHeader, ...longRows] = await download('a.csv-long');
    expect(longHeader).toEqual([
      'region_code',
      'region_name',
      'indicator_code',
      'year',
      'value',
      'status',
      'aggregated',
      'release',
      'imported_at',
    ]);
    // The shipped data came from no import: no release, no import time (an imported value's are in export.test.ts).
    expect(longRows.filter((row) => row[7] !== '' || row[8] !== '')).toEqual([]);
    expect(longRows.map((row) => [row[0], row[2], Number(row[3]), row[4] === '' ? null : Number(row[4]), row[5]])).toEqual(
      table.cells.map((cell) => [cell.regionCode, cell.indicatorCode, cell.year, cell.value, cell.status]),
    );
    const [wideHeader, ...wideRows] = await download('a.csv-wide');
    expect(wideHeader).toEqual(['region_code', 'region_name', 'year', 'population']);
    expect(wideRows.map((row) => [row[0], Number(row[2]), row[3] === '' ? null : Number(row[3])])).toEqual(
      table.rows.map((row) => [row.regionCode, row.year, row.values[0]]),
    );
    // The file for Excel with German settings: the export's EXCEL_DE dialect, byte for byte what the gateway writes.
    const [excel] = await Promise.all([page.waitForEvent('download'), page.click('a.csv-wide-excel')]);
    expect(excel.suggestedFilename()).toBe('observations-wide-excel.csv');
    expect(Object.fromEntries(new URL(excel.url()).searchParams)).toMatchObject({ language: 'DE', dialect: 'EXCEL_DE', shape: 'wide' });
    const excelTarget = path.join(ARTIFACTS_DIR, excel.suggestedFilename());
    await excel.saveAs(excelTarget);
    const bytes = readFileSync(excelTarget);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [excelHeader, ...excelRows] = parseCsv(bytes.toString('utf8'), 'EXCEL_DE')
      .map((row) => row.fields)
      .filter((fields) => !fields[0]!.startsWith('#'));
    expect(excelHeader).toEqual(wideHeader);
    expect(excelRows).toEqual(wideRows);
    await page.close();
  });

  it('moves the year into the series of an indicator chosen that starts later', async () => {
    const page = await browser.context.newPage();
    await openMap(page, base, '?view=map&indicator=population&year=2021&level=COUNTY&area=03', 45);
    // The census of 2022 has no earlier year: the map would be all "keine Angabe" in 2021.
    await page.selectOption('select[name="indicator"]', 'population_census22');
    await page.waitForFunction(() => new URL(window.location.href).searchParams.get('year') === '2022', undefined, { timeout: 60_000 });
    await expect(page.locator('select[name="year"]').inputValue()).resolves.toBe('2022');
    await page.close();
  });

  it('keeps the whole state in the URL: a link reproduces the view, back restores the previous one', async () => {
    const page = await browser.context.newPage();
    await openMap(page, base, '?view=map&indicator=population&year=2021&level=COUNTY&area=03', 45);
    await page.selectOption('select[name="level"]', 'MUNICIPALITY');
    await page.waitForFunction(
      () => document.querySelectorAll('path[data-region-code]').length > 900 && !document.querySelector('.loading'),
      undefined,
      { timeout: 120_000 },
    );
    await page.selectOption('select[name="area"]', '03241');
    await page.selectOption('select[name="year"]', '2020');
    const county = await apiValues('population', 2020, '03241', 'MUNICIPALITY');
    await page.waitForFunction(
      (count) => document.querySelectorAll('path[data-region-code]').length === count && !document.querySelector('.loading'),
      county.size,
      { timeout: 120_000 },
    );
    const code = [...county.keys()][0]!;
    await page.click(`path[data-region-code="${code}"]`);
    await page.locator('aside.profile h2').waitFor({ timeout: 60_000 });
    await page.click('text=Zum Vergleich hinzufügen');
    const link = page.url();
    const params = new URL(link).searchParams;
    expect(Object.fromEntries(params)).toMatchObject({
      view: 'map',
      indicator: 'population',
      year: '2020',
      level: 'MUNICIPALITY',
      area: '03241',
      region: code,
      compare: code,
    });

    const second = await browser.context.newPage();
    await openMap(second, base, new URL(link).search, county.size);
    expectSameValues(await drawnShapes(second), county);
    await second.locator(`aside.profile[data-region-code="${code}"]`).waitFor({ timeout: 60_000 });
    await expect(second.locator('select[name="year"]').inputValue()).resolves.toBe('2020');
    await expect(second.locator('select[name="area"]').inputValue()).resolves.toBe('03241');
    await second.close();

    await page.goBack();
    await page.goBack();
    await page.waitForFunction(() => !new URLSearchParams(location.search).has('region'), undefined, { timeout: 30_000 });
    expect(new URL(page.url()).searchParams.get('year')).toBe('2020');
    await page.close();
  });

  it('draws a missing value as missing, never as 0', async () => {
    // Göttingen's vehicle stock exists only from 01.01.2019 (see the indicator's break note).
    const api = await apiValues('motor_vehicles', 2018, '03', 'COUNTY');
    const missing = [...api].filter(([, entry]) => entry.value === null).map(([code]) => code);
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.length).toBeLessThan(45);
    const page = await browser.context.newPage();
    await openMap(page, base, '?view=map&indicator=motor_vehicles&year=2018&level=COUNTY&area=03', 45);
    const drawn = await drawnShapes(page);
    expectSameValues(drawn, api);
    for (const code of missing) expect(drawn.get(code)).toMatchObject({ value: '', missing: true, fill: 'url(#missing)' });
    await page.hover(`path[data-region-code="${missing[0]}"]`);
    await expect(page.locator('.tooltip-value').textContent()).resolves.toBe('keine Angabe');
    await expect(page.locator('.legend li[data-class="missing"]').textContent()).resolves.toContain('keine Angabe');
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'atlas-missing.png'), fullPage: true });
    await page.close();
  });

  it('says in German why a value is missing, as the API words it for language: DE', async () => {
    // Goslar's unincorporated Harz has no inhabitants: the synthetic pharmacies are missing there, with the reason.
    const { data } = await stack.query<{
      region: { descendants: { code: string; value: { value: number | null; en: string | null; de: string | null } | null }[] };
    }>(`{
      region(code: "03153") {
        descendants(level: MUNICIPALITY) { code value(indicator: "pharmacies", year: 2020) { value en: missingReason de: missingReason(language: DE) } }
      }
    }`);
    const regions = data!.region.descendants;
    const explained = regions.find((region) => region.value?.value === null && region.value.de !== null)!;
    expect(explained.value!.de).not.toBe(explained.value!.en);
    expect(englishWordsIn(explained.value!.de!)).toEqual([]);
    const page = await browser.context.newPage();
    await openMap(page, base, '?view=map&indicator=pharmacies&year=2020&level=MUNICIPALITY&area=03153', regions.length);
    await page.hover(`path[data-region-code="${explained.code}"]`);
    await expect(page.locator('.tooltip-value').textContent()).resolves.toBe('keine Angabe');
    await expect(page.locator('.tooltip-reason').textContent()).resolves.toBe(explained.value!.de);
    // A value shown has no reason beside it.
    const shown = regions.find((region) => region.value?.value != null)!;
    await page.hover(`path[data-region-code="${shown.code}"]`);
    await page.locator(`.tooltip[data-region-code="${shown.code}"]`).waitFor();
    await expect(page.locator('.tooltip-reason').count()).resolves.toBe(0);
    await page.close();
  });

  // The county population series (12411-0015) begins in 1995; the earlier county values are sums of the
  // municipalities (GV-ISys) that RegioGraph computes, Observation.aggregated.
  it('marks values RegioGraph computed in the table, the tooltip and the key of a partly computed series', async () => {
    const { data } = await stack.query<{
      observationTable: { cells: { regionCode: string; year: number; value: number | null; aggregated: boolean }[] };
    }>(
      `{ observationTable(indicators: ["population"], regions: { level: COUNTY, parentCode: "03" }, fromYear: 1994, toYear: 1995) {
        cells { regionCode year value aggregated } } }`,
    );
    const cells = data!.observationTable.cells.filter((cell) => cell.value !== null);
    const computed = (year: number) => cells.filter((cell) => cell.year === year && cell.aggregated).map((cell) => cell.regionCode);
    expect(computed(1994).length).toBeGreaterThan(0);
    expect(computed(1995)).toEqual([]);

    const page = await browser.context.newPage();
    await page.goto(`${base}/atlas/?view=table&indicator=population&year=1994&level=COUNTY&area=03`);
    await page.locator('section.table tbody tr').first().waitFor({ timeout: 60_000 });
    const marked = await page.$$eval('section.table tbody tr', (rows) =>
      rows.filter((row) => row.querySelector('td[data-aggregated="true"]')).map((row) => row.getAttribute('data-region-code')!),
    );
    expect(marked.sort()).toEqual(computed(1994).sort());
    await expect(page.locator('section.table td[data-aggregated="true"]').first().textContent()).resolves.toContain('(berechnet)');
    await expect(page.locator('section.table .aggregated-note').textContent()).resolves.toContain('von RegioGraph');

    await openMap(page, base, '?view=map&indicator=population&year=1994&level=COUNTY&area=03', 45);
    const code = computed(1994)[0]!;
    await page.hover(`path[data-region-code="${code}"]`);
    await expect(page.locator('.tooltip-aggregated').textContent()).resolves.toContain('von RegioGraph');
    await expect(page.locator(`path[data-region-code="${code}"]`).getAttribute('aria-label')).resolves.toContain('(berechnet)');
    await openMap(page, base, '?view=map&indicator=population&year=1995&level=COUNTY&area=03', 45);
    await page.hover(`path[data-region-code="${code}"]`);
    await expect(page.locator('.tooltip-value').getAttribute('data-value')).resolves.not.toBe('');
    await expect(page.locator('.tooltip-aggregated').count()).resolves.toBe(0);

    // The profile's population line is mostly published: its key names the computed years, not the whole line.
    const { data: series } = await stack.query<{ region: { values: { year: number; value: number | null; aggregated: boolean }[] } }>(
      `{ region(code: "${code}") { values(indicators: ["population"]) { year value aggregated } } }`,
    );
    const computedYears = series!.region.values.filter((value) => value.aggregated && value.value !== null).map((value) => value.year);
    expect(computedYears.length).toBeGreaterThan(0);
    expect(computedYears.length).toBeLessThanOrEqual(5);
    await page.goto(`${base}/atlas/?view=map&indicator=population&year=1995&level=COUNTY&area=03&region=${code}`);
    const key = page.locator('section.series[data-indicator="population"] .key').first();
    await key.waitFor({ timeout: 60_000 });
    await expect(key.getAttribute('data-aggregated-years')).resolves.toBe(computedYears.sort((a, b) => a - b).join(','));
    await expect(key.textContent()).resolves.toContain(`(berechnet: ${computedYears.join(', ')})`);
    // The computed stretch of the line is drawn as hollow dots, one per computed year.
    const dots = await page.$$eval('section.series[data-indicator="population"] circle.computed-point', (circles) =>
      circles.map((circle) => Number(circle.getAttribute('data-year'))).sort((a, b) => a - b),
    );
    expect(dots).toEqual(computedYears);
    await page.close();
  });

  it('names an unknown indicator of a link once, not once per region', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/atlas/?view=map&indicator=no_such_indicator&year=2021&level=COUNTY&area=03`);
    const alert = page.locator('[role="alert"]');
    await alert.waitFor({ timeout: 60_000 });
    const text = (await alert.textContent()) ?? '';
    expect(text.startsWith('Karte nicht verfügbar: ')).toBe(true);
    // Each distinct message once: the value field fails for each of the 45 counties.
    const occurrences = (message: string) => text.split(message).length - 1;
    expect(occurrences('Unknown indicator code(s) in indicator: no_such_indicator.')).toBe(1);
    expect(occurrences('no_such_indicator')).toBeLessThanOrEqual(3);
    await page.close();
  });

  it('compares up to six regions side by side in one request', async () => {
    const page = await browser.context.newPage();
    const requests: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql')) requests.push(request.url());
    });
    await page.goto(`${base}/atlas/?view=compare&indicator=population&compare=03241,03459,03403`);
    await page.locator('section.compare tbody tr').first().waitFor({ timeout: 60_000 });
    await expect(page.locator('section.compare thead th[data-region-code]').count()).resolves.toBe(3);
    const { data } = await stack.query<{ region: { value: { value: number } } }>(
      '{ region(code: "03403") { value(indicator: "population", year: 2021) { value } } }',
    );
    const cell = page.locator('section.compare tbody tr', { hasText: '2021' }).locator('td').nth(2);
    await expect(cell.getAttribute('data-value')).resolves.toBe(String(data!.region.value.value));
    expect(requests).toHaveLength(1);
    // Year and level do nothing in the comparison (all years, the regions chosen): not shown there.
    await expect(page.locator('select[name="indicator"]').count()).resolves.toBe(1);
    await expect(page.locator('select[name="year"], select[name="level"]').count()).resolves.toBe(0);

    // An ArL district's rates are computed by RegioGraph from its counties: marked so, the county's are not.
    await page.goto(`${base}/atlas/?view=compare&indicator=unemployment_rate&compare=031,03241`);
    await page.locator('section.compare tbody tr').first().waitFor({ timeout: 60_000 });
    const computed = page.locator('section.compare tbody td[data-aggregated="true"]');
    await expect(computed.count()).resolves.toBe(await page.locator('section.compare tbody tr').count());
    await expect(computed.first().textContent()).resolves.toContain('berechnet');
    await expect(page.locator('section.compare .key[data-aggregated="true"]').count()).resolves.toBe(1);

    // More than six regions in a link: the ones beyond are named, not silently dropped.
    await page.goto(`${base}/atlas/?view=compare&indicator=population&compare=03241,03459,03403,03101,03102,03103,03151`);
    await page.locator('section.compare tbody tr').first().waitFor({ timeout: 60_000 });
    await expect(page.locator('section.compare thead th[data-region-code]').count()).resolves.toBe(6);
    await expect(page.locator('.ignored-params').textContent()).resolves.toContain('compare=03151');
    await expect(page.locator('.ignored-params').textContent()).resolves.toContain('höchstens 6');

    // No regions yet: a hint how to add them, and the controls are filled.
    await page.goto(`${base}/atlas/?view=compare&indicator=population`);
    await page.locator('.compare-empty').waitFor({ timeout: 60_000 });
    await expect(page.locator('.compare-empty').textContent()).resolves.toContain('Zum Vergleich hinzufügen');
    await page.locator('select[name="indicator"] option[value="motor_vehicles"]').waitFor({ state: 'attached', timeout: 60_000 });
    await page.close();
  });

  it('says when the year of a link has no values, and keeps that year in the control', async () => {
    const page = await browser.context.newPage();
    await openMap(page, base, '?view=map&indicator=population&year=2050&level=COUNTY&area=03', 45);
    await expect(page.locator('.no-year').textContent()).resolves.toMatch(
      /^Für 2050 gibt es keine Werte zu „Bevölkerung“; Jahre mit Werten: \d{4}–\d{4}\.$/,
    );
    await expect(page.locator('select[name="year"]').inputValue()).resolves.toBe('2050');
    await page.selectOption('select[name="year"]', '2021');
    await page.locator('.no-year').waitFor({ state: 'detached' });
    await page.close();
  });

  it('names the code of a profile link that is no region, and closes that profile on request', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/atlas/?view=map&indicator=population&year=2021&level=COUNTY&area=03&region=03999`);
    const alert = page.locator('aside.profile [role="alert"]');
    await alert.waitFor({ timeout: 60_000 });
    await expect(alert.textContent()).resolves.toBe('Profil nicht verfügbar: keine Region mit dem Schlüssel 03999.');
    await page.click('aside.profile button:has-text("Profil schließen")');
    await alert.waitFor({ state: 'detached' });
    expect(new URL(page.url()).searchParams.get('region')).toBeNull();
    await page.close();
  });

  it('names a code of a compare link that is no region, and removes it on request', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/atlas/?view=compare&indicator=population&compare=03241,03999`);
    await page.locator('section.compare tbody tr').first().waitFor({ timeout: 60_000 });
    await expect(page.locator('section.compare thead th[data-region-code]').count()).resolves.toBe(1);
    await expect(page.locator('.unknown-regions').textContent()).resolves.toContain('03999');
    await page.click('button[aria-label="03999 aus dem Vergleich entfernen"]');
    await page.locator('.unknown-regions').waitFor({ state: 'detached' });
    expect(new URL(page.url()).searchParams.get('compare')).toBe('03241');
    await page.close();
  });

  it('offers every indicator and year in the controls of a table or comparison link, which change the view', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/atlas/?view=table&indicator=population&year=2021&level=COUNTY&area=03`);
    await page.locator('section.table tbody tr[data-year="2021"]').first().waitFor({ timeout: 60_000 });
    await expect(page.locator('select[name="indicator"] option[value="motor_vehicles"]').count()).resolves.toBe(1);
    await expect(page.locator('select[name="year"] option[value="2020"]').count()).resolves.toBe(1);
    await page.selectOption('select[name="year"]', '2020');
    await page.locator('section.table tbody tr[data-year="2020"]').first().waitFor({ timeout: 60_000 });
    await page.selectOption('select[name="indicator"]', 'motor_vehicles');
    await page.locator('section.table th[data-indicator="motor_vehicles"]').waitFor({ timeout: 60_000 });

    await page.goto(`${base}/atlas/?view=compare&indicator=population&compare=03241`);
    await page.locator('section.compare tbody tr').first().waitFor({ timeout: 60_000 });
    await page.selectOption('select[name="indicator"]', 'motor_vehicles');
    await page.locator('section.compare h2', { hasText: 'Kraftfahrzeug' }).waitFor({ timeout: 60_000 });
    await page.close();
  });

  it('keeps showing the chosen indicator at a level without its values, and says so', async () => {
    const page = await browser.context.newPage();
    await openMap(page, base, '?view=map&indicator=unemployment_rate&year=2021&level=COUNTY&area=03', 45);
    // The select groups its hundred and more indicators by theme.
    await expect(
      page.locator('select[name="indicator"] optgroup[label="Arbeitsmarkt"] option[value="unemployment_rate"]').count(),
    ).resolves.toBe(1);
    // The unemployment rate exists for counties only.
    await page.selectOption('select[name="level"]', 'MUNICIPALITY');
    await page.locator('.no-level').waitFor({ timeout: 60_000 });
    await expect(page.locator('select[name="indicator"]').inputValue()).resolves.toBe('unemployment_rate');
    await expect(page.locator('.no-level').textContent()).resolves.toBe(
      '„Arbeitslosenquote“ gibt es nicht für Gemeinden, nur für Landkreise und kreisfreie Städte: bitte eine andere Ebene oder einen anderen Indikator wählen.',
    );
    await page.selectOption('select[name="level"]', 'COUNTY');
    await page.locator('.no-level').waitFor({ state: 'detached' });
    await page.close();
  });

  it('labels a synthetic indicator as synthetic in the table, the comparison and the profile, as on the map', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/atlas/?view=table&indicator=births_per_1000&year=2021&level=COUNTY&area=03`);
    const column = page.locator('section.table th[data-indicator="births_per_1000"]');
    await column.waitFor({ timeout: 60_000 });
    await expect(column.textContent()).resolves.toContain('synthetische Daten');
    await page.goto(`${base}/atlas/?view=compare&indicator=births_per_1000&compare=03241`);
    const heading = page.locator('section.compare h2');
    await heading.waitFor({ timeout: 60_000 });
    await expect(heading.textContent()).resolves.toContain('synthetische Daten');
    await page.goto(`${base}/atlas/?view=map&indicator=births_per_1000&year=2021&region=03241`);
    const series = page.locator('aside.profile section.series[data-indicator="births_per_1000"] h3');
    await series.waitFor({ timeout: 60_000 });
    await expect(series.textContent()).resolves.toContain('synthetische Daten');
    await expect(page.locator('figcaption#map-title').textContent()).resolves.toContain('synthetische Daten');
    // The source of synthetic data is named in German, on the map as in the profile.
    for (const attribution of ['.map .attribution', 'aside.profile section.series[data-indicator="births_per_1000"] .attribution']) {
      const text = await page.locator(attribution).textContent();
      expect(text).toContain('Synthetische Demonstrationsdaten (RegioGraph) – keine amtliche Statistik');
      expect(text).not.toContain('Synthetic');
    }
    await page.close();
  });

  it('fits the width of a phone without sideways scrolling, and Enter on a region takes the focus to its profile', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 375, height: 800 });
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await openMap(page, base, '?view=map&indicator=population&year=2021&level=COUNTY&area=03', 45);
    await page.focus('path[data-region-code="03241"]');
    await page.keyboard.press('Enter');
    // The profile opens below the map on a phone: the focus moves there, and the browser scrolls to it.
    await page.waitForFunction(() => document.activeElement?.matches('aside.profile[data-region-code="03241"] h2') === true, undefined, {
      timeout: 60_000,
    });
    await expect(overflow()).resolves.toBeLessThanOrEqual(0);
    await page.goto(`${base}/atlas/?view=table&indicator=population&year=2021&level=COUNTY&area=03`);
    await page.locator('section.table tbody tr').first().waitFor({ timeout: 60_000 });
    await expect(overflow()).resolves.toBeLessThanOrEqual(0);
    await page.close();
  });

  it('names the parameters of a link it cannot use instead of silently showing something else', async () => {
    const page = await browser.context.newPage();
    await openMap(page, base, '?view=map&indicator=population&year=1800&level=KREIS&area=03', 45);
    await expect(page.locator('.ignored-params').textContent()).resolves.toBe(
      'Im Link nicht verstanden und daher übergangen: year=1800, level=KREIS.',
    );
    // The page's own link after a change has nothing to name.
    await page.selectOption('select[name="year"]', '2020');
    await page.locator('.ignored-params').waitFor({ state: 'detached' });
    await page.close();
  });

  it('tells apart regions of the same name on the map by their official type', async () => {
    const page = await browser.context.newPage();
    await openMap(page, base, '?view=map&indicator=population&year=2021&level=COUNTY&area=03', 45);
    // Two regions are called Osnabrück: the city and the county around it.
    const labels = await page.$$eval('path[data-region-code="03404"], path[data-region-code="03459"]', (paths) =>
      paths.map((shape) => shape.getAttribute('aria-label')!.split(':')[0]),
    );
    expect(labels.sort()).toEqual(['Osnabrück (Kreisfreie Stadt)', 'Osnabrück (Landkreis)']);
    await page.hover('path[data-region-code="03459"]');
    await expect(page.locator('.tooltip .tooltip-type').textContent()).resolves.toBe('Landkreis');
    await page.close();
  });

  it('links the attribution of the boundaries to the BKG, also when embedded, and leaves no error in the console', async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    for (const embed of ['', '&embed=1']) {
      await openMap(page, base, `?view=map&indicator=population&year=2021&level=COUNTY&area=03${embed}`, 45);
      if (embed) {
        // Embedded, the map has no room for a profile: a click offers a link to it in the full Atlas, without a history entry.
        const entries = await page.evaluate(() => window.history.length);
        await page.click('path[data-region-code="03241"]');
        const link = page.locator('a.open-profile');
        await link.waitFor({ timeout: 60_000 });
        const target = new URL((await link.getAttribute('href'))!, page.url());
        expect(target.pathname).toBe('/atlas/');
        expect(Object.fromEntries(target.searchParams)).toMatchObject({ view: 'map', region: '03241', indicator: 'population' });
        expect(target.searchParams.has('embed')).toBe(false);
        await expect(page.evaluate(() => window.history.length)).resolves.toBe(entries);
        expect(new URL(page.url()).searchParams.has('region')).toBe(false);
      }
      const bkg = page.locator('.map .attribution a[href="https://www.bkg.bund.de"]');
      await expect(bkg.textContent()).resolves.toMatch(/^© GeoBasis-DE \/ BKG 2021 \(Daten verändert\)/);
      // The browser asks for the page's icon after the load: wait for that request to be answered.
      await page.waitForLoadState('networkidle');
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says which part of a profile is unavailable when a subgraph is down, never "0 projects"', async () => {
    // A port nobody listens on: the gateway answers what the other subgraphs know, with an error.
    const down = 'http://127.0.0.1:1/graphql';
    const withoutProjects = await stack.startGateway({ subgraphUrls: { projects: down } });
    const page = await browser.context.newPage();
    const uncaught: string[] = [];
    page.on('pageerror', (error) => uncaught.push(error.message));
    await page.goto(`${atlasBase(withoutProjects.url)}/atlas/?view=map&indicator=population&year=2021&region=03241`);
    // The rest of the profile and the map still work.
    await page.locator('aside.profile .cooperations li').first().waitFor({ timeout: 60_000 });
    await expect(page.locator('aside.profile').textContent()).resolves.not.toContain('Projekte (0)');
    await expect(page.locator('aside.profile .projects-unavailable').textContent()).resolves.toMatch(
      /^Projekte nicht verfügbar: .*projects service is unreachable/,
    );
    await page.waitForFunction(() => document.querySelectorAll('path[data-region-code]').length === 45, undefined, { timeout: 60_000 });
    await page.close();
    expect(uncaught).toEqual([]);
  });

  it('says that cooperations and the regional office are unavailable when the cooperations subgraph is down', async () => {
    const withoutCooperations = await stack.startGateway({ subgraphUrls: { cooperations: 'http://127.0.0.1:1/graphql' } });
    const page = await browser.context.newPage();
    await page.goto(`${atlasBase(withoutCooperations.url)}/atlas/?view=map&indicator=population&year=2021&region=03241`);
    await page.locator('aside.profile .projects li').first().waitFor({ timeout: 60_000 });
    await expect(page.locator('aside.profile .cooperations-unavailable').textContent()).resolves.toMatch(
      /^Kooperationen nicht verfügbar: .*cooperations service is unreachable/,
    );
    await expect(page.locator('aside.profile .office').textContent()).resolves.toMatch(
      /^nicht verfügbar: .*cooperations service is unreachable/,
    );
    await page.close();
  });

  it('says that the indicators subgraph is down in the comparison, not that the indicator is unknown', async () => {
    const withoutIndicators = await stack.startGateway({ subgraphUrls: { indicators: 'http://127.0.0.1:1/graphql' } });
    const compare = await browser.context.newPage();
    const uncaught: string[] = [];
    compare.on('pageerror', (error) => uncaught.push(error.message));
    await compare.goto(`${atlasBase(withoutIndicators.url)}/atlas/?view=compare&indicator=population&compare=03241`);
    const alert = compare.locator('[role="alert"]');
    await alert.waitFor({ timeout: 60_000 });
    await expect(alert.textContent()).resolves.toMatch(/^Vergleich nicht verfügbar: .*indicators service is unreachable/);
    await compare.close();
    expect(uncaught).toEqual([]);
  });

  it('runs on a safelisted gateway: the Atlas operations are registered at start', async () => {
    const safelisted = await stack.startGateway({ env: { SAFELIST: 'true', RATE_LIMIT_REQUESTS: '100000' } });
    const page = await browser.context.newPage();
    await page.goto(`${atlasBase(safelisted.url)}/atlas/?indicator=population&year=2021`);
    await page.waitForFunction(() => document.querySelectorAll('path[data-region-code]').length === 45, undefined, { timeout: 120_000 });
    // Anything else is refused there.
    const refused = await safelisted.query('{ region(code: "03") { name } }');
    expect(refused.errors?.[0]?.extensions?.code).toBe('OPERATION_NOT_REGISTERED');
    await page.close();
  });
});

describe('the Atlas bundle', () => {
  it('is served from /atlas/ and weighs at most 400 KB gzipped', async () => {
    const page = await fetch(`${base}/atlas/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<html lang="de">');
    const assets = [...html.matchAll(/(?:src|href)="(\/atlas\/assets\/[^"]+)"/g)].map((match) => match[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    let gzipped = 0;
    for (const asset of assets) {
      const response = await fetch(`${base}${asset}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toContain('immutable');
      gzipped += gzipSync(Buffer.from(await response.arrayBuffer())).length;
    }
    measurements.push(`bundle: ${(gzipped / 1024).toFixed(1)} KB gzipped (target ≤ 400 KB)`);
    expect(gzipped).toBeLessThanOrEqual(400 * 1024);
    // What a browser that takes brotli receives: the compressed files themselves, not only their measure.
    let sent = 0;
    for (const asset of assets) {
      const coded = await rawRequest(`${base}${asset}`, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect({ asset, coding: coded.headers['content-encoding'], length: Number(coded.headers['content-length']) }).toEqual({
        asset,
        coding: 'br',
        length: coded.body.length,
      });
      sent += coded.body.length;
    }
    measurements.push(`bundle: ${(sent / 1024).toFixed(1)} KB as the gateway sends it with brotli`);
    expect(sent).toBeLessThan(gzipped);
    const redirect = await fetch(`${base}/atlas`, { redirect: 'manual' });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe('/atlas/');
  });
});

describeInBrowser("the README's screenshot script (scripts/atlas-screenshot.ts)", () => {
  it("draws the view it promises and writes it as a PNG of the browser tests' width", async () => {
    const page = await browser.context.newPage();
    const output = path.join(ARTIFACTS_DIR, 'readme-screenshot.png');
    // Waits for every county, the profile's chart and office, and the tooltip: it throws if the Atlas no longer shows them.
    await takeAtlasScreenshot(page, new URL(`${base}/atlas/`), output);
    const png = readFileSync(output);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // The IHDR chunk: width and height, big-endian, after the signature and the chunk's length and type.
    expect(png.readUInt32BE(16)).toBe(1280);
    // A whole page: the map and the profile below the header reach beyond the 900 px viewport.
    expect(png.readUInt32BE(20)).toBeGreaterThan(900);
    await page.close();
  });
});
