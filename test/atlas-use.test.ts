// The Atlas used for real tasks, in Debian's chromium against the whole stack: a planner finds her
// municipality by name, prints its profile for a council meeting and keeps working while a subgraph
// is down. What the page shows is compared with the API's own answer, never with numbers written here.
import { atlasBase, openEqual, openMap } from './atlas-page';
import { chromiumAvailable, launchBrowser, type Browser } from './browser';
import { startStack, type Stack } from './harness';

const describeInBrowser = chromiumAvailable() ? describe : describe.skip;

let stack: Stack;
let browser: Browser;
let base: string;

beforeAll(async () => {
  stack = await startStack();
  base = atlasBase(stack.gatewayUrl);
  if (chromiumAvailable()) browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

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
    for (const shown of ['figure.map svg', '.legend li[data-class]', 'aside.profile h2', 'aside.profile .rank', 'aside.profile .chart'])
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
    for (const shown of ['figure.map svg', 'table.equal-regions', 'table.equal-indicators-table', '.equal-attributions', '.print-source'])
      await expect(page.locator(shown).first().isVisible()).resolves.toBe(true);
    await page.close();
  });
});
