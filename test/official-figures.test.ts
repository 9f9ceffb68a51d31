// An audit of the official figures as a data journalist would make it: the shipped files (the
// offices' values, their series and sources, the cooperation landscape) are parsed here with
// csv-parse, apart from the subgraphs' loaders, and every figure is compared with what the gateway
// and its CSV export answer — in both directions: each value of the files is served as given, and
// nothing served as a published figure is absent from them. One stack, a handful of requests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { startStack, type Stack } from './harness';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const ROOT = path.join(__dirname, '..');
const MONITORING = path.join(ROOT, 'subgraphs', 'indicators', 'data', 'monitoring');
const LANDSCAPE = path.join(ROOT, 'subgraphs', 'cooperations', 'data', 'landscape');

function readCsv(file: string): Record<string, string>[] {
  return parse<Record<string, string>>(readFileSync(file, 'utf8'), { columns: true, bom: true, skip_empty_lines: true });
}

/** `source_id:series` → `ags|year` → value, both value files. */
const fileValues = new Map<string, Map<string, number>>();
for (const file of ['values-county.csv', 'values-municipality.csv'])
  for (const row of readCsv(path.join(MONITORING, file))) {
    const key = `${row.source_id}:${row.series}`;
    let values = fileValues.get(key);
    if (!values) fileValues.set(key, (values = new Map()));
    values.set(`${row.ags}|${row.year}`, Number(row.value));
  }
const seriesRows = new Map(readCsv(path.join(MONITORING, 'series.csv')).map((row) => [`${row.source_id}:${row.series}`, row]));
const sourceRows = new Map(readCsv(path.join(MONITORING, 'sources.csv')).map((row) => [row.source_id!, row]));
const catalogue = readCsv(path.join(MONITORING, 'catalogue.csv'));
const directory = readCsv(path.join(ROOT, 'shared', 'data', 'regions.csv'));
const arsOfAgs = new Map(directory.filter((region) => region.ags).map((region) => [region.ags!, region.ars!]));
const levelOf = new Map(directory.map((region) => [region.ars!, region.level!]));
const parentOf = new Map(directory.map((region) => [region.ars!, region.parent_ars!]));
const COUNTIES = directory.filter((region) => region.level === 'county').map((region) => region.ars!);
const DISTRICTS = directory.filter((region) => region.level === 'district').map((region) => region.ars!);
const MUNICIPALITIES = directory.filter((region) => region.level === 'municipality').map((region) => region.ars!);
const ASSOCIATIONS = directory.filter((region) => region.level === 'municipal_association').map((region) => region.ars!);
/** Municipality-free areas (forests, lakes): a county's total counts their value where they have one, and needs none. */
const UNINHABITED = new Set(directory.filter((region) => region.type === 'Gemeindefreies Gebiet').map((region) => region.ars!));

/** One term of a catalogue's series: a trailing `*` sums every series of that prefix, where all have a value. */
function termValues(term: string): Map<string, number> {
  const keys = term.endsWith('*') ? [...fileValues.keys()].filter((key) => key.startsWith(term.slice(0, -1))) : [term];
  const parts = keys.map((key) => fileValues.get(key) ?? new Map<string, number>());
  const sums = new Map<string, number>();
  for (const cell of parts[0]?.keys() ?? [])
    if (parts.every((part) => part.has(cell)))
      sums.set(
        cell,
        parts.reduce((sum, part) => sum + part.get(cell)!, 0),
      );
  return sums;
}

/** The series keys a catalogue spec reads, with the factor applied to each. */
function seriesOf(spec: string): { key: string; factor: number }[] {
  return spec.split(' | ').flatMap((alternative) => {
    const [, body, factor] = /^(.*?)(?: \* (\d+))?$/.exec(alternative.trim())!;
    return body!.split(' + ').flatMap((term) =>
      (term.endsWith('*') ? [...seriesRows.keys()].filter((key) => key.startsWith(term.slice(0, -1))) : [term]).map((key) => ({
        key,
        factor: Number(factor ?? 1),
      })),
    );
  });
}

/**
 * The figures a catalogue spec gives, by `ars|year`: alternatives (" | ") in order per region and
 * year, sums (" + ") where every term has a value, a factor (" * 10"); municipalities' AGS as ARS.
 */
function figuresOf(spec: string): Map<string, number> {
  const figures = new Map<string, number>();
  for (const alternative of spec.split(' | ')) {
    const [, body, factor] = /^(.*?)(?: \* (\d+))?$/.exec(alternative.trim())!;
    const terms = body!.split(' + ').map(termValues);
    for (const cell of terms[0]!.keys()) {
      const [ags, year] = cell.split('|');
      const key = `${ags!.length === 8 ? arsOfAgs.get(ags!) : ags}|${year}`;
      if (figures.has(key) || !terms.every((term) => term.has(cell))) continue;
      figures.set(key, terms.reduce((sum, term) => sum + term.get(cell)!, 0) * Number(factor ?? 1));
    }
  }
  return figures;
}

/** A catalogue formula ("a / b * 100", "a * 10000 / b"): products and quotients, left to right. */
function evaluate(formula: string, valueOf: (code: string) => number | undefined): number | undefined {
  const tokens = formula.split(/\s+/);
  const operand = (token: string) => (/^\d+(\.\d+)?$/.test(token) ? Number(token) : valueOf(token));
  let result = operand(tokens[0]!);
  for (let index = 1; index < tokens.length; index += 2) {
    const next = operand(tokens[index + 1]!);
    if (result === undefined || next === undefined) return undefined;
    if (tokens[index] === '*') result *= next;
    else if (tokens[index] === '/') result = next === 0 ? undefined : result / next;
    else throw new Error(`unexpected operator in ${formula}`);
  }
  return result;
}

const official = catalogue.filter((row) => row.official === 'true');
/** Every official indicator's figures at the levels the files have (state, counties, municipalities). */
const published = new Map<string, Map<string, number>>();
for (const row of official.filter((row) => row.series)) published.set(row.code!, figuresOf(row.series!));
for (const row of official.filter((row) => row.formula)) {
  const inputs = row.formula!.split(/\s+/).filter((token) => /^[a-z]/.test(token));
  const figures = new Map<string, number>();
  for (const cell of published.get(inputs[0]!)?.keys() ?? []) {
    const value = evaluate(row.formula!, (code) => published.get(code)?.get(cell));
    if (value !== undefined) figures.set(cell, value);
  }
  published.set(row.code!, figures);
}

/**
 * The unit each unit of series.csv is served in, after the catalogue's factor: the API's units are
 * German words, its rates say per how many inhabitants. A series read in another unit is a figure off
 * by its scale (a "per 10,000" read as "per 1,000", thousands of euros as euros).
 */
const API_UNITS: Record<string, string[]> = {
  persons: ['Personen', 'Personen je Haushalt'],
  count: ['Personen', 'Wohnungen'],
  percent: ['%'],
  years: ['Jahre'],
  km2: ['km²'],
  ha: ['ha'],
  m2: ['m² je Einwohner'],
  '1000 EUR': ['1.000 EUR'],
  EUR: ['EUR'],
  euros: ['EUR', 'EUR je Einwohner'],
  'euros/m2': ['EUR je m²'],
  'per 100': ['je 100 Einwohner 15–24 J.', 'je 100 Einwohner 18–24 J.'],
  'per 1k': ['je 1.000 Einwohner'],
  'per 10k × 10': ['je 100.000 Einwohner'],
  vehicles: ['Fahrzeuge'],
};

const DL_DE_BY = 'Datenlizenz Deutschland – Namensnennung – Version 2.0 (www.govdata.de/dl-de/by-2-0)';

interface ExportCell {
  region: string;
  indicator: string;
  year: number;
  value: number | null;
  aggregated: boolean;
  /** The release the value was imported from; empty for the shipped data. */
  release: string;
}

/** The long CSV export, its `#` notes by indicator code and its cells. */
async function exportLong(query: string): Promise<{ notes: Map<string, string>; cells: ExportCell[] }> {
  const response = await fetch(`${stack.gatewayUrl.replace(/\/graphql$/, '')}/export/observations.csv?${query}&shape=long`);
  const text = await response.text();
  expect({ status: response.status, start: text.slice(0, 200) }).toEqual({ status: 200, start: expect.any(String) });
  const lines = text.split('\r\n');
  const notes = new Map(
    lines
      .filter((line) => line.startsWith('# '))
      .map((line) => /^# ([a-z0-9_]+): (.*)$/.exec(line))
      .filter((match) => match !== null)
      .map((match) => [match[1]!, match[2]!]),
  );
  const rows = parse<Record<string, string>>(lines.filter((line) => !line.startsWith('#')).join('\r\n'), { columns: true });
  const cells = rows.map((row) => ({
    region: row.region_code!,
    indicator: row.indicator_code!,
    year: Number(row.year),
    value: row.value === '' ? null : Number(row.value),
    aggregated: row.aggregated === 'true',
    release: row.release!,
  }));
  return { notes, cells };
}

/**
 * A county's weight in a year: its own value that year, else that of the nearest year with one, the
 * earlier of two as near. So the subgraph weights a mean whose weight lacks the year (the 2022
 * population-weighted rates by the 2021 population, which has no county value for 2022).
 */
function weightIn(series: ReadonlyMap<number, number> | undefined, year: number): { weight: number; year: number } | undefined {
  let best: { weight: number; year: number } | undefined;
  for (const [candidate, weight] of series ?? []) {
    const distance = Math.abs(candidate - year);
    const bestDistance = best ? Math.abs(best.year - year) : Infinity;
    if (distance < bestDistance || (distance === bestDistance && candidate < best!.year)) best = { weight, year: candidate };
  }
  return best;
}

/** `code|region` → year → value, of the cells with a value. */
function seriesByRegion(cells: ExportCell[]): Map<string, Map<number, number>> {
  const series = new Map<string, Map<number, number>>();
  for (const cell of cells) {
    if (cell.value === null) continue;
    const key = `${cell.indicator}|${cell.region}`;
    let years = series.get(key);
    if (!years) series.set(key, (years = new Map()));
    years.set(cell.year, cell.value);
  }
  return series;
}

const levelExports = new Map<string, Promise<{ notes: Map<string, string>; cells: ExportCell[] }>>();
/**
 * The cells of a level (MUNICIPALITY, MUNICIPAL_ASSOCIATION) of the official indicators in the years the
 * files give municipal figures for, with the export's notes: one export per year (and 50 indicators),
 * so that no cell is asked for that the files leave empty (the Gemeindeverzeichnis' 13 years lie across
 * 41). Read once per level, by every test that needs it.
 */
function levelCells(level: 'MUNICIPALITY' | 'MUNICIPAL_ASSOCIATION'): Promise<{ notes: Map<string, string>; cells: ExportCell[] }> {
  let cached = levelExports.get(level);
  if (!cached)
    levelExports.set(
      level,
      (cached = (async () => {
        const cells: ExportCell[] = [];
        const notes = new Map<string, string>();
        for (const [year, codes] of [...municipalFigureYears()].sort(([a], [b]) => a - b))
          for (const part of chunks([...codes], 50)) {
            const result = await exportLong(`indicators=${part.join(',')}&level=${level}&from=${year}&to=${year}`);
            cells.push(...result.cells);
            for (const [code, note] of result.notes) notes.set(code, note);
          }
        return { notes, cells };
      })()),
    );
  return cached;
}

/** The municipal cells of the official indicators in the years the files give municipal figures for. */
async function municipalCells(): Promise<ExportCell[]> {
  return (await levelCells('MUNICIPALITY')).cells;
}

/** Year → the official indicators the files give municipal figures for in that year. */
function municipalFigureYears(): Map<number, Set<string>> {
  const years = new Map<number, Set<string>>();
  for (const [code, figures] of published)
    for (const cell of figures.keys()) {
      const [region, year] = cell.split('|');
      if (levelOf.get(region!) !== 'municipality') continue;
      let codes = years.get(Number(year));
      if (!codes) years.set(Number(year), (codes = new Set()));
      codes.add(code);
    }
  return years;
}

const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));

describe('the official figures against the files they come from', () => {
  it('labels every indicator of the files official with its unit, licence and attribution, and every other one synthetic', async () => {
    const { data, errors } = await stack.query<{
      indicators: {
        code: string;
        unit: string;
        official: boolean;
        synthetic: boolean;
        attribution: string;
        source: { licence: string; official: boolean; publisher: string };
      }[];
    }>('{ indicators { code unit official synthetic attribution source { licence official publisher } } }');
    expect(errors).toBeUndefined();
    const served = new Map(data!.indicators.map((indicator) => [indicator.code, indicator]));
    expect([...served.values()].filter((indicator) => indicator.official).map((indicator) => indicator.code)).toEqual(
      expect.arrayContaining(official.map((row) => row.code)),
    );
    const problems: string[] = [];
    for (const indicator of served.values()) {
      const row = official.find((candidate) => candidate.code === indicator.code);
      if (!row) {
        // Not from the files: generated demonstration data, and labelled so everywhere.
        if (indicator.official || !indicator.synthetic || indicator.source.official || !/synthetic/i.test(indicator.attribution))
          problems.push(`${indicator.code}: not in the files but not labelled synthetic`);
        continue;
      }
      if (!indicator.official || indicator.synthetic || !indicator.source.official)
        problems.push(`${indicator.code}: not labelled official`);
      if (indicator.source.licence !== 'dl-de/by-2-0' || !indicator.attribution.includes(DL_DE_BY))
        problems.push(`${indicator.code}: licence ${indicator.source.licence}, attribution without the licence: ${indicator.attribution}`);
      // The catalogue names the source of each series; each must be a source of sources.csv under that licence.
      for (const { key, factor } of row.series ? seriesOf(row.series) : []) {
        const series = seriesRows.get(key);
        const source = sourceRows.get(key.split(':')[0]!);
        if (!series || !source) {
          problems.push(`${indicator.code}: reads ${key}, which series.csv or sources.csv lacks`);
          continue;
        }
        if (!source.licence!.startsWith('dl-de/by-2-0')) problems.push(`${indicator.code}: ${key} is under ${source.licence}`);
        const unit = factor === 1 ? series.unit! : `${series.unit} × ${factor}`;
        if (!API_UNITS[unit]?.includes(indicator.unit))
          problems.push(`${indicator.code}: served in ${indicator.unit}, ${key} is in ${unit}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('exports every published figure of the state and the counties as given, and marks everything else as computed', async () => {
    // One request per span of years (at most 50 indicators, the export's limit), so that few cells are
    // empty: the export costs about as much per cell as the API's table.
    const spans = new Map<string, string[]>();
    for (const [code, figures] of published) {
      const years = [...figures.keys()].filter((cell) => cell.length <= '03101|2000'.length).map((cell) => Number(cell.slice(-4)));
      if (years.length === 0) continue;
      const span = `from=${Math.min(...years)}&to=${Math.max(...years)}`;
      spans.set(span, [...(spans.get(span) ?? []), code]);
    }
    const codes = [...spans.values()].flat();
    const regions = ['03', ...DISTRICTS, ...COUNTIES].join(',');
    const cells: ExportCell[] = [];
    const notes = new Map<string, string>();
    for (const [span, members] of spans)
      for (const part of chunks(members, 50)) {
        const result = await exportLong(`indicators=${part.join(',')}&regions=${regions}&${span}`);
        cells.push(...result.cells);
        for (const [code, note] of result.notes) notes.set(code, note);
      }
    // Every indicator's note names the licence the attribution requires, and none says synthetic.
    for (const code of codes) {
      expect(notes.get(code)).toContain('licence: dl-de/by-2-0; attribution: ');
      expect(notes.get(code)).toContain(DL_DE_BY);
      expect(notes.get(code)).not.toContain('SYNTHETIC');
    }
    const served = new Map(cells.map((cell) => [`${cell.indicator}|${cell.region}|${cell.year}`, cell]));
    const problems: string[] = [];
    let compared = 0;
    for (const [code, figures] of published)
      for (const [cell, value] of figures) {
        const [region, year] = cell.split('|');
        if (region!.length > 5) continue;
        compared += 1;
        const got = served.get(`${code}|${cell}`);
        if (!got || got.value === null || !same(got.value, value) || got.aggregated)
          problems.push(`${code} ${cell}: files ${value}, export ${got?.value} aggregated ${got?.aggregated} (${year})`);
      }
    // A figure served as published (not aggregated) that the files lack would be an invented official value.
    for (const cell of cells) {
      if (cell.value === null || cell.aggregated) continue;
      if (levelOf.get(cell.region) === 'district')
        problems.push(`${cell.indicator} ${cell.region}|${cell.year}: a district value not marked aggregated`);
      else if (!published.get(cell.indicator)?.has(`${cell.region}|${cell.year}`))
        problems.push(`${cell.indicator} ${cell.region}|${cell.year}: ${cell.value} served as published, absent from the files`);
    }
    expect(problems.slice(0, 20)).toEqual([]);

    // The weights' county series in every year they have, for the means whose weight lacks their year:
    // one export. A county's weight computed from its municipalities (the Zensus 2022 population, the
    // area of 2021) is their total, checked against the municipal export.
    const weightCodes = [...new Set(official.flatMap((row) => (row.aggregation === 'WEIGHTED_MEAN' ? [row.weight_indicator!] : [])))];
    const weightCells = (await exportLong(`indicators=${weightCodes.join(',')}&level=COUNTY`)).cells;
    const weightSeries = seriesByRegion(weightCells);
    const municipal = new Map((await municipalCells()).map((cell) => [`${cell.indicator}|${cell.region}|${cell.year}`, cell.value]));
    let weightTotals = 0;
    for (const cell of weightCells) {
      if (cell.value === null || !cell.aggregated) continue;
      const members = MUNICIPALITIES.filter((code) => code.startsWith(cell.region));
      const values = members.map((code) => municipal.get(`${cell.indicator}|${code}|${cell.year}`) ?? null);
      const lacking = members.filter((code, index) => values[index] === null && !UNINHABITED.has(code));
      const total = values.reduce<number>((sum, part) => sum + (part ?? 0), 0);
      weightTotals += 1;
      if (lacking.length > 0 || catalogue.find((row) => row.code === cell.indicator)?.aggregation !== 'SUM' || !same(cell.value, total))
        problems.push(
          `${cell.indicator} ${cell.region}|${cell.year}: ${cell.value}, its municipalities add up to ${total} (${lacking.length} lacking)`,
        );
    }

    // RegioGraph's own figures, recomputed: a district (and the state without a row of its own) is the
    // sum of its counties, or their mean weighted by the stated weight in the same year (else its
    // nearest year's, see weightIn); a derived indicator is its formula over the inputs at the same
    // region and year.
    const value = (code: string, region: string, year: number) => served.get(`${code}|${region}|${year}`)?.value ?? undefined;
    const counts = { sum: 0, weightedMean: 0, weightOfAnotherYear: 0, formula: 0 };
    for (const row of official) {
      for (const cell of cells.filter(
        (candidate) => candidate.indicator === row.code && candidate.value !== null && candidate.aggregated,
      )) {
        const { region, year } = cell;
        if (row.formula) {
          const expected = evaluate(row.formula, (code) => value(code, region, year));
          counts.formula += 1;
          if (expected === undefined || !same(cell.value!, expected))
            problems.push(`${row.code} ${region}|${year}: ${cell.value}, its formula gives ${expected}`);
          continue;
        }
        const parts = COUNTIES.filter((county) => region === '03' || parentOf.get(county) === region);
        const values = parts.flatMap((county) => value(row.code!, county, year) ?? []);
        if (values.length < parts.length) {
          problems.push(`${row.code} ${region}|${year}: ${cell.value} computed though a county lacks a value`);
          continue;
        }
        if (row.aggregation === 'SUM') {
          counts.sum += 1;
          const sum = values.reduce((a, b) => a + b, 0);
          if (!same(cell.value!, sum)) problems.push(`${row.code} ${region}|${year}: ${cell.value}, its counties add up to ${sum}`);
        } else if (row.aggregation === 'WEIGHTED_MEAN') {
          const stated = parts.map((county) => weightIn(weightSeries.get(`${row.weight_indicator}|${county}`), year));
          const weights = stated.flatMap((weight) => weight?.weight ?? []);
          if (weights.length < parts.length) {
            problems.push(
              `${row.code} ${region}|${year}: ${cell.value} computed though a county has no ${row.weight_indicator} in any year`,
            );
            continue;
          }
          counts.weightedMean += 1;
          if (stated.some((weight) => weight!.year !== year)) counts.weightOfAnotherYear += 1;
          const mean = values.reduce((sum, part, index) => sum + part * weights[index]!, 0) / weights.reduce((a, b) => a + b, 0);
          if (!same(cell.value!, mean))
            problems.push(
              `${row.code} ${region}|${year}: ${cell.value}, the mean of its counties weighted by ${row.weight_indicator} of ${[...new Set(stated.map((weight) => weight!.year))].join('/')} is ${mean}`,
            );
        } else problems.push(`${row.code} ${region}|${year}: ${cell.value} computed for an indicator that does not aggregate`);
      }
    }
    expect(problems.slice(0, 20)).toEqual([]);
    // 61,307 figures, 1,885 sums, 2,940 weighted means (1,005 of them by a weight of another year) and
    // 450 formulas above the counties, 394 county weights from their municipalities at this release.
    expect(compared).toBeGreaterThan(60_000);
    expect(counts.sum).toBeGreaterThan(1_800);
    expect(counts.weightedMean).toBeGreaterThan(2_800);
    expect(counts.weightOfAnotherYear).toBeGreaterThan(900);
    expect(weightTotals).toBeGreaterThan(300);
    expect(counts.formula).toBeGreaterThan(400);
  });

  it('exports every published figure of the municipalities as given, and no municipal figure the files lack', async () => {
    const cells = await municipalCells();
    const served = new Map(cells.map((cell) => [`${cell.indicator}|${cell.region}|${cell.year}`, cell]));
    const problems: string[] = [];
    let compared = 0;
    for (const [code, figures] of published)
      for (const [cell, value] of figures) {
        if (levelOf.get(cell.split('|')[0]!) !== 'municipality') continue;
        compared += 1;
        const got = served.get(`${code}|${cell}`);
        if (!got || got.value === null || !same(got.value, value) || got.aggregated)
          problems.push(`${code} ${cell}: files ${value}, export ${got?.value} aggregated ${got?.aggregated}`);
      }
    // A municipality has no regions within to compute a value from: every value served for one is a
    // figure of the files (or their formula's), and equals it.
    let servedValues = 0;
    for (const cell of cells) {
      if (cell.value === null) continue;
      servedValues += 1;
      const figure = published.get(cell.indicator)?.get(`${cell.region}|${cell.year}`);
      if (figure === undefined || cell.aggregated || !same(cell.value, figure))
        problems.push(
          `${cell.indicator} ${cell.region}|${cell.year}: ${cell.value}${cell.aggregated ? ' (aggregated)' : ''} served, the files give ${figure}`,
        );
    }
    // Nor any municipal value in a year the files give none for: the API's count of municipalities with
    // a value, for every other year it has the indicator in, at most 30 to a request (the gateway's
    // limit of aliases).
    const { data, errors } = await stack.query<{ indicators: { code: string; official: boolean; levels: string[]; years: number[] }[] }>(
      '{ indicators { code official levels years } }',
    );
    expect(errors).toBeUndefined();
    const figureYears = municipalFigureYears();
    const probes = data!.indicators.flatMap((indicator) =>
      indicator.official && indicator.levels.includes('MUNICIPALITY')
        ? indicator.years.filter((year) => !figureYears.get(year)?.has(indicator.code)).map((year) => ({ code: indicator.code, year }))
        : [],
    );
    for (const part of chunks(probes, 30)) {
      const counted = await stack.query<Record<string, { count: number }>>(
        `{ ${part.map(({ code, year }, index) => `p${index}: statistics(indicator: "${code}", year: ${year}, regions: { level: MUNICIPALITY }) { count }`).join('\n')} }`,
      );
      expect(counted.errors).toBeUndefined();
      part.forEach(({ code, year }, index) => {
        if (counted.data![`p${index}`]!.count > 0)
          problems.push(`${code} ${year}: ${counted.data![`p${index}`]!.count} municipal values served, the files give none that year`);
      });
    }
    expect(problems.slice(0, 20)).toEqual([]);
    // 66,589 municipal figures in 70,591 exported cells, 63 other years counted, at this release.
    expect(compared).toBeGreaterThan(60_000);
    expect(probes.length).toBeGreaterThan(50);
    expect(servedValues).toBe(compared);
  });

  it('computes every Samtgemeinde value from its municipalities of the files, and none the files cannot give', async () => {
    // A Samtgemeinde has no figure of its own in the files: each of its values is RegioGraph's, the sum
    // of its municipalities' figures, or their mean weighted by the stated weight in the same year
    // (else its nearest year's, see weightIn), or a formula over such values; a Samtgemeinde lacking
    // an inhabited member's figure (or weight) has none.
    const { cells } = await levelCells('MUNICIPAL_ASSOCIATION');
    const served = new Map(cells.map((cell) => [`${cell.indicator}|${cell.region}|${cell.year}`, cell]));
    const membersOf = new Map(
      ASSOCIATIONS.map((association) => [association, MUNICIPALITIES.filter((code) => parentOf.get(code) === association)]),
    );
    /** The weight's municipal figures of one municipality, by year. */
    const weightSeries = (code: string, municipality: string) => {
      const series = new Map<number, number>();
      for (const [cell, value] of published.get(code) ?? []) {
        const [region, year] = cell.split('|');
        if (region === municipality) series.set(Number(year), value);
      }
      return series;
    };
    const weightsOf = new Map<string, Map<number, number>>();
    const weightOfMember = (code: string, municipality: string, year: number) => {
      const key = `${code}|${municipality}`;
      let series = weightsOf.get(key);
      if (!series) weightsOf.set(key, (series = weightSeries(code, municipality)));
      return weightIn(series, year)?.weight;
    };
    const problems: string[] = [];
    const counts = { sum: 0, weightedMean: 0, formula: 0, lacking: 0 };
    for (const [year, codes] of municipalFigureYears())
      for (const code of codes) {
        const row = catalogue.find((candidate) => candidate.code === code)!;
        if (row.formula) continue;
        const figures = published.get(code)!;
        for (const [association, members] of membersOf) {
          const got = served.get(`${code}|${association}|${year}`);
          const label = `${code} ${association}|${year}: served ${got?.value}${got?.aggregated ? ' (aggregated)' : ''}`;
          if (row.aggregation === 'NONE') {
            if (got && got.value !== null) problems.push(`${label} for an indicator that does not aggregate`);
            continue;
          }
          const parts: [number, number][] = [];
          let lacking = 0;
          for (const member of members) {
            const value = figures.get(`${member}|${year}`);
            const weight = row.aggregation === 'WEIGHTED_MEAN' ? weightOfMember(row.weight_indicator!, member, year) : 1;
            if (value === undefined || weight === undefined) {
              if (!UNINHABITED.has(member)) lacking += 1;
            } else parts.push([value, weight]);
          }
          if (lacking > 0 || parts.length === 0) {
            counts.lacking += 1;
            if (got && got.value !== null) problems.push(`${label}, though ${lacking} of its municipalities lack a figure`);
            continue;
          }
          const expected =
            row.aggregation === 'SUM'
              ? parts.reduce((sum, [value]) => sum + value, 0)
              : parts.reduce((sum, [value, weight]) => sum + value * weight, 0) / parts.reduce((sum, [, weight]) => sum + weight, 0);
          if (row.aggregation === 'SUM') counts.sum += 1;
          else counts.weightedMean += 1;
          if (!got || got.value === null || !got.aggregated || !same(got.value, expected))
            problems.push(`${label}, its municipalities give ${expected} (${row.aggregation})`);
        }
      }
    // Every value served for a Samtgemeinde is computed and marked so, and a derived one is its formula
    // over the Samtgemeinde's values of its inputs.
    const value = (code: string, region: string, year: number) => served.get(`${code}|${region}|${year}`)?.value ?? undefined;
    for (const cell of cells) {
      if (cell.value === null) continue;
      if (!cell.aggregated) problems.push(`${cell.indicator} ${cell.region}|${cell.year}: ${cell.value} served as published`);
      const formula = catalogue.find((row) => row.code === cell.indicator)?.formula;
      if (!formula) continue;
      counts.formula += 1;
      const expected = evaluate(formula, (code) => value(code, cell.region, cell.year));
      if (expected === undefined || !same(cell.value, expected))
        problems.push(`${cell.indicator} ${cell.region}|${cell.year}: ${cell.value}, its formula gives ${expected}`);
    }
    expect(problems.slice(0, 20)).toEqual([]);
    // 5,806 sums, 459 weighted means, 1,394 formulas and 463 Samtgemeinden lacking a member's figure at this release.
    expect(counts.sum).toBeGreaterThan(5_000);
    expect(counts.weightedMean).toBeGreaterThan(400);
    expect(counts.formula).toBeGreaterThan(1_200);
    expect(counts.lacking).toBeGreaterThan(400);
  });

  it('labels every municipal value official with its source, licence and attribution, and every Samtgemeinde value aggregated', async () => {
    // A figure of the files served as a synthetic or computed value, or under another source's name,
    // would be as wrong to a reader as a figure off by its scale; the audits above compare the values.
    const problems: string[] = [];
    const byCode = new Map(official.map((row) => [row.code!, row]));
    let labelled = 0;
    for (const level of ['MUNICIPALITY', 'MUNICIPAL_ASSOCIATION'] as const) {
      const { notes, cells } = await levelCells(level);
      for (const code of new Set(cells.filter((cell) => cell.value !== null).map((cell) => cell.indicator))) {
        const row = byCode.get(code);
        const note = notes.get(code) ?? '';
        if (!row) problems.push(`${level} ${code}: values served for an indicator that is not official`);
        else if (
          !note.includes(`source: ${row.source_publisher}`) ||
          !note.includes(`licence: ${row.source_licence}; attribution: ${row.source_attribution}`) ||
          !note.includes(DL_DE_BY) ||
          note.includes('SYNTHETIC')
        )
          problems.push(`${level} ${code}: noted as ${note}`);
      }
      for (const cell of cells) {
        if (cell.value === null) continue;
        labelled += 1;
        // The shipped data name no release; a municipality's value is the files', a Samtgemeinde's computed.
        if (cell.release !== '' || cell.aggregated !== (level === 'MUNICIPAL_ASSOCIATION'))
          problems.push(`${level} ${cell.indicator} ${cell.region}|${cell.year}: aggregated ${cell.aggregated}, release "${cell.release}"`);
      }
    }
    // The API labels each value itself: its attribution is the file's, and where RegioGraph computed it
    // (from the regions within, or by a formula) says so as dl-de/by-2-0 asks. All of one county's
    // municipalities and Samtgemeinden (Gifhorn's), in every year the files give municipal figures for.
    const gifhorn = directory.filter((region) => region.ars!.startsWith('03151') && region.ars!.length > 5).map((region) => region.ars!);
    type Cell = {
      regionCode: string;
      indicatorCode: string;
      year: number;
      value: number | null;
      aggregated: boolean;
      attribution: string;
      importedFrom: { release: string | null } | null;
    };
    let attributed = 0;
    for (const [year, codes] of [...municipalFigureYears()].sort(([a], [b]) => a - b))
      for (const part of chunks([...codes], 50)) {
        const { data, errors } = await stack.query<{
          observationTable: {
            indicators: { code: string; official: boolean; synthetic: boolean; source: { licence: string; official: boolean } }[];
            cells: Cell[];
          };
        }>(
          `query ($indicators: [ID!]!, $regions: [ID!]!, $year: Int!) {
             observationTable(indicators: $indicators, regions: { codes: $regions }, fromYear: $year, toYear: $year) {
               indicators { code official synthetic source { licence official } }
               cells { regionCode indicatorCode year value aggregated attribution importedFrom { release } } } }`,
          { indicators: part, regions: gifhorn, year },
        );
        expect(errors).toBeUndefined();
        for (const indicator of data!.observationTable.indicators)
          if (!indicator.official || indicator.synthetic || !indicator.source.official || indicator.source.licence !== 'dl-de/by-2-0')
            problems.push(`${indicator.code}: labelled ${JSON.stringify(indicator)}`);
        for (const cell of data!.observationTable.cells) {
          if (cell.value === null) continue;
          attributed += 1;
          const row = byCode.get(cell.indicatorCode)!;
          const computed = cell.aggregated || !!row.formula;
          const expected = computed
            ? `${row.source_attribution}; Daten verändert: von RegioGraph${cell.aggregated ? ' aus den Werten der enthaltenen Regionen' : ''} berechnet${row.formula ? ` als ${row.formula}` : ''}`
            : row.source_attribution;
          const level = levelOf.get(cell.regionCode);
          if (cell.aggregated !== (level === 'municipal_association') || cell.attribution !== expected || cell.importedFrom !== null)
            problems.push(
              `${cell.indicatorCode} ${cell.regionCode}|${cell.year} (${level}): aggregated ${cell.aggregated}, attribution ${cell.attribution}, imported from ${JSON.stringify(cell.importedFrom)}`,
            );
        }
      }
    expect(problems.slice(0, 20)).toEqual([]);
    // 74,248 values labelled in the export and 3,547 attributed by the API at this release.
    expect(labelled).toBeGreaterThan(70_000);
    expect(attributed).toBeGreaterThan(3_000);
  });

  it('answers every Zukunftsregion, Metropolregion and LEADER region of the files with the members the files name', async () => {
    const { data, errors } = await stack.query<
      Record<
        'zukunftsregionen' | 'metropolregionen' | 'leader',
        {
          nodes: {
            id: string;
            name: string;
            synthetic: boolean;
            source: string;
            leadPartner: string | null;
            members: { regionCode: string; role: string }[];
          }[];
        }
      >
    >(`fragment Record on CooperationConnection { nodes { id name synthetic source leadPartner members { regionCode role } } }
      {
        zukunftsregionen: cooperations(filter: { kind: ZUKUNFTSREGION }, first: 200) { ...Record }
        metropolregionen: cooperations(filter: { kind: METROPOLITAN_REGION }, first: 200) { ...Record }
        leader: cooperations(filter: { kind: LEADER_ILE_REGION }, first: 200) { ...Record }
      }`);
    expect(errors).toBeUndefined();
    const ars = (code: string) => (code.length === 8 ? arsOfAgs.get(code) : code);
    const codes = (list: string | undefined) => (list ? list.split(';').map((code) => ars(code.trim())!) : []).sort();
    const expected = [
      ...readCsv(path.join(LANDSCAPE, 'zukunftsregionen.csv')).map((row) => ({
        kind: 'zukunftsregionen',
        name: row.name!,
        source: row.source_url!,
        members: codes(row.member_ags),
        lead: row.lead_partner || null,
      })),
      ...readCsv(path.join(LANDSCAPE, 'metropolregionen.csv')).map((row) => ({
        kind: 'metropolregionen',
        name: row.name!,
        source: row.source_url!,
        members: codes(row.member_ags),
        lead: null,
      })),
      ...readCsv(path.join(LANDSCAPE, 'leader_regions.csv')).map((row) => ({
        kind: 'leader',
        name: row.name!,
        source: row.source_url!,
        members: codes(row.member_codes_ags_or_ars),
        lead: null,
      })),
    ];
    const real = (kind: 'zukunftsregionen' | 'metropolregionen' | 'leader') => data![kind].nodes.filter((node) => !node.synthetic);
    const problems: string[] = [];
    for (const row of expected) {
      const matches = real(row.kind as 'leader').filter((node) => node.name.endsWith(row.name));
      if (matches.length !== 1) {
        problems.push(`${row.kind} ${row.name}: ${matches.length} records`);
        continue;
      }
      const node = matches[0]!;
      const members = node.members.map((member) => member.regionCode).sort();
      if (node.source !== row.source || JSON.stringify(members) !== JSON.stringify(row.members) || node.leadPartner !== row.lead)
        problems.push(
          `${row.kind} ${row.name}: ${JSON.stringify({ source: node.source, members, lead: node.leadPartner })}, files ${JSON.stringify(row)}`,
        );
    }
    expect(problems).toEqual([]);
    // No real record of these kinds the files do not hold.
    expect(['zukunftsregionen', 'metropolregionen', 'leader'].map((kind) => real(kind as 'leader').length)).toEqual(
      ['zukunftsregionen', 'metropolregionen', 'leader'].map((kind) => expected.filter((row) => row.kind === kind).length),
    );
  });

  it('answers the four ArL offices, the fields of action of the Handlungsstrategien and the eight programmes as the files give them', async () => {
    const { data, errors } = await stack.query<{
      offices: {
        districtCode: string;
        name: string;
        seat: string;
        streetAddress: string | null;
        website: string | null;
        branchOffices: string[];
        source: string;
      }[];
      strategies: {
        districtCode: string;
        title: string;
        fieldsOfAction: { position: number; title: string; source: string; synthetic: boolean }[];
      }[];
      fundingProgrammes: { name: string; period: string | null; budgetAsStated: string | null; source: string | null }[];
    }>(`{
      offices { districtCode name seat streetAddress website branchOffices source }
      strategies { districtCode title fieldsOfAction { position title source synthetic } }
      fundingProgrammes { name period budgetAsStated source }
    }`);
    expect(errors).toBeUndefined();
    expect(data!.offices).toEqual(
      readCsv(path.join(LANDSCAPE, 'offices.csv')).map((row) => ({
        districtCode: row.district_code,
        name: row.name,
        seat: row.seat,
        streetAddress: row.street_address || null,
        website: row.website || null,
        branchOffices: row.other_locations ? row.other_locations.split(';').map((place) => place.trim()) : [],
        // After the statement of what the state's own pages give (name, seat, district).
        source: expect.stringContaining(row.source_url!),
      })),
    );
    // The newest edition's fields of action (Handlungsfelder, or the page's Themenbereiche) in the order read;
    // older editions' lists (Schwerpunktgebiete, strategische Ziele) are not served as current.
    const fields = readCsv(path.join(LANDSCAPE, 'handlungsstrategien.csv')).filter(
      (row) => (row.field_type === 'Handlungsfeld' || row.field_type!.startsWith('Themenbereich')) && row.field_title,
    );
    expect(
      data!.strategies.map((strategy) => ({
        districtCode: strategy.districtCode,
        fields: strategy.fieldsOfAction.filter((field) => !field.synthetic).map((field) => [field.position, field.title, field.source]),
      })),
    ).toEqual(
      ['031', '032', '033', '034'].map((districtCode) => ({
        districtCode,
        fields: fields
          .filter((row) => row.district_code === districtCode)
          .map((row, index) => [index + 1, row.field_title, row.source_url]),
      })),
    );
    const programmes = readCsv(path.join(LANDSCAPE, 'programmes.csv'));
    expect(programmes).toHaveLength(8);
    expect(programmes.map((row) => data!.fundingProgrammes.find((programme) => programme.name === row.name))).toEqual(
      programmes.map((row) => ({ name: row.name, period: row.period, budgetAsStated: row.total_budget_as_stated, source: row.source_url })),
    );
  });
});
