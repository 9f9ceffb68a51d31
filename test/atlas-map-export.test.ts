// The map as a file for a press release or a council paper, in Debian's chromium against the whole
// stack: the SVG and the PNG the map's buttons save, what they say (title, legend, the data's and the
// boundaries' attribution, the link, the day, synthetic data, missing values), that they cost no request
// beyond the view's one, and that the buttons are reachable by keyboard and pass axe.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AxeResults } from 'axe-core';
import type { Download, Page } from 'playwright-core';
import { SYNTHETIC_DATA_ATTRIBUTION_DE } from '@regiograph/shared';
import { openMap, runAtlasForFile } from './atlas-page';
import { ARTIFACTS_DIR, chromiumAvailable, type Browser } from './browser';
import type { Stack } from './harness';

const describeInBrowser = chromiumAvailable() ? describe : describe.skip;

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const COUNTIES = '?view=map&indicator=population&year=2021&level=COUNTY&area=03';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

let stack: Stack;
let browser: Browser;
let base: string;

runAtlasForFile((run) => ({ stack, base, browser } = run));

/** The GraphQL requests a page sends from now on. */
function graphqlRequests(page: Page): string[] {
  const requests: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/graphql')) requests.push(request.url());
  });
  return requests;
}

/** Saves a download into the artifacts and returns its bytes. */
async function saved(download: Download): Promise<Buffer> {
  const target = path.join(ARTIFACTS_DIR, download.suggestedFilename());
  await download.saveAs(target);
  return readFileSync(target);
}

async function exported(page: Page, format: 'svg' | 'png'): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(`figure.map button.map-export-${format}`)]);
  return { name: download.suggestedFilename(), bytes: await saved(download) };
}

interface ParsedSvg {
  error: string | null;
  width: number;
  height: number;
  title: string;
  texts: string[];
  shapes: { code: string; missing: boolean; fill: string; title: string }[];
  swatches: string[];
}

/** The SVG file read by the browser's own XML parser, as a program opening it would. */
function parseSvg(page: Page, svg: string): Promise<ParsedSvg> {
  return page.evaluate((text) => {
    const document = new DOMParser().parseFromString(text, 'image/svg+xml');
    const root = document.documentElement;
    return {
      error: document.querySelector('parsererror')?.textContent ?? null,
      width: Number(root.getAttribute('width')),
      height: Number(root.getAttribute('height')),
      title: root.querySelector(':scope > title')?.textContent ?? '',
      texts: [...root.querySelectorAll('text')].map((element) => element.textContent ?? ''),
      shapes: [...root.querySelectorAll('path[data-region-code]')].map((shape) => ({
        code: shape.getAttribute('data-region-code')!,
        missing: shape.getAttribute('data-missing') === 'true',
        fill: shape.getAttribute('fill')!,
        title: shape.querySelector('title')?.textContent ?? '',
      })),
      swatches: [...root.querySelectorAll('g.legend rect')].map((rect) => rect.getAttribute('fill')!),
    };
  }, svg);
}

/** The shapes the page's map drew: code and whether drawn as missing. */
function drawnShapes(page: Page): Promise<{ code: string; missing: boolean; fill: string }[]> {
  return page.$$eval('figure.map svg path[data-region-code]', (paths) =>
    paths.map((shape) => ({
      code: shape.getAttribute('data-region-code')!,
      missing: shape.getAttribute('data-missing') === 'true',
      fill: shape.getAttribute('fill')!,
    })),
  );
}

/** Today as the export writes it, in the browser's time zone. */
function today(page: Page): Promise<string> {
  return page.evaluate(() => new Date().toLocaleDateString('de-DE', { day: '2-digit', month: '2-digit', year: 'numeric' }));
}

describeInBrowser("the map's export as SVG and PNG", () => {
  it('saves the county map with title, legend, both attributions, link and day, by keyboard and without a further request', async () => {
    const page = await browser.context.newPage();
    const requests = graphqlRequests(page);
    await openMap(page, base, COUNTIES, 45);
    expect(requests).toHaveLength(1);

    // Reached with Tab from the link to the table, and saved with Enter: no mouse needed.
    const svgButton = page.getByRole('button', { name: 'Karte als SVG herunterladen' });
    await expect(svgButton.count()).resolves.toBe(1);
    await expect(page.getByRole('button', { name: 'Karte als PNG herunterladen' }).count()).resolves.toBe(1);
    await page.focus('figure.map a.as-table');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.className)).resolves.toBe('map-export-svg');
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toBe('regiograph-karte-population-2021-kreise.svg');
    const svg = (await saved(download)).toString('utf8');

    const parsed = await parseSvg(page, svg);
    expect(parsed.error).toBeNull();
    const shown = parsed.texts.join(' ');
    const caption = (await page.locator('figcaption#map-title').textContent())!;
    expect(parsed.title).toBe(caption);
    expect(parsed.texts[0]).toBe(caption);
    expect(caption).toBe('Bevölkerung 2021 (Personen) – Niedersachsen');
    expect(parsed.texts[1]).toBe('Ebene: Landkreise und kreisfreie Städte in Niedersachsen');
    // The legend's heading, classes and colours as on the page.
    const legend = await page.$$eval('.legend li[data-class] button', (buttons) => buttons.map((button) => button.textContent));
    const colours = await page.$$eval('.legend li[data-class] .swatch', (swatches) =>
      swatches.map((swatch) => getComputedStyle(swatch).backgroundColor),
    );
    expect(legend.length).toBeGreaterThanOrEqual(3);
    for (const line of legend) expect(parsed.texts).toContain(line);
    expect(parsed.texts).toContain('Personen');
    const rgb = (hex: string) => `rgb(${[1, 3, 5].map((start) => Number.parseInt(hex.slice(start, start + 2), 16)).join(', ')})`;
    expect(parsed.swatches.map(rgb)).toEqual(colours);
    expect(parsed.texts).not.toContain('keine Angabe');
    // The data's attribution as the map states it, and the boundaries' as the regions subgraph states it, with its address.
    const { data } = await stack.query<{
      indicator: { attribution: string };
      region: { source: { attribution: string; url: string } };
    }>('{ indicator(code: "population") { attribution(language: DE) } region(code: "03") { source { attribution url } } }');
    expect(shown).toContain(`Daten: ${data!.indicator.attribution}`);
    expect(shown).toContain(`Grenzen: ${data!.region.source.attribution} (${data!.region.source.url})`);
    expect(shown).toContain('GeoBasis-DE / BKG');
    expect(parsed.texts.join('')).toContain(`RegioGraph Atlas Niedersachsen: ${page.url()}`);
    expect(parsed.texts).toContain(`Exportiert am ${await today(page)}`);
    expect(shown).not.toContain('Synthetische');
    // One shape per region of the map, in its colour, named with its value.
    const drawn = await drawnShapes(page);
    expect(parsed.shapes.map((shape) => shape.code).sort()).toEqual(drawn.map((shape) => shape.code).sort());
    expect(parsed.shapes).toHaveLength(45);
    expect(parsed.shapes.map((shape) => shape.fill)).toEqual(drawn.map((shape) => shape.fill));
    expect(parsed.shapes.find((shape) => shape.code === '03241')?.title).toMatch(/^Region Hannover \(.+\): [\d.]+ Personen, Rang 1 von 45/);

    // The PNG: drawn from the SVG at twice its size, and not blank.
    const png = await exported(page, 'png');
    expect(png.name).toBe('regiograph-karte-population-2021-kreise.png');
    expect([...png.bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(png.bytes.toString('ascii', 12, 16)).toBe('IHDR');
    expect([png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)]).toEqual([2 * parsed.width, 2 * parsed.height]);
    expect(parsed.width).toBeGreaterThan(720);
    expect(parsed.height).toBeGreaterThan(620);
    const colourCount = await page.evaluate(async (base64) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      [canvas.width, canvas.height] = [image.width, image.height];
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      const colours = new Set<number>();
      for (let index = 0; index < pixels.length; index += 4 * 97)
        colours.add((pixels[index]! << 16) | (pixels[index + 1]! << 8) | pixels[index + 2]!);
      return colours.size;
    }, png.bytes.toString('base64'));
    // The palette's classes, the outlines and the text's antialiasing: far more than a blank or one-colour picture.
    expect(colourCount).toBeGreaterThan(20);

    // Both files from the view's one answer.
    expect(requests).toHaveLength(1);

    // axe on the map with its buttons (the whole page's views: test/atlas-accessibility.test.ts).
    await page.addScriptTag({ content: AXE_SOURCE });
    const results = await page.evaluate(() =>
      (window as unknown as { axe: { run(context: string, options: object): Promise<AxeResults> } }).axe.run('figure.map', {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      }),
    );
    const grave = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(grave.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
    await page.close();
  });

  it('marks missing, computed and synthetic values in the file, and exports the municipalities of a county and of the state', async () => {
    const page = await browser.context.newPage();
    // Göttingen's vehicle stock exists only from 2019: hatched as on the map, with the legend's line for it.
    await openMap(page, base, '?view=map&indicator=motor_vehicles&year=2018&level=COUNTY&area=03', 45);
    const missing = (await drawnShapes(page)).filter((shape) => shape.missing).map((shape) => shape.code);
    expect(missing.length).toBeGreaterThan(0);
    const vehicles = await exported(page, 'svg');
    expect(vehicles.name).toBe('regiograph-karte-motor-vehicles-2018-kreise.svg');
    const parsedVehicles = await parseSvg(page, vehicles.bytes.toString('utf8'));
    expect(parsedVehicles.error).toBeNull();
    const hatched = parsedVehicles.shapes.filter((shape) => shape.missing);
    expect(hatched.map((shape) => shape.code).sort()).toEqual(missing.sort());
    for (const shape of hatched) expect(shape).toMatchObject({ fill: 'url(#missing)', title: expect.stringContaining('keine Angabe') });
    expect(parsedVehicles.texts).toContain('keine Angabe');
    expect(parsedVehicles.swatches).toContain('url(#missing)');

    // A synthetic indicator says so beneath its title, and names its source in German.
    await openMap(page, base, '?view=map&indicator=births_per_1000&year=2021&level=COUNTY&area=03', 45);
    const births = await exported(page, 'svg');
    const parsedBirths = await parseSvg(page, births.bytes.toString('utf8'));
    expect(parsedBirths.texts[0]).toContain('synthetische Daten');
    expect(parsedBirths.texts).toContain('Synthetische Demonstrationsdaten – keine amtliche Statistik');
    expect(parsedBirths.texts.join(' ')).toContain(`Daten: ${SYNTHETIC_DATA_ATTRIBUTION_DE} (Lizenz: CC0-1.0)`);

    // County values RegioGraph computed from the municipalities (the census's share of foreigners): how many, beneath the map.
    const { data } = await stack.query<{ region: { descendants: { value: { value: number | null; aggregated: boolean } | null }[] } }>(
      '{ region(code: "03") { descendants(level: COUNTY) { value(indicator: "share_foreigners_census22", year: 2022) { value aggregated } } } }',
    );
    const present = data!.region.descendants.filter((county) => county.value?.value != null);
    const computed = present.filter((county) => county.value!.aggregated).length;
    expect(computed).toBeGreaterThan(0);
    await openMap(page, base, '?view=map&indicator=share_foreigners_census22&year=2022&level=COUNTY&area=03', 45);
    const foreigners = await parseSvg(page, (await exported(page, 'svg')).bytes.toString('utf8'));
    expect(foreigners.texts.join(' ')).toContain(`${computed} von ${present.length} Werten berechnet: kein Wert der Quelle`);
    expect(parsedBirths.texts.join(' ')).not.toContain('berechnet');

    // The municipalities of one county: the county in the name of the file and beneath the title.
    const municipalityCount = await municipalitiesOf('03459');
    await openMap(page, base, '?view=map&indicator=population&year=2021&level=MUNICIPALITY&area=03459', municipalityCount);
    const municipalities = await exported(page, 'svg');
    expect(municipalities.name).toBe('regiograph-karte-population-2021-gemeinden-03459.svg');
    const parsedMunicipalities = await parseSvg(page, municipalities.bytes.toString('utf8'));
    // Two counties are called Osnabrück: the file, the page's title and the area's choices name the Landkreis.
    expect(parsedMunicipalities.texts[1]).toBe('Ebene: Gemeinden in Osnabrück (Landkreis)');
    await expect(page.locator('select[name="area"] option:checked').textContent()).resolves.toBe('Osnabrück (Landkreis)');
    await expect(page.locator('select[name="area"] option[value="03404"]').textContent()).resolves.toBe('Osnabrück (Kreisfreie Stadt)');
    expect(parsedMunicipalities.shapes).toHaveLength(municipalityCount);

    // The state's municipalities, the largest map: every shape in the SVG, and a PNG of it. Sizes printed, never asserted.
    const stateCount = await municipalitiesOf('03');
    await openMap(page, base, '?view=map&indicator=population&year=2021&level=MUNICIPALITY&area=03', stateCount);
    const stateSvg = await exported(page, 'svg');
    expect(stateSvg.name).toBe('regiograph-karte-population-2021-gemeinden.svg');
    await expect(parseSvg(page, stateSvg.bytes.toString('utf8')).then((parsed) => parsed.shapes.length)).resolves.toBe(stateCount);
    const statePng = await exported(page, 'png');
    expect([...statePng.bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    console.log(
      `The state's ${stateCount} municipalities exported: SVG ${Math.round(stateSvg.bytes.length / 1024)} KB, PNG ${Math.round(statePng.bytes.length / 1024)} KB (${statePng.bytes.readUInt32BE(16)} × ${statePng.bytes.readUInt32BE(20)} px)`,
    );

    // Embedded, the frame keeps its height for the map and its attribution: no buttons.
    await openMap(page, base, `${COUNTIES}&embed=1`, 45);
    await expect(page.locator('figure.map .attribution').count()).resolves.toBe(1);
    await expect(page.locator('figure.map button.map-export-svg, figure.map button.map-export-png').count()).resolves.toBe(0);
    await page.close();
  });
});

async function municipalitiesOf(area: string): Promise<number> {
  const { data } = await stack.query<{ region: { descendants: { code: string }[] } }>(
    `{ region(code: "${area}") { descendants(level: MUNICIPALITY) { code } } }`,
  );
  return data!.region.descendants.length;
}
