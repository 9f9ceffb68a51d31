// What the Atlas's browser test files share: their stack and browser, opening a view and waiting until its map is drawn.
import type { Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser, type Browser } from './browser';
import { startStack, type Stack } from './harness';

/** What a file of the Atlas's browser tests runs against; no browser where chromium is missing. */
export interface AtlasRun<B extends Browser = Browser> {
  stack: Stack;
  /** The Atlas's address on the stack's gateway. */
  base: string;
  browser: B;
}

/**
 * The one set-up of every Atlas browser test file: a stack and, where chromium is installed, a
 * browser (a desktop window unless `launch` starts another), started before the file's tests and handed
 * to `started`, both stopped after them.
 */
export function runAtlasForFile(started: (run: AtlasRun) => void): void;
/** The same with the browser `launch` starts (launchSharedBrowser: for tests that need contexts of their own). */
export function runAtlasForFile<B extends Browser>(started: (run: AtlasRun<B>) => void, launch: () => Promise<B>): void;
export function runAtlasForFile(started: (run: AtlasRun) => void, launch: () => Promise<Browser> = launchBrowser): void {
  let run: Partial<AtlasRun> = {};
  beforeAll(async () => {
    const stack = await startStack();
    run = { stack, base: atlasBase(stack.gatewayUrl) };
    if (chromiumAvailable()) run.browser = await launch();
    started(run as AtlasRun);
  }, 300_000);
  afterAll(async () => {
    await run.browser?.close();
    await run.stack?.stop();
  });
}

/** The Atlas's address on a stack's gateway. */
export function atlasBase(gatewayUrl: string): string {
  return gatewayUrl.replace(/\/graphql$/, '');
}

/** Opens a view and waits for its map; returns ms from navigation start to the drawn shapes. */
export async function openMap(page: Page, base: string, search: string, expectedShapes: number): Promise<number> {
  await page.goto(`${base}/atlas/${search}`);
  return page
    .waitForFunction(
      (count) => {
        const drawn = document.querySelectorAll('path[data-region-code]').length === count && !document.querySelector('.loading');
        return drawn ? performance.now() : false;
      },
      expectedShapes,
      { timeout: 120_000, polling: 'raf' },
    )
    .then((handle) => handle.jsonValue() as Promise<number>);
}

/** Opens the equal-chances view and waits for its map and its table of regions. */
export async function openEqual(page: Page, base: string, search: string, expectedRegions: number): Promise<void> {
  await page.goto(`${base}/atlas/${search}`);
  await page.waitForFunction(
    (count) =>
      document.querySelectorAll('figure.map path[data-region-code]').length === count &&
      document.querySelectorAll('table.equal-regions tbody tr').length === count &&
      !document.querySelector('section.equal[aria-busy="true"]'),
    expectedRegions,
    { timeout: 120_000, polling: 'raf' },
  );
}

/** The element with the keyboard focus: a shape as "shape <code>", else its tag, name and the start of its text. */
export function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return 'body';
    const code = element.getAttribute('data-region-code');
    if (code && element.tagName.toLowerCase() === 'path') return `shape ${code}`;
    return `${element.tagName.toLowerCase()} ${element.getAttribute('name') ?? ''} ${(element.textContent ?? '').trim().slice(0, 40)}`;
  });
}
