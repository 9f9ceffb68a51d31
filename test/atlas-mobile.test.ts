// The Atlas on a planner's phone, in Debian's chromium against the whole stack: a 360 × 740 touch screen
// at three device pixels per CSS px (and 390 × 844 where said), opening a link a colleague shared. Its
// controls are targets a finger hits, large text does not push the page sideways, a wide table keeps its
// rows' names in sight, and a request the network never answers is said to have failed.
import type { Page } from 'playwright-core';
import { openEqual, openMap, runAtlasForFile } from './atlas-page';
import { chromiumAvailable, launchBrowser, type Browser } from './browser';

const describeInBrowser = chromiumAvailable() ? describe : describe.skip;

const PHONE = { width: 360, height: 740 };
let browser: Browser;
let base: string;

runAtlasForFile(
  (run) => ({ base, browser } = run),
  () => launchBrowser({ viewport: PHONE, hasTouch: true, isMobile: true, deviceScaleFactor: 3 }),
);

/** A colleague's link: unemployment 2019 in the counties, with the profile of Landkreis Osnabrück open. */
const SHARED_PROFILE = '?view=map&indicator=unemployment_rate&year=2019&level=COUNTY&area=03&region=03459';

/**
 * What reaches beyond the phone's width, so that the page scrolls sideways: the innermost elements that
 * do (not those within a box that scrolls by itself), else the document's excess. Empty when nothing does.
 */
function beyondScreen(page: Page, width: number): Promise<string[]> {
  // A mobile browser widens its layout viewport to a page wider than the screen, so innerWidth would
  // grow with the page: measured against the screen's width instead.
  return page.evaluate((screenWidth) => {
    const within = (element: Element) => {
      for (let box = element.parentElement; box && box !== document.body; box = box.parentElement)
        if (getComputedStyle(box).overflowX !== 'visible') return true;
      return false;
    };
    const beyond = [...document.body.querySelectorAll('*')].filter(
      (element) => element.getBoundingClientRect().right > screenWidth + 0.5 && !within(element),
    );
    const innermost = beyond.filter((element) => !beyond.some((other) => other !== element && element.contains(other)));
    const excess = document.documentElement.scrollWidth - screenWidth;
    return [
      ...innermost
        .slice(0, 5)
        .map(
          (element) =>
            `${element.tagName.toLowerCase()}${element.className && typeof element.className === 'string' ? `.${element.className}` : ''} to ${Math.round(element.getBoundingClientRect().right)} px`,
        ),
      ...(excess > 0 ? [`document ${excess} px wider`] : []),
    ];
  }, width);
}

/**
 * The visible targets smaller than `min` CSS px in either direction, of those `selector` finds. A link
 * within text (beside words of its block that are no target) is exempt, as WCAG 2.5.8 exempts it.
 */
function smallTargets(page: Page, selector: string, min: number): Promise<string[]> {
  return page.$$eval(
    selector,
    (targets, least) =>
      targets
        .filter((target) => (target as HTMLElement).offsetParent !== null && !target.closest('.visually-hidden, .skip-link'))
        .filter((target) => {
          if (target.tagName !== 'A') return true;
          const block = target.parentElement!;
          const words = [...block.childNodes]
            .filter((node) => !(node instanceof Element && node.matches('a, button, select, input, summary, .visually-hidden')))
            .map((node) => node.textContent ?? '')
            .join('');
          return !/\p{L}/u.test(words);
        })
        .map((target) => ({ target, box: target.getBoundingClientRect() }))
        .filter(({ box }) => box.width < least || box.height < least)
        .map(
          ({ target, box }) =>
            `${target.tagName.toLowerCase()} "${(target.textContent ?? '').trim().slice(0, 40)}" ${Math.round(box.width)}×${Math.round(box.height)}`,
        ),
    min,
  );
}

/** The primary controls: the views, the choice of indicator, year, level and area, the search, the profile's buttons. */
const PRIMARY = 'nav button, form.controls select, form.region-search input, form.region-search button, aside.profile header button';
/** Everything a finger may tap. */
const TARGETS = 'a, button, select, input, summary';

describeInBrowser('a planner opening a shared link on a 390 × 844 phone', () => {
  it('taps primary controls of 44 × 44 CSS px or more and every other target of at least 24 × 24, on the map, the profile and the equal-chances view', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await openMap(page, base, SHARED_PROFILE, 45);
    await page.locator('aside.profile[data-region-code="03459"] .similar li button').first().waitFor({ timeout: 60_000 });
    await expect(smallTargets(page, PRIMARY, 44)).resolves.toEqual([]);
    await expect(smallTargets(page, TARGETS, 24)).resolves.toEqual([]);
    await openEqual(page, base, '?view=equal&level=COUNTY&area=03', 45);
    await expect(smallTargets(page, PRIMARY, 44)).resolves.toEqual([]);
    await expect(smallTargets(page, TARGETS, 24)).resolves.toEqual([]);
    await page.close();
  });
});

describeInBrowser('a planner who reads with text at 200 %', () => {
  it('sees the map with a profile, the table and the equal-chances view on a 360 px phone without sideways scrolling', async () => {
    const page = await browser.context.newPage();
    // The phone's larger text: every size of the style sheet is in rem or em, so all of them double.
    const largeText = () => page.addStyleTag({ content: 'html { font-size: 200%; }' });
    await openMap(page, base, SHARED_PROFILE, 45);
    // The chart's values too, unfolded as a reader of numbers does.
    await page.locator('aside.profile[data-region-code="03459"] .chart-values summary').first().tap();
    await largeText();
    await expect(beyondScreen(page, PHONE.width)).resolves.toEqual([]);
    await page.goto(`${base}/atlas/?view=table&indicator=unemployment_rate&year=2019&level=COUNTY&area=03`);
    await page.locator('section.table tbody tr').first().waitFor({ timeout: 60_000 });
    await largeText();
    await expect(beyondScreen(page, PHONE.width)).resolves.toEqual([]);
    await openEqual(page, base, '?view=equal&level=COUNTY&area=03', 45);
    await largeText();
    await expect(beyondScreen(page, PHONE.width)).resolves.toEqual([]);
    await page.close();
  });
});

describeInBrowser('a planner scrolling a wide table sideways with her thumb', () => {
  /** Whether each body row's name lies within the visible part of the table's scroll box once scrolled to its right end. */
  const namesInSight = (page: Page, box: string, name: string) =>
    page.$eval(
      box,
      (scroller, nameSelector) => {
        scroller.scrollLeft = scroller.scrollWidth;
        const visible = scroller.getBoundingClientRect();
        const names = [...scroller.querySelectorAll(nameSelector)].slice(0, 5).map((cell) => cell.getBoundingClientRect());
        return {
          scrolled: scroller.scrollLeft > 0,
          hidden: names.filter((cell) => cell.left < visible.left - 1 || cell.right > visible.right + 1).length,
          names: names.length,
        };
      },
      name,
    );

  it('keeps each region’s name in sight in the equal-chances table and in the table view, and the page itself never scrolls sideways', async () => {
    const page = await browser.context.newPage();
    await openEqual(page, base, '?view=equal&level=COUNTY&area=03', 45);
    await expect(namesInSight(page, '.table-scroll:has(> table.equal-regions)', 'tbody th[scope="row"]')).resolves.toEqual({
      scrolled: true,
      hidden: 0,
      names: 5,
    });
    await expect(beyondScreen(page, PHONE.width)).resolves.toEqual([]);
    await page.goto(`${base}/atlas/?view=table&indicator=unemployment_rate&series=share_65plus,population&year=2019&level=COUNTY&area=03`);
    await page.locator('section.table tbody tr').first().waitFor({ timeout: 60_000 });
    await expect(namesInSight(page, 'section.table', 'tbody td:nth-child(2)')).resolves.toEqual({ scrolled: true, hidden: 0, names: 5 });
    await expect(beyondScreen(page, PHONE.width)).resolves.toEqual([]);
    await page.close();
  });
});

// Last in the file: the fake clock installed here stays with the browser's context.
describeInBrowser('a planner whose network stops answering', () => {
  it('sees the map loading, then that no answer came and a button to ask again, which draws the map once the network is back', async () => {
    const page = await browser.context.newPage();
    await page.clock.install();
    // A dead spot: the requests leave the phone and nothing comes back.
    const held: (() => Promise<void>)[] = [];
    await page.route('**/graphql', (route) => {
      held.push(() => route.abort('timedout'));
    });
    await page.goto(`${base}/atlas/?view=map&indicator=population&year=2021&level=COUNTY&area=03`);
    await page.locator('.map-view p.loading').waitFor({ timeout: 60_000 });
    await expect(page.locator('.map-view p.loading').textContent()).resolves.toBe('Karte wird geladen…');
    await page.clock.fastForward(60_000);
    const alert = page.locator('.map-view [role="alert"]');
    await alert.waitFor({ timeout: 60_000 });
    await expect(alert.textContent()).resolves.toMatch(/^Karte nicht verfügbar: Keine Antwort der API innerhalb von \d+ s\./);
    await expect(page.locator('.map-view p.loading').count()).resolves.toBe(0);
    await page.unroute('**/graphql');
    await Promise.all(held.map((abort) => abort().catch(() => undefined)));
    await page.locator('p.unavailable button.retry').tap();
    await page.waitForFunction(() => document.querySelectorAll('figure.map path[data-region-code]').length === 45, undefined, {
      timeout: 120_000,
    });
    await expect(alert.count()).resolves.toBe(0);
    await page.close();
  });
});
