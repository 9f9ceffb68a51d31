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

  /**
   * A thumb's upward swipe of 300 CSS px that starts on the box (the touch events a finger sends): how far
   * the page and the box scrolled down, once both have come to rest.
   */
  const swipeOver = async (page: Page, box: string) => {
    const bounds = (await page.locator(box).boundingBox())!;
    const x = bounds.x + bounds.width / 2;
    const y = Math.min(bounds.y + bounds.height - 20, PHONE.height - 40);
    const positions = () => page.$eval(box, (element) => ({ page: window.scrollY, box: element.scrollTop }));
    const before = await positions();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
    for (let step = 1; step <= 15; step++)
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y - step * 20 }] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await cdp.detach();
    // At rest: neither position changed over ten frames.
    await page.$eval(
      box,
      (element) =>
        new Promise<void>((resolve) => {
          let last = '';
          let still = 0;
          const frame = () => {
            const now = `${window.scrollY},${element.scrollTop}`;
            still = now === last ? still + 1 : 0;
            last = now;
            if (still >= 10) resolve();
            else requestAnimationFrame(frame);
          };
          requestAnimationFrame(frame);
        }),
    );
    const after = await positions();
    return { page: Math.round(after.page - before.page), box: Math.round(after.box - before.box) };
  };

  // Why the columns' headings do not stick to the top: sticky within the table's own box needs that box to
  // scroll vertically (a height of its own), and then a swipe that starts on the table scrolls the table,
  // not the page. Measured with such a box (70 % of the screen, 518 px; sticky headings): the swipe moved the
  // page 0 px and the table 348 px (405 px for the municipalities), so a thumb on the table needs about 3
  // more swipes (1,029 px of the counties' box) or 57 (22,933 px of the 967 municipalities') before the page
  // moves, or a swipe on the 16 px margin beside the table, all a 360 px phone leaves. Sticky to the page instead is
  // impossible while the table's box scrolls sideways: that box is the headings' scroll container.
  it('scrolls the page, not the table, when her thumb swipes up over a wide table', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/atlas/?view=table&indicator=unemployment_rate&series=share_65plus,population&year=2019&level=COUNTY&area=03`);
    await page.locator('section.table tbody tr').first().waitFor({ timeout: 60_000 });
    await page.locator('section.table').scrollIntoViewIfNeeded();
    const moved = await swipeOver(page, 'section.table');
    expect(moved.box).toBe(0);
    expect(moved.page).toBeGreaterThan(200);
    await page.close();
  });

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

describeInBrowser('a planner sending the view on her phone to a colleague', () => {
  it('shares the link through the share sheet, else copies it and says so, else shows it to copy; the link opens the same view', async () => {
    const page = await browser.context.newPage();
    await openMap(page, base, SHARED_PROFILE, 45);
    await page.locator('aside.profile[data-region-code="03459"] h2').waitFor({ timeout: 60_000 });
    const share = page.locator('button.share-link');
    const status = page.locator('.share-status');
    /** Waits until the live region says `text` (the share is asynchronous). */
    const says = (text: string) =>
      page.waitForFunction((expected) => document.querySelector('.share-status')?.textContent?.startsWith(expected) === true, text);
    // The live region is there before the button is tapped: a screen reader then says what it did.
    await expect(status.getAttribute('aria-live')).resolves.toBe('polite');
    await expect(status.textContent()).resolves.toBe('');
    // A phone's share sheet: handed the view's link and title (the browser under test has none of its own).
    await page.evaluate(() => {
      const shared: ShareData[] = [];
      (window as unknown as { shared: ShareData[] }).shared = shared;
      Object.defineProperty(navigator, 'share', { configurable: true, value: async (data: ShareData) => void shared.push(data) });
    });
    await share.tap();
    await says('Link geteilt.');
    const [shared] = await page.evaluate(() => (window as unknown as { shared: ShareData[] }).shared);
    expect(shared).toEqual({ url: page.url(), title: await page.title() });
    // Without one: the clipboard, and a confirmation in words.
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(base).origin });
    await page.evaluate(() => Object.defineProperty(navigator, 'share', { configurable: true, value: undefined }));
    await share.tap();
    await says('Link kopiert: Er lässt sich jetzt in eine Nachricht oder E-Mail einfügen.');
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(page.url());
    // Neither (a page over http has no clipboard): the link in a field, selected for copying by hand.
    await page.evaluate(() => Object.defineProperty(navigator, 'clipboard', { configurable: true, value: undefined }));
    await share.tap();
    await says('Der Link konnte nicht kopiert werden: Er steht markiert im Feld unten');
    const field = page.locator('.share-field input');
    await expect(field.inputValue()).resolves.toBe(page.url());
    await expect(
      field.evaluate((input: HTMLInputElement) => [input.selectionStart, input.selectionEnd, document.activeElement === input]),
    ).resolves.toEqual([0, page.url().length, true]);
    await expect(beyondScreen(page, PHONE.width)).resolves.toEqual([]);
    await expect(smallTargets(page, PRIMARY + ', button.share-link', 44)).resolves.toEqual([]);

    // The colleague opens it: the same view, with the same profile.
    const opened = await browser.context.newPage();
    await openMap(opened, base, new URL(shared!.url!).search, 45);
    await opened.locator('aside.profile[data-region-code="03459"] h2').waitFor({ timeout: 60_000 });
    const view = (shown: Page) =>
      shown.evaluate(() => ({
        title: document.title,
        controls: [...document.querySelectorAll('form.controls select')].map(
          (select) => `${select.getAttribute('name')}=${(select as HTMLSelectElement).value}`,
        ),
        shapes: document.querySelectorAll('figure.map path[data-region-code]').length,
        selected: document.querySelector('path.region.selected')?.getAttribute('data-region-code'),
      }));
    await expect(view(opened)).resolves.toEqual(await view(page));
    await opened.close();
    await page.close();
  });
});

describeInBrowser("a planner tapping a region on her phone's map", () => {
  it('sees its details beneath the map, where they cover neither the map nor the search, until she closes them', async () => {
    const page = await browser.context.newPage();
    await openMap(page, base, '?view=map&indicator=unemployment_rate&year=2019&level=COUNTY&area=03', 45);
    // Region Hannover: large, without a smaller region inside that the finger would ask about.
    const shape = page.locator('path[data-region-code="03241"]');
    await shape.tap();
    const details = page.locator('.tooltip[data-region-code="03241"]');
    await details.waitFor({ timeout: 60_000 });
    await page.locator('aside.profile[data-region-code="03241"] h2').waitFor({ timeout: 60_000 });
    const name = (await details.locator('.tooltip-name').textContent())!;
    await expect(shape.getAttribute('aria-label')).resolves.toMatch(new RegExp(`^${name}`));
    await expect(details.locator('.tooltip-rank').textContent()).resolves.toMatch(/^Rang \d+ von 45 in Niedersachsen$/);
    const overlaps = await page.evaluate(() => {
      const shown = document.querySelector('.tooltip')!.getBoundingClientRect();
      return ['figure.map svg', 'form.region-search'].filter((selector) => {
        const other = document.querySelector(selector)!.getBoundingClientRect();
        return shown.left < other.right && other.left < shown.right && shown.top < other.bottom && other.top < shown.bottom;
      });
    });
    expect(overlaps).toEqual([]);
    // Dismissed by a tap, the profile staying open.
    await details.locator('button.tooltip-close').tap();
    await expect(page.locator('.tooltip').count()).resolves.toBe(0);
    await expect(page.locator('aside.profile[data-region-code="03241"]').count()).resolves.toBe(1);
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
