import { geoArea, geoPath } from 'd3-geo';
import type { FeatureCollection, Polygon } from 'geojson';
import { mapProjection } from './geo';

/** A cell of 0.2° × 0.2° at a point, clockwise as d3-geo takes a polygon's exterior (rewound() turns others). */
function cell(lon: number, lat: number): Polygon {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [lon, lat],
        [lon, lat + 0.2],
        [lon + 0.2, lat + 0.2],
        [lon + 0.2, lat],
        [lon, lat],
      ],
    ],
  };
}

// Lower Saxony's extent: Borkum in the north-west to the Harz in the south-east.
const STATE: FeatureCollection = {
  type: 'FeatureCollection',
  features: [cell(6.6, 53.7), cell(11.4, 51.3)].map((geometry) => ({ type: 'Feature', properties: {}, geometry })),
};

describe("the map's projection", () => {
  const projection = mapProjection(STATE, 720, 620);
  const path = geoPath(projection);

  it('draws areas true across the state, as a choropleth needs (Mercator drew the coast 9.6 % larger than the Harz)', () => {
    // Drawn area per true area, at the North Sea coast and in the Harz.
    const [coast, harz] = [cell(7, 53.6), cell(10.4, 51.6)].map((geometry) => path.area(geometry) / geoArea(geometry));
    expect(Math.abs(coast! / harz! - 1)).toBeLessThan(0.005);
  });

  it('is conformal and centred on 9° East as UTM zone 32N: that meridian straight up, those beside it leaning towards it', () => {
    const [x52, y52] = projection([9, 52])!;
    const [x54] = projection([9, 54])!;
    expect(Math.abs(x54 - x52)).toBeLessThan(1e-6);
    // West of 9° a meridian leans east going north (the grid convergence of official maps), east of it west.
    expect(projection([7, 53.5])![0]).toBeGreaterThan(projection([7, 51.5])![0]);
    expect(projection([11, 53.5])![0]).toBeLessThan(projection([11, 51.5])![0]);
    // Conformal: a small step east and one north are drawn at the same scale (of their true lengths).
    const east = Math.hypot(...diff(projection([8.001, 52.5])!, projection([8, 52.5])!)) / Math.cos((52.5 * Math.PI) / 180);
    const north = Math.hypot(...diff(projection([8, 52.501])!, projection([8, 52.5])!));
    expect(Math.abs(east / north - 1)).toBeLessThan(0.001);
    expect(y52).toBeGreaterThan(0);
  });
});

function diff(one: [number, number], other: [number, number]): [number, number] {
  return [one[0] - other[0], one[1] - other[1]];
}
