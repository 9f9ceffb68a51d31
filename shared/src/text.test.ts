import type { GraphQLError } from 'graphql';
import { checkedSearchText, editDistance, foldedNameSearch, foldGermanText, nameDistance, nameEditLimit } from './text';

describe('foldGermanText', () => {
  it.each([
    ['Lüneburg', 'lueneburg'],
    ['LÜNEBURG', 'lueneburg'],
    ['Lueneburg', 'lueneburg'],
    ['Großefehn', 'grossefehn'],
    ['Bad Gandersheim, Stadt', 'bad gandersheim, stadt'],
    ['  Osnabrück   Land ', 'osnabrueck land'],
    ['Édition', 'edition'],
    ['Osterholz-Scharmbeck', 'osterholz scharmbeck'],
    ['Hann. Münden', 'hann muenden'],
    ['Elbe – Weser', 'elbe weser'],
  ])('folds %s to %s', (input, expected) => {
    expect(foldGermanText(input)).toBe(expected);
  });
});

describe('foldedNameSearch', () => {
  const refusal = (search: string) => {
    try {
      foldedNameSearch(search, 'filter.search');
      return null;
    } catch (error) {
      return { message: (error as GraphQLError).message, extensions: (error as GraphQLError).extensions };
    }
  };

  it('counts the characters as typed: 100 umlauts are 100, though they fold to 200', () => {
    expect(foldedNameSearch('ä'.repeat(100), 'filter.search')).toBe('ae'.repeat(100));
    expect(foldedNameSearch(`  ${'Ö'.repeat(100)}  `, 'filter.search')).toBe('oe'.repeat(100));
    expect(refusal('ä'.repeat(101))).toEqual({
      message: 'filter.search is limited to 100 characters.',
      extensions: { code: 'BAD_USER_INPUT', argument: 'filter.search', reason: 'SEARCH_TOO_LONG' },
    });
    // A character outside the Basic Multilingual Plane is one character, not two UTF-16 units.
    expect(foldedNameSearch('𠀀'.repeat(100), 'filter.search')).toBe('𠀀'.repeat(100));
  });

  it('refuses a search without a letter or digit, at the argument it names, wildcards and punctuation alike', () => {
    for (const search of [' - . ', '%', '_', '%_%', '"', '']) {
      expect({ search, refusal: refusal(search) }).toEqual({
        search,
        refusal: {
          message:
            'filter.search must contain at least one letter or digit; punctuation and symbols (such as %, _ or -) are not searched on their own.',
          extensions: { code: 'BAD_USER_INPUT', argument: 'filter.search', reason: 'SEARCH_WITHOUT_LETTER_OR_DIGIT' },
        },
      });
    }
    expect(foldedNameSearch('l%burg', 'filter.search')).toBe('l%burg');
    expect(foldedNameSearch('Hann. Münden', 'search')).toBe('hann muenden');
  });
});

describe('checkedSearchText', () => {
  it('takes a search with a letter or digit of any script, trimmed, up to the length given', () => {
    expect(checkedSearchText('  "Dorfladen" -Bremen ', 'filter.search', 200)).toBe('"Dorfladen" -Bremen');
    expect(checkedSearchText('%5', 'search')).toBe('%5');
    expect(checkedSearchText('Ωμέγα', 'search')).toBe('Ωμέγα');
    expect(() => checkedSearchText('x'.repeat(201), 'filter.search', 200)).toThrow('filter.search is limited to 200 characters.');
  });

  it('refuses punctuation, symbols and wildcards alone with the one message', () => {
    for (const search of ['%', '_', '-', '...', '* ?', '–', '   ']) {
      expect(() => checkedSearchText(search, 'search')).toThrow(
        'search must contain at least one letter or digit; punctuation and symbols (such as %, _ or -) are not searched on their own.',
      );
    }
  });
});

describe('editDistance', () => {
  it.each([
    ['bueckeburg', 'bueckeburg', 0],
    ['buckeburg', 'bueckeburg', 1], // an umlaut typed as u
    ['bueckebrug', 'bueckeburg', 1], // two neighbours swapped
    ['scheesel', 'scheessel', 1],
    ['lunebrug', 'lueneburg', 2],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['𠀀x', '𠀀y', 1], // characters, not UTF-16 units
  ])('%s → %s: %i', (a, b, expected) => {
    expect(editDistance(a, b, 3)).toBe(expected);
    expect(editDistance(b, a, 3)).toBe(expected);
  });

  it('stops at limit + 1, for lengths and for the table alike', () => {
    expect(editDistance('ahr', 'osnabrueck', 2)).toBe(3);
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
    expect(editDistance('abcdef', 'abcxyz', 3)).toBe(3);
  });
});

describe('nameDistance', () => {
  it('measures against the whole name and against every run of its words', () => {
    expect(nameDistance('muenden', 'hann muenden', 2)).toBe(0);
    expect(nameDistance('zwischenan', 'bad zwischenahn', 3)).toBe(1);
    expect(nameDistance('bad zwischenan', 'bad zwischenahn', 3)).toBe(1);
    expect(nameDistance('osterholz scharmbek', 'osterholz scharmbeck', 3)).toBe(1);
    expect(nameDistance('atlantis', 'bad zwischenahn', 2)).toBe(3);
  });
});

describe('editDistance, swaps', () => {
  it('counts two swapped neighbours as one edit, at the start, the end and inside a word, and only when both match', () => {
    expect(editDistance('ba', 'ab', 1)).toBe(1);
    expect(editDistance('ucelle', 'cuelle', 1)).toBe(1);
    expect(editDistance('celel', 'celle', 1)).toBe(1);
    // Only one of the two neighbours matches: no swap.
    expect(editDistance('ac', 'cb', 2)).toBe(2);
  });
});

describe('nameEditLimit', () => {
  it('allows one edit up to four letters, two up to nine, three beyond', () => {
    expect(['ahr', 'ahrx', 'aurich', 'buckeburg', 'bueckebrug', 'oesterholz scharmbek'].map(nameEditLimit)).toEqual([1, 1, 2, 2, 3, 3]);
  });
});
