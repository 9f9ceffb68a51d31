// The Atlas's map on a desktop as a user clicks from region to region and a cartographer reviews it for a
// publication, in Debian's chromium against the whole stack: a region's details beside the map rather than
// over it, their close button a Tab stop, "Link teilen" among the views, and the city-states named.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { focused, openMap, runAtlasForFile } from './atlas-page';
import { ARTIFACTS_DIR, chromiumAvailable, type Browser } from './browser';

const describeInBrowser = chromiumAvailable() ? describe : describe.skip;

const COUNTIES = '?view=map&indicator=population&year=2021&level=COUNTY&area=03';

let browser: Browser;
let base: string;

runAtlasForFile((run) => ({ base, browser } = run));

/**
 * The regions of the map some of whose area the details hide: points on a grid over each shape's box, those
 * within its fill, each hit-tested where it is drawn. Empty when the details cover no region.
 */
function regionsUnderDetails(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const hidden = new Set<string>();
    for (const path of document.querySelectorAll<SVGPathElement>('figure.map path[data-region-code]')) {
      const box = path.getBBox();
      const toScreen = path.getScreenCTM()!;
      for (let i = 1; i < 10; i++)
        for (let j = 1; j < 10; j++) {
          const point = new DOMPoint(box.x + (box.width * i) / 10, box.y + (box.height * j) / 10);
          if (!path.isPointInFill(point)) continue;
          const screen = point.matrixTransform(toScreen);
          if (document.elementFromPoint(screen.x, screen.y)?.closest('.tooltip')) hidden.add(path.dataset.regionCode!);
        }
    }
    return [...hidden].sort();
  });
}

/**
 * The widest gap between neighbouring regions as drawn, in the map's units (about a CSS px): for each corner of
 * each shape, its distance to the nearest outline of another shape, where that is under 2 units (a shared
 * border; farther, the corner lies on the map's outer edge). Shared borders drawn apart leave slivers of page.
 */
function widestGap(page: Page): Promise<number> {
  return page.$$eval('figure.map path[data-region-code]', (paths) => {
    // d3-geo writes absolute moves and lines ("M1,2L3,4…Z"): each ring a list of corners.
    const rings = paths.map((path) =>
      (path.getAttribute('d') ?? '')
        .split('M')
        .filter(Boolean)
        .map((ring) =>
          ring
            .replace(/Z/g, '')
            .split('L')
            .map((corner) => corner.split(',').map(Number) as [number, number]),
        ),
    );
    const toSegment = ([x, y]: [number, number], [ax, ay]: [number, number], [bx, by]: [number, number]) => {
      const [dx, dy] = [bx - ax, by - ay];
      const length = dx * dx + dy * dy;
      const t = length === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / length));
      return Math.hypot(x - ax - t * dx, y - ay - t * dy);
    };
    let widest = 0;
    rings.forEach((own, index) => {
      for (const corner of own.flat()) {
        let nearest = Infinity;
        rings.forEach((other, otherIndex) => {
          if (otherIndex === index) return;
          for (const ring of other)
            for (let i = 1; i < ring.length && nearest > 0; i++) nearest = Math.min(nearest, toSegment(corner, ring[i - 1]!, ring[i]!));
        });
        if (nearest < 2) widest = Math.max(widest, nearest);
      }
    });
    return widest;
  });
}

describeInBrowser("a region's details on a desktop", () => {
  it('stand beside the map, covering no region: from one region opened the next is clicked at once', async () => {
    const page = await browser.context.newPage();
    await openMap(page, base, COUNTIES, 45);
    const details = page.locator('.tooltip');
    // Each region opened in turn: its details shown, and every region (its neighbours too) still there to click.
    for (const code of ['03459', '03359', '03241', '03159']) {
      await page.click(`path[data-region-code="${code}"]`, { timeout: 10_000 });
      await page.locator(`aside.profile[data-region-code="${code}"] h2`).waitFor({ timeout: 60_000 });
      await expect(details.getAttribute('data-region-code')).resolves.toBe(code);
      await expect(regionsUnderDetails(page)).resolves.toEqual([]);
    }
    // A county's municipalities fill the map's frame to its upper corners (Northeim's 12 reach under where the
    // details stood, over the map's upper right corner).
    await openMap(page, base, '?view=map&indicator=population&year=2021&level=MUNICIPALITY&area=03155', 12);
    const codes = await page.$$eval('figure.map path[data-region-code]', (paths) =>
      paths.map((shape) => shape.getAttribute('data-region-code')!),
    );
    for (const code of codes.slice(0, 4)) {
      await page.focus(`path[data-region-code="${code}"]`);
      await page.keyboard.press('Enter');
      await page.locator(`aside.profile[data-region-code="${code}"] h2`).waitFor({ timeout: 60_000 });
      await expect(details.getAttribute('data-region-code')).resolves.toBe(code);
      await expect(regionsUnderDetails(page)).resolves.toEqual([]);
    }
    // Beside the map's drawing, level with it, not beneath the page's fold.
    const [map, shown] = await Promise.all([page.locator('figure.map svg').boundingBox(), details.boundingBox()]);
    expect(shown!.x).toBeGreaterThanOrEqual(map!.x + map!.width);
    expect(shown!.y).toBeLessThan(map!.y + map!.height);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'atlas-details-beside-map.png'), fullPage: true });
    await page.close();
  });

  it('are closed by a button the keyboard reaches next to the shape, named in German, the focus going back to the shape', async () => {
    const page = await browser.context.newPage();
    await openMap(page, base, COUNTIES, 45);
    const details = page.locator('.tooltip');
    await page.focus('path[data-region-code="03241"]');
    await expect(details.getAttribute('data-region-code')).resolves.toBe('03241');
    // The next Tab stop after the map: the details stay while the focus is on their button.
    await page.keyboard.press('Tab');
    await expect(focused(page)).resolves.toBe('button  ×Details zu Region Hannover schließen');
    await expect(page.getByRole('button', { name: 'Details zu Region Hannover schließen' }).count()).resolves.toBe(1);
    await expect(details.getAttribute('data-region-code')).resolves.toBe('03241');
    await page.keyboard.press('Enter');
    await expect(details.count()).resolves.toBe(0);
    // Back on the shape, without the details it has just closed showing again.
    await expect(focused(page)).resolves.toBe('shape 03241');
    await expect(details.count()).resolves.toBe(0);
    // Escape on the button does the same.
    await page.keyboard.press('ArrowRight');
    const east = (await focused(page)).replace('shape ', '');
    await expect(details.getAttribute('data-region-code')).resolves.toBe(east);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Escape');
    await expect(details.count()).resolves.toBe(0);
    await expect(focused(page)).resolves.toBe(`shape ${east}`);
    // Tab past the button: the details shown by the focus go, the legend's first class has the focus.
    await page.focus('path[data-region-code="03241"]');
    await expect(details.getAttribute('data-region-code')).resolves.toBe('03241');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.className)).resolves.toBe('legend-class');
    await expect(details.count()).resolves.toBe(0);
    await page.close();
  });
});

describeInBrowser('the view controls on a desktop', () => {
  it('have "Link teilen" on the row of the views, not on one of its own', async () => {
    const page = await browser.context.newPage();
    await openMap(page, base, COUNTIES, 45);
    const [view, share] = await Promise.all([
      page.locator('nav[aria-label="Ansichten"] button').first().boundingBox(),
      page.locator('button.share-link').boundingBox(),
    ]);
    expect(Math.abs(share!.y + share!.height / 2 - (view!.y + view!.height / 2))).toBeLessThan(2);
    expect(share!.x).toBeGreaterThan(view!.x);
    await page.close();
  });
});

describeInBrowser('the map for a publication', () => {
  it('draws neighbouring municipalities of a county without slivers of page between them', async () => {
    const page = await browser.context.newPage();
    // The server simplifies each region on its own; a county's municipalities are drawn about ten times larger than
    // the state's, so its tolerance shows there first: Region Hannover's 21 parted by up to 0.97 units at 0.001°.
    for (const [area, count] of [
      ['03241', 21],
      ['03155', 12],
    ] as const) {
      await openMap(page, base, `?view=map&indicator=population&year=2021&level=MUNICIPALITY&area=${area}`, count);
      // Beneath a quarter of a unit the two shapes' outlines (0.5 units wide) close any gap.
      await expect(widestGap(page)).resolves.toBeLessThan(0.25);
    }
    await page.close();
  });

  it('names Bremen, Bremerhaven and Hamburg, which are no part of the state, where their blank lies beside its regions', async () => {
    const page = await browser.context.newPage();
    await openMap(page, base, COUNTIES, 45);
    const labels = await page.$$eval('figure.map text[data-neighbour]', (texts) =>
      texts.map((text) => {
        const box = text.getBoundingClientRect();
        const under = document.elementsFromPoint(box.x + box.width / 2, box.y + box.height / 2);
        return {
          name: text.textContent,
          // The place named is drawn as no region, and the name takes no click from one.
          onRegion: under.some((element) => element.matches('path[data-region-code]')),
          pointerEvents: getComputedStyle(text).pointerEvents,
        };
      }),
    );
    expect(labels).toEqual(['Bremen', 'Bremerhaven', 'Hamburg'].map((name) => ({ name, onRegion: false, pointerEvents: 'none' })));
    await expect(page.locator('path[data-region-code^="04"], path[data-region-code^="02"]').count()).resolves.toBe(0);
    // Among all the municipalities too; on a map of Göttingen's, far from them, none is named.
    await openMap(page, base, '?view=map&indicator=population&year=2021&level=MUNICIPALITY&area=03', 967);
    await expect(page.$$eval('figure.map text[data-neighbour]', (texts) => texts.map((text) => text.textContent))).resolves.toEqual([
      'Bremen',
      'Bremerhaven',
      'Hamburg',
    ]);
    await openMap(page, base, '?view=map&indicator=population&year=2021&level=MUNICIPALITY&area=03159', 40);
    await expect(page.locator('figure.map text[data-neighbour]').count()).resolves.toBe(0);
    await page.close();
  });
});
