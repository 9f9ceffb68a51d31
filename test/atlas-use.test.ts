// The Atlas used for real tasks, in Debian's chromium against the whole stack: a planner finds her
// municipality by name, prints its profile for a council meeting and keeps working while a subgraph
// is down. What the page shows is compared with the API's own answer, never with numbers written here.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ALLOWED_LICENCES, installedManifest, licenceAllowed, runtimePackages } from '@regiograph/dev-tools';
import { parseCsv } from '@regiograph/shared';
import { openEqual, openMap, runAtlasForFile } from './atlas-page';
import type { Page } from 'playwright-core';
import { ARTIFACTS_DIR, chromiumAvailable, launchSharedBrowser, type Browser, type SharedBrowser } from './browser';
import type { Stack } from './harness';

const describeInBrowser = chromiumAvailable() ? describe : describe.skip;

let stack: Stack;
let browser: SharedBrowser;
let base: string;

runAtlasForFile((run) => ({ stack, base, browser } = run), launchSharedBrowser);

interface Found {
  code: string;
  name: string;
  officialType: string;
  level: string;
  ancestors: { code: string; name: string; level: string }[];
}

/** The API's own answer to a search by name. */
async function apiSearch(search: string): Promise<Found[]> {
  const { data, errors } = await stack.query<{ regions: { nodes: Found[] } }>(
    'query ($search: String!) { regions(filter: { search: $search }, first: 50) { nodes { code name officialType level ancestors { code name level } } } }',
    { search },
  );
  expect(errors).toBeUndefined();
  return data!.regions.nodes;
}

describeInBrowser('a planner finding her municipality by name', () => {
  it('finds a municipality from the county map, typed in lower case or with ue for ü, and opens it among its county', async () => {
    const [bueckeburg] = await apiSearch('Bückeburg');
    const county = bueckeburg!.ancestors.find((ancestor) => ancestor.level === 'COUNTY')!.code;
    const page = await browser.context.newPage();
    for (const typed of ['bückeburg', 'Bueckeburg']) {
      await openMap(page, base, '?view=map&indicator=population&year=2021&level=COUNTY&area=03', 45);
      await page.fill('input[name="region-search"]', typed);
      await page.keyboard.press('Enter');
      await page.locator(`aside.profile[data-region-code="${bueckeburg!.code}"] h2`).waitFor({ timeout: 60_000 });
      expect(Object.fromEntries(new URL(page.url()).searchParams)).toMatchObject({
        level: 'MUNICIPALITY',
        area: county,
        region: bueckeburg!.code,
      });
      await page.locator(`figure.map path[data-region-code="${bueckeburg!.code}"].selected`).waitFor({ timeout: 60_000 });
    }
    await page.close();
  });

  it('lists the regions of the same name with their Samtgemeinde and county, and opens the one chosen', async () => {
    const neuenkirchen = (await apiSearch('Neuenkirchen')).filter((region) => region.name === 'Neuenkirchen');
    expect(neuenkirchen.length).toBeGreaterThan(1);
    const page = await browser.context.newPage();
    // On the state's map of municipalities, where all of them are shapes with the same suggestion.
    await openMap(page, base, '?view=map&indicator=population&year=2021&level=MUNICIPALITY&area=03', await municipalities());
    await page.fill('input[name="region-search"]', 'Neuenkirchen (Gemeinde)');
    await page.keyboard.press('Enter');
    const results = page.locator('.search-results li');
    await results.first().waitFor({ timeout: 60_000 });
    const listed = await results.evaluateAll((items) => items.map((item) => [item.getAttribute('data-region-code'), item.textContent]));
    for (const region of neuenkirchen) expect(listed.map(([code]) => code)).toContain(region.code);
    // Each line reads differently: the county (and Samtgemeinde) tell them apart.
    expect(new Set(listed.map(([, text]) => text)).size).toBe(listed.length);
    const chosen = neuenkirchen[neuenkirchen.length - 1]!;
    const countyName = chosen.ancestors.find((ancestor) => ancestor.level === 'COUNTY')!.name;
    const line = page.locator(`.search-results li[data-region-code="${chosen.code}"]`);
    await expect(line.textContent()).resolves.toContain(countyName);
    await line.locator('button').click();
    await page.locator(`aside.profile[data-region-code="${chosen.code}"] h2`).waitFor({ timeout: 60_000 });
    await page.close();
  });

  it('offers the names near a misspelt one ("Bückebrug") as the API suggests them, and opens the one chosen', async () => {
    const { data, errors } = await stack.query<{ regionNameSuggestions: { code: string; name: string }[] }>(
      '{ regionNameSuggestions(search: "Bückebrug", first: 10) { code name } }',
    );
    expect(errors).toBeUndefined();
    const suggested = data!.regionNameSuggestions;
    const bueckeburg = suggested.find((region) => region.name === 'Bückeburg')!;
    expect(bueckeburg).toBeDefined();
    expect(await apiSearch('Bückebrug')).toEqual([]);
    const page = await browser.context.newPage();
    await openMap(page, base, '?view=map&indicator=population&year=2021&level=COUNTY&area=03', 45);
    await page.fill('input[name="region-search"]', 'Bückebrug');
    await page.keyboard.press('Enter');
    const results = page.locator('.search-results li');
    await results.first().waitFor({ timeout: 60_000 });
    await expect(page.locator('#region-search-message').textContent()).resolves.toContain('Meinten Sie');
    const listed = await results.evaluateAll((items) => items.map((item) => item.getAttribute('data-region-code')));
    expect(listed).toEqual(suggested.map((region) => region.code));
    await page.locator(`.search-results li[data-region-code="${bueckeburg.code}"] button`).click();
    await page.locator(`aside.profile[data-region-code="${bueckeburg.code}"] h2`).waitFor({ timeout: 60_000 });
    await page.close();
  });

  it('reads "Samtgemeinde …" as the Samtgemeinde of that name, listed first', async () => {
    const samtgemeinde = (await apiSearch('Bersenbrück')).find((region) => region.officialType === 'Samtgemeinde')!;
    const page = await browser.context.newPage();
    await openMap(page, base, '?view=map&indicator=population&year=2021&level=COUNTY&area=03', 45);
    await page.fill('input[name="region-search"]', 'Samtgemeinde Bersenbrück');
    await page.keyboard.press('Enter');
    const first = page.locator('.search-results li').first();
    await first.waitFor({ timeout: 60_000 });
    await expect(first.getAttribute('data-region-code')).resolves.toBe(samtgemeinde.code);
    await first.locator('button').click();
    await page.locator(`aside.profile[data-region-code="${samtgemeinde.code}"] h2`).waitFor({ timeout: 60_000 });
    await page.close();
  });
});

describeInBrowser("a member municipality's profile", () => {
  it('compares it with its Samtgemeinde, its county and the state, each line named apart', async () => {
    // The municipality Neuenkirchen in the Samtgemeinde Neuenkirchen: two regions of one name in one chart.
    const member = (await apiSearch('Neuenkirchen')).find((region) =>
      region.ancestors.some((ancestor) => ancestor.level === 'MUNICIPAL_ASSOCIATION' && ancestor.name === region.name),
    )!;
    const county = member.ancestors.find((ancestor) => ancestor.level === 'COUNTY')!;
    const samtgemeinde = member.ancestors.find((ancestor) => ancestor.level === 'MUNICIPAL_ASSOCIATION')!;
    const page = await browser.context.newPage();
    await page.goto(
      `${base}/atlas/?view=map&indicator=population_density&year=2021&level=MUNICIPALITY&area=${county.code}&region=${member.code}`,
    );
    const chart = page.locator('aside.profile section.series[data-indicator="population_density"]');
    await chart.locator('path[data-series]').first().waitFor({ timeout: 60_000 });
    await expect(
      chart.locator('path[data-series]').evaluateAll((paths) => paths.map((line) => line.getAttribute('data-series'))),
    ).resolves.toEqual([`${member.name} (${member.officialType})`, `${samtgemeinde.name} (Samtgemeinde)`, county.name, 'Niedersachsen']);
    const csv = new URL((await page.locator('aside.profile a.profile-csv').getAttribute('href'))!);
    expect(csv.searchParams.get('regions')).toBe([member.code, samtgemeinde.code, county.code, '03'].join(','));
    await page.close();
  });
});

describeInBrowser('a citizen on a 360 × 740 phone, with touch only', () => {
  it('finds her municipality and opens a similar region and comes back, with targets a finger hits and no sideways scrolling', async () => {
    const [bueckeburg] = await apiSearch('Bückeburg');
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });
    try {
      const page = await phone.context.newPage();
      await openMap(page, base, '?view=map&indicator=population&year=2021&level=COUNTY&area=03', 45);
      // WCAG 2.2's 2.5.8: every control at least 24 × 24 CSS px (links within text are exempt).
      const small = () =>
        page.$$eval('button, select, input', (controls) =>
          controls
            .filter((control) => (control as HTMLElement).offsetParent !== null && !control.closest('.visually-hidden'))
            .map((control) => ({ control: control.outerHTML.slice(0, 60), rect: control.getBoundingClientRect() }))
            .filter(({ rect }) => rect.height < 24 || rect.width < 24)
            .map(({ control, rect }) => `${control} ${Math.round(rect.width)}×${Math.round(rect.height)}`),
        );
      await expect(small()).resolves.toEqual([]);
      await page.tap('input[name="region-search"]');
      await page.keyboard.type('bückeburg');
      await page.tap('form.region-search button[type="submit"]');
      const profile = page.locator(`aside.profile[data-region-code="${bueckeburg!.code}"]`);
      await profile.locator('.similar li button').first().waitFor({ timeout: 60_000 });
      await expect(small()).resolves.toEqual([]);
      const similar = await profile.locator('.similar li').first().getAttribute('data-region-code');
      await profile.locator('.similar li button').first().tap();
      await page.locator(`aside.profile[data-region-code="${similar}"] h2`).waitFor({ timeout: 60_000 });
      await page.goBack();
      await page.locator(`aside.profile[data-region-code="${bueckeburg!.code}"] h2`).waitFor({ timeout: 60_000 });
      await expect(page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).resolves.toBeLessThanOrEqual(0);
      await page.close();
    } finally {
      await phone.close();
    }
  });
});

describeInBrowser('a citizen tapping a small municipality on a phone', () => {
  it('is asked which of the regions under her finger she meant, and gets the small one she picks', async () => {
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });
    try {
      const page = await phone.context.newPage();
      await openMap(page, base, '?view=map&indicator=population&year=2021&level=MUNICIPALITY&area=03', await municipalities());
      await page.locator('figure.map svg').scrollIntoViewIfNeeded();
      // A municipality a few px wide on the screen, and a point 8 px beside its centre on a neighbour:
      // where a finger aiming at the small one lands.
      const target = await page.evaluate(() => {
        const shapes = [...document.querySelectorAll<SVGPathElement>('figure.map path[data-region-code]')]
          .map((shape) => ({ shape, box: shape.getBoundingClientRect() }))
          .filter(({ box }) => Math.min(box.width, box.height) >= 5 && Math.max(box.width, box.height) < 20)
          .filter(
            ({ box }) => box.top >= 20 && box.bottom <= window.innerHeight - 20 && box.left >= 20 && box.right <= window.innerWidth - 20,
          )
          .sort((a, b) => a.box.width * a.box.height - b.box.width * b.box.height);
        for (const { shape, box } of shapes) {
          const [x, y] = [box.left + box.width / 2, box.top + box.height / 2];
          if (document.elementFromPoint(x, y) !== shape) continue;
          for (const [dx, dy] of [
            [8, 0],
            [-8, 0],
            [0, 8],
            [0, -8],
          ] as const) {
            const other = document.elementFromPoint(x + dx, y + dy);
            if (other instanceof SVGPathElement && other.dataset.regionCode && other !== shape)
              return { small: shape.dataset.regionCode!, other: other.dataset.regionCode, x: x + dx, y: y + dy };
          }
        }
        return null;
      });
      expect(target).not.toBeNull();
      await page.touchscreen.tap(target!.x, target!.y);
      const nearby = page.locator('figure.map .nearby');
      await nearby.waitFor({ timeout: 60_000 });
      const listed = await nearby.locator('li').evaluateAll((items) => items.map((item) => item.getAttribute('data-region-code')));
      // The region tapped first, the small one among the others; nothing opened yet.
      expect(listed[0]).toBe(target!.other);
      expect(listed).toContain(target!.small);
      expect(new URL(page.url()).searchParams.get('region')).toBeNull();
      const { data } = await stack.query<{ region: { name: string; officialType: string } }>(
        'query ($code: ID!) { region(code: $code) { name officialType } }',
        { code: target!.small },
      );
      const choice = nearby.locator(`li[data-region-code="${target!.small}"] button`);
      await expect(choice.textContent()).resolves.toBe(`${data!.region.name} (${data!.region.officialType})`);
      await choice.tap();
      await page.locator(`aside.profile[data-region-code="${target!.small}"] h2`).waitFor({ timeout: 60_000 });
      await expect(nearby.count()).resolves.toBe(0);
      await page.close();
    } finally {
      await phone.close();
    }
  });
});

/** How many municipalities the state has, as the API counts them. */
async function municipalities(): Promise<number> {
  const { data } = await stack.query<{ region: { descendants: { code: string }[] } }>(
    '{ region(code: "03") { descendants(level: MUNICIPALITY) { code } } }',
  );
  return data!.region.descendants.length;
}

describeInBrowser('the Atlas on paper', () => {
  it('prints the map, its legend in colour, the values, the sources and the link of a profile, without the controls', async () => {
    const page = await browser.context.newPage();
    await openMap(page, base, '?view=map&indicator=unemployment_rate&year=2019&level=COUNTY&area=03&region=03459', 45);
    await page.locator('aside.profile .similar li').first().waitFor({ timeout: 60_000 });
    const { data } = await stack.query<{ region: { name: string; rank: { rank: number } } }>(
      '{ region(code: "03459") { name rank(indicator: "unemployment_rate", year: 2019) { rank } } }',
    );
    await page.emulateMedia({ media: 'print' });
    for (const control of ['nav', 'form.controls', 'form.region-search', '.table-link', 'aside.profile header button', '.add-series'])
      await expect(page.locator(control).first().isVisible()).resolves.toBe(false);
    for (const shown of [
      'figure.map svg',
      '.legend li[data-class]',
      'aside.profile h2',
      'aside.profile .rank',
      'aside.profile .chart',
      // The similar regions' method, folded away on screen: on paper there is nothing to unfold.
      'aside.profile .similar-regions details.method p',
    ])
      await expect(page.locator(shown).first().isVisible()).resolves.toBe(true);
    await expect(page.locator('aside.profile h2').textContent()).resolves.toBe(data!.region.name);
    await expect(page.locator('aside.profile .rank').getAttribute('data-rank')).resolves.toBe(String(data!.region.rank.rank));
    // The data's and the boundaries' sources with their licence (dl-de/by-2-0) are on the page.
    const attribution = page.locator('.map .attribution');
    await expect(attribution.isVisible()).resolves.toBe(true);
    await expect(attribution.textContent()).resolves.toContain('dl-de/by-2-0');
    await expect(attribution.textContent()).resolves.toContain('GeoBasis-DE / BKG');
    // A printer drops backgrounds unless told otherwise: the legend's swatches would be blank.
    await expect(page.$eval('.legend .swatch', (swatch) => getComputedStyle(swatch).printColorAdjust)).resolves.toBe('exact');
    // Without the controls, the paper says what it shows and where to find it again.
    const source = page.locator('.print-source');
    await expect(source.isVisible()).resolves.toBe(true);
    await expect(source.textContent()).resolves.toContain(page.url());
    expect((await page.pdf({ format: 'A4' })).subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  });

  it('prints the equal-chances view without its chooser and download, with the report and its sources', async () => {
    const page = await browser.context.newPage();
    await openEqual(page, base, '?view=equal&level=COUNTY&area=03', 45);
    await page.emulateMedia({ media: 'print' });
    for (const control of ['select[name="equal-indicator"]', 'button.equal-csv', 'fieldset.equal-indicators li button'])
      await expect(page.locator(control).first().isVisible()).resolves.toBe(false);
    for (const shown of [
      'figure.map svg',
      'table.equal-regions',
      'table.equal-indicators-table',
      '.equal-attributions',
      '.print-source',
      '.equal details.method p',
    ])
      await expect(page.locator(shown).first().isVisible()).resolves.toBe(true);
    await page.close();
  });
});

describeInBrowser('the data of a profile, downloaded', () => {
  it("downloads the profile's series with the attributions, the synthetic-data label and the values the API gives", async () => {
    const page = await browser.context.newPage();
    await openMap(
      page,
      base,
      '?view=map&indicator=unemployment_rate&year=2019&level=COUNTY&area=03&region=03459&series=births_per_1000',
      45,
    );
    await page.locator('aside.profile section.series[data-indicator="births_per_1000"]').waitFor({ timeout: 60_000 });
    const { data } = await stack.query<{
      region: { parent: { code: string }; values: { indicatorCode: string; year: number; value: number | null }[] };
      indicators: { code: string; attribution: string }[];
    }>(
      '{ region(code: "03459") { parent { code } values(indicators: ["unemployment_rate", "births_per_1000"]) { indicatorCode year value } } indicators { code attribution(language: DE) } }',
    );
    // The Atlas downloads its CSV with German notes (language=DE): RegioGraph's own attributions in German.
    const [file] = await Promise.all([page.waitForEvent('download'), page.click('aside.profile a.profile-csv')]);
    const target = path.join(ARTIFACTS_DIR, 'atlas-profile-03459.csv');
    await file.saveAs(target);
    const text = readFileSync(target, 'utf8');
    const notes = text.split('\r\n').filter((line) => line.startsWith('#'));
    for (const code of ['unemployment_rate', 'births_per_1000'])
      expect(notes.some((line) => line.includes(data!.indicators.find((indicator) => indicator.code === code)!.attribution))).toBe(true);
    expect(notes.some((line) => line.startsWith('# births_per_1000') && line.includes('SYNTHETISCH'))).toBe(true);
    expect(notes.some((line) => line.includes('dl-de/by-2-0'))).toBe(true);
    const [header, ...rows] = parseCsv(
      text
        .split('\r\n')
        .filter((line) => !line.startsWith('#'))
        .join('\r\n'),
    ).map((row) => row.fields);
    expect(header).toEqual(['region_code', 'region_name', 'year', 'unemployment_rate', 'births_per_1000']);
    // The region, its parent and the state, as the charts compare them.
    expect(new Set(rows.map((row) => row[0]))).toEqual(new Set(['03459', data!.region.parent.code, '03']));
    for (const value of data!.region.values) {
      const row = rows.find((each) => each[0] === '03459' && Number(each[2]) === value.year)!;
      const cell = row[header!.indexOf(value.indicatorCode)]!;
      expect(cell === '' ? null : Number(cell)).toBe(value.value);
    }
    await page.close();
  });
});

describeInBrowser('the Atlas while a subgraph is down', () => {
  // The page asks again by itself 2 s after a failure. In this context time stands still unless a test
  // moves it: in the tests of the button the button asks, and no test waits for real seconds.
  let held: Browser;
  beforeAll(async () => {
    held = await browser.newContext();
    await held.context.clock.install({ time: new Date('2026-03-02T09:00:00Z') });
    await held.context.clock.pauseAt(new Date('2026-03-02T10:00:00Z'));
  });
  afterAll(async () => {
    await held?.close();
  });

  /** The shapes drawn, each with its value as the page holds it. */
  const drawnValues = (page: Page) =>
    page.$$eval('path[data-region-code]', (paths) =>
      paths.map((shape) => [shape.getAttribute('data-region-code')!, shape.getAttribute('data-value')!] as const),
    );

  it('keeps the last map, said in words to be out of date, while a request fails, and asks again by itself after 2, 4, 8 s, not while hidden', async () => {
    const page = await held.context.newPage();
    await page.goto(`${base}/atlas/?view=map&indicator=population&year=2021&level=COUNTY&area=03`);
    const drawn = (year: string) =>
      page.waitForFunction(
        (shownYear) =>
          document.querySelectorAll('path[data-region-code]').length === 45 &&
          !document.querySelector('.loading, p.unavailable, figure.map[data-stale]') &&
          document.querySelector('figcaption')!.textContent.includes(` ${shownYear} (`),
        year,
        { timeout: 120_000, polling: 100 },
      );
    await drawn('2021');
    const before = await drawnValues(page);
    const asked: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/graphql') asked.push(request.url());
    });
    await stack.stopSubgraph('indicators');
    try {
      await page.selectOption('select[name="year"]', '2020');
      const notice = page.locator('p.stale-map');
      await notice.waitFor({ timeout: 60_000 });
      await expect(notice.textContent()).resolves.toMatch(/^Nicht aktuell: Die Anfrage ist fehlgeschlagen\. .* 2021 \(/);
      await expect(page.locator('figure.map[data-stale="true"] figcaption').textContent()).resolves.toMatch(/^Nicht aktuell: .* 2021 \(/);
      await expect(page.locator('.map-view [role="alert"]').textContent()).resolves.toMatch(/^Karte nicht verfügbar: .*indicators/);
      await expect(drawnValues(page)).resolves.toEqual(before);
      // Each failure doubles the wait; the button stays beside the announcement.
      for (const delay of [2_000, 4_000, 8_000]) {
        await page.locator(`p.unavailable .retry-auto[data-retry-in="${delay}"]`).waitFor({ timeout: 60_000 });
        await expect(page.locator('p.unavailable .retry-auto').textContent()).resolves.toBe(
          ` Neuer Versuch automatisch in ${delay / 1000} s.`,
        );
        await expect(page.locator('p.unavailable button.retry').isVisible()).resolves.toBe(true);
        const count = asked.length;
        await page.clock.runFor(delay - 100);
        // A round trip to the page: a request its timers started is on its way by now.
        await page.evaluate(() => 0);
        expect(asked.length).toBe(count);
        const next = page.waitForRequest((request) => new URL(request.url()).pathname === '/graphql', { timeout: 60_000 });
        await page.clock.runFor(100);
        await next;
        await expect(drawnValues(page)).resolves.toEqual(before);
      }
      // A hidden page does not ask: its next attempt is no longer planned, and a minute passes without one.
      await page.locator('p.unavailable .retry-auto[data-retry-in="16000"]').waitFor({ timeout: 60_000 });
      await page.evaluate(() => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
        document.dispatchEvent(new Event('visibilitychange'));
      });
      await page.locator('p.unavailable .retry-auto').waitFor({ state: 'detached', timeout: 60_000 });
      const count = asked.length;
      await page.clock.runFor(120_000);
      await page.evaluate(() => 0);
      expect(asked.length).toBe(count);
    } finally {
      await stack.restartSubgraph('indicators');
    }
    // Shown again, it asks at once, and draws the year chosen with the API's values.
    await page.evaluate(() => {
      delete (document as { visibilityState?: unknown }).visibilityState;
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await drawn('2020');
    const { data } = await stack.query<{ region: { regions: { code: string; value: { value: number | null } | null }[] } }>(
      '{ region(code: "03") { regions: descendants(level: COUNTY) { code value(indicator: "population", year: 2020) { value } } } }',
    );
    const values = new Map(await drawnValues(page));
    for (const region of data!.region.regions) expect(values.get(region.code)).toBe(String(region.value?.value ?? ''));
    await page.close();
  });

  it('says that the map is unavailable while the indicators subgraph is down, and draws it when asked again once it is back', async () => {
    const page = await held.context.newPage();
    await stack.stopSubgraph('indicators');
    try {
      await page.goto(`${base}/atlas/?view=map&indicator=population&year=2021&level=COUNTY&area=03`);
      // The map's request needs the indicators subgraph for its root fields: the gateway answers with errors alone.
      const alert = page.locator('.map-view [role="alert"]');
      await alert.waitFor({ timeout: 60_000 });
      await expect(alert.textContent()).resolves.toMatch(/^Karte nicht verfügbar: .*indicators/);
    } finally {
      await stack.restartSubgraph('indicators');
    }
    // No reload: the button asks again, and the map comes with the API's values.
    await page.click('p.unavailable button.retry');
    await page.waitForFunction(
      () => document.querySelectorAll('path[data-region-code]').length === 45 && !document.querySelector('p.unavailable'),
      undefined,
      { timeout: 60_000 },
    );
    const { data } = await stack.query<{ region: { regions: { code: string; value: { value: number | null } | null }[] } }>(
      '{ region(code: "03") { regions: descendants(level: COUNTY) { code value(indicator: "population", year: 2021) { value } } } }',
    );
    const drawn = new Map(
      await page.$$eval('path[data-region-code]', (paths) =>
        paths.map((shape) => [shape.getAttribute('data-region-code')!, shape.getAttribute('data-value')!] as const),
      ),
    );
    for (const region of data!.region.regions) expect(drawn.get(region.code)).toBe(String(region.value?.value ?? ''));
    await page.close();
  });

  it('says that the regions are missing while the regions subgraph is down, instead of an empty map, and draws them once it is back', async () => {
    const page = await held.context.newPage();
    await stack.stopSubgraph('regions');
    try {
      await page.goto(`${base}/atlas/?view=map&indicator=population&year=2021&level=COUNTY&area=03`);
      const missing = page.locator('p.unavailable[role="alert"]');
      await missing.waitFor({ timeout: 60_000 });
      await expect(missing.textContent()).resolves.toMatch(/^Nicht alles verfügbar: .*regions/);
    } finally {
      await stack.restartSubgraph('regions');
    }
    await page.click('p.unavailable button.retry');
    await page.waitForFunction(
      () => document.querySelectorAll('path[data-region-code]').length === 45 && !document.querySelector('p.unavailable'),
      undefined,
      { timeout: 60_000 },
    );
    await page.close();
  });

  it("keeps a profile while the projects subgraph is down, and lists the region's projects when asked again once it is back", async () => {
    const page = await held.context.newPage();
    await stack.stopSubgraph('projects');
    try {
      await page.goto(`${base}/atlas/?view=map&indicator=population&year=2021&level=COUNTY&area=03&region=03459`);
      await page.locator('aside.profile .projects-unavailable').waitFor({ timeout: 60_000 });
    } finally {
      await stack.restartSubgraph('projects');
    }
    await page.click('aside.profile .profile-partial button.retry');
    await page.locator('aside.profile .projects-unavailable').waitFor({ state: 'detached', timeout: 60_000 });
    const { data } = await stack.query<{ region: { projects: { id: string }[] } }>('{ region(code: "03459") { projects { id } } }');
    await expect(
      page.$$eval('aside.profile .projects li', (items) => items.map((item) => item.getAttribute('data-project-id'))),
    ).resolves.toEqual(data!.region.projects.map((project) => project.id));
    await page.close();
  });
});

describe('the licences of the software the Atlas ships', () => {
  const atlasDir = path.join(__dirname, '..', 'atlas');
  // Where the Atlas's build found a package: its own node_modules first, then the hoisted one (read
  // directly, as d3-geo's `exports` do not expose its package.json to require.resolve).
  const packageDir = (name: string): string =>
    [path.join(atlasDir, 'node_modules', name), path.join(__dirname, '..', 'node_modules', name)].find((dir) =>
      existsSync(path.join(dir, 'package.json')),
    )!;

  it('serves third-party-licenses.txt with every bundled package, its version, licence and licence text', async () => {
    const response = await fetch(`${base}/atlas/third-party-licenses.txt`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const notices = await response.text();
    for (const name of ['react', 'react-dom', 'd3-geo']) {
      const { version, license } = JSON.parse(readFileSync(path.join(packageDir(name), 'package.json'), 'utf8')) as {
        version: string;
        license: string;
      };
      const text = readFileSync(path.join(packageDir(name), 'LICENSE'), 'utf8').trim();
      expect(notices).toContain(`${name} ${version}\nLicense: ${license}\n\n${text}\n`);
    }
    // What the bundle really holds is held to the licence check too, also a package the Atlas lists
    // among its devDependencies (graphql) and another workspace does not bring in at run time.
    const bundled = [...notices.matchAll(/^-{78}\n(\S+) (\S+)\nLicense: (.+)$/gm)].map(([, name, version, licence]) => ({
      name,
      version,
      licence,
    }));
    expect(bundled.map((found) => found.name)).toEqual(expect.arrayContaining(['react', 'react-dom', 'd3-geo']));
    const root = path.join(__dirname, '..');
    const runtime = runtimePackages(readFileSync(path.join(root, 'package-lock.json'), 'utf8'), installedManifest(root));
    const allowed = new Set(ALLOWED_LICENCES.keys());
    for (const found of bundled) {
      expect({ ...found, allowed: licenceAllowed(found.licence!, allowed) }).toEqual({ ...found, allowed: true });
      expect({ ...found, checked: runtime.some((copy) => copy.name === found.name && copy.version === found.version) }).toEqual({
        ...found,
        checked: true,
      });
    }
  });
});

describeInBrowser('the licences of the software the Atlas ships, in the browser', () => {
  it('links "Lizenzen der verwendeten Software" from the page footer to the notices file', async () => {
    const page = await browser.context.newPage();
    await openMap(page, base, '?view=map&indicator=population&year=2021&level=COUNTY&area=03', 45);
    const link = page.locator('footer a', { hasText: 'Lizenzen der verwendeten Software' });
    await expect(link.isVisible()).resolves.toBe(true);
    const href = await link.evaluate((anchor) => (anchor as HTMLAnchorElement).href);
    const response = await page.request.get(href);
    expect(response.status()).toBe(200);
    const notices = await response.text();
    for (const name of ['react', 'react-dom', 'd3-geo']) expect(notices).toContain(`\n${name} `);
    await page.close();
  });
});
