import { ARROWS, distinctLabels, findRegion, foundLabel, labelIn, neighbour, orderFound, searchTerms } from './navigation';

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

describe('a region searched by name in the whole state', () => {
  it('never takes the first of several regions whose suggestions read the same', () => {
    const neuenkirchen = [
      { code: '032515406028', name: 'Neuenkirchen', officialType: 'Gemeinde' },
      { code: '033525411038', name: 'Neuenkirchen', officialType: 'Gemeinde' },
    ];
    expect(findRegion(neuenkirchen, 'Neuenkirchen (Gemeinde)')).toBe('several');
    expect(findRegion(neuenkirchen, 'Neuenkirchen')).toBe('several');
  });

  it('reads an official type typed before the name, and puts the regions of that type first', () => {
    expect(searchTerms(' Samtgemeinde Bersenbrück ')).toEqual({ name: 'Bersenbrück', officialType: 'Samtgemeinde' });
    expect(searchTerms('LK Osnabrück')).toEqual({ name: 'Osnabrück', officialType: 'Landkreis' });
    expect(searchTerms('bückeburg')).toEqual({ name: 'bückeburg', officialType: null });
    expect(searchTerms('Neuenkirchen (Gemeinde)')).toEqual({ name: 'Neuenkirchen', officialType: 'Gemeinde' });
    expect(searchTerms('Oldenburg (Oldb) (Kreisfreie Stadt)')).toEqual({ name: 'Oldenburg (Oldb)', officialType: 'Kreisfreie Stadt' });
    // A type alone is a name to search.
    expect(searchTerms('Stadt')).toEqual({ name: 'Stadt', officialType: null });
    const found = [
      { code: '034595402010', name: 'Bersenbrück', officialType: 'Stadt' },
      { code: '034595402', name: 'Bersenbrück', officialType: 'Samtgemeinde' },
    ];
    expect(orderFound(found, 'Samtgemeinde').map((region) => region.code)).toEqual(['034595402', '034595402010']);
    expect(orderFound(found, null)).toEqual(found);
  });

  it('names the Samtgemeinde and the county of a result, which tell apart regions of the same name', () => {
    const ancestors = [
      { name: 'Niedersachsen', officialType: 'Land', level: 'STATE' },
      { name: 'Lüneburg', officialType: 'Amt für regionale Landesentwicklung', level: 'DISTRICT' },
      { name: 'Cuxhaven', officialType: 'Landkreis', level: 'COUNTY' },
      { name: 'Land Hadeln', officialType: 'Samtgemeinde', level: 'MUNICIPAL_ASSOCIATION' },
    ];
    expect(foundLabel({ name: 'Neuenkirchen', officialType: 'Gemeinde', level: 'MUNICIPALITY', ancestors })).toBe(
      'Neuenkirchen (Gemeinde) – Samtgemeinde Land Hadeln, Landkreis Cuxhaven',
    );
    expect(
      foundLabel({
        name: 'Burgdorf',
        officialType: 'Stadt',
        level: 'MUNICIPALITY',
        ancestors: [{ name: 'Region Hannover', officialType: 'Region', level: 'COUNTY' }],
      }),
    ).toBe('Burgdorf (Stadt) – Region Hannover');
    expect(foundLabel({ name: 'Osnabrück', officialType: 'Landkreis', level: 'COUNTY', ancestors: ancestors.slice(0, 2) })).toBe(
      'Osnabrück (Landkreis)',
    );
  });
});

describe("a profile's chart lines", () => {
  it('name a region and its Samtgemeinde of the same name by their types, and the others by name alone', () => {
    expect(
      distinctLabels([
        { name: 'Neuenkirchen', officialType: 'Gemeinde' },
        { name: 'Neuenkirchen', officialType: 'Samtgemeinde' },
        { name: 'Osnabrück', officialType: 'Landkreis' },
        { name: 'Niedersachsen', officialType: 'Land' },
      ]),
    ).toEqual(['Neuenkirchen (Gemeinde)', 'Neuenkirchen (Samtgemeinde)', 'Osnabrück', 'Niedersachsen']);
  });
});

describe('labelIn', () => {
  const counties = [
    { code: '03404', name: 'Osnabrück', officialType: 'Kreisfreie Stadt' },
    { code: '03459', name: 'Osnabrück', officialType: 'Landkreis' },
    { code: '03241', name: 'Region Hannover', officialType: 'Landkreis' },
  ];

  it('names the type only where two regions of the list share a name', () => {
    expect(labelIn(counties, '03404')).toBe('Osnabrück (Kreisfreie Stadt)');
    expect(labelIn(counties, '03459')).toBe('Osnabrück (Landkreis)');
    expect(labelIn(counties, '03241')).toBe('Region Hannover');
  });

  it('has no label for a code the list lacks, such as the state', () => {
    expect(labelIn(counties, '03')).toBeUndefined();
  });
});
