import { DL_DE_BY_2_0_NAME } from '@regiograph/shared';

/** What a licence the importer knows asks of whoever shows the data. */
export interface KnownLicence {
  /** The licence's own name. */
  name: string;
  /**
   * The texts of which the attribution must name one, where the licence requires an attribution that
   * names it beside the provider (dl-de/by: "Verweis auf den Lizenztext"; CC BY 4.0, 3(a)(1)(C)); null
   * where it requires none.
   */
  attributionNames: readonly string[] | null;
}

/**
 * The licences the importer knows, by the id a catalogue's `source_licence` gives: which of them
 * require an attribution is decided here and nowhere else. An official indicator needs one of them;
 * other data may name a licence the importer does not know, whose terms it then cannot check.
 */
export const KNOWN_LICENCES: ReadonlyMap<string, KnownLicence> = new Map([
  ['dl-de/by-2-0', { name: DL_DE_BY_2_0_NAME, attributionNames: [DL_DE_BY_2_0_NAME] }],
  [
    'dl-de/by-1-0',
    {
      name: 'Datenlizenz Deutschland – Namensnennung – Version 1.0',
      attributionNames: ['Datenlizenz Deutschland – Namensnennung – Version 1.0', 'dl-de/by-1-0'],
    },
  ],
  [
    'CC-BY-4.0',
    {
      name: 'Creative Commons Attribution 4.0 International',
      attributionNames: [
        'Creative Commons Attribution 4.0',
        'Creative Commons Namensnennung 4.0',
        'CC BY 4.0',
        'CC-BY-4.0',
        'creativecommons.org/licenses/by/4.0',
      ],
    },
  ],
  ['dl-de/zero-2-0', { name: 'Datenlizenz Deutschland – Zero – Version 2.0', attributionNames: null }],
  ['CC0-1.0', { name: 'Creative Commons Zero 1.0 Universal', attributionNames: null }],
]);

/**
 * Why a catalogue row's licence and attribution do not fit, or null: an official indicator needs a
 * licence the importer knows, and a licence that requires an attribution an attribution that names it
 * (the publisher alone, which an empty column falls back to, names no licence).
 */
export function licenceProblem(licence: string, attribution: string, official: boolean): string | null {
  const known = KNOWN_LICENCES.get(licence);
  if (!known)
    return official
      ? `an official indicator needs a licence the importer knows (${[...KNOWN_LICENCES.keys()].join(', ')}), not ${JSON.stringify(licence)}: ` +
          'give the id of the licence the publisher names, or write official false'
      : null;
  const names = known.attributionNames;
  if (names === null || names.some((name) => attribution.includes(name))) return null;
  return `${licence} requires a source_attribution that names the licence ("${names[0]}")`;
}
