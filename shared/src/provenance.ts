/**
 * The licence and attribution of a record, from how it came about. Every value RegioGraph serves
 * carries its source, licence and attribution; records that are not read from a licensed data set
 * (cooperations, offices, strategies, programmes, projects) say truthfully what they are instead of
 * borrowing a licence: facts compiled by hand from public pages claim no licence of those pages,
 * synthetic demonstration data is RegioGraph's own, and an editor's entry states none.
 */
import type { Language } from './schema-file';

/** The licence of RegioGraph's synthetic demonstration data (indicators, cooperations, projects). */
export const SYNTHETIC_DATA_LICENCE = 'CC0-1.0';

/** The attribution of RegioGraph's synthetic demonstration data, wherever it is shown. */
export const SYNTHETIC_DATA_ATTRIBUTION = 'Synthetic demonstration data (RegioGraph) — not official statistics';

/** SYNTHETIC_DATA_ATTRIBUTION in German, for clients that ask for German texts (`language: DE`). */
export const SYNTHETIC_DATA_ATTRIBUTION_DE = 'Synthetische Demonstrationsdaten (RegioGraph) – keine amtliche Statistik';

/** Facts read by hand from public pages: no licence is claimed, because none was granted to RegioGraph. */
export const COMPILED_FACTS_LICENCE =
  'No licence claimed: facts compiled by RegioGraph from the pages named in `source`; the licences of those pages’ texts are not claimed, and the texts are not reproduced.';

/** A record an editor entered through the API: who entered it is in the audit trail, a licence was never given. */
export const EDITOR_ENTRY_LICENCE = 'Not stated: entered by an editor through the RegioGraph API.';

export const EDITOR_ENTRY_ATTRIBUTION =
  'Entered by an editor through the RegioGraph API; where it comes from as the editor stated it in `source`.';

/** EDITOR_ENTRY_ATTRIBUTION in German. */
export const EDITOR_ENTRY_ATTRIBUTION_DE =
  'Redaktionell über die RegioGraph-API eingetragen; woher der Eintrag stammt, steht, wie die Redaktion es angab, in `source`.';

const EDITED_LICENCE_NOTE = ' Changed since by an editor through the RegioGraph API; the licence of the changes is not stated.';

/**
 * The wording of the attributions RegioGraph writes itself, per language of the `Language` enum
 * (schema-file.ts). The providers' own attributions (dl-de/by-2-0) are never translated: they are
 * shown as the provider gives them.
 */
const ATTRIBUTION_WORDING: Record<Language, AttributionWording> = {
  EN: {
    synthetic: SYNTHETIC_DATA_ATTRIBUTION,
    editorEntry: EDITOR_ENTRY_ATTRIBUTION,
    edited: (day) => `; changed since by an editor through the RegioGraph API${day ? `, last on ${day} (UTC)` : ''}`,
    compiledFrom: (named) => `Compiled by RegioGraph from ${named}`,
    compiledWithoutSource: 'Compiled by RegioGraph; the record names no source',
    pages: (hosts) => `the pages of ${hosts}`,
    wikipedia: (hosts) => `Wikipedia's articles (read at ${hosts})`,
  },
  DE: {
    synthetic: SYNTHETIC_DATA_ATTRIBUTION_DE,
    editorEntry: EDITOR_ENTRY_ATTRIBUTION_DE,
    edited: (day) => `; seither redaktionell über die RegioGraph-API geändert${day ? `, zuletzt am ${day} (UTC)` : ''}`,
    compiledFrom: (named) => `Von RegioGraph zusammengestellt aus ${named}`,
    compiledWithoutSource: 'Von RegioGraph zusammengestellt; der Eintrag nennt keine Quelle',
    pages: (hosts) => `den Seiten von ${hosts}`,
    wikipedia: (hosts) => `den Artikeln der Wikipedia (gelesen auf ${hosts})`,
  },
};

interface AttributionWording {
  synthetic: string;
  editorEntry: string;
  /** The note on an editor's change, with its day (YYYY-MM-DD, UTC) when the record holds it. */
  edited(day: string | null): string;
  compiledFrom(named: string): string;
  compiledWithoutSource: string;
  pages(hosts: string): string;
  wikipedia(hosts: string): string;
}

/** The attribution's note on an editor's change, with its day when the record holds it (UTC: the same day for every reader). */
function editedAttributionNote(editedAt: Date | null | undefined, wording: AttributionWording): string {
  return wording.edited(editedAt ? editedAt.toISOString().slice(0, 10) : null);
}

/**
 * How a record came about: `real` facts compiled from the pages in its source, RegioGraph's
 * `synthetic` demonstration data, or `written` (created) by an editor through a mutation.
 */
export type RecordOrigin = 'real' | 'synthetic' | 'written';

export interface RecordProvenanceInput {
  origin: RecordOrigin;
  /** The record's source: page URLs (separated by " | " or in running text) or a description. */
  source: string | null;
  /** Who publishes the facts when the source names them in words rather than by URL only. */
  publisher?: string;
  /**
   * True when an editor changed a real or synthetic record through the API after it was loaded (for
   * an editor's own record, origin `written`, it changes nothing).
   */
  editedByEditor?: boolean;
  /** When the editor's last change was written, if the record's row holds it: named as a day. */
  editedAt?: Date | null;
}

export interface RecordProvenance {
  licence: string;
  attribution: string;
}

/** The hosts of the URLs in a source, without "www.", in order of appearance, each once. */
export function sourceHosts(source: string | null): string[] {
  const hosts: string[] = [];
  for (const match of (source ?? '').matchAll(/https?:\/\/[^\s|;,)]+/g)) {
    let host: string;
    try {
      host = new URL(match[0]).hostname;
    } catch {
      continue;
    }
    // "de.wikipedia.org." is a valid spelling of the host: the trailing dot names the same site.
    host = host.replace(/^www\./, '').replace(/\.$/, '');
    if (!hosts.includes(host)) hosts.push(host);
  }
  return hosts;
}

/**
 * Hosts through which the compiled sources read Wikipedia's articles rather than on wikipedia.org:
 * mirrors, an offline snapshot and a private front end, each called so beside its URL in
 * subgraphs/cooperations/data/landscape/SOURCES.md. The articles are Wikipedia's: the attribution
 * names Wikipedia, and the host only as where they were read.
 */
export const WIKIPEDIA_COPY_HOSTS: ReadonlySet<string> = new Set([
  'de.frwiki.wiki',
  'de.wiki.li',
  'dnhewrhegkli.shop',
  'l.global.ssl.fastly.net',
  'wikiless.lunar.icu',
  'wikipedia.jakami.de',
]);

function isWikipediaHost(host: string): boolean {
  return host === 'wikipedia.org' || host.endsWith('.wikipedia.org') || WIKIPEDIA_COPY_HOSTS.has(host);
}

/** The pages a source names, for an attribution: Wikipedia's articles apart from the other sites, each host once. */
function pagesOf(hosts: readonly string[], wording: AttributionWording): string | null {
  const wikipedia = hosts.filter(isWikipediaHost);
  const others = hosts.filter((host) => !isWikipediaHost(host));
  const parts = [
    others.length > 0 ? wording.pages(others.join(', ')) : null,
    wikipedia.length > 0 ? wording.wikipedia(wikipedia.join(', ')) : null,
  ];
  return parts.filter(Boolean).join('; ') || null;
}

/**
 * The licence and attribution of one record (see the module comment). The attribution is worded in
 * `language` (English by default); the licence is English only: a licence's terms are quoted, not translated.
 */
export function recordProvenance(input: RecordProvenanceInput, language: Language = 'EN'): RecordProvenance {
  const wording = ATTRIBUTION_WORDING[language];
  if (input.origin === 'synthetic')
    return input.editedByEditor
      ? {
          licence: `${SYNTHETIC_DATA_LICENCE} for the generated record.${EDITED_LICENCE_NOTE}`,
          attribution: wording.synthetic + editedAttributionNote(input.editedAt, wording),
        }
      : { licence: SYNTHETIC_DATA_LICENCE, attribution: wording.synthetic };
  if (input.origin === 'written') return { licence: EDITOR_ENTRY_LICENCE, attribution: wording.editorEntry };
  const hosts = sourceHosts(input.source);
  const named = [input.publisher, pagesOf(hosts, wording)].filter(Boolean).join('; ');
  // A source without URL or publisher is named as it stands: it is the only account of where the facts come from.
  const attribution = named
    ? wording.compiledFrom(named)
    : input.source
      ? wording.compiledFrom(input.source)
      : wording.compiledWithoutSource;
  return input.editedByEditor
    ? {
        licence: COMPILED_FACTS_LICENCE + EDITED_LICENCE_NOTE,
        attribution: attribution + editedAttributionNote(input.editedAt, wording),
      }
    : { licence: COMPILED_FACTS_LICENCE, attribution };
}

/** The description of a record's `licence` field, the same in every subgraph that serves one. */
export const RECORD_LICENCE_DESCRIPTION =
  'The terms of this record: for real facts compiled by hand from public pages, that no licence is claimed (the pages’ texts keep theirs); ' +
  `for synthetic demonstration data "${SYNTHETIC_DATA_LICENCE}"; for an editor’s entry, that none was stated. A record an editor ` +
  'changed through the API since it was loaded says so: the licence of the changes is not stated.';

/** The description of a record's `attribution` field. */
export const RECORD_ATTRIBUTION_DESCRIPTION =
  'The attribution to show wherever the record is shown: the publishers or hosts of the pages its facts were compiled from, ' +
  `"${SYNTHETIC_DATA_ATTRIBUTION}" for synthetic records, or that an editor entered it; for a loaded (real or synthetic) record ` +
  'an editor changed through the API since, followed by that note and, where the record holds it, the day (UTC) of the last change.';
