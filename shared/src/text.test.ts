import type { GraphQLError } from 'graphql';
import { foldedNameSearch, foldGermanText } from './text';

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
      extensions: { code: 'BAD_USER_INPUT', argument: 'filter.search' },
    });
    // A character outside the Basic Multilingual Plane is one character, not two UTF-16 units.
    expect(foldedNameSearch('𠀀'.repeat(100), 'filter.search')).toBe('𠀀'.repeat(100));
  });

  it('refuses a search without a letter or digit, at the argument it names', () => {
    expect(refusal(' - . ')).toEqual({
      message: 'filter.search must contain at least one letter or digit.',
      extensions: { code: 'BAD_USER_INPUT', argument: 'filter.search' },
    });
    expect(foldedNameSearch('Hann. Münden', 'search')).toBe('hann muenden');
  });
});
