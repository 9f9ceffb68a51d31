import { ARROWS, findRegion, neighbour } from './navigation';

describe('the map for a keyboard', () => {
  // A plus sign of shapes around a centre, and one far off to the upper right.
  const shape = (name: string, x: number, y: number) => ({ name, centre: [x, y] as const });
  const centre = shape('centre', 0, 0);
  const east = shape('east', 10, 1);
  const north = shape('north', 0, -10);
  const farNorthEast = shape('far north-east', 30, -29);
  const shapes = [centre, east, north, farNorthEast, { name: 'no boundary', centre: null }];

  it('moves an arrow key to the nearest shape in its direction, and nowhere beyond the edge', () => {
    expect(neighbour(shapes, centre, ARROWS.ArrowRight!)?.name).toBe('east');
    expect(neighbour(shapes, centre, ARROWS.ArrowUp!)?.name).toBe('north');
    expect(neighbour(shapes, centre, ARROWS.ArrowLeft!)).toBeNull();
    expect(neighbour(shapes, east, ARROWS.ArrowLeft!)?.name).toBe('centre');
    // More than 45° off the direction does not count: from north, east lies below, not to the right.
    expect(neighbour(shapes, north, ARROWS.ArrowRight!)?.name).toBe('far north-east');
    expect(neighbour(shapes, shapes[4]!, ARROWS.ArrowRight!)).toBeNull();
  });

  const regions = [
    { code: '03404', name: 'Osnabrück', officialType: 'Kreisfreie Stadt' },
    { code: '03459', name: 'Osnabrück', officialType: 'Landkreis' },
    { code: '03459008', name: 'Bad Iburg', officialType: 'Stadt' },
    { code: '03459010', name: 'Bad Laer', officialType: 'Gemeinde' },
  ];

  it('finds a region by its suggestion, its name or the start of its name, and says when the text fits several or none', () => {
    expect(findRegion(regions, 'Osnabrück (Landkreis)')).toMatchObject({ code: '03459' });
    expect(findRegion(regions, '  bad iburg ')).toMatchObject({ code: '03459008' });
    expect(findRegion(regions, 'Bad L')).toMatchObject({ code: '03459010' });
    expect(findRegion(regions, 'Osnabrück')).toBe('several');
    expect(findRegion(regions, 'Bad')).toBe('several');
    expect(findRegion(regions, 'Atlantis')).toBe('none');
    expect(findRegion(regions, ' ')).toBe('none');
  });
});
