import { foldGermanText } from './text';

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
