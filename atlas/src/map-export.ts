/**
 * The map as a file for a press release or a council paper: an SVG that stands on its own (title,
 * level, legend, both attributions, the Atlas's link and the day), and a PNG drawn from it in the
 * browser. Built from what the page already shows: no request of its own.
 */
import { AGGREGATED_NOTE, LEVEL_NAMES } from './catalogue';
import { PROJECTION_NOTE, type MapLabel } from './geo';
import { labelIn } from './navigation';
import type { AtlasMapQuery } from './generated/graphql';
import type { Level } from './state';

/** What the export needs beyond the map's own props: where the values come from and how the file is named. */
export interface MapExportInfo {
  /** The file name without its extension ("regiograph-karte-population-2021-kreise"). */
  fileBase: string;
  /** The level and area, beneath the title ("Ebene: Gemeinden in Landkreis Osnabrück"). */
  subtitle: string;
  synthetic: boolean;
  /** The data's attribution, as the indicator states it. */
  dataAttribution: string;
  /** The data's licence (e.g. "dl-de/by-2-0", "CC0-1.0"). */
  licence: string;
  /** When the values are of ("Stichtag der Daten: 31.12.2021"); empty where the source names none (synthetic data). */
  dataReference: string;
}

/** A region as the file draws it: its path on the map's 720 × 620 grid, its fill (null: missing) and its label. */
export interface ExportShape {
  code: string;
  d: string;
  fill: string | null;
  stroke: string;
  label: string;
}

export interface MapExportContent extends MapExportInfo {
  title: string;
  legendTitle: string;
  legend: readonly { colour: string; label: string }[];
  /** How the classes are made ("Klassen: Quantile"). */
  scaleNote: string;
  shapes: readonly ExportShape[];
  /** Names of the places beside the regions (Bremen, Hamburg), on the map's grid. */
  labels: readonly MapLabel[];
  /** How many of the values shown RegioGraph computed from the regions within (0: none). */
  aggregatedCount: number;
  boundarySource: { attribution: string; url: string } | null | undefined;
  /** The link that shows the view again. */
  atlasUrl: string;
  exportedAt: Date;
  /** The map's drawing area, as MapView projects it. */
  mapWidth: number;
  mapHeight: number;
}

/** What synthetic values are called on the file, in words nobody takes for official statistics. */
export const SYNTHETIC_EXPORT_NOTE = 'Synthetische Demonstrationsdaten – keine amtliche Statistik';

const MARGIN = 20;
const LEGEND_WIDTH = 240;
const FONT = 'Arial, Helvetica, sans-serif';
/** A generous mean width of a character of that font, in ems, where no browser measures (Node's tests). */
const CHARACTER_EM = 0.56;

/** How wide a line is drawn, in pixels, at a font size, bold or not. */
export type TextWidth = (text: string, fontSize: number, bold: boolean) => number;

/** The estimate: right for mixed-case German in Arial, short for capitals (an acronym, a name in capitals). */
export const estimatedWidth: TextWidth = (text, fontSize) => text.length * fontSize * CHARACTER_EM;

/**
 * The width as this browser draws the SVG's font (the canvas's measureText), the estimate where there
 * is no canvas. A viewer that lacks Arial and substitutes a wider font may still draw a line wider.
 */
export function measuredWidth(): TextWidth {
  const context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  if (!context) return estimatedWidth;
  return (text, fontSize, bold) => {
    context.font = `${bold ? 'bold ' : ''}${fontSize}px ${FONT}`;
    return context.measureText(text).width;
  };
}

/** XML 1.0 allows these characters in no form, not even as a reference: a file with one does not open. */
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- the control characters are what it is to find
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text for an SVG element or attribute: &, <, >, and both quotes as entities, what XML forbids as U+FFFD. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '\ufffd').replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * Lines no wider than the width given, broken between words; a word wider than a line (a link) is
 * broken within itself. SVG text does not wrap by itself.
 */
export function wrapText(text: string, width: number, widthOf: (line: string) => number): string[] {
  const fits = (line: string) => widthOf(line) <= width;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && !fits(`${line} ${word}`)) {
      lines.push(line);
      line = '';
    }
    let rest = line ? `${line} ${word}` : word;
    line = '';
    while (!fits(rest)) {
      // The longest start that fits, at least one character: a line too narrow for one still ends.
      let end = 1;
      while (end < rest.length && fits(rest.slice(0, end + 1))) end += 1;
      lines.push(rest.slice(0, end));
      rest = rest.slice(end);
    }
    line = rest;
  }
  if (line) lines.push(line);
  return lines;
}

/** Lines of text from a baseline on, one <text> element each. */
function textLines(lines: readonly string[], x: number, y: number, size: number, extra = ''): { svg: string; height: number } {
  const leading = Math.round(size * 1.35);
  const svg = lines
    .map((line, index) => `<text x="${x}" y="${y + size + index * leading}" font-size="${size}"${extra}>${escapeXml(line)}</text>`)
    .join('\n');
  return { svg, height: lines.length * leading };
}

/** The data's attribution, with its licence where the attribution does not name it already. */
export function dataAttributionText(attribution: string, licence: string): string {
  const withLicence = licence && !attribution.includes(licence) ? `${attribution} (Lizenz: ${licence})` : attribution;
  return `Daten: ${withLicence}`;
}

/** How many of the values shown (missing ones are none) are not the source's but computed, and what that means. */
export function aggregatedText(aggregatedCount: number, regionCount: number): string {
  return `${aggregatedCount.toLocaleString('de-DE')} von ${regionCount.toLocaleString('de-DE')} Werten ${AGGREGATED_NOTE}`;
}

/**
 * When the values are of, as the source states it for each year ("31.12.", "Jahresdurchschnitt"): the title's
 * year alone does not say whether a stock is of the year's first day or its last.
 */
export function dataReferenceText(referencePeriod: string, year: number): string {
  const period = referencePeriod.trim();
  if (!period) return '';
  return /^\d{2}\.\d{2}\.$/.test(period) ? `Stichtag der Daten: ${period}${year}` : `Bezugszeitraum der Daten: ${period} ${year}`;
}

/** The day of the export, as a German reader writes it ("07.12.2026"). */
export function exportDay(date: Date): string {
  return date.toLocaleDateString('de-DE', { day: '2-digit', month: '2-digit', year: 'numeric' });
}

/** The map as a standalone SVG document, its labels in German, its lines wrapped as `widthOf` measures them. */
export function mapSvg(content: MapExportContent, widthOf: TextWidth = measuredWidth()): string {
  const width = MARGIN + content.mapWidth + MARGIN + LEGEND_WIDTH + MARGIN;
  const textWidth = width - 2 * MARGIN;
  const wrap = (text: string, lineWidth: number, fontSize: number, bold = false) =>
    wrapText(text, lineWidth, (line) => widthOf(line, fontSize, bold));
  const parts: string[] = [];
  let y = MARGIN;
  const add = (block: { svg: string; height: number }, gap = 0) => {
    parts.push(block.svg);
    y += block.height + gap;
  };

  add(textLines(wrap(content.title, textWidth, 20, true), MARGIN, y, 20, ' font-weight="bold"'), 2);
  add(textLines(wrap(content.subtitle, textWidth, 14), MARGIN, y, 14));
  // Said at the top in words, not only in the sources: a picture travels without its caption.
  if (content.synthetic)
    add(textLines(wrap(SYNTHETIC_EXPORT_NOTE, textWidth, 14, true), MARGIN, y, 14, ' font-weight="bold" fill="#b00020"'));
  y += 10;

  const mapTop = y;
  const shapes = content.shapes
    .filter((shape) => shape.d)
    .map(
      (shape) =>
        `<path d="${escapeXml(shape.d)}" fill="${shape.fill === null ? 'url(#missing)' : escapeXml(shape.fill)}" stroke="${escapeXml(shape.stroke)}" stroke-width="0.5" data-region-code="${escapeXml(shape.code)}"${shape.fill === null ? ' data-missing="true"' : ''}><title>${escapeXml(shape.label)}</title></path>`,
    );
  parts.push(`<g transform="translate(${MARGIN} ${mapTop})" class="regions">\n${shapes.join('\n')}\n</g>`);
  // As on the page: grey italics with a white halo.
  const labels = content.labels.map(
    (label) =>
      `<text x="${label.x.toFixed(1)}" y="${label.y.toFixed(1)}" font-size="11" font-style="italic" fill="#555555" stroke="#ffffff" stroke-width="3" paint-order="stroke" text-anchor="middle" dominant-baseline="middle">${escapeXml(label.name)}</text>`,
  );
  if (labels.length > 0) parts.push(`<g transform="translate(${MARGIN} ${mapTop})" class="neighbours">\n${labels.join('\n')}\n</g>`);

  // The legend beside the map, as on the page: its heading, one line per class, "keine Angabe" only when a region is missing.
  const legendX = MARGIN + content.mapWidth + MARGIN;
  const legendWidth = LEGEND_WIDTH;
  let legendY = mapTop;
  const legend: string[] = [];
  const heading = textLines(wrap(content.legendTitle, legendWidth, 13, true), legendX, legendY, 13, ' font-weight="bold"');
  legend.push(heading.svg);
  legendY += heading.height + 4;
  const swatch = (fill: string) =>
    `<rect x="${legendX}" y="${legendY + 1}" width="18" height="13" fill="${fill}" stroke="#767676" stroke-width="1"/>`;
  const lines = [
    ...content.legend.map((line) => ({ fill: escapeXml(line.colour), label: line.label })),
    ...(content.shapes.some((shape) => shape.fill === null) ? [{ fill: 'url(#missing)', label: 'keine Angabe' }] : []),
  ];
  for (const line of lines) {
    legend.push(swatch(line.fill));
    const label = textLines(wrap(line.label, legendWidth - 26, 12), legendX + 26, legendY, 12);
    legend.push(label.svg);
    legendY += Math.max(label.height, 18) + 3;
  }
  if (content.scaleNote) legend.push(textLines(wrap(content.scaleNote, legendWidth, 11), legendX, legendY + 4, 11, ' fill="#555"').svg);
  parts.push(`<g class="legend">\n${legend.join('\n')}\n</g>`);
  y = mapTop + content.mapHeight + 12;

  const sources = [
    // The page says it in each region's tooltip; the picture has none, so it says how many, beneath the map.
    ...(content.aggregatedCount > 0
      ? [aggregatedText(content.aggregatedCount, content.shapes.filter((shape) => shape.fill !== null).length)]
      : []),
    dataAttributionText(content.dataAttribution, content.licence),
    ...(content.dataReference ? [content.dataReference] : []),
    `Grenzen: ${content.boundarySource ? `${content.boundarySource.attribution} (${content.boundarySource.url})` : 'keine Angabe'}`,
    PROJECTION_NOTE,
    `RegioGraph Atlas Niedersachsen: ${content.atlasUrl}`,
    `Exportiert am ${exportDay(content.exportedAt)}`,
  ];
  const attribution: string[] = [];
  for (const source of sources) {
    const block = textLines(wrap(source, textWidth, 12), MARGIN, y, 12, ' fill="#333"');
    attribution.push(block.svg);
    y += block.height + 2;
  }
  parts.push(`<g class="attribution">\n${attribution.join('\n')}\n</g>`);
  const height = Math.ceil(y + MARGIN);

  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" xml:lang="de" role="img" aria-labelledby="export-title">`,
    `<title id="export-title">${escapeXml(content.title)}</title>`,
    `<desc>${escapeXml(`${content.subtitle}. ${sources.join('. ')}.`)}</desc>`,
    '<defs><pattern id="missing" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f4f4f4"/><line x1="0" y1="0" x2="0" y2="6" stroke="#999" stroke-width="2"/></pattern></defs>',
    // Opaque, so that the PNG is not transparent and the picture reads the same on a dark slide.
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

/** A part of a file name: lower case letters, digits and hyphens only. */
function safePart(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'karte'
  );
}

/** The file's name without extension: indicator, year, level, and the county when not the whole state. */
export function mapFileBase(indicator: string, year: number, level: Level, area: string): string {
  const within = area !== '03' ? `-${safePart(area)}` : '';
  return `regiograph-karte-${safePart(indicator)}-${year}-${level === 'COUNTY' ? 'kreise' : 'gemeinden'}${within}`;
}

/** The level and area beneath the title. */
export function mapSubtitle(level: Level, areaName: string | null | undefined): string {
  return `Ebene: ${LEVEL_NAMES[level]}${areaName ? ` in ${areaName}` : ''}`;
}

/** The export's sources and name for an indicator map, from the map's own answer. */
export function mapExportInfo(data: AtlasMapQuery, year: number, level: Level, area: string): MapExportInfo {
  const indicator = data.indicator;
  return {
    fileBase: mapFileBase(indicator?.code ?? 'karte', year, level, area),
    subtitle: mapSubtitle(level, (data.area && labelIn(data.state?.counties ?? [], data.area.code)) ?? data.area?.name),
    synthetic: indicator?.synthetic ?? false,
    dataAttribution: indicator?.attribution ?? '',
    licence: indicator?.source.licence ?? '',
    dataReference: dataReferenceText(indicator?.source.referencePeriod ?? '', year),
  };
}

/** The SVG as an image the canvas can draw, once decoded. */
async function decodedImage(url: string): Promise<HTMLImageElement> {
  const image = new Image();
  image.src = url;
  await image.decode();
  return image;
}

/**
 * The SVG drawn on a canvas and saved as PNG, at `scale` times its size (sharp on a slide or paper).
 * The SVG holds no external resource, so the canvas stays readable. Loaded from a blob: address, else
 * from a data: one: a site's policy that allows images from data: only (helmet's default) still gets
 * its PNG.
 */
export async function svgToPng(svg: string, scale = 2): Promise<Blob> {
  const size = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg);
  const [width, height] = [Number(size?.[1] ?? 0), Number(size?.[2] ?? 0)];
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const image = await decodedImage(url).catch(() => decodedImage(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`));
    const canvas = document.createElement('canvas');
    canvas.width = width * scale;
    canvas.height = height * scale;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d canvas');
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('canvas.toBlob gave nothing'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
