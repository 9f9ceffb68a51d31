/**
 * English function words that no German sentence has: a German text RegioGraph writes (a `language: DE`
 * text of the API, the Atlas's German) that holds one has English left in it. Words German shares with
 * English are left out ("in", "an", "was", "will", "also", "so", "man", "hat", "die"), and the search is
 * case-sensitive for "not", whose capitalised spelling is a German noun ("Not"), so a German text cannot
 * trip it; codes, URLs and quoted names are taken out first (an indicator code such as `share_of_x`).
 */
export const ENGLISH_FUNCTION_WORDS = [
  'the',
  'of',
  'and',
  'is',
  'are',
  'not',
  'with',
  'which',
  'for',
  'from',
  'has',
  'have',
  'this',
  'that',
  'to',
  'by',
  'or',
  'its',
  'be',
  'at',
  'no',
  'only',
  'values',
] as const;

/** A sentence's first word is capitalised in English too ("The", "No"), but "Not" is a German noun. */
const WORDS = new RegExp(
  `(?<![\\p{L}\\p{N}_])(${ENGLISH_FUNCTION_WORDS.flatMap((word) => (word === 'not' ? [word] : [word, `${word[0]!.toUpperCase()}${word.slice(1)}`])).join('|')})(?![\\p{L}\\p{N}_])`,
  'gu',
);

/**
 * What a German text quotes as it is: URLs and paths with their query (`/export/observations.csv?from=…&to=…`), `code` spans, identifiers with an underscore
 * (`share_of_x`), and tokens joined by a slash or hyphen such as a licence's id (dl-de/by-2-0).
 */
const QUOTED = /https?:\/\/\S+|(?<![\p{L}\p{N}])\/[^\s)]+|`[^`]*`|[\p{L}\p{N}]*_[\p{L}\p{N}_]*|[\p{L}\p{N}]+(?:[-/.][\p{L}\p{N}]+)+/gu;

/** The English function words in `text`, each once, in order of appearance; none in a German text. */
export function englishWordsIn(text: string): string[] {
  return [...new Set([...text.replace(QUOTED, ' ').matchAll(WORDS)].map((match) => match[1]!))];
}
