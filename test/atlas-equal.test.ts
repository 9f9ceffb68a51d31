// The Atlas's equal-chances view (Gleichwertigkeit) and the profile's similar regions, in Debian's
// chromium against the whole stack: what the page shows is compared with the API's own answer to the
// same question, never with numbers written down here.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REASON_TEXTS } from '../atlas/src/errors';
import { atlasBase, openEqual, runAtlasForFile } from './atlas-page';
import { ARTIFACTS_DIR, chromiumAvailable, type Browser } from './browser';
import type { Stack } from './harness';

const describeInBrowser = chromiumAvailable() ? describe : describe.skip;

let stack: Stack;
let browser: Browser;
let base: string;
const measurements: string[] = [];

/** The Atlas's registered documents (the persisted manifest the gateway loads), by operation name. */
function atlasDocument(name: string): string {
  const manifest = JSON.parse(
    readFileSync(path.join(__dirname, '..', 'atlas', 'src', 'generated', 'persisted-documents.json'), 'utf8'),
  ) as Record<string, string>;
  const document = Object.values(manifest).find((text) => text.includes(`query ${name}(`));
  if (!document) throw new Error(`no Atlas document ${name} in the manifest`);
  return document;
}

runAtlasForFile((run) => ({ stack, base, browser } = run));

afterAll(() => {
  if (measurements.length > 0) console.log(`Atlas equal-chances measurements on this machine:\n${measurements.join('\n')}`);
});

interface Report {
  disparities: {
    csv: string;
    /** The same for Excel with German settings. */
    excelCsv: string;
    usedDefaultProfile: boolean;
    rankedRegions: number;
    indicators: { indicator: { indicatorCode: string; year: number } }[];
    regions: { regionCode: string; rankFromWeakest: number | null; compositeIndex: number | null; weakestFifthCount: number }[];
  };
}

/** The API's disparity report for the same choice the page made. */
async function apiReport(variables: { indicators?: string[] | null; level: string; year?: number | null; withinParent?: string | null }) {
  const { data, errors } = await stack.query<Report>(
    `query ($indicators: [ID!], $level: RegionLevel!, $year: Int, $withinParent: ID) {
      disparities(indicators: $indicators, level: $level, year: $year, withinParent: $withinParent) {
        csv(language: DE) excelCsv: csv(language: DE, dialect: EXCEL_DE) usedDefaultProfile rankedRegions indicators { indicator { indicatorCode year } }
        regions { regionCode rankFromWeakest compositeIndex weakestFifthCount }
      }
    }`,
    variables,
  );
  expect(errors).toBeUndefined();
  return data!.disparities;
}

/** The regions table's rows, in the order shown. */
function shownRows(page: import('playwright-core').Page) {
  return page.$$eval('table.equal-regions tbody tr', (rows) =>
    rows.map((row) => ({
      regionCode: row.getAttribute('data-region-code')!,
      rankFromWeakest: row.getAttribute('data-rank') === '' ? null : Number(row.getAttribute('data-rank')),
      compositeIndex: row.getAttribute('data-composite-index') === '' ? null : Number(row.getAttribute('data-composite-index')),
      weakestFifthCount: Number(row.getAttribute('data-weakest-fifth')),
    })),
  );
}

/** The bodies of the page's GraphQL requests from now on, as they are sent. */
function graphqlRequests(page: import('playwright-core').Page): string[] {
  const requests: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/graphql')) requests.push(request.postData() ?? '');
  });
  return requests;
}

describeInBrowser("the Atlas's equal-chances view", () => {
  it("maps and lists the counties' composite index as the API computes it, weakest first, in one persisted request", async () => {
    const page = await browser.context.newPage();
    const requests = graphqlRequests(page);
    await openEqual(page, base, '?view=equal', 45);
    const report = await apiReport({ level: 'COUNTY' });
    expect(report.usedDefaultProfile).toBe(true);
    await expect(shownRows(page)).resolves.toEqual(report.regions);
    // Each shape carries its region's composite index; one without is drawn as missing, never as 0.
    const shapes = await page.$$eval('figure.map path[data-region-code]', (paths) =>
      paths.map((shape) => [shape.getAttribute('data-region-code'), shape.getAttribute('data-value'), shape.getAttribute('fill')]),
    );
    expect(new Map(shapes.map(([code, value]) => [code, value === '' ? null : Number(value)]))).toEqual(
      new Map(report.regions.map((region) => [region.regionCode, region.compositeIndex])),
    );
    for (const [, value, fill] of shapes) if (value === '') expect(fill).toBe('url(#missing)');
    // The diverging legend says in words which side of the state each colour is.
    const legend = await page.locator('.legend li[data-class]').allTextContents();
    expect(legend.filter((line) => line.includes('hinter dem Land')).length).toBe(3);
    expect(legend.filter((line) => line.includes('vor dem Land')).length).toBe(3);
    expect(legend.filter((line) => line.includes('etwa wie das Land')).length).toBe(1);
    // Every indicator's year and the boundaries' and the data's attribution are on the page.
    const years = await page.$$eval('table.equal-indicators-table tbody tr', (rows) =>
      rows.map((row) => [row.getAttribute('data-indicator'), Number(row.getAttribute('data-year'))]),
    );
    expect(years).toEqual(report.indicators.map((entry) => [entry.indicator.indicatorCode, entry.indicator.year]));
    await expect(page.locator('figure.map .attribution').textContent()).resolves.toContain('GeoBasis-DE / BKG');
    await expect(page.locator('ul.equal-attributions li').count()).resolves.toBe(report.indicators.length);
    await expect(page.locator('details.method summary').textContent()).resolves.toBe('Methode');
    expect(requests).toHaveLength(1);
    const body = JSON.parse(requests[0]!) as { query?: string; extensions: { persistedQuery: { sha256Hash: string } } };
    expect(body.query).toBeUndefined();
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'atlas-equal.png'), fullPage: true });

    // A region's name opens its profile on the map, as a shape does there.
    const weakest = report.regions[0]!.regionCode;
    await page.click(`table.equal-regions tr[data-region-code="${weakest}"] th a`);
    await page.locator(`aside.profile[data-region-code="${weakest}"] h2`).waitFor({ timeout: 60_000 });
    expect(new URL(page.url()).searchParams.get('view')).toBe('map');
    await page.close();
  });

  it('is named in the page title and announced in the live region, as the other views are', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/atlas/?view=map&indicator=population&year=2021&level=COUNTY&area=03`);
    await page.locator('figure.map path[data-region-code]').first().waitFor({ timeout: 60_000 });
    await page.click('nav button:has-text("Gleichwertigkeit")');
    await page.waitForFunction(
      () =>
        document.querySelector('#announcer')?.textContent ===
        'Gleichwertigkeit geladen: 45 Landkreise und kreisfreie Städte, 6 Indikatoren.',
      undefined,
      { timeout: 60_000 },
    );
    // The report has a year of its own: from a map of 2021 it opens with the newest values, as it does afresh.
    await expect(page.title()).resolves.toBe(
      'Gleichwertigkeit: neueste Werte, Landkreise und kreisfreie Städte – RegioGraph Atlas Niedersachsen',
    );
    await expect(page.locator('select[name="year"]').inputValue()).resolves.toBe('');
    const newest = await apiReport({ level: 'COUNTY' });
    await expect(shownRows(page)).resolves.toEqual(newest.regions);
    await page.selectOption('select[name="year"]', '2019');
    await page.waitForFunction(() => document.title.startsWith('Gleichwertigkeit: 2019, Landkreise'), undefined, { timeout: 60_000 });
    // Back on the map, the map's year is the one chosen there, and the report keeps its own.
    await page.click('nav button:has-text("Karte")');
    await page.locator('figure.map path[data-region-code]').first().waitFor({ timeout: 60_000 });
    await expect(page.locator('select[name="year"]').inputValue()).resolves.toBe('2021');
    await page.click('nav button:has-text("Gleichwertigkeit")');
    await page.waitForFunction(() => document.title.startsWith('Gleichwertigkeit: 2019, Landkreise'), undefined, { timeout: 60_000 });
    await page.close();
  });

  it('keeps indicators, level, area and year in the URL: a reload shows the same report, and the CSV is the API’s', async () => {
    const page = await browser.context.newPage();
    await openEqual(page, base, '?view=equal', 45);
    const defaults = (await apiReport({ level: 'COUNTY' })).indicators.map((entry) => entry.indicator.indicatorCode);
    // Choose: one of the default profile removed, another indicator added, an older year.
    await page.click(`fieldset.equal-indicators li[data-indicator="${defaults[0]}"] button`);
    await page.waitForFunction(() => new URL(window.location.href).searchParams.has('indicators'), undefined, { timeout: 60_000 });
    const added = await page.$eval('select[name="equal-indicator"]', (select) =>
      [...(select as HTMLSelectElement).options]
        .map((option) => option.value)
        .find((value) => value === 'unemployment_rate_youth' || value === 'share_under18'),
    );
    const chosen = [...defaults.slice(1), ...(added ? [added] : [])];
    // Sums over the regions, which the report refuses, are not offered; rates are.
    const { data: sums } = await stack.query<{ indicators: { code: string; aggregation: string; levels: string[] }[] }>(
      '{ indicators { code aggregation levels } }',
    );
    const offered = await page.$eval('select[name="equal-indicator"]', (select) =>
      [...(select as HTMLSelectElement).options].map((option) => option.value).filter(Boolean),
    );
    const countyIndicators = sums!.indicators.filter((indicator) => indicator.levels.includes('COUNTY'));
    expect(offered).not.toContain('population');
    expect(new Set(offered)).toEqual(
      new Set(
        countyIndicators
          .filter((indicator) => indicator.aggregation !== 'SUM' && !defaults.slice(1).includes(indicator.code))
          .map((indicator) => indicator.code),
      ),
    );
    if (added) await page.selectOption('select[name="equal-indicator"]', added);
    await page.selectOption('select[name="year"]', '2020');
    await page.waitForFunction(
      (expected) =>
        new URL(window.location.href).searchParams.get('indicators') === expected &&
        new URL(window.location.href).searchParams.get('year') === '2020',
      chosen.join(','),
      { timeout: 60_000 },
    );
    const report = await apiReport({ indicators: chosen, level: 'COUNTY', year: 2020 });
    await page.waitForFunction(
      (count) =>
        document.querySelectorAll('table.equal-indicators-table tbody tr').length === count &&
        !document.querySelector('.equal[aria-busy="true"]'),
      report.indicators.length,
      { timeout: 60_000 },
    );
    await expect(shownRows(page)).resolves.toEqual(report.regions);

    await page.reload();
    await page.locator('table.equal-regions tbody tr').first().waitFor({ timeout: 60_000 });
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toMatchObject({
      view: 'equal',
      indicators: chosen.join(','),
      year: '2020',
      level: 'COUNTY',
    });
    await expect(page.locator('select[name="year"]').inputValue()).resolves.toBe('2020');
    await expect(
      page.$$eval('fieldset.equal-indicators li', (items) => items.map((item) => item.getAttribute('data-indicator'))),
    ).resolves.toEqual(chosen);
    await expect(shownRows(page)).resolves.toEqual(report.regions);

    // The CSV downloaded is the report's own csv field, byte for byte, named by level and year.
    const [file] = await Promise.all([page.waitForEvent('download'), page.click('button.equal-csv')]);
    expect(file.suggestedFilename()).toBe('gleichwertigkeit-kreise-2020.csv');
    const target = path.join(ARTIFACTS_DIR, file.suggestedFilename());
    await file.saveAs(target);
    expect(readFileSync(target, 'utf8')).toBe(report.csv);
    // Beside it the file for German Excel: the API's EXCEL_DE text, its byte order mark saved as the bytes EF BB BF.
    const [excel] = await Promise.all([page.waitForEvent('download'), page.click('button.equal-csv-excel')]);
    expect(excel.suggestedFilename()).toBe('gleichwertigkeit-kreise-2020-excel.csv');
    const excelTarget = path.join(ARTIFACTS_DIR, excel.suggestedFilename());
    await excel.saveAs(excelTarget);
    const bytes = readFileSync(excelTarget);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toBe(report.excelCsv);
    expect(report.excelCsv).toContain('\r\n03159;Göttingen;');
    await page.close();
  });

  it("lists a county's municipalities, standardised state-wide, when the indicators have municipal values", async () => {
    const page = await browser.context.newPage();
    const { data } = await stack.query<{ indicators: { code: string; aggregation: string; polarity: string }[] }>(
      '{ indicators(level: MUNICIPALITY) { code aggregation polarity } }',
    );
    // A rate with a direction: only those enter the composite index, so the regions get ranks.
    const rate = data!.indicators.find((indicator) => indicator.aggregation !== 'SUM' && indicator.polarity !== 'NEUTRAL')!.code;
    const report = await apiReport({ indicators: [rate], level: 'MUNICIPALITY', withinParent: '03459' });
    await page.goto(`${base}/atlas/?view=equal&level=MUNICIPALITY&area=03459&indicators=${rate}`);
    await page.waitForFunction(
      (count) =>
        document.querySelectorAll('table.equal-regions tbody tr').length === count &&
        document.querySelectorAll('figure.map path[data-region-code]').length === count,
      report.regions.length,
      { timeout: 120_000 },
    );
    await expect(shownRows(page)).resolves.toEqual(report.regions);
    // A rank counts among all municipalities of the state with an index, not the county's listed here.
    expect(report.rankedRegions).toBeGreaterThan(report.regions.length);
    const weakest = report.regions.find((region) => region.rankFromWeakest !== null)!;
    await expect(page.locator(`figure.map path[data-region-code="${weakest.regionCode}"]`).getAttribute('aria-label')).resolves.toContain(
      `Rang ${weakest.rankFromWeakest} von ${report.rankedRegions} in Niedersachsen`,
    );
    await page.close();
  });

  it("shows the API's refusal of a sum such as the population in German, and the controls stay usable", async () => {
    const page = await browser.context.newPage();
    const refused = await stack.query('{ disparities(indicators: ["population", "unemployment_rate"], level: COUNTY) { level } }');
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NOT_ADDITIVE' });
    await page.goto(`${base}/atlas/?view=equal&indicators=population,unemployment_rate`);
    const alert = page.locator('section.equal [role="alert"]');
    await alert.waitFor({ timeout: 60_000 });
    // The reason's German (why a sum is refused, what to take instead), and the API's own words (which
    // name the indicators to take instead) marked as English.
    const { message } = refused.errors![0]!;
    await expect(alert.textContent()).resolves.toBe(
      `Gleichwertigkeit nicht verfügbar: ${REASON_TEXTS.NOT_ADDITIVE} (Meldung der API: ${message})`,
    );
    await expect(alert.locator('[lang="en"]').textContent()).resolves.toBe(message);
    // Removing the sum brings the report back.
    await page.click('fieldset.equal-indicators li[data-indicator="population"] button');
    await page.locator('table.equal-regions tbody tr').first().waitFor({ timeout: 60_000 });
    const report = await apiReport({ indicators: ['unemployment_rate'], level: 'COUNTY' });
    await expect(shownRows(page)).resolves.toEqual(report.regions);
    await page.close();
  });

  it('says per indicator over how many regions the unweighted measures run, how many values RegioGraph computed, and why a measure is missing', async () => {
    const page = await browser.context.newPage();
    // The census 2022 shares are published for municipalities only; net migration is negative in some counties.
    const codes = ['share_foreigners_census22', 'net_migration_per_1000'];
    const { data, errors } = await stack.query<{
      disparities: {
        indicators: {
          indicator: { indicatorCode: string; regionCount: number; aggregatedRegionCount: number };
          gini: number | null;
          coefficientOfVariation: number | null;
          theil: number | null;
        }[];
      };
    }>(
      `query ($indicators: [ID!]) { disparities(indicators: $indicators, level: COUNTY) {
        indicators { indicator { indicatorCode regionCount aggregatedRegionCount } gini coefficientOfVariation theil } } }`,
      { indicators: codes },
    );
    expect(errors).toBeUndefined();
    const [census, migration] = codes.map((code) => data!.disparities.indicators.find((entry) => entry.indicator.indicatorCode === code)!);
    expect(census!.indicator.aggregatedRegionCount).toBeGreaterThan(0);
    expect(migration!.indicator.aggregatedRegionCount).toBe(0);
    expect([migration!.gini, migration!.coefficientOfVariation, migration!.theil]).toEqual([null, null, null]);

    await openEqual(page, base, `?view=equal&level=COUNTY&indicators=${codes.join(',')}`, 45);
    const row = (code: string) => page.locator(`table.equal-indicators-table tbody tr[data-indicator="${code}"]`);
    // The n of each measure, and for the census share how many of its county values were summed from the municipalities.
    const { regionCount, aggregatedRegionCount } = census!.indicator;
    await expect(row(codes[0]!).locator('td[data-region-count]').textContent()).resolves.toBe(
      `${regionCount} (${aggregatedRegionCount} von ${regionCount} Werten aus den Gemeinden berechnet)`,
    );
    await expect(row(codes[1]!).locator('td[data-region-count]').textContent()).resolves.toBe(String(migration!.indicator.regionCount));
    await expect(page.locator('section.equal .aggregated-note').count()).resolves.toBe(1);
    // A measure that cannot be computed reads "–", with the reason for screen readers and, for the eye,
    // beneath the table (a tap reaches no tooltip): never a bare gap.
    for (const measure of ['gini', 'cv', 'theil']) {
      const cell = row(codes[1]!).locator(`td[data-${measure}]`);
      await expect(cell.locator('[aria-hidden="true"]').textContent()).resolves.toBe('–');
      await expect(cell.locator('.visually-hidden').textContent()).resolves.toBe(
        'nicht berechenbar: negative Werte (die Maße setzen Werte ab 0 voraus)',
      );
    }
    const shownReason = page.locator(`.unmeasurable-reason[data-indicator="${codes[1]}"]:not([data-weighted])`);
    await expect(shownReason.count()).resolves.toBe(1);
    await expect(shownReason.isVisible()).resolves.toBe(true);
    await expect(shownReason.textContent()).resolves.toMatch(
      /^.+: nicht berechenbar: negative Werte \(die Maße setzen Werte ab 0 voraus\)\.$/,
    );
    const tableText = (await page.locator('table.equal-indicators-table').textContent()) ?? '';
    expect(tableText).not.toMatch(/NaN|null|undefined|keine Angabe/);
    // Once, beside the table: the measures are unweighted; its link opens the method text.
    const note = page.locator('#equal-measures-note');
    await expect(note.textContent()).resolves.toContain('ungewichtet: jede Region zählt einmal');
    await expect(page.locator('table.equal-indicators-table').getAttribute('aria-describedby')).resolves.toBe('equal-measures-note');
    await expect(page.locator('details.method').getAttribute('open')).resolves.toBeNull();
    await note.locator('a[href="#equal-method"]').click();
    await expect(page.locator('details.method').getAttribute('open')).resolves.toBe('');
    expect(new URL(page.url()).searchParams.get('view')).toBe('equal');
    await page.close();
  });

  it('shows the weighted measures beside the unweighted, named by their weight, and why one is missing as the API says', async () => {
    const page = await browser.context.newPage();
    // Weighted by the population; by the children under 3 (the rate's own weight); gp_per_100k's newest year has no population.
    const codes = ['unemployment_rate', 'childcare_rate_under3', 'gp_per_100k'];
    const { data, errors } = await stack.query<{
      disparities: {
        indicators: {
          indicator: { indicatorCode: string; year: number; regionCount: number };
          weightIndicatorCode: string;
          weightYear: number | null;
          weightedRegionCount: number;
          weightedGini: number | null;
          weightedCoefficientOfVariation: number | null;
          weightedTheil: number | null;
          weightedUnmeasurableReason: string | null;
        }[];
      };
    }>(
      `query ($indicators: [ID!]) { disparities(indicators: $indicators, level: COUNTY) { indicators {
        indicator { indicatorCode year regionCount } weightIndicatorCode weightYear weightedRegionCount
        weightedGini weightedCoefficientOfVariation weightedTheil weightedUnmeasurableReason } } }`,
      { indicators: codes },
    );
    expect(errors).toBeUndefined();
    const [unemployment, childcare, gp] = codes.map((code) =>
      data!.disparities.indicators.find((entry) => entry.indicator.indicatorCode === code)!,
    );
    expect([unemployment!.weightIndicatorCode, childcare!.weightIndicatorCode, gp!.weightIndicatorCode]).toEqual([
      'population',
      'population_under_3',
      'population',
    ]);
    expect(unemployment!.weightedGini).not.toBeNull();
    expect(childcare!.weightedGini).not.toBeNull();
    expect(gp!.weightedUnmeasurableReason).toBe('WEIGHTS_MISSING');

    await openEqual(page, base, `?view=equal&level=COUNTY&indicators=${codes.join(',')}`, 45);
    const row = (code: string) => page.locator(`table.equal-indicators-table tbody tr[data-indicator="${code}"]`);
    for (const entry of [unemployment!, childcare!]) {
      const cells = row(entry.indicator.indicatorCode);
      await expect(cells.locator('td[data-weighted-gini]').getAttribute('data-weighted-gini')).resolves.toBe(String(entry.weightedGini));
      await expect(cells.locator('td[data-weighted-cv]').getAttribute('data-weighted-cv')).resolves.toBe(
        String(entry.weightedCoefficientOfVariation),
      );
      await expect(cells.locator('td[data-weighted-theil]').getAttribute('data-weighted-theil')).resolves.toBe(String(entry.weightedTheil));
    }
    // The label names the weight: inequality between inhabitants only where the population weighs.
    await expect(row('unemployment_rate').locator('td[data-weight-indicator]').textContent()).resolves.toBe(
      `bevölkerungsgewichtet (${unemployment!.weightYear})`,
    );
    await expect(row('childcare_rate_under3').locator('td[data-weight-indicator]').textContent()).resolves.toBe(
      `gewichtet mit Bevölkerung unter 3 Jahren (${childcare!.weightYear})`,
    );
    await expect(row('gp_per_100k').locator('td[data-weight-indicator]').textContent()).resolves.toBe('bevölkerungsgewichtet');
    const missing = gp!.indicator.regionCount - gp!.weightedRegionCount;
    const reason = `nicht berechenbar: Bevölkerung ${gp!.indicator.year} fehlt für ${missing} von ${gp!.indicator.regionCount} Regionen mit Wert`;
    for (const measure of ['weighted-gini', 'weighted-cv', 'weighted-theil']) {
      const cell = row('gp_per_100k').locator(`td[data-${measure}]`);
      await expect(cell.locator('[aria-hidden="true"]').textContent()).resolves.toBe('–');
      await expect(cell.locator('.visually-hidden').textContent()).resolves.toBe(reason);
    }
    const shownWeightedReason = page.locator('.unmeasurable-reason[data-indicator="gp_per_100k"][data-weighted="true"]');
    await expect(shownWeightedReason.isVisible()).resolves.toBe(true);
    const escaped = reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await expect(shownWeightedReason.textContent()).resolves.toMatch(new RegExp(`^.+, gewichtet: ${escaped}\\.$`));
    await expect(page.locator('#equal-measures-note').textContent()).resolves.toContain('bevölkerungsgewichtet die Ungleichheit');
    const tableText = (await page.locator('table.equal-indicators-table').textContent()) ?? '';
    expect(tableText).not.toMatch(/NaN|null|undefined|WEIGHTS_MISSING/);
    await page.close();
  });
});

interface TheilParts {
  groupLevel: string;
  between: number;
  within: number;
  betweenShare: number | null;
  groups: { region: { code: string; name: string }; regionCount: number; mean: number; totalShare: number; theil: number }[];
}

/** One indicator's disparity measures and Theil decompositions as the API answers them. */
async function apiTheil(indicator: string, variables: { level: string; year?: number; weightYears?: string }) {
  const { data, errors } = await stack.query<{
    disparities: {
      indicators: {
        indicator: { indicatorCode: string; year: number };
        weightYear: number | null;
        weightedGini: number | null;
        weightedUnmeasurableReason: string | null;
        theilDecomposition: TheilParts | null;
        weighted: TheilParts | null;
      }[];
    };
  }>(
    `query ($indicators: [ID!], $level: RegionLevel!, $year: Int, $weightYears: DisparityWeightYear!) {
      disparities(indicators: $indicators, level: $level, year: $year, weightYears: $weightYears) { indicators {
        indicator { indicatorCode year } weightYear weightedGini weightedUnmeasurableReason
        theilDecomposition { groupLevel between within betweenShare groups { region { code name } regionCount mean totalShare theil } }
        weighted: theilDecomposition(weighted: true) { groupLevel between within betweenShare groups { region { code name } regionCount mean totalShare theil } }
      } } }`,
    { indicators: [indicator], weightYears: 'SAME_YEAR', ...variables },
  );
  expect(errors).toBeUndefined();
  return data!.disparities.indicators[0]!;
}

/** A share as the page writes it: a German percentage with one decimal. */
function percent(share: number): string {
  return `${(share * 100).toLocaleString('de-DE', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} %`;
}

describeInBrowser("the equal-chances view's Theil decomposition and weights year", () => {
  it('shows how much of the Theil index lies between the ArL districts and within them, and each district on opening', async () => {
    const page = await browser.context.newPage();
    const requests = graphqlRequests(page);
    await openEqual(page, base, '?view=equal&level=COUNTY&indicators=unemployment_rate&year=2021', 45);
    const answer = await apiTheil('unemployment_rate', { level: 'COUNTY', year: 2021 });
    const plain = answer.theilDecomposition!;
    const weighted = answer.weighted!;
    expect([plain.groupLevel, plain.groups.length, answer.weightYear]).toEqual(['DISTRICT', 4, 2021]);
    // The shipped figures: unemployment 2021 differs little between the four districts, more so between their inhabitants.
    expect([percent(plain.betweenShare!), percent(weighted.betweenShare!)]).toEqual(['2,5 %', '18,5 %']);
    const row = page.locator('table.equal-theil tbody tr[data-indicator="unemployment_rate"]');
    await expect(row.getAttribute('data-between-share')).resolves.toBe(String(plain.betweenShare));
    await expect(row.getAttribute('data-weighted-between-share')).resolves.toBe(String(weighted.betweenShare));
    await expect(row.locator('td.between').textContent()).resolves.toMatch(new RegExp(`^${percent(plain.betweenShare!)} \\(`));
    await expect(row.locator('td.within').textContent()).resolves.toMatch(new RegExp(`^${percent(1 - plain.betweenShare!)} \\(`));
    await expect(row.locator('td.weighted-between').textContent()).resolves.toMatch(new RegExp(`^${percent(weighted.betweenShare!)} \\(`));
    await expect(page.locator('#equal-theil-note').textContent()).resolves.toContain('„zwischen“ ist die Ungleichheit, die bliebe');
    await expect(page.locator('table.equal-theil caption').textContent()).resolves.toContain('nach ArL-Bezirken:');
    // The districts one by one are asked for only when opened, from the keyboard as well.
    expect(requests).toHaveLength(1);
    const details = page.locator('details.theil-groups[data-indicator="unemployment_rate"]');
    await details.locator('summary').focus();
    await page.keyboard.press('Enter');
    await details.locator('table.theil-groups-table tbody tr').first().waitFor({ timeout: 60_000 });
    expect(requests).toHaveLength(2);
    const groups = await details.locator('table.theil-groups-table tbody tr').evaluateAll((rows) =>
      rows.map((tr) => ({
        code: tr.getAttribute('data-region-code'),
        name: tr.querySelector('th')!.textContent,
        regionCount: Number(tr.querySelector('td')!.textContent),
        mean: Number(tr.querySelector('td[data-mean]')!.getAttribute('data-mean')),
        totalShare: Number(tr.getAttribute('data-total-share')),
        theil: Number(tr.querySelector('td[data-theil]')!.getAttribute('data-theil')),
        weightedMean: Number(tr.querySelector('td[data-weighted-mean]')!.getAttribute('data-weighted-mean')),
      })),
    );
    expect(groups).toEqual(
      plain.groups.map((group) => ({
        code: group.region.code,
        name: group.region.name,
        regionCount: group.regionCount,
        mean: group.mean,
        totalShare: group.totalShare,
        theil: group.theil,
        weightedMean: weighted.groups.find((each) => each.region.code === group.region.code)!.mean,
      })),
    );
    // The mean in the indicator's unit and decimals, the share of the total in per cent.
    const first = details.locator('table.theil-groups-table tbody tr').first();
    await expect(first.locator('td').nth(1).textContent()).resolves.toBe(
      `${plain.groups[0]!.mean.toLocaleString('de-DE', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} %`,
    );
    await expect(first.locator('td').nth(2).textContent()).resolves.toBe(percent(plain.groups[0]!.totalShare));
    await expect(details.locator('caption').textContent()).resolves.toContain('bevölkerungsgewichtet (2021)');
    await page.close();
  });

  it("offers the nearest year's weights where the values' year has none, names that year plainly, and keeps the choice in the URL", async () => {
    const page = await browser.context.newPage();
    await openEqual(page, base, '?view=equal&level=COUNTY&indicators=gp_per_100k,share_65plus', 45);
    const same = await apiTheil('gp_per_100k', { level: 'COUNTY' });
    const nearest = await apiTheil('gp_per_100k', { level: 'COUNTY', weightYears: 'NEAREST_YEAR' });
    expect([same.indicator.year, same.weightedUnmeasurableReason, same.weightedGini]).toEqual([2022, 'WEIGHTS_MISSING', null]);
    expect([nearest.weightYear, nearest.weightedGini!.toFixed(4)]).toEqual([2021, '0.0505']);
    const row = page.locator('table.equal-indicators-table tbody tr[data-indicator="gp_per_100k"]');
    await expect(row.locator('td[data-weighted-gini] .visually-hidden').textContent()).resolves.toBe(
      'nicht berechenbar: Bevölkerung 2022 fehlt für 45 von 45 Regionen mit Wert',
    );
    await expect(page.locator('input[name="weight-years"][value="SAME_YEAR"]').isChecked()).resolves.toBe(true);
    // Right beside the table: the weights are missing, and the other year's may stand in.
    await expect(page.locator('p.weights-missing').textContent()).resolves.toContain('Gewichte fehlen im Jahr der Werte für: Hausärzte');
    await page.click('p.weights-missing button.use-nearest-weights');
    await page.waitForFunction(
      () =>
        new URL(window.location.href).searchParams.get('weights') === 'nearest' &&
        document
          .querySelector('table.equal-indicators-table tr[data-indicator="gp_per_100k"] td[data-weighted-gini]')
          ?.getAttribute('data-weighted-gini') !== '',
      undefined,
      { timeout: 60_000 },
    );
    const shown = async () => ({
      gini: await row.locator('td[data-weighted-gini]').getAttribute('data-weighted-gini'),
      giniText: await row.locator('td[data-weighted-gini]').textContent(),
      weighting: await row.locator('td[data-weight-indicator]').textContent(),
      theilWeighting: await page.locator('table.equal-theil tr[data-indicator="gp_per_100k"] td').nth(4).textContent(),
      weightedBetween: await page.locator('table.equal-theil tr[data-indicator="gp_per_100k"]').getAttribute('data-weighted-between-share'),
      nearestChecked: await page.locator('input[name="weight-years"][value="NEAREST_YEAR"]').isChecked(),
      missingNote: await page.locator('p.weights-missing').count(),
    });
    const expected = {
      gini: String(nearest.weightedGini),
      giniText: '0,050',
      // Never to be taken for weights of the values' year.
      weighting: 'bevölkerungsgewichtet, Gewichte 2021 (nächstgelegenes Jahr; Werte 2022)',
      theilWeighting: 'bevölkerungsgewichtet, Gewichte 2021 (nächstgelegenes Jahr; Werte 2022)',
      weightedBetween: String(nearest.weighted!.betweenShare),
      nearestChecked: true,
      missingNote: 0,
    };
    await expect(shown()).resolves.toEqual(expected);
    await expect(page.locator('#equal-measures-note').textContent()).resolves.toContain('wo es keine hat aus dem nächstgelegenen Jahr');
    // A reload keeps the choice.
    await page.reload();
    await page.locator('table.equal-indicators-table tbody tr').first().waitFor({ timeout: 60_000 });
    await expect(shown()).resolves.toEqual(expected);
    // And the values' year again: the measures are missing once more.
    await page.check('input[name="weight-years"][value="SAME_YEAR"]');
    await page.waitForFunction(() => !new URL(window.location.href).searchParams.has('weights'), undefined, { timeout: 60_000 });
    await page.locator('p.weights-missing').waitFor({ timeout: 60_000 });
    await expect(row.locator('td[data-weighted-gini]').getAttribute('data-weighted-gini')).resolves.toBe('');
    await page.close();
  });
});

describeInBrowser('the equal-chances view on a safelisted gateway', () => {
  it('runs there: its operation is in the persisted manifest the gateway registers at start', async () => {
    const safelisted = await stack.startGateway({ env: { SAFELIST: 'true', RATE_LIMIT_REQUESTS: '100000' } });
    const page = await browser.context.newPage();
    await openEqual(page, atlasBase(safelisted.url), '?view=equal&level=COUNTY&area=03', 45);
    await page.goto(`${atlasBase(safelisted.url)}/atlas/?view=map&indicator=population&year=2021&level=COUNTY&area=03&region=03459`);
    await page.locator('aside.profile .similar-regions ol.similar li').first().waitFor({ timeout: 60_000 });
    await page.close();
  });
});

describeInBrowser("the profile's structurally similar regions", () => {
  it("lists the API's first five similar regions with distance and largest difference, and opens their profiles", async () => {
    const page = await browser.context.newPage();
    const similar = async (code: string) => {
      const { data, errors } = await stack.query<{
        region: {
          similarRegions: {
            regions: { regionCode: string; distance: number; contributions: { indicatorCode: string; share: number }[] }[];
          };
        };
      }>(
        `{ region(code: "${code}") { similarRegions(year: 2021, first: 5) { regions { regionCode distance contributions { indicatorCode share } } } } }`,
      );
      expect(errors).toBeUndefined();
      return data!.region.similarRegions.regions;
    };
    const expected = await similar('03459');
    expect(expected).toHaveLength(5);
    await page.goto(`${base}/atlas/?view=map&indicator=population&year=2021&level=COUNTY&area=03&region=03459`);
    const items = page.locator('aside.profile .similar-regions ol.similar li');
    await items.first().waitFor({ timeout: 60_000 });
    const shown = await items.evaluateAll((list) =>
      list.map((item) => [
        item.getAttribute('data-region-code'),
        Number(item.getAttribute('data-distance')),
        item.querySelector('.largest-difference')?.getAttribute('data-indicator') ?? null,
      ]),
    );
    const largest = (contributions: { indicatorCode: string; share: number }[]) =>
      contributions.reduce<{ indicatorCode: string; share: number } | null>(
        (best, each) => (each.share > (best?.share ?? 0) ? each : best),
        null,
      )?.indicatorCode ?? null;
    expect(shown).toEqual(expected.map((region) => [region.regionCode, region.distance, largest(region.contributions)]));
    await expect(page.locator('aside.profile .similar-regions details.method summary').count()).resolves.toBe(1);

    const next = expected[0]!.regionCode;
    await items.first().locator('button').click();
    await page.locator(`aside.profile[data-region-code="${next}"] h2`).waitFor({ timeout: 60_000 });
    expect(new URL(page.url()).searchParams.get('region')).toBe(next);
    const nextExpected = await similar(next);
    await page.waitForFunction(
      (first) => document.querySelector('aside.profile .similar-regions ol.similar li')?.getAttribute('data-region-code') === first,
      nextExpected[0]!.regionCode,
      { timeout: 60_000 },
    );
    await page.close();
  });
});

/** The SQL statements of a profile's one request, per subgraph, by region (both regions have projects). */
const PROFILE_STATEMENTS: Record<string, Record<string, number>> = {
  '03459': { regions: 3, indicators: 11, projects: 3, cooperations: 3 },
  '032410001001': { regions: 3, indicators: 11, projects: 3, cooperations: 2 },
};

describe("the Atlas's new documents under demand control", () => {
  it.each([
    ['AtlasProfile', { code: '03459', indicators: ['population'], indicator: 'population', year: 2021 }],
    // A municipality's similar regions are searched among all ~970 municipalities.
    ['AtlasProfile', { code: '032410001001', indicators: ['population'], indicator: 'population', year: 2021 }],
    ['AtlasEqual', { indicator: 'population', level: 'COUNTY', simplify: 0.002 }],
    ['AtlasEqual', { indicator: 'population', level: 'MUNICIPALITY', simplify: 0.001 }],
    // One indicator's Theil decomposition group by group, asked for when its details are opened.
    ['AtlasEqualTheil', { indicator: 'unemployment_rate', level: 'COUNTY' }],
    ['AtlasEqualTheil', { indicator: 'population_density', level: 'MUNICIPALITY' }],
  ])("%s (%j) stays within the gateway's cost limit", async (name, variables) => {
    const started = performance.now();
    // The answer's extensions, which carry the gateway's estimate.
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: atlasDocument(name), variables }),
    });
    const result = (await response.json()) as {
      data?: { region?: { code: string; similarRegions: { regions: unknown[] } | null } | null } | null;
      errors?: { message: string; extensions?: { code?: string } }[];
      extensions: { cost: { estimated: number; actual: number; limit: number } };
    };
    const ms = Math.round(performance.now() - started);
    const cost = result.extensions.cost;
    expect(cost.estimated).toBeLessThanOrEqual(cost.limit);
    expect(result.errors?.filter((error) => error.extensions?.code === 'COST_LIMIT_EXCEEDED') ?? []).toEqual([]);
    if (name === 'AtlasProfile') {
      expect({ errors: result.errors, similar: result.data?.region?.similarRegions?.regions.length }).toEqual({ similar: 5 });
      // What the page shows, priced part by part in gateway/src/demand-control.test.ts. It was 2,431
      // with every ancestor's series and each project's commitments with their programmes, then 1,055
      // with the catalogue, the projects, the cooperations and the profile lists counted as 25 each, 1,420
      // with the projects and cooperations priced as the state's with everything below it, 1,210 with
      // the similar regions' lists per indicator sized by the 30 a profile may take. Each of the four
      // series counts all 41 years of 1983–2023 here: the stack's gateway reads no data years (harness.ts);
      // one that does estimates 1,030, population having values in 32 of them.
      expect(cost.estimated).toBe(1066);
      // Asking each project's commitments with their programmes took the projects subgraph a statement more.
      const { statements } = await stack.countStatements(atlasDocument(name), variables);
      expect(statements).toEqual(PROFILE_STATEMENTS[(variables as { code: string }).code]);
    }
    const level = (variables as { level?: string }).level;
    if (name === 'AtlasEqual')
      // 1,310 and 23,438 before the Theil decompositions' parts: two per indicator of the default
      // profile (6, the report's assumed size), a point each, their groups not asked for here.
      expect(cost.estimated).toBe((level === 'COUNTY' ? 1310 : 23438) + 6 * 2);
    if (name === 'AtlasEqualTheil') {
      expect(result.errors).toBeUndefined();
      // A point per region of the level (45 counties, 967 municipalities), the report and its one
      // indicator, and two decompositions of a point with 45 assumed groups with their region each.
      expect(cost.estimated).toBe((level === 'COUNTY' ? 45 : 967) + 2 + 2 * (1 + 45 * 2));
      const { statements } = await stack.countStatements(atlasDocument(name), variables);
      // As many for 45 counties as for 967 municipalities: the groups' regions come in one batch.
      expect(statements).toEqual({ regions: 2, indicators: 2, projects: 0, cooperations: 0 });
    }
    measurements.push(
      `${name} ${JSON.stringify(variables)}: estimated ${cost.estimated}, actual ${cost.actual} of ${cost.limit}; ${ms} ms`,
    );
  });
});
