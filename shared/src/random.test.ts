import { SeededRandom, hashString } from './random';

describe('SeededRandom', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const a = new SeededRandom('indicators');
    const b = new SeededRandom('indicators');
    const c = new SeededRandom('projects');
    const first = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(first);
  });

  it('stays within bounds and samples distinct items', () => {
    const random = new SeededRandom(42);
    for (let i = 0; i < 1000; i++) {
      const value = random.integer(3, 7);
      expect(value).toBeGreaterThanOrEqual(3);
      expect(value).toBeLessThanOrEqual(7);
    }
    const sample = random.sample(['a', 'b', 'c', 'd'], 3);
    expect(new Set(sample).size).toBe(3);
    expect(() => random.pick([])).toThrow('empty');
  });

  it('hashes strings stably', () => {
    expect(hashString('Niedersachsen')).toBe(hashString('Niedersachsen'));
    expect(hashString('a')).not.toBe(hashString('b'));
  });
});
