// Takes the README's screenshot of the Atlas (docs/atlas.png) from a running stack, with the chromium
// and settings of the browser tests (browser.ts), so that it is retaken the same way after the Atlas
// changes instead of by hand: start the stack (`npm start`), then
// `npm run -s atlas:screenshot -w @regiograph/e2e -- [Atlas URL]` (default http://localhost:4000/atlas/).
// The view: population of the 45 counties in 2021, Landkreis Osnabrück's profile open and its tooltip shown.
// `test/atlas.test.ts` runs takeAtlasScreenshot against its own stack, so the script cannot rot unseen.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser } from '../browser';

export const SCREENSHOT_REGION = '03459'; // Landkreis Osnabrück
const VIEW = `?view=map&indicator=population&year=2021&level=COUNTY&area=03&region=${SCREENSHOT_REGION}`;
const OUTPUT = path.join(__dirname, '..', '..', 'docs', 'atlas.png');

/** Opens the README's view of the Atlas at `atlasUrl` in `page`, waits until it is complete, and writes it to `output` as PNG. */
export async function takeAtlasScreenshot(page: Page, atlasUrl: URL, output: string): Promise<void> {
  await page.goto(new URL(VIEW, atlasUrl).toString());
  // Every county drawn and the profile's lists filled: what the picture is meant to show.
  await page.locator('path[data-region-code]').nth(44).waitFor({ timeout: 120_000 });
  const profile = page.locator(`aside.profile[data-region-code="${SCREENSHOT_REGION}"]`);
  await profile.locator('section.series[data-indicator="population"] path[data-series]').first().waitFor({ timeout: 120_000 });
  await profile.locator('.office').waitFor({ timeout: 120_000 });
  // A region opened from a link takes the keyboard focus to its profile; its outline is not part of the picture.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.hover(`path[data-region-code="${SCREENSHOT_REGION}"]`);
  await page.locator(`.tooltip[data-region-code="${SCREENSHOT_REGION}"]`).waitFor({ timeout: 10_000 });
  await page.screenshot({ path: output, fullPage: true });
}

async function main(): Promise<void> {
  const atlasUrl = new URL(process.argv[2] ?? 'http://localhost:4000/atlas/');
  if (!chromiumAvailable()) process.exit(1);
  const browser = await launchBrowser();
  try {
    await takeAtlasScreenshot(await browser.context.newPage(), atlasUrl, OUTPUT);
    console.log(`Wrote ${path.relative(process.cwd(), OUTPUT)}`);
  } finally {
    await browser.close();
  }
}

// Run as a script, not when a test imports takeAtlasScreenshot.
if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
