import { ErrorCode, userError } from './errors';

/**
 * Lower-cases a German name and spells umlauts and ß the way they are typed without them
 * (ä→ae, ö→oe, ü→ue, ß→ss) and drops other accents, so "Lueneburg", "lüneburg" and "LÜNEBURG"
 * all find Lüneburg. Hyphens, dashes and full stops count as spaces, so "Osterholz Scharmbeck"
 * finds Osterholz-Scharmbeck and "Hann Münden" Hann. Münden. A stored folded name made with an
 * earlier version is folded again by migration 20261205093000_fold_name_punctuation.
 */
export function foldGermanText(text: string): string {
  return text
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[-\u2010-\u2015.]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The most characters a name search may hold, counted as typed: "ä" is one, though it folds to "ae". */
export const MAX_NAME_SEARCH_LENGTH = 100;

/**
 * A name search folded as the stored names are (foldGermanText). Refused with BAD_USER_INPUT at
 * `argument` when it holds more than MAX_NAME_SEARCH_LENGTH characters, or no letter or digit. The
 * length is the typed one: counted after folding, 100 × "ä" read as 200 characters and was refused.
 */
export function foldedNameSearch(search: string, argument: string): string {
  if ([...search.trim()].length > MAX_NAME_SEARCH_LENGTH) {
    throw userError(`${argument} is limited to ${MAX_NAME_SEARCH_LENGTH} characters.`, ErrorCode.BadUserInput, { argument });
  }
  const folded = foldGermanText(search);
  if (folded.length === 0) throw userError(`${argument} must contain at least one letter or digit.`, ErrorCode.BadUserInput, { argument });
  return folded;
}
