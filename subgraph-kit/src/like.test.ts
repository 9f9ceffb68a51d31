import { likeLiteral } from './like';

describe('likeLiteral', () => {
  it("escapes LIKE's wildcards and its escape character, each match of them, so they match only themselves", () => {
    expect(likeLiteral('_')).toBe('\\_');
    expect(likeLiteral('100%_sicher')).toBe('100\\%\\_sicher');
    expect(likeLiteral('a\\b%%')).toBe('a\\\\b\\%\\%');
  });

  it('leaves other text as it is', () => {
    expect(likeLiteral('Lüneburg (Hansestadt)')).toBe('Lüneburg (Hansestadt)');
  });
});
