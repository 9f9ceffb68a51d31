import { FINGER_RADIUS, fingerPoints, regionsUnderFinger } from './touch';

describe("a finger's tap on the map", () => {
  it('stands for its point first and for a 3 px grid over its disc, none farther than the radius', () => {
    const points = fingerPoints(100, 50);
    expect(points[0]).toEqual([100, 50]);
    for (const [x, y] of points) expect(Math.hypot(x - 100, y - 50)).toBeLessThanOrEqual(FINGER_RADIUS);
    const distances = points.map(([x, y]) => Math.hypot(x - 100, y - 50));
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    // Every point of the disc is within 3 px of one of them (the grid's diagonal half is 2.1 px).
    for (let angle = 0; angle < 2 * Math.PI; angle += 0.1)
      for (const distance of [4, 8, FINGER_RADIUS]) {
        const [px, py] = [100 + distance * Math.cos(angle), 50 + distance * Math.sin(angle)];
        expect(Math.min(...points.map(([x, y]) => Math.hypot(x - px, y - py)))).toBeLessThan(3);
      }
  });

  it('finds the region tapped first, then a small one beside it within the radius, each once, and none beyond', () => {
    // A large region left of x = 105, a 4 px square (x 105-109, y 48-52) to its right, another region right of x = 109.
    // Grid points lie on whole pixels from the tap: x 100, 103, 106, 109, 112; the square's is 106.
    const codeAt = (x: number, y: number) => (x < 105 ? 'large' : x < 109 && y >= 48 && y <= 52 ? 'small' : x >= 109 ? 'right' : null);
    expect(regionsUnderFinger(100, 50, codeAt)).toEqual(['large', 'small', 'right']);
    expect(regionsUnderFinger(80, 50, codeAt)).toEqual(['large']);
  });
});
