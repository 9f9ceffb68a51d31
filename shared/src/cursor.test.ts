import { decodeCursor, encodeCursor } from './cursor';
import { levelOfCode } from './region-codes';

describe('page cursors', () => {
  it('give back the position of their own list only', () => {
    expect(decodeCursor('region', encodeCursor('region', '03241'))).toBe('03241');
    expect(decodeCursor('projects', encodeCursor('projects', 50), (position) => /^\d+$/.test(position))).toBe('50');
    const refusal = (run: () => unknown) => {
      try {
        run();
        return null;
      } catch (error) {
        return (error as { extensions?: { code?: string; argument?: string } }).extensions;
      }
    };
    expect(refusal(() => decodeCursor('cooperation', encodeCursor('region', '03241')))).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'after',
    });
    expect(refusal(() => decodeCursor('cooperation', encodeCursor('cooperation', '')))).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(refusal(() => decodeCursor('projects', encodeCursor('projects', 'x'), (position) => /^\d+$/.test(position)))).toMatchObject({
      code: 'BAD_USER_INPUT',
    });
  });
});

describe('page cursors of lists named alike', () => {
  it("refuse a cursor of a list whose name starts with this list's name, with a message saying so", () => {
    expect(() => decodeCursor('region', encodeCursor('regions', '03241'))).toThrow('after is not a cursor of this list.');
  });
});

describe('levelOfCode', () => {
  it('follows from the length of the ARS', () => {
    expect(['03', '031', '03241', '031515401', '031515401001', '0324'].map(levelOfCode)).toEqual([
      'STATE',
      'DISTRICT',
      'COUNTY',
      'MUNICIPAL_ASSOCIATION',
      'MUNICIPALITY',
      null,
    ]);
  });
});
