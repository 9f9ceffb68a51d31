import { simplifyGeometry, simplifyLine } from './geometry';

describe('simplifyLine', () => {
  it('drops points closer to the line than the tolerance and keeps the ends', () => {
    const line: [number, number][] = [
      [0, 0],
      [1, 0.01],
      [2, -0.01],
      [3, 0],
    ];
    expect(simplifyLine(line, 0.1)).toEqual([
      [0, 0],
      [3, 0],
    ]);
    expect(simplifyLine(line, 0.001)).toEqual(line);
  });
});

describe('simplifyGeometry', () => {
  const square = {
    type: 'Polygon',
    coordinates: [
      [
        [0, 0],
        [0.5, 0.0001],
        [1, 0],
        [1, 1],
        [0, 1],
        [0, 0],
      ],
    ],
  };

  it('simplifies polygon rings but never below a closed triangle', () => {
    const simplified = simplifyGeometry(square, 0.01) as { coordinates: number[][][] };
    expect(simplified.coordinates[0]).toEqual([
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, 0],
    ]);
    const collapsed = simplifyGeometry(square, 10) as { coordinates: number[][][] };
    expect(collapsed.coordinates[0]!.length).toBeGreaterThanOrEqual(4);
  });

  it('returns the geometry untouched for tolerance 0', () => {
    expect(simplifyGeometry(square, 0)).toBe(square);
  });
});
