// The map as a file for a press release or a council paper, in Debian's chromium against the whole
// stack: the SVG and the PNG the map's buttons save, what they say (title, legend, the data's and the
// boundaries' attribution, the link, the day, synthetic data, missing values), that they cost no request
// beyond the view's one, that the buttons are reachable by keyboard and pass axe, that they are gone from
// a map that is not the current choice, that a file the browser refuses to make is said so on the page,
// and that names with markup's characters or wide letters stay escaped and within the picture.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AxeResults } from 'axe-core';
import type { Download, Page, Route } from 'playwright-core';
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
    // When the values are of (the indicator's reference day, 31.12.) and how the map is projected, as a publication prints them.
    expect(shown).toContain('Stichtag der Daten: 31.12.2021');
    expect(shown).toContain('Kartenprojektion: Transversale Mercatorprojektion, Mittelmeridian 9° Ost (wie ETRS89 / UTM Zone 32N)');
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

/** The map's two buttons, counted. */
function exportButtons(page: Page): Promise<number> {
  return page.locator('figure.map button.map-export-svg, figure.map button.map-export-png').count();
}

/**
 * The map's answers as the gateway gives them, but with the indicator's name or unit and Region
 * Hannover's name given here: data a ministry could import (an ampersand, angle brackets, quotes,
 * capitals), without changing the database other test files read.
 */
async function renamingAnswers(page: Page, names: Partial<Record<'indicator' | 'unit' | 'region', string>>): Promise<void> {
  await page.route('**/graphql', async (route: Route) => {
    const response = await route.fetch();
    const body = (await response.json()) as {
      data?: { indicator?: { name: string; unit: string } | null; area?: { regions: { code: string; name: string }[] } | null };
    };
    const indicator = body.data?.indicator;
    if (indicator && body.data?.area) {
      indicator.name = names.indicator ?? indicator.name;
      indicator.unit = names.unit ?? indicator.unit;
      const region = body.data.area.regions.find((candidate) => candidate.code === '03241');
      if (region && names.region) region.name = names.region;
    }
    await route.fulfill({ response, json: body });
  });
}

/** The Atlas's page served with a Content-Security-Policy of images, as a site's proxy may add one. */
async function imagePolicy(page: Page, policy: string): Promise<void> {
  await page.route(
    (url) => url.pathname === '/atlas/',
    async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': policy } });
    },
  );
}

/** The exported SVG placed in the page, each <text>'s drawn box, and the picture's width. */
function drawnTextBoxes(page: Page, svg: string): Promise<{ width: number; boxes: { text: string; left: number; right: number }[] }> {
  return page.evaluate((text) => {
    const root = document.importNode(
      new DOMParser().parseFromString(text, 'image/svg+xml').documentElement,
      true,
    ) as unknown as SVGSVGElement;
    document.body.append(root);
    const boxes = [...root.querySelectorAll('text')].map((element) => {
      const box = element.getBBox();
      return { text: element.textContent ?? '', left: box.x, right: box.x + box.width };
    });
    root.remove();
    return { width: Number(root.getAttribute('width')), boxes };
  }, svg);
}

describeInBrowser("the map's export on a changing or refusing page", () => {
  it('hides its buttons while a new map loads and while the map shown is out of date, and shows them again with the new map', async () => {
    const page = await browser.context.newPage();
    await openMap(page, base, COUNTIES, 45);
    await expect(exportButtons(page)).resolves.toBe(2);

    // The next answer held back: the old map stays drawn, and its file would carry the new choice's link.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/graphql', async (route) => {
      await held;
      await route.abort('failed');
    });
    await page.selectOption('select[name="year"]', '2020');
    await page.locator('.map-view p.loading').waitFor();
    await expect(page.locator('figure.map path[data-region-code]').count()).resolves.toBe(45);
    await expect(exportButtons(page)).resolves.toBe(0);

    // The request failed: the last map stays, said to be out of date, still without buttons.
    release();
    await page.locator('p.stale-map').waitFor();
    await expect(page.locator('figure.map[data-stale="true"] path[data-region-code]').count()).resolves.toBe(45);
    await expect(exportButtons(page)).resolves.toBe(0);

    // The gateway reachable again, the page's own retry (a button click could race it) brings the new
    // map, its buttons and its file.
    await page.unroute('**/graphql');
    await page.locator('p.stale-map').waitFor({ state: 'detached', timeout: 60_000 });
    await page.locator('figure.map button.map-export-svg').waitFor();
    await expect(exportButtons(page)).resolves.toBe(2);
    const svg = await exported(page, 'svg');
    expect(svg.name).toBe('regiograph-karte-population-2020-kreise.svg');
    expect((await parseSvg(page, svg.bytes.toString('utf8'))).texts[0]).toBe('Bevölkerung 2020 (Personen) – Niedersachsen');
    await page.close();
  });

  it('says so when the browser refuses to make the PNG, stays usable, and saves a file on the next attempt', async () => {
    const page = await browser.context.newPage();
    // A site's policy that allows images from the Atlas's own address only (a stricter proxy in front
    // of it): the browser refuses to load the SVG as the image the PNG is drawn from.
    await imagePolicy(page, "img-src 'self'");
    const downloads: string[] = [];
    page.on('download', (download) => downloads.push(download.suggestedFilename()));
    await openMap(page, base, COUNTIES, 45);
    const alert = page.locator('figure.map .map-export [role="alert"]');

    await page.click('figure.map button.map-export-png');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toBe(' Die Datei konnte nicht erzeugt werden.');
    expect(downloads).toEqual([]);

    // The page goes on: a region can be chosen, the SVG (no image needed) is saved and the message goes.
    await page.click('figure.map path[data-region-code="03241"]');
    await page.waitForURL(/region=03241/);
    const svg = await exported(page, 'svg');
    expect(svg.name).toBe('regiograph-karte-population-2021-kreise.svg');
    expect((await parseSvg(page, svg.bytes.toString('utf8'))).shapes).toHaveLength(45);
    await expect(alert.count()).resolves.toBe(0);
    // Tried again, the PNG is refused again and said so again: nothing half-saved in between.
    await page.click('figure.map button.map-export-png');
    await alert.waitFor();
    expect(downloads).toEqual(['regiograph-karte-population-2021-kreise.svg']);
    await page.close();

    // A policy that allows data: images (helmet's default) gets its PNG: the export falls back to one.
    const allowing = await browser.context.newPage();
    await imagePolicy(allowing, "img-src 'self' data:");
    await openMap(allowing, base, COUNTIES, 45);
    const png = await exported(allowing, 'png');
    expect(png.name).toBe('regiograph-karte-population-2021-kreise.png');
    expect([...png.bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    await expect(allowing.locator('figure.map .map-export [role="alert"]').count()).resolves.toBe(0);
    await allowing.close();
  });

  it('escapes the names it is given, keeps the file well-formed and its PNG drawable', async () => {
    const page = await browser.context.newPage();
    // A control character (here a bell, as a copy from an old spreadsheet brings) has no place in XML at all.
    const indicator = `Wohnungen & Gewerbe <vorläufig> "Stand Mai" 'Nord'\u0007`;
    const region = `Region "Hannover" & <Umland> 'Nord'`;
    await renamingAnswers(page, { indicator, region });
    await openMap(page, base, COUNTIES, 45);
    const caption = (await page.locator('figcaption#map-title').textContent())!;
    expect(caption).toContain(indicator);

    const parsed = await parseSvg(page, (await exported(page, 'svg')).bytes.toString('utf8'));
    expect(parsed.error).toBeNull();
    const shown = caption.replace('\u0007', '\ufffd');
    expect(parsed.title).toBe(shown);
    expect(parsed.texts[0]).toBe(shown);
    expect(parsed.shapes.find((shape) => shape.code === '03241')?.title).toMatch(
      /^Region "Hannover" & <Umland> 'Nord' \(.+\): [\d.]+ Personen/,
    );
    const png = await exported(page, 'png');
    expect([...png.bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    await expect(page.locator('figure.map .map-export [role="alert"]').count()).resolves.toBe(0);
    await page.close();
  });

  it('wraps a long title of wide letters and a long unit within the picture, as the browser draws them', async () => {
    const page = await browser.context.newPage();
    const longestCounty = await longestCountyName();
    await renamingAnswers(page, {
      indicator: 'WOHNRAUMFÖRDERUNG: MIETWOHNUNGEN MIT WOHNBERECHTIGUNGSSCHEIN (WBS) UND WOHNGELD',
      unit: 'WOHNUNGEN JE 1.000 HAUSHALTE MIT WBS',
    });
    // The longest county name of the shipped data in the title and beneath it.
    const code = longestCounty.code;
    const count = await municipalitiesOf(code);
    await openMap(page, base, `?view=map&indicator=population&year=2021&level=MUNICIPALITY&area=${code}`, count);
    const svg = (await exported(page, 'svg')).bytes.toString('utf8');
    const parsed = await parseSvg(page, svg);
    expect(parsed.error).toBeNull();
    expect(parsed.title).toContain(longestCounty.name);
    const { width, boxes } = await drawnTextBoxes(page, svg);
    // The title on more than one line, the unit too (in the legend's column).
    expect(boxes.filter((box) => /WOHNRAUM|WOHNGELD|WBS\)/.test(box.text)).length).toBeGreaterThan(1);
    expect(boxes.filter((box) => /WOHNUNGEN JE|HAUSHALTE/.test(box.text)).length).toBeGreaterThan(1);
    const outside = boxes.filter((box) => box.left < 19.5 || box.right > width - 19.5);
    expect(outside).toEqual([]);
    await page.close();
  });
});

/** The county of the shipped data with the longest name, as the Atlas's area choice names it. */
async function longestCountyName(): Promise<{ code: string; name: string }> {
  const { data } = await stack.query<{ region: { descendants: { code: string; name: string }[] } }>(
    '{ region(code: "03") { descendants(level: COUNTY) { code name } } }',
  );
  return data!.region.descendants.reduce((longest, county) => (county.name.length > longest.name.length ? county : longest));
}

async function municipalitiesOf(area: string): Promise<number> {
  const { data } = await stack.query<{ region: { descendants: { code: string }[] } }>(
    `{ region(code: "${area}") { descendants(level: MUNICIPALITY) { code } } }`,
  );
  return data!.region.descendants.length;
}
