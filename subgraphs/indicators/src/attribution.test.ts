import { readFileSync } from 'node:fs';
import { validateCatalogue, type CatalogueEntry } from './import/validate';
import { monitoringFiles } from './seed';

// dl-de/by-2-0 requires naming the provider and the data set of every value shown. An indicator's
// values may come from several sources: alternatives of its series (county rows from one table,
// municipal rows from another) and, for a derived indicator, the sources of every input. What each
// source's attribution must name (every group: at least one of its texts).
const REQUIRED_NAMES: Record<string, readonly (readonly string[])[]> = {
  'destatis-12411-0015': [['Statistisches Bundesamt (Destatis)'], ['12411-0015']],
  'destatis-12411-0018': [['Statistisches Bundesamt (Destatis)'], ['12411-0018']],
  'destatis-gv-isys': [['Statistisches Bundesamt (Destatis)'], ['GV-ISys']],
  'derived-population': [['Statistisches Bundesamt (Destatis)'], ['12411-0018'], ['GV-ISys']],
  'destatis-11111-0002': [['Statistisches Bundesamt (Destatis)'], ['11111-0002']],
  'destatis-46251-0006': [['Statistisches Bundesamt (Destatis)'], ['46251-0006'], ['Kraftfahrt-Bundesamt']],
  'regionalstatistik-11111-01-01-4': [['Statistische Ämter des Bundes und der Länder'], ['11111-01-01-4']],
  'regionalstatistik-33111-01-01-4': [['Statistische Ämter des Bundes und der Länder'], ['33111-01-01-4']],
  'regionalstatistik-13111-01-03-4+02-02-4': [['Statistische Ämter des Bundes und der Länder'], ['13111-01-03-4', '13111-02-02-4']],
  'regionalstatistik-13111-07-05-4': [['Statistische Ämter des Bundes und der Länder'], ['13111-07-05-4']],
  'regionalstatistik-13211-02-05-4': [['Statistische Ämter des Bundes und der Länder'], ['13211-02-05-4']],
  'regionalstatistik-22411-02-03-4': [['Statistische Ämter des Bundes und der Länder'], ['22411-02-03-4']],
  'regionalstatistik-82111-01-05-4+82411-01-03-4': [['Statistische Ämter des Bundes und der Länder'], ['82111-01-05-4', '82411-01-03-4']],
  'inkar-bbsr-via-gerda': [['BBSR'], ['INKAR']],
  'zensus-2022-via-gerda': [['Statistische Ämter des Bundes und der Länder'], ['Zensus 2022']],
};

function shippedCatalogue(): Map<string, CatalogueEntry> {
  const file = monitoringFiles().catalogue;
  const { records, problems } = validateCatalogue(readFileSync(file, 'utf8'), 'catalogue.csv', new Set());
  expect(problems).toEqual([]);
  return new Map(records.map((entry) => [entry.code, entry]));
}

/** The source ids an indicator's values are read from: its series' terms, and its formula inputs' sources. */
function sourcesOf(code: string, catalogue: Map<string, CatalogueEntry>): Set<string> {
  const entry = catalogue.get(code)!;
  const sources = new Set<string>();
  for (const { terms } of entry.series?.alternatives ?? []) for (const term of terms) sources.add(term.split(':')[0]!);
  for (const input of entry.parsedFormula?.inputs ?? []) for (const source of sourcesOf(input, catalogue)) sources.add(source);
  return sources;
}

describe('the attribution of every shipped indicator', () => {
  it('names the provider and the data set of every source its values come from, and the licence with its text, as dl-de/by-2-0 requires', () => {
    const catalogue = shippedCatalogue();
    const lacking: string[] = [];
    for (const [code, entry] of catalogue) {
      for (const source of sourcesOf(code, catalogue)) {
        const groups = REQUIRED_NAMES[source];
        if (!groups) {
          lacking.push(`${code}: no attribution rule for source ${source}`);
          continue;
        }
        for (const group of groups) {
          if (!group.some((name) => entry.sourceAttribution.includes(name)))
            lacking.push(`${code}: ${source} needs "${group.join('" or "')}"`);
        }
      }
      // The licence by name with a reference to its text, as the licence asks (and as the regions' attribution has it).
      if (!entry.sourceAttribution.includes('Datenlizenz Deutschland – Namensnennung – Version 2.0 (www.govdata.de/dl-de/by-2-0)'))
        lacking.push(`${code}: the licence by name with www.govdata.de/dl-de/by-2-0`);
    }
    expect(lacking).toEqual([]);
  });
});
