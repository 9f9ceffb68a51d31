// The Atlas for users of a keyboard, a screen reader or a zoomed screen (BITV 2.0 / WCAG 2.1 AA), in
// Debian's chromium against the whole stack: axe-core (run inside the page) on every view, and the
// keyboard paths axe cannot judge. Moderate and minor findings of axe are printed, never asserted.
import { readFileSync } from 'node:fs';
import type { AxeResults, Result } from 'axe-core';
import type { Page } from 'playwright-core';
import { EDITOR_ENTRY_ATTRIBUTION, SYNTHETIC_DATA_ATTRIBUTION, SYNTHETIC_DATA_ATTRIBUTION_DE } from '@regiograph/shared';
import { focused, openEqual, openMap, runAtlasForFile } from './atlas-page';
import { chromiumAvailable, type Browser } from './browser';
import type { Stack } from './harness';

const describeInBrowser = chromiumAvailable() ? describe : describe.skip;

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const COUNTIES = '?view=map&indicator=population&year=2021&level=COUNTY&area=03';

/**
 * Findings axe cannot decide ("needs review") that were checked by hand; any other one of serious or
 * critical impact fails as a violation does.
 */
const REVIEWED: { rule: string; target: RegExp; reason: string }[] = [
  {
    rule: 'color-contrast',
    target: /^text\[/,
    reason: "axe cannot see the background of a chart's SVG axis labels: they are black on white (21:1)",
  },
  {
    rule: 'label-content-name-mismatch',
    target: /^button\[aria-label=".* entfernen"\]$/,
    reason: 'the visible "×" is a symbol, which the name need not repeat (Understanding WCAG 2.5.3)',
  },
];

let stack: Stack;
let browser: Browser;
let base: string;
const minorFindings: string[] = [];

runAtlasForFile((run) => ({ stack, base, browser } = run));

afterAll(() => {
  if (minorFindings.length > 0) console.log(`axe's moderate and minor findings in the Atlas:\n${minorFindings.join('\n')}`);
});

async function municipalityCount(area: string): Promise<number> {
  const { data } = await stack.query<{ region: { descendants: { code: string }[] } }>(
    `{ region(code: "${area}") { descendants(level: MUNICIPALITY) { code } } }`,
  );
  return data!.region.descendants.length;
}

/**
 * axe's WCAG 2.1 A/AA rules on the page as it stands: each violation, and each finding it could not
 * decide that is not REVIEWED, of serious or critical impact, as "view: rule (impact) help – targets".
 */
async function axeViolations(page: Page, view: string): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const results = await page.evaluate(
    (tags) =>
      (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe.run(document, {
        runOnly: { type: 'tag', values: tags },
      }),
    WCAG_21_AA,
  );
  const undecided = results.incomplete
    .map((finding) => ({
      ...finding,
      nodes: finding.nodes.filter(
        (node) => !REVIEWED.some((reviewed) => reviewed.rule === finding.id && reviewed.target.test(node.target.join(' '))),
      ),
    }))
    .filter((finding) => finding.nodes.length > 0);
  const line = (violation: Result) =>
    `${view}: ${violation.id} (${violation.impact}${undecided.includes(violation) ? ', needs review' : ''}) ${violation.help} – ${violation.nodes
      .slice(0, 3)
      .map((node) => node.target.join(' '))
      .join(
        ', ',
      )}${violation.nodes.length > 3 ? ` and ${violation.nodes.length - 3} more` : ''} (${(violation.nodes[0]?.failureSummary ?? '').replace(/\s+/g, ' ')})`;
  const findings = [...results.violations, ...undecided];
  const grave = findings.filter((finding) => finding.impact === 'serious' || finding.impact === 'critical');
  minorFindings.push(...findings.filter((finding) => !grave.includes(finding)).map(line));
  return grave.map(line);
}

/**
 * axe's findings on the page, and its sideways scrolling at 320 CSS px if any (WCAG 1.4.10: 1280 px
 * zoomed to 400 %; the table scrolls within itself, which 1.4.10 allows for data tables).
 */
async function audit(page: Page, view: string): Promise<string[]> {
  const findings = await axeViolations(page, view);
  const viewport = page.viewportSize()!;
  await page.setViewportSize({ width: 320, height: 640 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await page.setViewportSize(viewport);
  return overflow > 0 ? [...findings, `${view}: ${overflow} px sideways scrolling at 320 CSS px`] : findings;
}

describeInBrowser('the Atlas for keyboard and screen-reader users', () => {
  it('passes axe (no serious or critical WCAG 2.1 A/AA finding) and reflows at 320 CSS px in every view, in error states and embedded', async () => {
    const page = await browser.context.newPage();
    const violations: string[] = [];
    await openMap(page, base, COUNTIES, 45);
    violations.push(...(await audit(page, 'county map')));
    await openMap(page, base, '?view=map&indicator=population&year=2021&level=MUNICIPALITY&area=03459', await municipalityCount('03459'));
    // With a shape's tooltip shown.
    await page.locator('path[data-region-code]').first().focus();
    await page.locator('.tooltip').waitFor();
    violations.push(...(await audit(page, 'municipality map')));
    await page.goto(`${base}/atlas/${COUNTIES}&region=03459`);
    await page.locator('aside.profile[data-region-code="03459"] section.series path[data-series]').first().waitFor({ timeout: 60_000 });
    violations.push(...(await audit(page, 'profile')));
    await page.goto(`${base}/atlas/?view=compare&indicator=population`);
    await page.locator('select[name="indicator"] optgroup').first().waitFor({ state: 'attached', timeout: 60_000 });
    violations.push(...(await audit(page, 'empty comparison')));
    await page.goto(`${base}/atlas/?view=compare&indicator=population&compare=03241,03459`);
    await page.locator('section.compare tbody tr').first().waitFor({ timeout: 60_000 });
    violations.push(...(await audit(page, 'comparison')));
    await page.goto(`${base}/atlas/?view=table&indicator=population&year=2021&level=COUNTY&area=03`);
    await page.locator('section.table tbody tr').first().waitFor({ timeout: 60_000 });
    violations.push(...(await audit(page, 'table')));
    await openMap(page, base, `${COUNTIES}&embed=1`, 45);
    violations.push(...(await audit(page, 'embedded map')));
    await openEqual(page, base, '?view=equal&level=COUNTY&area=03', 45);
    // With its method unfolded.
    await page.click('section.equal details.method summary');
    violations.push(...(await audit(page, 'equal chances')));
    // Weights missing in the values' year, with the switch to the nearest year's offered, and one
    // indicator's Theil decomposition opened group by group.
    await openEqual(page, base, '?view=equal&level=COUNTY&indicators=gp_per_100k,unemployment_rate', 45);
    await page.click('details.theil-groups[data-indicator="unemployment_rate"] summary');
    await page.locator('details.theil-groups[data-indicator="unemployment_rate"] table tbody tr').first().waitFor({ timeout: 60_000 });
    await page.locator('p.weights-missing button').waitFor();
    violations.push(...(await audit(page, 'equal chances with weights missing and a Theil decomposition opened')));
    // With county values computed from the municipalities and measures that cannot be computed (negative values).
    await openEqual(page, base, '?view=equal&level=COUNTY&indicators=share_foreigners_census22,net_migration_per_1000', 45);
    violations.push(...(await audit(page, 'equal chances with computed values and missing measures')));
    await page.goto(`${base}/atlas/?view=equal&indicators=population,unemployment_rate`);
    await page.locator('section.equal [role="alert"]').waitFor({ timeout: 60_000 });
    violations.push(...(await audit(page, 'equal chances refused')));
    await page.goto(`${base}/atlas/${COUNTIES}&region=03241`);
    await page.locator('aside.profile[data-region-code="03241"] .similar-regions ol.similar li').first().waitFor({ timeout: 60_000 });
    violations.push(...(await audit(page, 'profile with similar regions')));
    await openMap(page, base, '?view=map&indicator=population&year=1800&level=KREIS&area=03', 45);
    await page.locator('.ignored-params').waitFor();
    violations.push(...(await audit(page, 'link with bad parameters')));
    await page.goto(`${base}/atlas/?view=map&indicator=no_such_indicator&year=2021&level=COUNTY&area=03&region=03999`);
    await page.locator('aside.profile [role="alert"]').waitFor({ timeout: 60_000 });
    await page.locator('.map-view > [role="alert"]').waitFor({ timeout: 60_000 });
    violations.push(...(await audit(page, 'unknown indicator and region')));
    expect(violations).toEqual([]);
    // The region search's message for a name that is on no shape.
    await openMap(page, base, COUNTIES, 45);
    await page.fill('input[name="region-search"]', 'Atlantis');
    await page.keyboard.press('Enter');
    await page.locator('.region-search [role="alert"]').waitFor();
    await expect(audit(page, 'region search without a match')).resolves.toEqual([]);
    await page.close();
  });

  it('names each view in the page title', async () => {
    const page = await browser.context.newPage();
    const titles: string[] = [];
    await openMap(page, base, COUNTIES, 45);
    titles.push(await page.title());
    await page.goto(`${base}/atlas/${COUNTIES}&region=03459`);
    await page.locator('aside.profile[data-region-code="03459"] h2').waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => document.title.includes('Osnabrück'));
    titles.push(await page.title());
    await page.goto(`${base}/atlas/?view=compare&indicator=population&compare=03241`);
    await page.locator('section.compare tbody tr').first().waitFor({ timeout: 60_000 });
    titles.push(await page.title());
    await page.goto(`${base}/atlas/?view=table&indicator=population&year=2021&level=COUNTY&area=03`);
    await page.locator('section.table tbody tr').first().waitFor({ timeout: 60_000 });
    titles.push(await page.title());
    await openEqual(page, base, '?view=equal&year=2021&level=COUNTY&area=03', 45);
    titles.push(await page.title());
    expect(titles).toEqual([
      'Karte: Bevölkerung 2021, Landkreise und kreisfreie Städte – RegioGraph Atlas Niedersachsen',
      'Profil Osnabrück – Karte: Bevölkerung 2021, Landkreise und kreisfreie Städte – RegioGraph Atlas Niedersachsen',
      'Vergleich: Bevölkerung, 1 Region – RegioGraph Atlas Niedersachsen',
      'Tabelle: Bevölkerung 2021, Landkreise und kreisfreie Städte – RegioGraph Atlas Niedersachsen',
      'Gleichwertigkeit: 2021, Landkreise und kreisfreie Städte – RegioGraph Atlas Niedersachsen',
    ]);
    await page.close();
  });

  it('skips to the content, passes the map in one Tab stop, and moves between its regions with the arrow keys', async () => {
    const page = await browser.context.newPage();
    await openMap(page, base, COUNTIES, 45);
    // The first Tab stop skips the header's controls.
    await page.keyboard.press('Tab');
    await expect(focused(page)).resolves.toMatch(/^a .*Zum Inhalt springen/);
    // A link shown only when focused must become visible then (WCAG 2.4.7).
    const skip = await page.evaluate(() => (document.activeElement as HTMLElement).getBoundingClientRect().width);
    expect(skip).toBeGreaterThan(10);
    await page.keyboard.press('Enter');
    await expect(focused(page)).resolves.toMatch(/^main /);
    // From there: the map's own skip link, then one shape, then past the map.
    const stops: string[] = [];
    for (let press = 0; press < 6; press++) {
      await page.keyboard.press('Tab');
      stops.push(await focused(page));
    }
    const shapes = stops.filter((stop) => stop.startsWith('shape '));
    expect(shapes).toHaveLength(1);
    const skipMap = stops.findIndex((stop) => /^a .*Karte überspringen/.test(stop));
    expect(skipMap).toBeGreaterThanOrEqual(0);
    expect(skipMap).toBeLessThan(stops.indexOf(shapes[0]!));

    // The arrow keys move from a region to its neighbour in that direction, and the tooltip follows.
    await page.focus('path[data-region-code="03459"]');
    const centre = (code: string) =>
      page.locator(`path[data-region-code="${code}"]`).evaluate((shape) => {
        const box = (shape as SVGGraphicsElement).getBBox();
        return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      });
    const start = await centre('03459');
    await page.keyboard.press('ArrowRight');
    const east = (await focused(page)).replace('shape ', '');
    expect(east).toMatch(/^03\d{3}$/);
    expect(east).not.toBe('03459');
    expect((await centre(east)).x).toBeGreaterThan(start.x);
    await expect(page.locator('.tooltip').getAttribute('data-region-code')).resolves.toBe(east);
    await page.keyboard.press('ArrowUp');
    const north = (await focused(page)).replace('shape ', '');
    expect((await centre(north)).y).toBeLessThan((await centre(east)).y);
    // The shape last focused is the map's one Tab stop.
    const tabbable = await page.$$eval('path[data-region-code][tabindex="0"]', (paths) =>
      paths.map((shape) => shape.getAttribute('data-region-code')),
    );
    expect(tabbable).toEqual([north]);
    // Space opens the profile as Enter does.
    await page.keyboard.press(' ');
    await page.locator(`aside.profile[data-region-code="${north}"]`).waitFor({ timeout: 60_000 });

    // The map's skip link lands behind the map.
    await page.focus('a.skip-map');
    await page.keyboard.press('Enter');
    const landed = await page.evaluate(() => {
      const map = document.querySelector('figure.map svg')!;
      const active = document.activeElement!;
      return !map.contains(active) && Boolean(map.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    expect(landed).toBe(true);
    await page.close();
  });

  it('finds a region of the state-wide municipality map by its name, without tabbing through its shapes', async () => {
    const page = await browser.context.newPage();
    await openMap(page, base, '?view=map&indicator=population&year=2021&level=MUNICIPALITY&area=03', await municipalityCount('03'));
    const search = page.getByRole('combobox', { name: 'Region suchen' });
    await expect(search.count()).resolves.toBe(1);
    // Its suggestions are every region of the map, told apart by their type.
    await expect(page.locator('datalist#map-regions option').count()).resolves.toBe(await municipalityCount('03'));
    await search.focus();
    await page.keyboard.type('Bad Iburg');
    await page.keyboard.press('Enter');
    const profile = page.locator('aside.profile h2');
    await profile.waitFor({ timeout: 60_000 });
    await expect(profile.textContent()).resolves.toBe('Bad Iburg');
    await page.waitForFunction(() => document.activeElement?.matches('aside.profile h2') === true);
    // A name that is in no region of the state (the search asks the API beyond the map) is said so, in an alert.
    await search.fill('Atlantis');
    await page.keyboard.press('Enter');
    await expect(page.locator('.region-search [role="alert"]').textContent()).resolves.toMatch(
      /^Keine Region „Atlantis“ in Niedersachsen\./,
    );
    await page.close();
  });

  it('closes a profile with Escape and gives the focus back to its region; Escape hides the tooltip', async () => {
    const page = await browser.context.newPage();
    await openMap(page, base, COUNTIES, 45);
    await page.focus('path[data-region-code="03241"]');
    await expect(page.locator('.tooltip').count()).resolves.toBe(1);
    // Content shown on focus can be dismissed without moving the focus (WCAG 1.4.13).
    await page.keyboard.press('Escape');
    await expect(page.locator('.tooltip').count()).resolves.toBe(0);
    await expect(focused(page)).resolves.toBe('shape 03241');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.matches('aside.profile[data-region-code="03241"] h2') === true, undefined, {
      timeout: 60_000,
    });
    await page.keyboard.press('Escape');
    await page.locator('aside.profile').waitFor({ state: 'detached' });
    expect(new URL(page.url()).searchParams.get('region')).toBeNull();
    await expect(focused(page)).resolves.toBe('shape 03241');
    await page.close();
  });

  it("keeps a region's details while the pointer moves onto them, hides them on Escape wherever the focus is, and keeps those of the region chosen (WCAG 2.2, 1.4.13)", async () => {
    const page = await browser.context.newPage();
    await openMap(page, base, COUNTIES, 45);
    const details = page.locator('.tooltip');
    await page.hover('path[data-region-code="03241"]');
    await expect(details.getAttribute('data-region-code')).resolves.toBe('03241');
    // Hoverable: straight from the shape onto the details, which stay, their text there to select.
    const box = (await details.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect(details.getAttribute('data-region-code')).resolves.toBe('03241');
    // Dismissible without moving the pointer or the focus (which is on no shape: the pointer alone shows them).
    await expect(focused(page)).resolves.toBe('body');
    await page.keyboard.press('Escape');
    await expect(details.count()).resolves.toBe(0);
    // Persistent: a region chosen by a click keeps its details after the pointer has left the map, until closed.
    await page.click('path[data-region-code="03241"]');
    await page.locator('aside.profile[data-region-code="03241"] h2').waitFor({ timeout: 60_000 });
    await page.mouse.move(5, 5);
    await expect(details.getAttribute('data-region-code')).resolves.toBe('03241');
    await details.locator('button.tooltip-close').click();
    await expect(details.count()).resolves.toBe(0);
    await expect(page.locator('aside.profile[data-region-code="03241"]').count()).resolves.toBe(1);
    await page.close();
  });

  it('says nothing only in a tooltip: no title attribute on a computed value or a measure that cannot be computed, whose reasons stand beneath the table', async () => {
    const page = await browser.context.newPage();
    /** The HTML elements with a title (an SVG's <title> is the shape's name, said also in its label). */
    const titled = () =>
      page.$$eval('[title]', (elements) =>
        elements.filter((element) => element instanceof HTMLElement).map((element) => element.outerHTML.slice(0, 80)),
      );
    // County values before 1995 are sums of the municipalities: "(berechnet)" in the table, the comparison and the profile's values.
    await page.goto(`${base}/atlas/?view=table&indicator=population&year=1994&level=COUNTY&area=03`);
    await page.locator('section.table td[data-aggregated="true"]').first().waitFor({ timeout: 60_000 });
    await expect(titled()).resolves.toEqual([]);
    await expect(page.locator('section.table .aggregated-note').isVisible()).resolves.toBe(true);
    await page.goto(`${base}/atlas/?view=compare&indicator=population&compare=03241,03459`);
    await page.locator('section.compare td[data-aggregated="true"]').first().waitFor({ timeout: 60_000 });
    await expect(titled()).resolves.toEqual([]);
    await expect(page.locator('section.compare .aggregated-note').isVisible()).resolves.toBe(true);
    await page.goto(`${base}/atlas/${COUNTIES}&region=03459`);
    const values = page.locator('aside.profile[data-region-code="03459"] .chart-values').first();
    await values.locator('summary').click({ timeout: 60_000 });
    await expect(values.locator('td').filter({ hasText: '(berechnet)' }).count()).resolves.toBeGreaterThan(0);
    await expect(titled()).resolves.toEqual([]);
    // Net migration is negative in places: its measures are "–", each with the reason the cells give a screen reader.
    await openEqual(page, base, '?view=equal&level=COUNTY&indicators=share_foreigners_census22,net_migration_per_1000', 45);
    await expect(titled()).resolves.toEqual([]);
    const unexplained = await page.$$eval('table.equal-indicators-table tbody tr', (rows) =>
      rows.flatMap((row) => {
        const indicator = row.getAttribute('data-indicator');
        const said = [...document.querySelectorAll(`.unmeasurable-reason[data-indicator="${indicator}"]`)]
          .filter((reason) => (reason as HTMLElement).offsetParent !== null)
          .map((reason) => reason.textContent ?? '');
        return [...row.querySelectorAll('td .visually-hidden')]
          .map((cell) => cell.textContent ?? '')
          .filter((reason) => !said.some((text) => text.endsWith(`: ${reason}.`)))
          .map((reason) => `${indicator}: ${reason}`);
      }),
    );
    await expect(page.locator('table.equal-indicators-table td .visually-hidden').count()).resolves.toBeGreaterThan(0);
    expect([...new Set(unexplained)]).toEqual([]);
    await page.close();
  });

  it('says beside a disabled "Zum Vergleich hinzufügen" why it is disabled, as its accessible description', async () => {
    const page = await browser.context.newPage();
    const compareButton = async () =>
      page.evaluate(() => {
        const button = [...document.querySelectorAll('aside.profile button')].find(
          (each) => each.textContent === 'Zum Vergleich hinzufügen',
        )!;
        const described = button.getAttribute('aria-describedby');
        return {
          disabled: (button as HTMLButtonElement).disabled,
          description: described ? (document.getElementById(described)?.textContent ?? null) : null,
        };
      });
    for (const [compare, expected] of [
      ['', { disabled: false, description: null }],
      ['03241', { disabled: true, description: 'Schon im Vergleich.' }],
      ['03101,03102,03103,03151,03153,03154', { disabled: true, description: 'Der Vergleich nimmt höchstens 6 Regionen auf.' }],
    ] as const) {
      await openMap(page, base, `${COUNTIES}&region=03241${compare ? `&compare=${compare}` : ''}`, 45);
      await page.locator('aside.profile[data-region-code="03241"] h2').waitFor({ timeout: 60_000 });
      await expect(compareButton()).resolves.toEqual(expected);
    }
    await page.close();
  });

  it('speaks German throughout the pages a user visits: RegioGraph’s own texts in German, no part marked as another language', async () => {
    const page = await browser.context.newPage();
    /** What the page marks as another language than its German (WCAG 3.1.2): each element's lang and text. */
    const foreignParts = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('body [lang]')]
          .filter((element) => element.getAttribute('lang') !== 'de')
          .map((element) => `${element.getAttribute('lang')}: ${(element.textContent ?? '').slice(0, 80)}`),
      );
    // The providers' attributions (dl-de/by-2-0), shown as the providers give them, are German: were
    // one English, it would be marked so, and listed here by its provider.
    const pages: [string, () => Promise<void>][] = [
      // Landkreis Osnabrück with the synthetic births: a provider's attribution, synthetic data and projects,
      // cooperations and an office compiled by RegioGraph, and the similar regions with their method.
      [
        'profile',
        async () => {
          await openMap(
            page,
            base,
            `?view=map&indicator=population&year=2021&level=COUNTY&area=03&region=03459&series=births_per_1000`,
            45,
          );
          await page.locator('aside.profile[data-region-code="03459"] .office').waitFor({ timeout: 60_000 });
          await page.locator('aside.profile .similar-regions details.method').waitFor({ timeout: 60_000 });
        },
      ],
      ['equal chances', () => openEqual(page, base, '?view=equal&level=COUNTY&area=03', 45)],
      [
        'table',
        async () => {
          await page.goto(`${base}/atlas/?view=table&indicator=births_per_1000&year=2021&level=COUNTY&area=03`);
          await page.locator('section.table tbody tr').first().waitFor({ timeout: 60_000 });
        },
      ],
      [
        'comparison',
        async () => {
          await page.goto(`${base}/atlas/?view=compare&indicator=births_per_1000&compare=03241,03459`);
          await page.locator('section.compare tbody tr').first().waitFor({ timeout: 60_000 });
        },
      ],
    ];
    const attributions: string[] = [];
    for (const [name, open] of pages) {
      await open();
      await expect(foreignParts().then((parts) => parts.map((part) => `${name}: ${part}`))).resolves.toEqual([]);
      attributions.push(...(await page.locator('.attribution').allTextContents()));
      const methods = await page.locator('details.method p').allTextContents();
      for (const method of methods) expect(method).toMatch(/^Je(der)? (Region|Indikator) /);
      if (name === 'profile' || name === 'equal chances') expect(methods).toHaveLength(1);
    }
    // RegioGraph's own attributions are its German ones; the English ones of the API's default never show.
    const english = [SYNTHETIC_DATA_ATTRIBUTION, EDITOR_ENTRY_ATTRIBUTION, 'Compiled by RegioGraph', 'Synthetic'];
    expect(attributions.filter((text) => english.some((start) => text.includes(start)))).toEqual([]);
    // Each kind is on the pages: the test would pass vacuously otherwise.
    const all = attributions.join('\n');
    expect(all).toContain(SYNTHETIC_DATA_ATTRIBUTION_DE);
    expect(all).toContain('Von RegioGraph zusammengestellt aus');
    expect(all).toContain('Datenlizenz Deutschland – Namensnennung – Version 2.0');
    await page.close();
  });

  it('announces what a view shows, and its loading, in a live region that is there before either', async () => {
    const page = await browser.context.newPage();
    // A live region is read only when its text changes after it appeared: it must be on the page from the start.
    await page.goto(`${base}/atlas/${COUNTIES}`);
    const announcer = page.locator('#announcer');
    await expect(announcer.getAttribute('aria-live')).resolves.toBe('polite');
    await page.waitForFunction(
      () => document.querySelector('#announcer')?.textContent === 'Karte geladen: Bevölkerung 2021, 45 Landkreise und kreisfreie Städte.',
      undefined,
      { timeout: 60_000 },
    );
    await page.selectOption('select[name="year"]', '2020');
    await page.waitForFunction(
      () => document.querySelector('#announcer')?.textContent === 'Karte geladen: Bevölkerung 2020, 45 Landkreise und kreisfreie Städte.',
      undefined,
      { timeout: 60_000 },
    );
    await page.click('nav button:has-text("Tabelle")');
    await page.waitForFunction(() => document.querySelector('#announcer')?.textContent === 'Tabelle geladen: 45 Zeilen.', undefined, {
      timeout: 60_000,
    });
    await page.close();
  });

  it("outlines every region of the map and every legend swatch at 3:1 or more against the page, also in the palettes' lightest classes (WCAG 1.4.11)", async () => {
    const page = await browser.context.newPage();
    await openMap(page, base, COUNTIES, 45);
    const luminance = (rgb: string): number => {
      const [r, g, b] = rgb
        .match(/\d+(\.\d+)?/g)!
        .slice(0, 3)
        .map(Number)
        .map((channel) => {
          const c = channel / 255;
          return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const contrast = (a: string, b: string) => {
      const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (light! + 0.05) / (dark! + 0.05);
    };
    const bodyBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const background = bodyBackground === 'rgba(0, 0, 0, 0)' ? 'rgb(255, 255, 255)' : bodyBackground;
    const outlines = await page.$$eval('figure.map path.region:not(.selected)', (shapes) =>
      shapes.map((shape) => ({
        stroke: getComputedStyle(shape).stroke,
        width: parseFloat(getComputedStyle(shape).strokeWidth),
        fill: getComputedStyle(shape).fill,
      })),
    );
    expect(outlines).toHaveLength(45);
    for (const { stroke, width, fill } of outlines) {
      expect(width).toBeGreaterThan(0);
      expect(contrast(stroke, background)).toBeGreaterThanOrEqual(3);
      // Against the shape's own fill: two neighbours of one class are two shapes, in every class.
      if (fill.startsWith('rgb')) expect([fill, contrast(stroke, fill) >= 3]).toEqual([fill, true]);
      // Against the lightest fills of both palettes too: the outline, not the fill, marks the shape.
      for (const fill of ['rgb(255, 255, 204)', 'rgb(247, 247, 247)']) expect(contrast(stroke, fill)).toBeGreaterThanOrEqual(3);
    }
    // The legend's swatches likewise: the lightest class's swatch is told from the page by its border.
    const borders = await page.$$eval('.legend .swatch', (swatches) => swatches.map((swatch) => getComputedStyle(swatch).borderTopColor));
    expect(borders.length).toBeGreaterThan(0);
    for (const border of borders) expect(contrast(border, background)).toBeGreaterThanOrEqual(3);
    await page.close();
  });

  it('picks out the regions of one class when its legend line is pressed, neighbouring colours being less than 3:1 apart', async () => {
    const page = await browser.context.newPage();
    await openMap(page, base, COUNTIES, 45);
    const classes = await page.$$eval('figure.map path.region', (shapes) => shapes.map((shape) => shape.getAttribute('data-class')));
    const chosen = classes.find((value) => value !== null)!;
    const button = page.locator(`.legend li[data-class="${chosen}"] button`);
    await expect(button.getAttribute('aria-pressed')).resolves.toBe('false');
    await button.click();
    await expect(button.getAttribute('aria-pressed')).resolves.toBe('true');
    const faded = await page.$$eval('figure.map path.region', (shapes) =>
      shapes.map((shape) => [shape.getAttribute('data-class'), shape.classList.contains('faded')]),
    );
    // Exactly the others fade, also the shapes without a value.
    for (const [value, isFaded] of faded) expect([value, isFaded]).toEqual([value, value !== chosen]);
    const count = classes.filter((value) => value === chosen).length;
    await expect(page.locator('.legend .legend-hint').textContent()).resolves.toMatch(
      new RegExp(`^Hervorgehoben: .*, ${count} Regionen; die übrigen blass\\.$`),
    );
    // Pressed again, every class shows as before.
    await button.click();
    await expect(page.locator('figure.map path.region.faded').count()).resolves.toBe(0);
    await page.close();
  });

  it("gives the map's and the profile's charts their values as tables, their text alternatives", async () => {
    const page = await browser.context.newPage();
    const municipalities = await municipalityCount('03459');
    await openMap(page, base, '?view=map&indicator=population&year=2021&level=MUNICIPALITY&area=03459', municipalities);
    const link = page.locator('figure.map a.as-table');
    await expect(link.textContent()).resolves.toBe('Werte der Karte als Tabelle');
    await link.click();
    // The same selection, named by its caption.
    const table = page.getByRole('table', { name: 'Bevölkerung 2021' });
    await table.locator('tbody tr').first().waitFor({ timeout: 60_000 });
    await expect(table.locator('tbody tr').count()).resolves.toBe(municipalities);
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toMatchObject({
      view: 'table',
      indicator: 'population',
      year: '2021',
      level: 'MUNICIPALITY',
      area: '03459',
    });

    // A profile's chart: its values, folded beneath it, unfolded with the keyboard.
    await page.goto(`${base}/atlas/${COUNTIES}&region=03459`);
    const series = page.locator('aside.profile section.series[data-indicator="population"]');
    const { data } = await stack.query<{ region: { values: { year: number; value: number | null }[] } }>(
      '{ region(code: "03459") { values(indicators: ["population"]) { year value } } }',
    );
    const summary = series.locator('details.chart-values summary');
    await summary.focus();
    await page.keyboard.press('Enter');
    const values = series.getByRole('table', { name: 'Zeitreihe Bevölkerung (Personen)' });
    await values.waitFor({ timeout: 60_000 });
    const cells = await values
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [Number(row.querySelector('th')!.textContent), row.querySelector('td')!.getAttribute('data-value')]),
      );
    expect(cells).toEqual(
      data!.region.values.sort((a, b) => a.year - b.year).map((value) => [value.year, value.value === null ? '' : String(value.value)]),
    );
    await page.close();
  });
});
