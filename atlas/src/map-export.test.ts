import {
  dataAttributionText,
  dataReferenceText,
  escapeXml,
  estimatedWidth,
  exportDay,
  mapFileBase,
  mapSubtitle,
  mapSvg,
  SYNTHETIC_EXPORT_NOTE,
  wrapText,
  type MapExportContent,
  type TextWidth,
} from './map-export';

const BOUNDARIES = {
  attribution: '© GeoBasis-DE / BKG 2021 (Daten verändert); Datenlizenz Deutschland – Namensnennung – Version 2.0',
  url: 'https://gdz.bkg.bund.de/',
};

/** A region without a value. */
const MISSING = { code: '03101', d: 'M40,0L50,0L50,10Z', fill: null, stroke: '#767676', label: 'Braunschweig: keine Angabe' };

function content(change: Partial<MapExportContent> = {}): MapExportContent {
  return {
    fileBase: 'regiograph-karte-population-2021-kreise',
    title: 'Bevölkerung 2021 (Personen) – Niedersachsen',
    subtitle: 'Ebene: Landkreise und kreisfreie Städte in Niedersachsen',
    synthetic: false,
    dataAttribution: 'Statistische Ämter des Bundes und der Länder, Regionaldatenbank Deutschland, 12411-0015; dl-de/by-2-0',
    licence: 'dl-de/by-2-0',
    dataReference: 'Stichtag der Daten: 31.12.2021',
    legendTitle: 'Personen',
    legend: [
      { colour: '#ffffcc', label: '50.000 – 100.000' },
      { colour: '#253494', label: 'über 100.000 – 1.200.000' },
    ],
    scaleNote: 'Klassen: Quantile',
    shapes: [
      { code: '03241', d: 'M0,0L10,0L10,10Z', fill: '#253494', stroke: '#767676', label: 'Region Hannover: 1.200.000 Personen' },
      { code: '03459', d: 'M20,0L30,0L30,10Z', fill: '#ffffcc', stroke: '#000000', label: 'Osnabrück (Landkreis): 60.000 Personen' },
    ],
    labels: [{ id: 'bremen', name: 'Bremen', x: 250.4, y: 180.25 }],
    aggregatedCount: 0,
    boundarySource: BOUNDARIES,
    atlasUrl: 'http://localhost:4000/atlas/?view=map&indicator=population&year=2021',
    exportedAt: new Date(2026, 11, 7, 9, 30),
    mapWidth: 720,
    mapHeight: 620,
    ...change,
  };
}

/** The texts of the SVG's <text> elements, entities read back, in their order. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) =>
    match[1]!.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))),
  );
}

describe('the map as an SVG file', () => {
  it('carries the title, the level, the legend, both attributions, the link and the day of the export', () => {
    const svg = mapSvg(content());
    const shown = texts(svg).join('\n');
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(shown).toContain('Bevölkerung 2021 (Personen) – Niedersachsen');
    expect(shown).toContain('Ebene: Landkreise und kreisfreie Städte in Niedersachsen');
    expect(shown).toContain('Personen\n50.000 – 100.000\nüber 100.000 – 1.200.000\nKlassen: Quantile');
    // Each class's swatch in its colour, outlined as on the page.
    for (const colour of ['#ffffcc', '#253494']) expect(svg).toMatch(new RegExp(`<rect [^>]*fill="${colour}" stroke="#767676"`));
    expect(shown).toContain('Daten: Statistische Ämter des Bundes und der Länder');
    // The boundaries' attribution whole (across the lines it is wrapped into), with the provider's address.
    expect(texts(svg).join(' ')).toContain(`Grenzen: ${BOUNDARIES.attribution} (${BOUNDARIES.url})`);
    expect(texts(svg).join('')).toContain(
      'RegioGraph Atlas Niedersachsen: http://localhost:4000/atlas/?view=map&indicator=population&year=2021',
    );
    expect(shown).toContain('Exportiert am 07.12.2026');
    expect(shown).not.toContain(SYNTHETIC_EXPORT_NOTE);
    // What a publication prints beside the sources: when the values are of, and how the map is projected.
    expect(shown).toContain('Stichtag der Daten: 31.12.2021');
    expect(texts(svg).join(' ')).toContain(
      'Kartenprojektion: Transversale Mercatorprojektion, Mittelmeridian 9° Ost (wie ETRS89 / UTM Zone 32N)',
    );
    // Bremen named where it lies, on the map's grid beside the regions.
    expect(svg).toMatch(/<g transform="translate\(20 \d+\)" class="neighbours">\n<text x="250.4" y="180.3"[^>]*>Bremen<\/text>/);
    // One shape per region with its value in its title; no legend line for missing values when none is.
    expect(svg.match(/<path [^>]*data-region-code=/g)).toHaveLength(2);
    expect(svg).toContain('<title>Region Hannover: 1.200.000 Personen</title>');
    expect(shown).not.toContain('keine Angabe');
    expect(shown).not.toContain('berechnet');
  });

  it('says how many of the values RegioGraph computed, which the page says in each tooltip', () => {
    // Of the values shown: a missing one is none.
    const shown = texts(mapSvg(content({ aggregatedCount: 1, shapes: [...content().shapes, MISSING] }))).join(' ');
    expect(shown).toContain(
      '1 von 2 Werten berechnet: kein Wert der Quelle, sondern von RegioGraph aus den Regionen darin berechnet (bei gewichteten Mitteln eine Näherung).',
    );
  });

  it('marks missing values hatched, as the map does, and says so in the legend', () => {
    const svg = mapSvg(
      content({
        shapes: [...content().shapes, MISSING],
      }),
    );
    expect(svg).toContain('<pattern id="missing"');
    expect(svg).toMatch(/<path [^>]*fill="url\(#missing\)"[^>]*data-region-code="03101" data-missing="true"/);
    expect(texts(svg)).toContain('keine Angabe');
  });

  it('says "synthetic demonstration data" beneath the title of a synthetic indicator', () => {
    const svg = mapSvg(
      content({
        synthetic: true,
        dataAttribution: 'Synthetische Demonstrationsdaten (RegioGraph) – keine amtliche Statistik',
        licence: 'CC0-1.0',
      }),
    );
    const shown = texts(svg);
    expect(shown.indexOf(SYNTHETIC_EXPORT_NOTE)).toBe(2);
    expect(shown).toContain('Daten: Synthetische Demonstrationsdaten (RegioGraph) – keine amtliche Statistik (Lizenz: CC0-1.0)');
  });

  it('escapes &, <, > and quotes in names, labels and the link', () => {
    const svg = mapSvg(
      content({
        title: 'A & B <script>',
        atlasUrl: 'http://x/?a=1&b="2"',
        shapes: [{ code: '0"3', d: 'M0,0Z', fill: '#ffffcc', stroke: '#000000', label: `Stadt "Am See" & <Dorf> 'Nord'` }],
      }),
    );
    // No bare ampersand, and no markup but the file's own.
    expect(svg).not.toMatch(/&(?!#\d+;)/);
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<Dorf>');
    expect(svg).toContain('<title>Stadt &#34;Am See&#34; &#38; &#60;Dorf&#62; &#39;Nord&#39;</title>');
    expect(svg).toContain('data-region-code="0&#34;3"');
    expect(texts(svg)).toContain('A & B <script>');
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
  });

  it('replaces what XML allows in no form (control characters, lone surrogates), which would keep the file from opening', () => {
    expect(escapeXml('Wohnungen\u0007 & Gewerbe\u0000\u001f')).toBe('Wohnungen\ufffd &#38; Gewerbe\ufffd\ufffd');
    expect(escapeXml('a\ud800b\udc00c\ufffe')).toBe('a\ufffdb\ufffdc\ufffd');
    // A tab, a line break and a character beyond the basic plane (a pair of surrogates) are XML.
    expect(escapeXml('a\tb\nc\r😀')).toBe('a\tb\nc\r😀');
    const svg = mapSvg(content({ title: 'Bevölkerung\u0007 2021', shapes: [{ ...content().shapes[0]!, label: 'Hannover\u0001' }] }));
    expect([...svg].filter((character) => character < ' ' && !'\t\n\r'.includes(character))).toEqual([]);
    expect(texts(svg)[0]).toBe('Bevölkerung\ufffd 2021');
    expect(svg).toContain('<title>Hannover\ufffd</title>');
  });

  it('wraps long lines within the picture, breaking a link longer than a line', () => {
    const estimate = (line: string) => estimatedWidth(line, 10, false);
    const lines = wrapText(`Daten: ${'Wort '.repeat(60)}`, 200, estimate);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(35);
    const link = wrapText(`Link: https://example.org/${'x'.repeat(100)}`, 200, estimate);
    expect(link.join('')).toBe(`Link:https://example.org/${'x'.repeat(100)}`);
    for (const line of link) expect(line.length).toBeLessThanOrEqual(35);
    // A line narrower than one character still ends, one character a line.
    expect(wrapText('abc', 1, estimate)).toEqual(['a', 'b', 'c']);
  });

  it('wraps by the width measured, not by the number of characters: capitals take more room', () => {
    // Capitals twice as wide as the rest, bold a tenth wider: as a font is, roughly.
    const measured: TextWidth = (text, fontSize, bold) =>
      [...text].reduce((sum, character) => sum + (/[A-ZÄÖÜ]/.test(character) ? 1 : 0.5), 0) * fontSize * (bold ? 1.1 : 1);
    const title = 'WOHNRAUMFÖRDERUNG: MIETWOHNUNGEN MIT WOHNBERECHTIGUNGSSCHEIN UND WOHNGELD 2021 (WOHNUNGEN) – Niedersachsen';
    const svg = mapSvg(content({ title, legendTitle: 'WOHNUNGEN JE 1.000 HAUSHALTE' }), measured);
    const drawn = texts(svg);
    const titleLines = drawn.slice(0, drawn.indexOf('Ebene: Landkreise und kreisfreie Städte in Niedersachsen'));
    expect(titleLines.join(' ')).toBe(title);
    expect(titleLines.length).toBeGreaterThan(1);
    for (const line of titleLines) expect(measured(line, 20, true)).toBeLessThanOrEqual(980);
    // The legend's heading in its column of 240 px.
    const heading = drawn.indexOf('WOHNUNGEN JE 1.000');
    expect(drawn.slice(heading, heading + 2)).toEqual(['WOHNUNGEN JE 1.000', 'HAUSHALTE']);
    // Without a browser, the estimate: the same title on fewer, longer lines.
    const estimated = texts(mapSvg(content({ title }))).filter((line) => title.includes(line) && line.length > 10);
    expect(estimated.length).toBeLessThan(titleLines.length);
  });
});

describe("the export's names and sources", () => {
  it('names the file by indicator, year, level and county, in safe characters only', () => {
    expect(mapFileBase('population', 2021, 'COUNTY', '03')).toBe('regiograph-karte-population-2021-kreise');
    expect(mapFileBase('unemployment_rate', 2020, 'MUNICIPALITY', '03459')).toBe('regiograph-karte-unemployment-rate-2020-gemeinden-03459');
    expect(mapFileBase('../a b/ü', 2020, 'MUNICIPALITY', '03')).toBe('regiograph-karte-a-b-2020-gemeinden');
  });

  it('names the level and the area, and adds the licence only where the attribution lacks it', () => {
    expect(mapSubtitle('MUNICIPALITY', 'Landkreis Osnabrück')).toBe('Ebene: Gemeinden in Landkreis Osnabrück');
    expect(dataAttributionText('Destatis; dl-de/by-2-0', 'dl-de/by-2-0')).toBe('Daten: Destatis; dl-de/by-2-0');
    expect(dataAttributionText('Synthetisch', 'CC0-1.0')).toBe('Daten: Synthetisch (Lizenz: CC0-1.0)');
    expect(exportDay(new Date(2026, 0, 5))).toBe('05.01.2026');
  });
});

describe('when the values are of', () => {
  it("says a stock's reference day with the year, a period as the source names it, and nothing for none", () => {
    expect(dataReferenceText('31.12.', 2021)).toBe('Stichtag der Daten: 31.12.2021');
    expect(dataReferenceText('Jahresdurchschnitt', 2019)).toBe('Bezugszeitraum der Daten: Jahresdurchschnitt 2019');
    expect(dataReferenceText('', 2021)).toBe('');
  });
});
