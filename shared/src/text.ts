import { ErrorCode, InputRefusalReason, userError } from './errors';

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
 * The one rule for every search argument (regions, cooperations, indicators, projects): the text,
 * trimmed, holds at most `maxLength` characters as typed and at least one letter or digit, of any
 * script. Punctuation and symbols, SQL's wildcards `%` and `_` among them, are searched as themselves
 * beside a letter or digit ("l%burg", "C-001"), but on their own there is nothing to search for: `"%"`
 * used to find nothing in regions and cooperations, `"-"` was refused there, and the projects subgraph
 * refused both with messages of its own. Refused with BAD_USER_INPUT at `argument`, with
 * {@link searchWithoutLetterOrDigitMessage}. Returns the trimmed text.
 */
export function checkedSearchText(search: string, argument: string, maxLength: number = MAX_NAME_SEARCH_LENGTH): string {
  const text = search.trim();
  if ([...text].length > maxLength) {
    throw userError(`${argument} is limited to ${maxLength} characters.`, ErrorCode.BadUserInput, {
      argument,
      reason: InputRefusalReason.SearchTooLong,
    });
  }
  if (!/[\p{L}\p{N}]/u.test(text)) throw searchWithoutLetterOrDigitError(argument);
  return text;
}

function searchWithoutLetterOrDigitError(argument: string) {
  return userError(searchWithoutLetterOrDigitMessage(argument), ErrorCode.BadUserInput, {
    argument,
    reason: InputRefusalReason.SearchWithoutLetterOrDigit,
  });
}

/** What a client is told for a search with no letter or digit, by every subgraph that takes a search. */
export function searchWithoutLetterOrDigitMessage(argument: string): string {
  return `${argument} must contain at least one letter or digit; punctuation and symbols (such as %, _ or -) are not searched on their own.`;
}

/**
 * A name search folded as the stored names are (foldGermanText), after the rule of every search
 * ({@link checkedSearchText}, at most MAX_NAME_SEARCH_LENGTH characters). The length is the typed
 * one: counted after folding, 100 × "ä" read as 200 characters and was refused.
 */
export function foldedNameSearch(search: string, argument: string): string {
  const folded = foldGermanText(checkedSearchText(search, argument));
  if (folded.length === 0) throw searchWithoutLetterOrDigitError(argument);
  return folded;
}

/**
 * The most edits a misspelt name search may be from a name: one for up to four letters, two up to
 * nine, three beyond. More would make short searches match half the state ("Ahr" two edits from
 * "Ahlen", "Aurich", …); fewer would miss a long name typed with a swap and a missing umlaut.
 */
export function nameEditLimit(foldedSearch: string): number {
  const length = [...foldedSearch].length;
  return length <= 4 ? 1 : length <= 9 ? 2 : 3;
}

/**
 * The fewest single-character edits (insert, drop, change, or swap two neighbours: the optimal string
 * alignment distance) that turn `a` into `b`; any figure above `limit` is returned as `limit + 1`, so
 * a name far from the search costs a row or two, not the whole table.
 */
export function editDistance(a: string, b: string, limit: number): number {
  const left = [...a];
  const right = [...b];
  if (Math.abs(left.length - right.length) > limit) return limit + 1;
  // Three rows of the table: two back (for swaps), the previous and the current.
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: right.length + 1 }, (_, j) => j);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= right.length; j++) {
      const change = left[i - 1] === right[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + change);
      if (i > 1 && j > 1 && left[i - 1] === right[j - 2] && left[i - 2] === right[j - 1]) best = Math.min(best, beforePrevious[j - 2]! + 1);
      current.push(best);
      rowMinimum = Math.min(rowMinimum, best);
    }
    if (rowMinimum > limit) return limit + 1;
    beforePrevious = previous;
    previous = current;
  }
  return Math.min(previous[right.length]!, limit + 1);
}

/**
 * How far a folded search is from a folded name: the fewest edits to the whole name or to a run of its
 * words, so "muenden" is 0 from "hann muenden" and "zwischenan" 1 from "bad zwischenahn"; above
 * `limit`, `limit + 1` (see editDistance).
 */
export function nameDistance(foldedSearch: string, foldedName: string, limit: number): number {
  const words = foldedName.split(' ');
  let best = limit + 1;
  for (let first = 0; first < words.length && best > 0; first++) {
    for (let last = first; last < words.length && best > 0; last++) {
      best = Math.min(best, editDistance(foldedSearch, words.slice(first, last + 1).join(' '), Math.min(limit, best)));
    }
  }
  return best;
}
